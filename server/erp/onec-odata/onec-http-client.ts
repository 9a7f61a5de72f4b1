import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import type { Logger } from 'pino';
import { ErpError } from '../port.js';
import { odataUrl, type ODataQuery } from './odata-query.js';

/**
 * Transport to a 1C standard OData interface: Basic auth (the rights of the 1C user apply), timeouts, JSON, and the
 * classification every caller relies on (erp-integration.md §1, §4):
 * - no answer (refused, reset, timeout) and 408/502/503/504/other 5xx → transient;
 * - 429 → rate-limited with Retry-After;
 * - 401/403 → auth; 404 → not-found; 409 → conflict;
 * - HTTP 500 from `…/Post` (the configuration's posting code refused the document) and 400 → validation.
 */

export interface OnecHttpOptions {
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs?: number;
  /** Posting runs the configuration's code and can take long. */
  postTimeoutMs?: number;
  logger?: Logger;
  http?: AxiosInstance;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}

/** A counting semaphore: at most `n` calls of `fn` run at once, the rest queue in order. */
export function createLimiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export interface ODataCollection<T> {
  value: T[];
  'odata.count'?: string;
}

export interface OdataErrorBody {
  'odata.error'?: { code?: string; message?: { lang?: string; value?: string } | string };
}

export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function odataMessage(data: unknown): { code?: string; message?: string } {
  let body: unknown = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      return { message: data.slice(0, 300) };
    }
  }
  const err = (body as OdataErrorBody | undefined)?.['odata.error'];
  if (!err) return {};
  const message = typeof err.message === 'string' ? err.message : err.message?.value;
  return { code: err.code === undefined ? undefined : String(err.code), message };
}

/** Maps an axios failure to the ErpError kind the outbox worker acts on. */
export function classifyOnecError(err: unknown, what: string, isPosting: boolean): ErpError {
  if (err instanceof ErpError) return err;
  if (!isAxiosError(err) || !err.response) {
    const code = isAxiosError(err) ? err.code : undefined;
    const reason = axios.isCancel(err) ? 'aborted' : (code ?? (err as Error)?.message ?? 'network error');
    return new ErpError('transient', `1C OData ${what}: no answer (${reason})`, { cause: err, erpCode: code });
  }
  const status = err.response.status;
  const { code, message } = odataMessage(err.response.data);
  const text = `1C OData ${what}: HTTP ${status}${message ? `: ${message}` : ''}`;
  const opts = { cause: err, erpCode: code ?? String(status) };
  if (status === 429) return new ErpError('rate-limited', text, { ...opts, retryAfterMs: parseRetryAfter(err.response.headers['retry-after']) });
  if (status === 401 || status === 403) return new ErpError('auth', text, opts);
  if (status === 404) return new ErpError('not-found', text, opts);
  if (status === 409) return new ErpError('conflict', text, opts);
  if (status === 500 && isPosting) return new ErpError('validation', message ?? text, opts);
  if (status === 400 || status === 405 || status === 406 || status === 501) return new ErpError('validation', text, opts);
  if (status >= 500 || status === 408) return new ErpError('transient', text, opts);
  return new ErpError('validation', text, opts);
}

