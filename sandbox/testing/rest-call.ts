import { httpBuildQuery } from '../rest/php-query.js';

/**
 * A bare REST caller for sandbox tests: it sends exactly what a client would (JSON body, form body or GET query)
 * and returns status and parsed body untouched, so tests can assert on the wire format itself.
 */
export interface RestAnswer {
  status: number;
  body: Record<string, unknown>;
}

export type Encoding = 'json' | 'form' | 'get';

export async function restCall(base: string, method: string, params: Record<string, unknown> = {}, encoding: Encoding = 'json', headers: Record<string, string> = {}): Promise<RestAnswer> {
  const url = `${base.replace(/\/?$/, '/')}${method}`;
  let res: Response;
  if (encoding === 'get') {
    const qs = httpBuildQuery(params);
    res = await fetch(qs ? `${url}?${qs}` : url, { headers });
  } else {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
      body: encoding === 'json' ? JSON.stringify(params) : httpBuildQuery(params),
    });
  }
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body };
}

/** Calls a method and returns `result`, failing loudly on an error answer. */
export async function resultOf<T = unknown>(base: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await restCall(base, method, params);
  if (answer.status !== 200 || 'error' in answer.body) {
    throw new Error(`${method} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body.result as T;
}
