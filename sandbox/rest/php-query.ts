/**
 * PHP's `parse_str` and `http_build_query`, because the portal is PHP: form bodies, GET query strings and the
 * `method?query` strings inside `batch` (settings/how-to-call-rest-api/data-encoding.md) all reach the REST methods
 * through `parse_str`. Getting its quirks right matters for `fields[TITLE]=x`, `filter[>ID]=5`, `select[]=*`.
 *
 * A PHP array is modelled as a plain object whose key order is insertion order; `toPlain` turns arrays whose keys are
 * exactly 0..n-1 into JS arrays, which is what a JSON body would have carried.
 */

export type PhpValue = string | PhpArray;
export interface PhpArray {
  [key: string]: PhpValue;
}

/** Our own ordered map for parsing: JS objects reorder integer-like keys, PHP arrays do not. */
class OrderedArray {
  readonly keys: string[] = [];
  readonly values = new Map<string, string | OrderedArray>();
  nextIndex = 0;

  set(key: string, value: string | OrderedArray): void {
    if (!this.values.has(key)) this.keys.push(key);
    this.values.set(key, value);
    if (/^(0|-?[1-9]\d*)$/.test(key)) {
      const n = Number(key);
      if (n >= this.nextIndex) this.nextIndex = n + 1;
    }
  }

  push(value: string | OrderedArray): void {
    this.set(String(this.nextIndex), value);
  }
}

function urldecode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // PHP leaves malformed escapes as they are instead of failing the whole request.
    return plus.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Splits `a[b][]` into base `a` and segments `['b', '']`; PHP turns `.` and ` ` in the base name into `_`. */
function splitKey(rawKey: string): { base: string; segments: string[] } | null {
  const key = rawKey.replace(/^ +/, '');
  if (key === '') return null;
  const open = key.indexOf('[');
  if (open <= 0) {
    return { base: key.replace(/[. ]/g, '_').replace(/\[/g, '_'), segments: [] };
  }
  const base = key.slice(0, open).replace(/[. ]/g, '_');
  const segments: string[] = [];
  let i = open;
  while (i < key.length && key[i] === '[') {
    const close = key.indexOf(']', i);
    if (close === -1) {
      // An unclosed bracket makes PHP treat the rest literally: `a[b` → `a_b`.
      if (segments.length === 0) return { base: `${base}_${key.slice(open + 1)}`, segments: [] };
      break;
    }
    segments.push(key.slice(i + 1, close));
    i = close + 1;
  }
  return { base, segments };
}

function assign(root: OrderedArray, rawKey: string, value: string): void {
  const parsed = splitKey(rawKey);
  if (!parsed) return;
  const path = [parsed.base, ...parsed.segments];
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string;
    const last = i === path.length - 1;
    if (last) {
      if (seg === '' && i > 0) node.push(value);
      else node.set(seg, value);
      return;
    }
    let child: string | OrderedArray | undefined;
    if (seg === '' && i > 0) {
      child = new OrderedArray();
      node.push(child);
    } else {
      child = node.values.get(seg);
      if (!(child instanceof OrderedArray)) {
        child = new OrderedArray();
        node.set(seg, child);
      }
    }
    node = child;
  }
}

function toPhp(node: OrderedArray): PhpArray {
  const out: PhpArray = {};
  for (const k of node.keys) {
    const v = node.values.get(k) as string | OrderedArray;
    out[k] = v instanceof OrderedArray ? toPhp(v) : v;
  }
  return out;
}

function toPlainNode(node: OrderedArray): unknown {
  const isList = node.keys.every((k, i) => k === String(i));
  if (isList && node.keys.length > 0) {
    return node.keys.map((k) => {
      const v = node.values.get(k) as string | OrderedArray;
      return v instanceof OrderedArray ? toPlainNode(v) : v;
    });
  }
  const out: Record<string, unknown> = {};
  for (const k of node.keys) {
    const v = node.values.get(k) as string | OrderedArray;
    out[k] = v instanceof OrderedArray ? toPlainNode(v) : v;
  }
  return out;
}

function parseToOrdered(query: string): OrderedArray {
  const root = new OrderedArray();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = urldecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : urldecode(pair.slice(eq + 1));
    assign(root, rawKey, value);
  }
  return root;
}

/** `parse_str` with PHP array semantics preserved (ordered string keys, string leaves). */
export function parseStr(query: string): PhpArray {
  return toPhp(parseToOrdered(query.replace(/^\?/, '')));
}

/**
 * `parse_str` followed by the list normalisation a JSON body would have given: `select[]=a&select[]=b` becomes
 * `{select: ['a', 'b']}`. Leaves stay strings, as PHP sees them.
 */
export function parseQueryToPlain(query: string): Record<string, unknown> {
  const node = parseToOrdered(query.replace(/^\?/, ''));
  const plain = toPlainNode(node);
  return Array.isArray(plain) ? Object.fromEntries(plain.map((v, i) => [String(i), v])) : (plain as Record<string, unknown>);
}

function encode(s: string): string {
  // PHP urlencode: spaces as '+', and it also encodes `~`... we keep RFC3986 but turn %20 into + like PHP.
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function scalar(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  return null;
}

/**
 * `http_build_query`: nested keys as brackets, lists with explicit indices, `null` dropped, booleans as 1/0. Used
 * for the form-urlencoded bodies the portal POSTs to event, robot and install handlers.
 */
export function httpBuildQuery(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    const s = scalar(value);
    if (s !== null) {
      parts.push(`${encode(prefix)}=${encode(s)}`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(`${prefix}[${i}]`, v));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(`${prefix}[${k}]`, v);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return parts.join('&');
}
