import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import { B24Error, classifyB24Failure, type RateLimiter } from '../server/bitrix24/index.js';
import type { Portal } from '../server/modules/portals/index.js';

/**
 * One REST call with a USER's access token (the AUTH_ID of a placement POST), for exactly one purpose: asking the
 * portal who that token belongs to (user.current, user.admin).
 *
 * Why not the portal client (ctx.b24.forPortal): that client carries the app's stored token — the installing admin —
 * and refreshes it on 401. Here the token must be the one the browser brought, it must never be refreshed (an expired
 * AUTH_ID means "reopen the widget", not "try harder") and never stored or logged. It still goes only to the portal's
 * stored REST endpoint (never to a host taken from the request: no SSRF) and waits for the shared rate limiter,
 * because the portal counts these requests in the same bucket (limits.md: per portal and per source IP).
 */
export interface UserCallDeps {
  limiter: RateLimiter;
  timeoutMs?: number;
}

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 16 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }) };

/** The REST base of an installed portal, from what the OAuth server told us at install (client_endpoint). */
export function restBaseOf(portal: Pick<Portal, 'clientEndpoint' | 'protocol' | 'domain'>): string {
  const base = portal.clientEndpoint ?? `${portal.protocol}://${portal.domain}/rest/`;
  return base.endsWith('/') ? base : `${base}/`;
}

export async function callAsUser<T = unknown>(deps: UserCallDeps, portal: Pick<Portal, 'clientEndpoint' | 'protocol' | 'domain' | 'memberId'>, accessToken: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  await deps.limiter.acquire(portal.memberId, 1);
  let status: number;
  let body: unknown;
  try {
    const res = await axios.post(`${restBaseOf(portal)}${method}.json`, { ...params, auth: accessToken }, {
      timeout: deps.timeoutMs ?? 15_000,
      httpAgent: agents.http,
      httpsAgent: agents.https,
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    status = res.status;
    body = res.data;
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new B24Error({ code: code === 'ECONNABORTED' ? 'REQUEST_TIMEOUT' : 'NETWORK_ERROR', method, kind: code === 'ECONNABORTED' ? 'timeout' : 'network', isRetryable: true, description: 'the portal could not be reached', cause: err });
  }
  const envelope = (body && typeof body === 'object' ? body : {}) as { result?: unknown; error?: unknown; error_description?: unknown };
  if (status >= 200 && status < 300 && 'result' in envelope && !envelope.error) return envelope.result as T;
  const failure = { httpStatus: status, code: typeof envelope.error === 'string' ? envelope.error : undefined, description: typeof envelope.error_description === 'string' ? envelope.error_description : undefined };
  const cls = classifyB24Failure(failure);
  if (cls.kind === 'rate_limit') await deps.limiter.penalize?.(portal.memberId);
  throw new B24Error({ code: failure.code || `HTTP_${status}`, description: failure.description, httpStatus: status, method, kind: cls.kind, isRetryable: cls.transient });
}
