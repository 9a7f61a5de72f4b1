import { parseQueryToPlain } from './php-query.js';

/**
 * REST parameters of one HTTP request: the query string and the body, merged the way PHP's `$_REQUEST` merges them
 * (body wins). Bodies may be JSON, form-urlencoded (PHP bracket keys) or multipart form data
 * (settings/how-to-call-rest-api/data-encoding.md).
 */
export function parseRequestParams(rawQuery: string, contentType: string | undefined, body: string): Record<string, unknown> {
  const fromQuery = rawQuery ? parseQueryToPlain(rawQuery) : {};
  const fromBody = parseBody(contentType ?? '', body);
  return { ...fromQuery, ...fromBody };
}

export class BodyParseError extends Error {}

function parseBody(contentType: string, body: string): Record<string, unknown> {
  if (!body || body.trim() === '') return {};
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || (type === '' && /^\s*[{[]/.test(body))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new BodyParseError('Invalid JSON');
    }
    if (Array.isArray(parsed)) return Object.fromEntries(parsed.map((v, i) => [String(i), v]));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    return boundary ? parseQueryToPlain(multipartToQuery(body, boundary)) : {};
  }
  return parseQueryToPlain(body);
}

/** Text fields of a multipart body re-encoded as a query string, so one PHP-style parser handles every format. */
function multipartToQuery(body: string, boundary: string): string {
  const pairs: string[] = [];
  for (const part of body.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n') >= 0 ? '\r\n\r\n' : '\n\n';
    const at = part.indexOf(sep);
    if (at < 0) continue;
    const head = part.slice(0, at);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) continue;
    const value = part.slice(at + sep.length).replace(/\r?\n$/, '');
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return pairs.join('&');
}
