import { describe, expect, it } from 'vitest';
import { compilePricing } from '../../../server/modules/pricing/compile-pricing.js';
import { applyMinor, discountHundredths, formatHundredths, formatThousandths, mulDivHalfUp, parseScaled, toScaledInt } from '../../../server/modules/pricing/minor-money.js';
import { ZDiscountRule, ZSpecialOffer, type TDiscountRule, type TSpecialOffer } from '../../../server/modules/pricing/pricing.types.js';

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dealer = { dealerId: 1, priceTypeId: 'pt', groups: ['A'] };
const DAY = '2026-11-23';

describe('exact integer money', () => {
  it('when decimals are parsed and scaled, then the integers are exact and oversize input is refused', () => {
    expect(parseScaled('12.50')).toEqual({ int: 125, scale: 1 });
    expect(parseScaled('-0.000')).toEqual({ int: 0, scale: 0 });
    expect(toScaledInt('1234.5', 4)).toBe(12_345_000);
    expect(toScaledInt('99999999999999.9999', 4)).toBeNull(); // past 2^53: the caller keeps the exact string
    expect(parseScaled('1e5')).toBeNull();
  });

  it('when dividing with rounding, then half goes up exactly, also past 2^53 through BigInt', () => {
    expect(mulDivHalfUp(5, 1, 10)).toBe(1);
    expect(mulDivHalfUp(4, 1, 10)).toBe(0);
    expect(mulDivHalfUp(2 ** 52, 3, 6)).toBe(2 ** 51);
    expect(mulDivHalfUp(Number.MAX_SAFE_INTEGER, 10, 10)).toBe(Number.MAX_SAFE_INTEGER);
    expect(mulDivHalfUp(Number.MAX_SAFE_INTEGER, 10, 1)).toBeNull();
  });

  it('when amounts are formatted, then the text has fixed places and no float artefacts', () => {
    expect(formatHundredths(12345)).toBe('123.45');
    expect(formatHundredths(5)).toBe('0.05');
    expect(formatHundredths(-5)).toBe('-0.05');
    expect(formatThousandths(12_000)).toBe('12');
    expect(formatThousandths(1_500)).toBe('1.5');
    expect(formatThousandths(300)).toBe('0.3');
    expect(applyMinor(99_999, 'percent', parseScaled('12.5')!)).toBe(87_499);
    expect(discountHundredths(1000, 1001)).toBe(-10);
  });

  it('when thousands of random rules, offers and prices are priced both ways, then quick equals the decimal quote', () => {
    const rand = rng(20261123);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const decimal = (maxInt: number, places: number) => {
      const int = Math.floor(rand() * maxInt);
      const frac = places ? `.${String(Math.floor(rand() * 10 ** places)).padStart(places, '0')}` : '';
      return `${int}${frac}`;
    };
    const products = Array.from({ length: 40 }, (_, i) => ({ productId: `p${i}`, groupPath: [`g${i % 5}`, `g${10 + (i % 2)}`], brand: pick(['Stiga', 'Makita', null]) }));
    let id = 1;
    for (let round = 0; round < 60; round++) {
      const target = () =>
        pick([
          { kind: 'all' as const },
          { kind: 'group' as const, groupId: `g${Math.floor(rand() * 12)}` },
          { kind: 'brand' as const, brand: pick(['stiga', 'MAKITA']) },
          { kind: 'product' as const, productId: `p${Math.floor(rand() * 40)}` },
        ]);
      const rules: TDiscountRule[] = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => {
        const kind = pick(['percent', 'fixed_price', 'amount_off'] as const);
        return ZDiscountRule.parse({
          id: id++,
          audience: pick([{ kind: 'all' }, { kind: 'dealer', dealerId: 1 }, { kind: 'dealer_group', group: 'A' }]),
          target: target(),
          kind,
          value: kind === 'percent' ? decimal(100, pick([0, 1, 2, 3])) : decimal(pick([10, 5000, 200000]), pick([0, 2, 4])),
          priority: Math.floor(rand() * 3),
          minQty: rand() < 0.2 ? decimal(5, 1) : null,
        });
      });
      const offers: TSpecialOffer[] = Array.from({ length: Math.floor(rand() * 4) }, () => {
        const kind = pick(['percent', 'fixed_price'] as const);
        return ZSpecialOffer.parse({ id: id++, title: 'o', audience: { kind: 'all' }, target: target(), kind, value: kind === 'percent' ? decimal(60, 2) : decimal(100000, 2) });
      });
      const p = compilePricing(dealer, rules, offers);
      for (const product of products) {
        const base4 = Math.floor(rand() * pick([10_000, 1_000_000, 10_000_000_000]));
        const baseText = `${Math.floor(base4 / 10_000)}.${String(base4 % 10_000).padStart(4, '0')}`;
        const qty = pick(['1', '3', '2.5', '10']);
        const exact = p.quote(product, baseText, 'RUB', qty, DAY);
        const quick = p.quick(product, base4, DAY, qty);
        expect(quick, `${JSON.stringify({ rules, offers, product, baseText, qty })}`).not.toBeNull();
        expect({ unitPrice: quick!.unitPrice, basePrice: quick!.basePrice, discountPercent: quick!.discountPercent }).toEqual({
          unitPrice: exact.unitPrice,
          basePrice: exact.basePrice,
          discountPercent: exact.discountPercent,
        });
      }
    }
  });

  it('when products pass 2^53 on the way, then quick stays exact (BigInt) and equals the decimal quote', () => {
    const p = compilePricing(dealer, [ZDiscountRule.parse({ id: 1, audience: { kind: 'all' }, target: { kind: 'all' }, kind: 'percent', value: '12.3456' })], []);
    const facts = { productId: 'x', groupPath: [], brand: null };
    const exact = p.quote(facts, '899999999999.9999', 'RUB', '1', DAY);
    expect(p.quick(facts, 8_999_999_999_999_999, DAY)).toMatchObject({ unitPrice: exact.unitPrice, discountPercent: exact.discountPercent });
    expect(exact.unitPrice).toBe('788889600000.00');
  });
});
