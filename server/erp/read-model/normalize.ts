import { createHash } from 'node:crypto';
import { Dec, toDecimal, type DecimalString } from '../../lib/decimal.js';

/**
 * A decimal string at exactly `scale` places, the form the DECIMAL(p, scale) column returns, so a value read back
 * compares equal to the value we would write. Plain "123", "123.4", "-0.5" take a string-only fast path (the ingest
 * handles millions of them); anything else ("1 234,5", exponents, too many places) goes through decimal.js, which
 * rounds half-up like the database.
 */
const PLAIN = /^(-?)(\d+)(?:\.(\d*))?$/;

export function fixScale(value: unknown, scale: number): DecimalString {
  if (typeof value === 'string') {
    const m = PLAIN.exec(value);
    if (m) {
      const fraction = m[3] ?? '';
      if (fraction.length <= scale) {
        const intPart = m[2]!.replace(/^0+(?=\d)/, '');
        const out = scale === 0 ? intPart : `${intPart}.${fraction.padEnd(scale, '0')}`;
        const isZero = !/[1-9]/.test(out);
        return (m[1] && !isZero ? `-${out}` : out) as DecimalString;
      }
    }
  }
  return new Dec(toDecimal(value)).toFixed(scale) as DecimalString;
}

export const fixScaleOrNull = (value: unknown, scale: number): DecimalString | null =>
  value === null || value === undefined || value === '' ? null : fixScale(value, scale);

/** Stable fingerprint of what we store for a row: unchanged rows are skipped without touching the database. */
export function rowHash(values: unknown[]): string {
  return createHash('sha1').update(JSON.stringify(values)).digest('base64url');
}

/** Lower-case, ё→е, single spaces: the text a simple LIKE search (and the search module's indexer) starts from. */
export function searchText(parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => Boolean(p))
    .join(' ')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .trim();
}

export const jsonOrNull = (value: unknown): string | null => (value === undefined || value === null || (Array.isArray(value) && value.length === 0) ? null : JSON.stringify(value));

/** Column sizes from the migration: longer ERP text is cut rather than failing the whole batch. */
export const clip = (text: string | null | undefined, max: number): string | null => (text === null || text === undefined ? null : text.length > max ? text.slice(0, max) : text);
