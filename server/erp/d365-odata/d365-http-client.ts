import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type { Logger } from 'pino';
import { ErpError } from '../port.js';
import { createLimiter, parseRetryAfter } from '../onec-odata/onec-http-client.js';
import type { D365TokenProvider } from './d365-token.js';

/**
 * Transport to F&O OData v4 at `{environment}/data/`: bearer token (renewed once on 401), `Prefer: odata.maxpagesize`,
 * `@odata.nextLink` pages, and the error classes of erp-integration.md §3–4: 429 → rate-limited with Retry-After
 * (service protection), 400 write failures (AxODataWriteException infolog) → validation, 401/403 → auth,
 * 404 → not-found, 409/412 → conflict, network and 5xx → transient.
 */

export interface D365Page<T> {
  value: T[];
  nextLink: string | null;
  count?: number;
}

interface V4ErrorBody {
  error?: { code?: string; message?: string; innererror?: { message?: string; type?: string } };
}

export function classifyD365Error(err: unknown, what: string): ErpError {
  if (err instanceof ErpError) return err;
  if (!isAxiosError(err) || !err.response) {
    const code = isAxiosError(err) ? err.code : undefined;
    return new ErpError('transient', `D365 ${what}: no answer (${code ?? (err as Error)?.message ?? 'network error'})`, { cause: err, erpCode: code });
  }
  const status = err.response.status;
  const body = err.response.data as V4ErrorBody | undefined;
  const inner = body?.error?.innererror?.message;
  const message = inner ?? body?.error?.message;
  const text = `D365 ${what}: HTTP ${status}${message ? `: ${message}` : ''}`;
  const opts = { cause: err, erpCode: body?.error?.innererror?.type ?? body?.error?.code ?? String(status) };
  if (status === 429) return new ErpError('rate-limited', text, { ...opts, retryAfterMs: parseRetryAfter(err.response.headers['retry-after']) });
  if (status === 401 || status === 403) return new ErpError('auth', text, opts);
  if (status === 404) return new ErpError('not-found', text, opts);
  if (status === 409 || status === 412) return new ErpError('conflict', text, opts);
  if (status === 400 || status === 405 || status === 422) return new ErpError('validation', message ? `${message} (D365 ${what}, HTTP ${status})` : text, opts);
  return new ErpError('transient', text, opts);
}

export interface D365HttpOptions {
  /** Environment URL, e.g. https://contoso.operations.dynamics.com (OData at /data). */
  baseUrl: string;
  tokens: D365TokenProvider;
  http?: AxiosInstance;
  timeoutMs?: number;
  concurrency?: number;
  logger?: Logger;
}

export function createD365HttpClient(o: D365HttpOptions) {
  const http = o.http ?? axios.create();
  const dataUrl = `${o.baseUrl.replace(/\/+$/, '')}/data`;
  const limit = createLimiter(o.concurrency ?? 8);

  async function send<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body: string | undefined, what: string, pageSize?: number, signal?: AbortSignal, retried = false): Promise<T> {
    const token = await o.tokens.get();
    const started = Date.now();
    try {
      const res = await limit(() => http.request<T>({
        method,
        url,
        data: body,
        signal,
        timeout: o.timeoutMs ?? 60_000,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'OData-Version': '4.0',
          'OData-MaxVersion': '4.0',
          ...(pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
        },
      }));
      o.logger?.debug({ erp: 'd365-odata', method, what, status: res.status, ms: Date.now() - started }, 'D365 call');
      return res.data;
    } catch (err) {
      if (!retried && isAxiosError(err) && err.response?.status === 401) {
        // A token can be revoked or expire early: fetch a fresh one once before calling it an auth failure.
        o.tokens.invalidate(token);
        return send<T>(method, url, body, what, pageSize, signal, true);
      }
      const e = classifyD365Error(err, `${method} ${what}`);
      o.logger?.warn({ erp: 'd365-odata', method, what, kind: e.kind, ms: Date.now() - started }, 'D365 call failed');
      throw e;
    }
  }

  /** Refuses next links that leave the environment (they come from the server, never followed blindly). */
  const ensureOwn = (link: string) => {
    if (!link.startsWith(`${dataUrl}/`)) throw new ErpError('validation', `D365: refusing a next link outside ${dataUrl}`);
    return link;
  };

  return {
    dataUrl,
    async page<T = Record<string, unknown>>(relativeOrNext: string, pageSize: number, signal?: AbortSignal): Promise<D365Page<T>> {
      const url = /^https?:/.test(relativeOrNext) ? ensureOwn(relativeOrNext) : `${dataUrl}/${relativeOrNext}`;
      const what = url.slice(dataUrl.length + 1).split('?')[0] ?? '';
      const data = await send<{ value?: T[]; '@odata.nextLink'?: string; '@odata.count'?: number }>('GET', url, undefined, what, pageSize, signal);
      if (!data || !Array.isArray(data.value)) throw new ErpError('transient', `D365 GET ${what}: answer has no "value" array`);
      return { value: data.value, nextLink: data['@odata.nextLink'] ?? null, ...(data['@odata.count'] === undefined ? {} : { count: Number(data['@odata.count']) }) };
    },
    /** Follows next links to the end (small sets and id-chunk lookups). */
    async all<T = Record<string, unknown>>(relative: string, signal?: AbortSignal): Promise<T[]> {
      const out: T[] = [];
      let next: string | null = relative;
      while (next) {
        const p: D365Page<T> = await this.page<T>(next, 5000, signal);
        out.push(...p.value);
        next = p.nextLink;
      }
      return out;
    },
    async get<T = Record<string, unknown>>(relative: string, signal?: AbortSignal): Promise<T> {
      return send<T>('GET', `${dataUrl}/${relative}`, undefined, relative.split('?')[0] ?? '', undefined, signal);
    },
    async create<T = Record<string, unknown>>(set: string, body: string, signal?: AbortSignal): Promise<T> {
      return send<T>('POST', `${dataUrl}/${set}`, body, set, undefined, signal);
    },
  };
}

export type D365HttpClient = ReturnType<typeof createD365HttpClient>;
