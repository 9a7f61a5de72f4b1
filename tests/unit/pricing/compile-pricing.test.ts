import { describe, expect, it } from 'vitest';
import { compilePricing } from '../../../server/modules/pricing/compile-pricing.js';
import { ZDiscountRule, ZSpecialOffer, type TDiscountRule, type TSpecialOffer } from '../../../server/modules/pricing/pricing.types.js';
import { Dec } from '../../../server/lib/decimal.js';

const dealer = { dealerId: 7, priceTypeId: 'pt-dealer-a', groups: ['A'] };
const mower = { productId: 'p-mower', groupPath: ['g-mowers', 'g-garden', 'g-root'], brand: 'Stiga' };
const blade = { productId: 'p-blade', groupPath: ['g-parts', 'g-root'], brand: 'Stiga' };
const DAY = '2026-11-23';

let nextId = 1;
const rule = (r: Partial<TDiscountRule> & Pick<TDiscountRule, 'kind' | 'value'>): TDiscountRule =>
  ZDiscountRule.parse({ id: nextId++, audience: { kind: 'all' }, target: { kind: 'all' }, ...r });
const offer = (o: Partial<TSpecialOffer> & Pick<TSpecialOffer, 'kind' | 'value'>): TSpecialOffer =>
  ZSpecialOffer.parse({ id: nextId++, title: 'Акция', audience: { kind: 'all' }, target: { kind: 'all' }, ...o });

