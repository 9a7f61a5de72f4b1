import { Decimal } from 'decimal.js';

/**
 * Money and quantities are decimal strings everywhere outside arithmetic (DESIGN.md §5): "1234.50", never 1234.5 as
 * a float. Arithmetic goes through decimal.js; results are turned back into strings with a fixed scale.
 */
export type DecimalString = string & { readonly __decimal?: unique symbol };

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export { D as Dec };

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

export function isDecimalString(v: unknown): v is DecimalString {
  return typeof v === 'string' && DECIMAL_TEXT.test(v);
}

/**
 * Normalizes ERP number text to a decimal string: "1 234,50" (1C with NBSP), "1234.5", 1234 (JSON number of an
 * integer), "-0.000" → "0". Throws on anything that is not a number so bad data never becomes 0 silently.
 */
export function toDecimal(value: unknown, scale?: number): DecimalString {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  } else if (Decimal.isDecimal(value)) {
    text = value.toFixed();
  } else {
    throw new TypeError(`not a decimal: ${String(value)}`);
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) throw new TypeError(`not a decimal: "${String(value)}"`);
  const d = new D(text);
  const out = scale === undefined ? d.toFixed() : d.toFixed(scale);
  return (out === '-0' || /^-0\.0+$/.test(out) ? out.slice(1) : out) as DecimalString;
}

export const dec = (v: DecimalString | string | number) => new D(typeof v === 'number' ? String(v) : v);

export function addDecimals(values: Array<DecimalString | string>, scale = 2): DecimalString {
  return values.reduce((acc, v) => acc.plus(v), new D(0)).toFixed(scale) as DecimalString;
}

export function multiplyDecimals(a: DecimalString | string, b: DecimalString | string, scale = 2): DecimalString {
  return new D(a).times(b).toFixed(scale) as DecimalString;
}

export function compareDecimals(a: DecimalString | string, b: DecimalString | string): -1 | 0 | 1 {
  return new D(a).comparedTo(b) as -1 | 0 | 1;
}
