import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { ErpError } from '../port.js';
import { parseRetryAfter } from '../onec-odata/onec-http-client.js';

/**
 * Client-credentials tokens from Entra ID (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
 * `POST {authority}/{tenant}/oauth2/v2.0/token` with scope `{environment}/.default`. One token is shared by every call
 * and renewed a minute before it expires; concurrent callers wait for the same renewal (single flight).
 */
export interface D365TokenOptions {
  authority: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** The F&O environment URL; the scope is `${resource}/.default`. */
  resource: string;
  http?: AxiosInstance;
  timeoutMs?: number;
  /** Renew this long before expiry (default 60 s). */
  skewMs?: number;
  now?: () => number;
}

export function createD365TokenProvider(o: D365TokenOptions) {
  const http = o.http ?? axios.create();
  const now = o.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;
  let fetched = 0;

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: o.clientId,
      client_secret: o.clientSecret,
      scope: `${o.resource.replace(/\/+$/, '')}/.default`,
    });
    try {
      const res = await http.post<{ access_token?: string; expires_in?: number | string }>(
        `${o.authority.replace(/\/+$/, '')}/${encodeURIComponent(o.tenant)}/oauth2/v2.0/token`, body.toString(),
        { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, timeout: o.timeoutMs ?? 30_000 },
      );
      const token = res.data?.access_token;
      if (!token) throw new ErpError('auth', 'D365 token endpoint answered without access_token');
      const ttl = Number(res.data.expires_in ?? 3599) * 1000;
      cached = { token, expiresAt: now() + ttl };
      fetched += 1;
      return token;
    } catch (err) {
      if (err instanceof ErpError) throw err;
      if (isAxiosError(err) && err.response) {
        const status = err.response.status;
        const data = err.response.data as { error?: string; error_description?: string } | undefined;
        const text = `D365 token: HTTP ${status} ${data?.error ?? ''} ${data?.error_description ?? ''}`.trim();
        if (status === 429) throw new ErpError('rate-limited', text, { cause: err, retryAfterMs: parseRetryAfter(err.response.headers['retry-after']) });
        if (status >= 500) throw new ErpError('transient', text, { cause: err });
        throw new ErpError('auth', text, { cause: err, erpCode: data?.error });
      }
      throw new ErpError('transient', `D365 token: no answer (${isAxiosError(err) ? err.code : String(err)})`, { cause: err });
    }
  }

  return {
    async get(): Promise<string> {
      if (cached && cached.expiresAt - (o.skewMs ?? 60_000) > now()) return cached.token;
      inflight ??= fetchToken().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    /** Drops a token the server refused (revoked or expired early), so the next get() fetches a new one. */
    invalidate(token?: string) {
      if (!token || cached?.token === token) cached = null;
    },
    /** How many tokens were fetched (tests check caching). */
    get fetched() {
      return fetched;
    },
  };
}

export type D365TokenProvider = ReturnType<typeof createD365TokenProvider>;
