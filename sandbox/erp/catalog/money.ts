import type { DecimalString } from '../../../server/lib/decimal.js';

/**
 * The generator computes money in integer kopecks (exact, deterministic) and hands out decimal strings.
 */
export function kopToDecimal(kop: number): DecimalString {
  if (!Number.isSafeInteger(kop)) throw new Error(`kopecks must be a safe integer, got ${kop}`);
  const sign = kop < 0 ? '-' : '';
  const abs = Math.abs(kop);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}` as DecimalString;
}

/** "1234.50" → 123450. Only for the generator's own two-decimal strings. */
export function decimalToKop(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not a two-decimal amount: "${text}"`);
  const kop = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -kop : kop;
}

/** VAT included in a gross amount at 20 %: gross × 20 / 120, rounded half up to the kopeck. */
export function vatIncludedKop(grossKop: number, ratePercent = 20): number {
  return Math.floor((grossKop * ratePercent * 2 + (100 + ratePercent)) / (2 * (100 + ratePercent)));
}
