/**
 * A tiny OData v3 query builder for 1C (written by hand: 1C needs v3 literals such as `guid'…'` and `datetime'…'`,
 * which v4 builders do not produce). URL conventions: http://www.odata.org/documentation/odata-version-3-0/url-conventions/
 * — literals §5.1.1.6, system query options §5.1. Cyrillic entity names and literals are percent-encoded as UTF-8.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const EMPTY_REF = '00000000-0000-0000-0000-000000000000';

export function isGuid(v: unknown): v is string {
  return typeof v === 'string' && GUID.test(v);
}

/** `guid'…'`; throws on anything that is not a GUID so user input never reaches a filter unquoted. */
export function guidLit(value: string): string {
  if (!isGuid(value)) throw new TypeError(`not a GUID: "${value}"`);
  return `guid'${value.toLowerCase()}'`;
}

/** `'…'` with single quotes doubled (the only escape OData string literals have). */
export function strLit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `datetime'2024-01-01T00:00:00'` from a date or date-time text (1C has no time zones: local time of the base). */
export function dateLit(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?/.exec(value);
  if (!m) throw new TypeError(`not a date: "${value}"`);
  const time = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00';
  return `datetime'${m[1]}T${time}'`;
}

export const boolLit = (v: boolean) => (v ? 'true' : 'false');

/** `cast(guid'…','Catalog_Номенклатура')`, how 1C compares fields of composite type. */
export function castLit(value: string, type: string): string {
  return `cast(${guidLit(value)}, ${strLit(type)})`;
}

export const eq = (field: string, literal: string) => `${field} eq ${literal}`;

export function and(...parts: Array<string | null | undefined | false>): string {
  const list = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return list.length <= 1 ? (list[0] ?? '') : list.map((p) => `(${p})`).join(' and ');
}

export function or(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : parts.join(' or ');
}

/** `F eq guid'a' or F eq guid'b' …` for one chunk of ids. */
export function anyGuid(field: string, ids: string[], castTo?: string): string {
  return or(ids.map((id) => eq(field, castTo ? castLit(id, castTo) : guidLit(id))));
}

/** Splits ids into chunks of `size` (1C clients keep `or` lists to ~20 so URLs stay short). */
export function chunk<T>(items: readonly T[], size = 20): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Arguments of a virtual table, e.g. Balance(Dimensions='Номенклатура,Склад', Condition='…'). */
export function fnArgs(args: Record<string, string | undefined>): string {
  return Object.entries(args)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => (k === 'Period' ? `${k}=${dateLit(v)}` : `${k}=${strLit(v)}`))
    .join(', ');
}

export interface ODataQuery {
  filter?: string;
  select?: string[];
  orderby?: string;
  top?: number;
  skip?: number;
  expand?: string;
  inlinecount?: boolean;
}

/** Percent-encodes a resource path (`Catalog_Номенклатура(guid'…')/Post`) keeping OData punctuation readable. */
export function encodePath(path: string): string {
  return encodeURIComponent(path)
    .replace(/%2F/gi, '/')
    .replace(/%2C/gi, ',')
    .replace(/%3D/gi, '=')
    .replace(/%24/g, '$');
}

/** `?$format=json&$filter=…` with every value percent-encoded (spaces as %20, never '+'). */
export function queryString(q: ODataQuery = {}, extra: Record<string, string> = {}): string {
  const parts: string[] = ['$format=json'];
  if (q.filter) parts.push(`$filter=${encodeURIComponent(q.filter)}`);
  if (q.select?.length) parts.push(`$select=${encodeURIComponent(q.select.join(','))}`);
  if (q.expand) parts.push(`$expand=${encodeURIComponent(q.expand)}`);
  if (q.orderby) parts.push(`$orderby=${encodeURIComponent(q.orderby)}`);
  if (q.top !== undefined) parts.push(`$top=${q.top}`);
  if (q.skip !== undefined && q.skip > 0) parts.push(`$skip=${q.skip}`);
  if (q.inlinecount) parts.push('$inlinecount=allpages');
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(v)}`);
  return `?${parts.join('&')}`;
}

/** A full relative URL: resource path + query. */
export function odataUrl(resource: string, q?: ODataQuery, extra?: Record<string, string>): string {
  return `${encodePath(resource)}${queryString(q, extra)}`;
}

export const keyPath = (set: string, ref: string) => `${set}(${guidLit(ref)})`;
