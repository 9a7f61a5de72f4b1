import { parseDateInput } from '../core/dates.js';
import { RestError } from '../rest/rest-error.js';
import { asList } from './values.js';

/**
 * The list-filter language of crm.item.list and the classic list methods (crm-item-list.md §filter): key prefixes
 * `>= > <= < @ !@ % =% %= !% !=% !%= = != !`, AND by default, nested groups with `logic: "OR"` under numeric keys.
 */
export interface FilterField {
  /** Storage type: integer-like, double, datetime (epoch ms), date (YYYY-MM-DD), boolean (Y/N) or string. */
  type: 'int' | 'double' | 'datetime' | 'date' | 'boolean' | 'string';
  isMultiple?: boolean;
  get(row: never): unknown;
}

export type FieldResolver = (name: string) => FilterField | null;
export type RowPredicate<T> = (row: T) => boolean;

const PREFIXES = ['>=', '<=', '!=%', '!%=', '=%', '%=', '!@', '!%', '!=', '>', '<', '@', '%', '=', '!'] as const;
type Op = (typeof PREFIXES)[number] | '';

export function splitFilterKey(key: string): { op: Op; field: string } {
  for (const p of PREFIXES) if (key.startsWith(p) && key.length > p.length) return { op: p, field: key.slice(p.length) };
  return { op: '', field: key };
}

function norm(field: FilterField, v: unknown): string | number | null {
  if (v === null || v === undefined || v === '' || v === false && field.type !== 'boolean') return null;
  switch (field.type) {
    case 'int':
    case 'double': {
      const n = typeof v === 'number' ? v : Number.parseFloat(String(v));
      return Number.isFinite(n) ? n : null;
    }
    case 'datetime':
      return typeof v === 'number' ? v : parseDateInput(v);
    case 'date': {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
      const ms = parseDateInput(v);
      if (ms === null) return null;
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    }
    case 'boolean': {
      const s = String(v).toUpperCase();
      return s === '1' || s === 'Y' || s === 'TRUE' || v === true ? 'Y' : 'N';
    }
    default:
      return String(v).toLowerCase();
  }
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function condition(field: FilterField, op: Op, raw: unknown): (row: unknown) => boolean {
  const isListInput = Array.isArray(raw) || (raw !== null && typeof raw === 'object');
  const wanted = isListInput ? asList(raw).map((v) => norm(field, v)) : [norm(field, raw)];
  const values = (row: unknown): (string | number | null)[] => {
    const v = (field.get as (r: unknown) => unknown)(row);
    if (field.isMultiple || Array.isArray(v)) {
      const list = asList(v).map((x) => norm(field, x));
      return list.length ? list : [null];
    }
    return [norm(field, v)];
  };
  const eq = (a: string | number | null, b: string | number | null) => (a === null || b === null ? a === b : a === b);
  const anyEq = (row: unknown) => values(row).some((v) => wanted.some((w) => eq(v, w)));
  switch (op) {
    case '':
    case '=':
    case '@':
      return anyEq;
    case '!':
    case '!=':
    case '!@':
      return (row) => !anyEq(row);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const w = wanted[0] ?? null;
      return (row) =>
        values(row).some((v) => {
          if (v === null || w === null) return false;
          const c = compare(v, w);
          return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
        });
    }
    case '%':
    case '!%': {
      const needles = wanted.filter((w): w is string | number => w !== null).map((w) => String(w).toLowerCase());
      const hit = (row: unknown) => values(row).some((v) => v !== null && needles.some((n) => String(v).toLowerCase().includes(n)));
      return op === '%' ? hit : (row) => !hit(row);
    }
    default: {
      const patterns = wanted.filter((w): w is string | number => w !== null).map((w) => likeToRegExp(String(w)));
      const hit = (row: unknown) => values(row).some((v) => v !== null && patterns.some((p) => p.test(String(v).toLowerCase())));
      return op === '=%' || op === '%=' ? hit : (row) => !hit(row);
    }
  }
}

export interface CompileOptions {
  /** Nested `logic: OR` groups are a crm.item.list feature; classic methods ignore them (crm-contact-list.md). */
  allowLogic: boolean;
  unknownField: (name: string) => RestError;
}

export function compileFilter<T>(filter: unknown, resolve: FieldResolver, opts: CompileOptions): RowPredicate<T> {
  if (filter === null || filter === undefined || filter === '') return () => true;
  if (typeof filter !== 'object') throw new RestError('INVALID_ARG_VALUE', 'Invalid filter', 400);
  const entries: [string, unknown][] = Array.isArray(filter) ? filter.map((v, i) => [String(i), v]) : Object.entries(filter as Record<string, unknown>);
  const logic = String((filter as Record<string, unknown>).logic ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND';
  const parts: ((row: unknown) => boolean)[] = [];
  for (const [key, value] of entries) {
    if (key.toLowerCase() === 'logic') continue;
    if (/^\d+$/.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (!opts.allowLogic) continue;
      parts.push(compileFilter(value, resolve, opts) as (row: unknown) => boolean);
      continue;
    }
    const { op, field } = splitFilterKey(key);
    const spec = resolve(field);
    if (!spec) throw opts.unknownField(field);
    parts.push(condition(spec, op, value));
  }
  if (parts.length === 0) return () => true;
  return logic === 'OR' ? (row) => parts.some((p) => p(row)) : (row) => parts.every((p) => p(row));
}

/** `order: {field: ASC|DESC}` as a comparator; unknown fields and directions are the caller's INVALID_ARG_VALUE. */
export function compileOrder<T>(
  order: unknown,
  resolve: FieldResolver,
  errors: { unknownField: (name: string) => RestError; badDirection: (name: string, dir: string) => RestError },
  fallback: (a: T, b: T) => number,
): (a: T, b: T) => number {
  const entries = order && typeof order === 'object' ? Object.entries(order as Record<string, unknown>) : [];
  const keys = entries.map(([name, dir]) => {
    const spec = resolve(name);
    if (!spec) throw errors.unknownField(name);
    const d = String(dir ?? 'ASC').toUpperCase();
    if (d !== 'ASC' && d !== 'DESC') throw errors.badDirection(name, String(dir));
    return { spec, sign: d === 'DESC' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { spec, sign } of keys) {
      const va = norm(spec, (spec.get as (r: unknown) => unknown)(a));
      const vb = norm(spec, (spec.get as (r: unknown) => unknown)(b));
      if (va === vb) continue;
      // NULLs first ascending, as MySQL orders them.
      if (va === null) return -sign;
      if (vb === null) return sign;
      const c = compare(va, vb);
      if (c !== 0) return c * sign;
    }
    return fallback(a, b);
  };
}

/** Maps a field type of crm.item / UF metadata to the filter's storage type. */
export function filterTypeOf(type: string): FilterField['type'] {
  if (type === 'double' || type === 'money') return 'double';
  if (type === 'datetime') return 'datetime';
  if (type === 'date') return 'date';
  if (type === 'boolean' || type === 'char') return 'boolean';
  if (['integer', 'user', 'employee', 'crm_company', 'crm_contact', 'crm_category', 'crm_entity', 'crm_lead', 'crm_quote', 'crm_deal', 'enumeration', 'location'].includes(type)) return 'int';
  return 'string';
}
