/**
 * OData v4 literals and URLs for D365 F&O (https://learn.microsoft.com/en-us/dynamics365/fin-ops-core/dev-itpro/data-entities/odata):
 * strings in single quotes with '' escaping, DateTimeOffset unquoted with Z, enums as
 * `Microsoft.Dynamics.DataEntities.NoYes'Yes'`; no `in` and no `has`, so id lists are `or` chains kept short.
 */

export const strLit = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** `2026-11-20T00:00:00Z` from a date or a date-time (a zone-less time is taken as UTC). */
export function dateTimeLit(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(v.trim());
  if (!m) throw new TypeError(`not a date: "${v}"`);
  const time = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00';
  if (m[3] && m[3] !== 'Z') return new Date(`${m[1]}T${time}${m[3]}`).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${m[1]}T${time}Z`;
}

export const enumLit = (type: string, member: string) => `Microsoft.Dynamics.DataEntities.${type}'${member}'`;

export const eq = (field: string, value: string) => `${field} eq ${strLit(value)}`;

export function and(...parts: Array<string | null | undefined | false>): string {
  const list = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return list.length <= 1 ? (list[0] ?? '') : list.map((p) => `(${p})`).join(' and ');
}

export const anyOf = (field: string, values: string[]) => values.map((v) => eq(field, v)).join(' or ');

export function chunk<T>(items: readonly T[], size = 20): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `SalesOrderHeadersV2(dataAreaId='rumf',SalesOrderNumber='SO-1')`: every key field, dataAreaId included. */
export const keyPath = (set: string, key: Record<string, string>) => `${set}(${Object.entries(key).map(([k, v]) => `${k}=${strLit(v)}`).join(',')})`;

export interface V4Query {
  filter?: string;
  select?: string[];
  orderby?: string;
  top?: number;
  count?: boolean;
  crossCompany?: boolean;
}

export function v4Url(set: string, q: V4Query = {}): string {
  const parts: string[] = [];
  if (q.crossCompany) parts.push('cross-company=true');
  if (q.filter) parts.push(`$filter=${encodeURIComponent(q.filter)}`);
  if (q.select?.length) parts.push(`$select=${encodeURIComponent(q.select.join(','))}`);
  if (q.orderby) parts.push(`$orderby=${encodeURIComponent(q.orderby)}`);
  if (q.top !== undefined) parts.push(`$top=${q.top}`);
  if (q.count) parts.push('$count=true');
  return `${encodeURIComponent(set).replace(/%2C/g, ',').replace(/%3D/g, '=').replace(/%27/g, "'")}${parts.length ? `?${parts.join('&')}` : ''}`;
}

/** ErpRef ids of company-specific records: "dataAreaId|key". */
export const companyRef = (company: string, key: string) => `${company}|${key}`;

export function splitRef(erpId: string, defaultCompany: string): { company: string; key: string } {
  const bar = erpId.indexOf('|');
  return bar < 0 ? { company: defaultCompany, key: erpId } : { company: erpId.slice(0, bar).toLowerCase(), key: erpId.slice(bar + 1) };
}
