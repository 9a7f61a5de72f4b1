import { httpBuildQuery } from '../rest/php-query.js';

export interface PostResult {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * POSTs `application/x-www-form-urlencoded` the way the portal's queue server does (api-reference/events/index.md):
 * nested data as PHP bracket keys. HTTPS targets are verified against `ca` when given.
 */
export async function postForm(url: string, data: Record<string, unknown>, opts: { timeoutMs?: number; query?: Record<string, string> } = {}): Promise<PostResult> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(opts.query ?? {})) target.searchParams.set(k, v);
  const res = await fetch(target, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Bitrix24 Sandbox Portal' },
    body: httpBuildQuery(data),
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const body = await res.text();
  return { status: res.status, body, headers: Object.fromEntries(res.headers.entries()) };
}
