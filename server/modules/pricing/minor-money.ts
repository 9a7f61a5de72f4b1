/**
 * Exact money arithmetic in integers for the hot paths (a 100k-line price list, sorting a group by the dealer's
 * price): amounts are whole kopecks (hundredths) or ten-thousandths, rule values are integers with a decimal scale,
 * and every division rounds half up exactly as the decimal.js path in compile-pricing.ts does. Plain numbers are
 * exact integers below 2^53; products that could pass that go through BigInt, and a result that does not fit returns
 * null so the caller falls back to decimal.js. Never floats for money: every value here is an exact integer.
 */

const MAX = Number.MAX_SAFE_INTEGER;
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A decimal as an exact integer and its scale: "12.5" → {int: 125, scale: 1}. null when it does not fit. */
export interface Scaled {
  int: number;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export function parseScaled(text: string): Scaled | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > 12) return null;
  const digits = `${m[2]}${fraction}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return null;
  const int = Number(digits);
  return { int: m[1] && int !== 0 ? -int : int, scale: fraction.length };
}

/** A decimal string as an exact integer at a fixed scale ("1234.5" at 4 → 12345000); null when it does not fit. */
export function toScaledInt(text: string, scale: number): number | null {
  const s = parseScaled(text);
  if (!s) return null;
  if (s.scale > scale) return null;
  const v = s.int * POW10[scale - s.scale]!;
  return Number.isSafeInteger(v) ? v : null;
}

/** round_half_up(a × b / c) for a, b ≥ 0 and c > 0 integers; null when the result is not a safe integer. */
export function mulDivHalfUp(a: number, b: number, c: number): number | null {
  const p = a * b;
  if (p <= MAX) {
    let q = Math.floor(p / c);
    let r = p - q * c;
    if (r < 0) {
      q--;
      r += c;
    } else if (r >= c) {
      q++;
      r -= c;
    }
    return 2 * r >= c ? q + 1 : q;
  }
  const big = BigInt(a) * BigInt(b);
  const C = BigInt(c);
  const q = big / C;
  const out = 2n * (big % C) >= C ? q + 1n : q;
  return out <= BigInt(MAX) ? Number(out) : null;
}

/** Kopecks from ten-thousandths, half up; negative amounts are 0 (a price is never below zero). */
export function kopecksFromScaled4(v: number): number {
  if (v <= 0) return 0;
  return mulDivHalfUp(v, 1, 100)!;
}

export type MinorRuleKind = 'percent' | 'fixed_price' | 'amount_off';

/** The price in kopecks after a rule, or null when the numbers leave the exact integer range. */
export function applyMinor(priceK: number, kind: MinorRuleKind, value: Scaled): number | null {
  const unit = POW10[value.scale];
  if (unit === undefined || value.int < 0) return null;
  switch (kind) {
    case 'percent': {
      const whole = 100 * unit;
      return mulDivHalfUp(priceK, whole - value.int, whole);
    }
    case 'fixed_price':
      return mulDivHalfUp(value.int, 100, unit);
    case 'amount_off': {
      const a = priceK * unit;
      const b = value.int * 100;
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return null;
      const num = a - b;
      return num <= 0 ? 0 : mulDivHalfUp(num, 1, unit);
    }
  }
}

/** (base − price) / base in hundredths of a percent, rounded half away from zero like decimal.js ROUND_HALF_UP. */
export function discountHundredths(baseK: number, priceK: number): number | null {
  if (baseK === 0) return 0;
  const diff = baseK - priceK;
  const abs = mulDivHalfUp(Math.abs(diff), 10_000, baseK);
  if (abs === null) return null;
  return diff < 0 ? -abs : abs;
}

/** Hundredths as a decimal string with two places: 12345 → "123.45", -5 → "-0.05". */
export function formatHundredths(v: number): string {
  const abs = Math.abs(v);
  const frac = abs % 100;
  const text = `${Math.floor(abs / 100)}.${frac < 10 ? '0' : ''}${frac}`;
  return v < 0 && abs !== 0 ? `-${text}` : text;
}

/** Thousandths as a plain decimal string without trailing zeros: 12000 → "12", 1500 → "1.5". */
export function formatThousandths(v: number): string {
  const abs = Math.abs(v);
  const whole = Math.floor(abs / 1000);
  const frac = abs % 1000;
  const text = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  return v < 0 && abs !== 0 ? `-${text}` : text;
}

/** Ten-thousandths as a decimal string with two or more places (prices keep the ERP's extra digits): 123450 → "12.345". */
export function formatTenThousandths(v: number): string {
  const abs = Math.abs(v);
  const whole = Math.floor(abs / 10_000);
  let frac = String(abs % 10_000).padStart(4, '0');
  frac = frac.replace(/0{1,2}$/, '');
  const text = `${whole}.${frac}`;
  return v < 0 && abs !== 0 ? `-${text}` : text;
}
