import { formatAtom, formatDateOnly, parseDateInput } from '../core/dates.js';
import { RestError } from '../rest/rest-error.js';
import type { FieldSpec } from './item-specs.js';

const INT_TYPES = new Set([
  'integer', 'user', 'employee', 'crm_company', 'crm_contact', 'crm_category', 'crm_entity', 'crm_lead', 'crm_quote',
  'crm_deal', 'location', 'enumeration', 'iblock_element', 'iblock_section',
]);

export function toIntOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number.parseInt(String(v), 10);
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

export function toFloatOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number.parseFloat(String(v).replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

export function toYN(v: unknown, fallback: 'Y' | 'N' = 'N'): 'Y' | 'N' {
  if (v === true || v === 1) return 'Y';
  if (v === false || v === 0) return 'N';
  const s = String(v ?? '').trim().toUpperCase();
  if (['Y', '1', 'TRUE', 'YES'].includes(s)) return 'Y';
  if (['N', '0', 'FALSE', 'NO', ''].includes(s)) return s === '' ? fallback : 'N';
  return fallback;
}

/** Values of list-like input: JSON arrays, PHP arrays (`a[0]=…`) that arrive as objects, or a scalar. */
export function asList(v: unknown): unknown[] {
  if (v === null || v === undefined || v === '') return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>);
  return [v];
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'double';
  return typeof v;
}

/** Reads one scalar value for a field as the store keeps it. */
function coerceScalar(spec: FieldSpec, v: unknown): unknown {
  if (v === null || v === undefined || v === '') {
    return spec.type === 'boolean' ? 'N' : null;
  }
  switch (spec.type) {
    case 'double':
      return toFloatOrNull(v);
    case 'boolean':
      return toYN(v);
    case 'datetime': {
      const ms = parseDateInput(v);
      if (ms === null) throw new RestError('CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${spec.title}"`, 400);
      return ms;
    }
    case 'date': {
      const ms = parseDateInput(v);
      if (ms === null) throw new RestError('CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${spec.title}"`, 400);
      const d = new Date(ms);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    }
    case 'money': {
      const s = String(v);
      return s.includes('|') ? s : `${s}|RUB`;
    }
    case 'file': {
      if (Array.isArray(v) && typeof v[0] === 'string') return { name: v[0], size: String(v[1] ?? '').length };
      if (v && typeof v === 'object') return v;
      return null;
    }
    case 'crm':
      return typeof v === 'number' ? v : String(v);
    default:
      if (INT_TYPES.has(spec.type)) return toIntOrNull(v);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/** Input value → stored value; multiple fields must get a list (crm-item-add.md error `100`). */
export function coerceInput(spec: FieldSpec, v: unknown): unknown {
  if (spec.isMultiple) {
    if (v === null || v === undefined || v === '') return [];
    if (!Array.isArray(v) && (typeof v !== 'object' || v === null)) {
      throw new RestError('100', `Expected iterable value for multiple field, but got ${typeName(v)} instead`, 400);
    }
    return asList(v).map((x) => coerceScalar(spec, x)).filter((x) => x !== null);
  }
  return coerceScalar(spec, v);
}

/** Stored value → what crm.item.* answers. */
export function renderValue(spec: FieldSpec, stored: unknown, fileUrl: (fileId: number) => string = (id) => `/bitrix/tools/crm_show_file.php?fileId=${id}`): unknown {
  const one = (v: unknown): unknown => {
    if (v === null || v === undefined) return spec.type === 'boolean' ? 'N' : null;
    switch (spec.type) {
      case 'datetime':
        return typeof v === 'number' ? formatAtom(v) : v;
      case 'date':
        return typeof v === 'string' ? formatDateOnly(v) : v;
      case 'file': {
        const file = v as { id?: number };
        const id = file.id ?? 0;
        return { id, url: fileUrl(id), urlMachine: fileUrl(id) };
      }
      default:
        return v;
    }
  };
  if (spec.isMultiple) return asList(stored).map(one);
  return one(stored);
}