describe('pricing engine', () => {
  it('when no rule applies, then the price is the base price of the dealer price type', () => {
    const q = compilePricing(dealer, [], []).quote(mower, '1000', 'RUB', '2', DAY);
    expect(q).toMatchObject({ basePrice: '1000.00', unitPrice: '1000.00', lineTotal: '2000.00', discountPercent: '0.00' });
    expect(q.breakdown).toEqual([{ kind: 'base', ref: 'pt-dealer-a', title: 'base', how: '', price: '1000.00' }]);
  });

  it('when each rule kind applies, then percent, fixed price and amount off compute exactly', () => {
    const p = compilePricing(dealer, [rule({ kind: 'percent', value: '12.5', target: { kind: 'product', productId: 'p-mower' } })], []);
    expect(p.quote(mower, '999.99', 'RUB', '1', DAY).unitPrice).toBe('874.99'); // 874.991… rounds half up to 874.99
    const f = compilePricing(dealer, [rule({ kind: 'fixed_price', value: '777', target: { kind: 'brand', brand: 'stiga' } })], []);
    expect(f.quote(mower, '999.99', 'RUB', '1', DAY).unitPrice).toBe('777.00');
    const a = compilePricing(dealer, [rule({ kind: 'amount_off', value: '1500', target: { kind: 'group', groupId: 'g-garden' } })], []);
    expect(a.quote(mower, '999.99', 'RUB', '1', DAY).unitPrice).toBe('0.00'); // never negative
  });

  it('when rules compete, then priority wins first, then the more specific target, then the more specific audience', () => {
    const all10 = rule({ kind: 'percent', value: '10' });
    const group20 = rule({ kind: 'percent', value: '20', target: { kind: 'group', groupId: 'g-garden' } });
    const nearGroup25 = rule({ kind: 'percent', value: '25', target: { kind: 'group', groupId: 'g-mowers' } });
    const dealerAll5 = rule({ kind: 'percent', value: '5', audience: { kind: 'dealer', dealerId: 7 } });
    const prio = rule({ kind: 'percent', value: '3', priority: 10, target: { kind: 'group', groupId: 'g-root' } });
    expect(compilePricing(dealer, [all10, group20], []).quote(mower, '100', 'RUB', '1', DAY).breakdown[1]?.ref).toBe(String(group20.id));
    expect(compilePricing(dealer, [group20, nearGroup25], []).quote(mower, '100', 'RUB', '1', DAY).unitPrice).toBe('75.00');
    expect(compilePricing(dealer, [all10, dealerAll5], []).quote(mower, '100', 'RUB', '1', DAY).unitPrice).toBe('95.00');
    expect(compilePricing(dealer, [all10, group20, nearGroup25, prio], []).quote(mower, '100', 'RUB', '1', DAY).unitPrice).toBe('97.00');
  });

  it('when a rule is for another dealer or dealer group, then it never applies', () => {
    const other = rule({ kind: 'percent', value: '50', audience: { kind: 'dealer', dealerId: 8 } });
    const groupB = rule({ kind: 'percent', value: '40', audience: { kind: 'dealer_group', group: 'B' } });
    const groupA = rule({ kind: 'percent', value: '30', audience: { kind: 'dealer_group', group: 'A' } });
    const p = compilePricing(dealer, [other, groupB, groupA], []);
    expect(p.ruleCount).toBe(1);
    expect(p.quote(blade, '10', 'RUB', '1', DAY).unitPrice).toBe('7.00');
  });

  it('when validity dates and minimum quantity are set, then the rule applies only inside them', () => {
    const winter = rule({ kind: 'percent', value: '10', validFrom: '2026-12-01', validTo: '2027-02-28' });
    const bulk = rule({ kind: 'percent', value: '20', minQty: '10', target: { kind: 'product', productId: 'p-blade' } });
    const p = compilePricing(dealer, [winter, bulk], []);
    expect(p.quote(blade, '100', 'RUB', '1', '2026-11-30').unitPrice).toBe('100.00');
    expect(p.quote(blade, '100', 'RUB', '1', '2026-12-01').unitPrice).toBe('90.00');
    expect(p.quote(blade, '100', 'RUB', '1', '2027-03-01').unitPrice).toBe('100.00');
    expect(p.quote(blade, '100', 'RUB', '10', '2026-11-30').unitPrice).toBe('80.00');
  });

  it('when an offer lowers the price further, then it applies on top of the rule; an offer that would raise it is ignored', () => {
    const r = rule({ kind: 'percent', value: '10' });
    const o1 = offer({ kind: 'percent', value: '5', title: 'Осенняя акция', target: { kind: 'brand', brand: 'Stiga' } });
    const o2 = offer({ kind: 'fixed_price', value: '80', title: 'Фикс', target: { kind: 'product', productId: 'p-mower' } });
    const o3 = offer({ kind: 'fixed_price', value: '95', title: 'Дороже', target: { kind: 'product', productId: 'p-blade' } });
    const p = compilePricing(dealer, [r], [o1, o2, o3]);
    const mowerQ = p.quote(mower, '100', 'RUB', '3', DAY);
    expect(mowerQ.breakdown.map((s) => [s.kind, s.price])).toEqual([['base', '100.00'], ['rule', '90.00'], ['offer', '80.00']]);
    expect(mowerQ.breakdown[2]?.title).toBe('Фикс');
    const bladeQ = p.quote(blade, '100', 'RUB', '1', DAY);
    expect(bladeQ.breakdown.map((s) => [s.kind, s.price])).toEqual([['base', '100.00'], ['rule', '90.00'], ['offer', '85.50']]);
  });

  it('when quantities are fractional and prices have many decimals, then totals are exact decimals and match the breakdown', () => {
    const p = compilePricing(dealer, [rule({ kind: 'percent', value: '33.333' })], []);
    const q = p.quote(mower, '0.10', 'RUB', '3.5', DAY);
    expect(q.unitPrice).toBe('0.07');
    expect(q.lineTotal).toBe('0.25'); // 0.07 × 3.5 = 0.245 → half up
    expect(q.unitPrice).toBe(q.breakdown.at(-1)?.price);
    const many = Array.from({ length: 10 }, () => p.quote(mower, '0.10', 'RUB', '0.1', DAY).lineTotal);
    const sum = many.reduce((acc, v) => acc.plus(v), new Dec(0)).toFixed(2);
    expect(sum).toBe('0.10'); // floats would give 0.09999999999999999
  });

  it('when a rule has an out-of-range percent or inverted dates, then validation names the field', () => {
    expect(() => rule({ kind: 'percent', value: '120' })).toThrow(/between 0 and 100/);
    expect(() => rule({ kind: 'percent', value: '5', validFrom: '2027-01-02', validTo: '2027-01-01' })).toThrow(/validFrom is after validTo/);
  });
});
