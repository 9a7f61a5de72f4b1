import { toDecimal, type DecimalString } from '../../lib/decimal.js';

/**
 * Value conventions of CommerceML as 1C writes it: currencies as words («руб») or ISO/OKV codes, numbers with spaces
 * and commas, dates with or without time, OKEI unit codes with trailing spaces ("796 ").
 */

const CURRENCIES: Record<string, string> = {
  'руб': 'RUB', 'руб.': 'RUB', 'рубль': 'RUB', 'rub': 'RUB', 'rur': 'RUB', '643': 'RUB',
  'eur': 'EUR', 'евро': 'EUR', '978': 'EUR',
  'usd': 'USD', 'долл': 'USD', 'долл.': 'USD', '$': 'USD', '840': 'USD',
  'грн': 'UAH', 'грн.': 'UAH', '980': 'UAH',
  'тенге': 'KZT', 'тг': 'KZT', '398': 'KZT',
  'бел. руб.': 'BYN', 'byn': 'BYN', '933': 'BYN',
  'cny': 'CNY', 'юань': 'CNY', '156': 'CNY',
};

/** ISO 4217 code for a CommerceML currency (ТипЦены/Валюта, Цена/Валюта, Документ/Валюта). */
export function normalizeCurrency(value: string | undefined, fallback = 'RUB'): string {
  if (!value) return fallback;
  const v = value.trim().toLowerCase();
  return CURRENCIES[v] ?? value.trim().toUpperCase();
}

/** OKEI short names for the codes 1C puts in БазоваяЕдиница/@Код when the classifier does not list them. */
export const OKEI_NAMES: Record<string, string> = {
  '796': 'шт', '778': 'упак', '166': 'кг', '163': 'г', '112': 'л', '111': 'мл', '006': 'м', '055': 'м2', '113': 'м3',
  '704': 'набор', '839': 'компл', '715': 'пар', '018': 'пог. м', '736': 'рул', '868': 'бут', '616': 'боб', '625': 'лист',
};

/** Decimal string of a CommerceML number ("2 042,66", "100", "1.000"); throws with the offending text. */
export function cmlDecimal(value: string | undefined, what: string): DecimalString {
  if (value === undefined) throw new Error(`${what} is missing`);
  try {
    return toDecimal(value);
  } catch {
    throw new Error(`${what} is not a number: "${value}"`);
  }
}

/** "2026-11-20" + "12:30:00" → "2026-11-20T12:30:00"; passes ISO date-times through. */
export function cmlDateTime(date: string | undefined, time?: string): string | undefined {
  if (!date) return undefined;
  const d = date.trim();
  if (/T\d\d:\d\d/.test(d)) return d;
  const spaced = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d(?::\d\d)?)$/.exec(d);
  if (spaced) return `${spaced[1]}T${(spaced[2] as string).padEnd(8, ':00').slice(0, 8)}`;
  if (/^\d{4}-\d\d-\d\d$/.test(d)) return `${d}T${time && /^\d\d:\d\d(:\d\d)?$/.test(time.trim()) ? time.trim().padEnd(8, ':00').slice(0, 8) : '00:00:00'}`;
  const ru = /^(\d\d)\.(\d\d)\.(\d{4})(?:\s+(\d\d:\d\d(?::\d\d)?))?$/.exec(d);
  if (ru) return `${ru[3]}-${ru[2]}-${ru[1]}T${(ru[4] ?? '00:00:00').padEnd(8, ':00').slice(0, 8)}`;
  return d;
}

/** Splits a CommerceML offer id "товар#характеристика" (variant part may be empty: "товар#"). */
export function splitOfferId(id: string): { productId: string; variantId?: string } {
  const i = id.indexOf('#');
  if (i < 0) return { productId: id };
  const variantId = id.slice(i + 1).trim();
  return variantId ? { productId: id.slice(0, i).trim(), variantId } : { productId: id.slice(0, i).trim() };
}