export function createOnecHttpClient(opts: OnecHttpOptions) {
  const http = opts.http ?? axios.create();
  const base = opts.baseUrl.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`, 'utf8').toString('base64')}`;
  const timeout = opts.timeoutMs ?? 30_000;
  const limit = createLimiter(opts.concurrency ?? 4);

  function request<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body: string | undefined, what: string, signal?: AbortSignal, posting = false): Promise<AxiosResponse<T>> {
    return limit(() => send<T>(method, url, body, what, signal, posting));
  }

  async function send<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body: string | undefined, what: string, signal?: AbortSignal, posting = false): Promise<AxiosResponse<T>> {
    const started = Date.now();
    try {
      const res = await http.request<T>({
        method,
        url: `${base}/${url}`,
        data: body,
        headers: {
          Authorization: auth,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json;charset=utf-8' }),
        },
        timeout: posting ? (opts.postTimeoutMs ?? 120_000) : timeout,
        signal,
        responseType: 'json',
        transitional: { silentJSONParsing: false, forcedJSONParsing: true, clarifyTimeoutError: true },
        validateStatus: (s) => s >= 200 && s < 300,
      });
      opts.logger?.debug({ erp: '1c-odata', method, what, status: res.status, ms: Date.now() - started }, '1C OData call');
      return res;
    } catch (err) {
      const e = classifyOnecError(err, `${method} ${what}`, posting);
      opts.logger?.warn({ erp: '1c-odata', method, what, kind: e.kind, erpCode: e.erpCode, ms: Date.now() - started }, '1C OData call failed');
      throw e;
    }
  }

  return {
    baseUrl: base,
    /** A collection: `value` rows. */
    async list<T = Record<string, unknown>>(resource: string, q: ODataQuery = {}, signal?: AbortSignal): Promise<T[]> {
      const res = await request<ODataCollection<T>>('GET', odataUrl(resource, q), undefined, resource, signal);
      if (!res.data || !Array.isArray(res.data.value)) throw new ErpError('transient', `1C OData GET ${resource}: answer has no "value" array`);
      return res.data.value;
    },
    /** Pages a collection to its end with $top/$skip (1C emits no next links); a stable $orderby is required. */
    async listAll<T = Record<string, unknown>>(resource: string, q: ODataQuery & { orderby: string }, pageSize = 1000, signal?: AbortSignal): Promise<T[]> {
      const out: T[] = [];
      for (let skip = 0; ; skip += pageSize) {
        const rows = await this.list<T>(resource, { ...q, top: pageSize, skip }, signal);
        out.push(...rows);
        if (rows.length < pageSize) return out;
      }
    },
    async count(resource: string, filter?: string, signal?: AbortSignal): Promise<number> {
      const res = await request<unknown>('GET', odataUrl(`${resource}/$count`, filter ? { filter } : {}), undefined, `${resource}/$count`, signal);
      const n = Number(typeof res.data === 'string' ? res.data.trim() : res.data);
      if (!Number.isFinite(n)) throw new ErpError('transient', `1C OData $count of ${resource}: not a number`);
      return n;
    },
    async get<T = Record<string, unknown>>(resource: string, q: ODataQuery = {}, signal?: AbortSignal): Promise<T> {
      const res = await request<T>('GET', odataUrl(resource, q), undefined, resource, signal);
      return res.data;
    },
    async text(resource: string, signal?: AbortSignal): Promise<string> {
      const started = Date.now();
      try {
        const res = await limit(() => http.request<string>({
          method: 'GET', url: `${base}/${resource}`, headers: { Authorization: auth }, timeout, signal, responseType: 'text',
          transitional: { silentJSONParsing: true, forcedJSONParsing: false, clarifyTimeoutError: true },
        }));
        opts.logger?.debug({ erp: '1c-odata', what: resource, ms: Date.now() - started }, '1C OData call');
        return res.data;
      } catch (err) {
        throw classifyOnecError(err, `GET ${resource}`, false);
      }
    },
    async create<T = Record<string, unknown>>(resource: string, body: string, signal?: AbortSignal): Promise<T> {
      const res = await request<T>('POST', odataUrl(resource), body, resource, signal);
      return res.data;
    },
    async patch<T = Record<string, unknown>>(resource: string, body: string, signal?: AbortSignal): Promise<T> {
      const res = await request<T>('PATCH', odataUrl(resource), body, resource, signal);
      return res.data;
    },
    /** POST …/Post?PostingModeOperational=false — a 500 here is the configuration refusing the document. */
    async post(resource: string, signal?: AbortSignal): Promise<void> {
      await request('POST', odataUrl(`${resource}/Post`, undefined, { PostingModeOperational: 'false' }), undefined, `${resource}/Post`, signal, true);
    },
  };
}

export type OnecHttpClient = ReturnType<typeof createOnecHttpClient>;
