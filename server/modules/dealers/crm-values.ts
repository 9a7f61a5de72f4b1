import { toDecimal, type DecimalString } from '../../lib/decimal.js';

/**
 * Readers for values crm.item.* answers with (api-reference/crm/universal/crm-item-get.md, data-types.md). They accept
 * each form Bitrix24 uses for the same thing, and never turn garbage into a number silently.
 */

/** A CRM link: `12`, `"12"`, or `"CO_12"` when the field may point to several entity types. */
export function crmLinkId(value: unknown, prefix = 'CO'): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  const m = /^(?:([A-Z]+)_)?(\d+)$/i.exec(s);
  if (!m) return null;
  if (m[1] && m[1].toUpperCase() !== prefix) return null;
  const id = Number(m[2]);
  return id > 0 ? id : null;
}

export function crmLinkIds(value: unknown, prefix = 'CO'): number[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value];
  const ids = list.map((v) => crmLinkId(v, prefix)).filter((v): v is number => v !== null);
  return [...new Set(ids)];
}

export function ufBool(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === 'string' && ['Y', '1', 'TRUE'].includes(value.trim().toUpperCase());
}

export function ufInt(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

export function ufString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(Array.isArray(value) ? (value[0] ?? '') : value).trim();
  return s === '' ? null : s;
}

/** A money UF: `"150000.00|RUB"` (docs) or a bare amount. */
export function ufMoney(value: unknown, defaultCurrency = 'RUB'): { amount: DecimalString; currency: string } | null {
  const s = ufString(value);
  if (!s) return null;
  const [amount, currency] = s.split('|');
  try {
    return { amount: toDecimal(amount ?? '', 2), currency: (currency ?? '').trim() || defaultCurrency };
  } catch {
    return null;
  }
}

/** A numeric amount (opportunity, price) as a decimal string with a fixed scale; null for empty or garbage. */
export function decimalOrNull(value: unknown, scale = 2): DecimalString | null {
  if (value === null || value === undefined || value === '') return null;
  try {
    return toDecimal(value as string | number, scale);
  } catch {
    return null;
  }
}
