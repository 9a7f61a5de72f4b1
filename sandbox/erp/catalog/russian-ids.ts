import type { Rng } from './prng.js';

/**
 * Russian taxpayer numbers with valid check digits (ИНН: Приказ ФНС ММВ-7-6/435@ checksum weights), so that
 * validators in our product accept generated dealers the same way they accept real ones.
 */
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const check = (digits: string, weights: number[]) =>
  (weights.reduce((s, w, i) => s + w * Number(digits[i]), 0) % 11) % 10;

/** ИНН of an organization: 10 digits, the first two the region code. */
export function makeInnLegal(rng: Rng, region: string): string {
  const body = region + rng.digits(7);
  return body + String(check(body, W10));
}

/** ИНН of an individual entrepreneur (ИП): 12 digits with two check digits. */
export function makeInnPerson(rng: Rng, region: string): string {
  const body = region + rng.digits(8);
  const d11 = String(check(body, W11));
  return body + d11 + String(check(body + d11, W12));
}

export function isValidInn(inn: string): boolean {
  if (/^\d{10}$/.test(inn)) return check(inn, W10) === Number(inn[9]);
  if (/^\d{12}$/.test(inn)) return check(inn, W11) === Number(inn[10]) && check(inn, W12) === Number(inn[11]);
  return false;
}

/** КПП: tax office (4 digits, region first) + reason code 01 + sequence 001. */
export function makeKpp(rng: Rng, region: string): string {
  return `${region}${rng.int(1, 51).toString().padStart(2, '0')}01001`;
}
