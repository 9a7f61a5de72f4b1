import { describe, expect, it } from 'vitest';
import { linkedItemId, mapRuleItem, type RuleResolver } from '../../../server/modules/pricing/map-rule-item.js';
import type { SmartProcessBinding } from '../../../server/modules/pricing/smart-process-binding.js';

/** The mapping of a Discounts / Special offers item onto a stored rule, with a resolver standing for the catalog. */
const binding = (key: 'discounts' | 'offers'): SmartProcessBinding => ({
  key,
  entityTypeId: key === 'discounts' ? 1040 : 1042,
  fields: {
    audience: 'ufCrm5Audience',
    dealer: 'ufCrm5Dealer',
    dealerGroup: 'ufCrm5DealerGroup',
    target: 'ufCrm5Target',
    targetRef: 'ufCrm5TargetRef',
    kind: 'ufCrm5Kind',
    value: 'ufCrm5Value',
    priority: 'ufCrm5Priority',
    validFrom: 'ufCrm5ValidFrom',
    validTo: 'ufCrm5ValidTo',
    minQty: 'ufCrm5MinQty',
    active: 'ufCrm5Active',
    conditions: 'ufCrm5Conditions',
    banner: 'ufCrm5Banner',
  },
  fieldIds: {},
});
const enums = {
  audience: new Map([[1, 'all'], [2, 'dealer'], [3, 'dealer_group']]),
  dealerGroup: new Map([[11, 'A'], [12, 'B']]),
  target: new Map([[21, 'all'], [22, 'group'], [23, 'brand'], [24, 'product']]),
  kind: new Map([[31, 'percent'], [32, 'fixed_price'], [33, 'amount_off']]),
};
const resolver: RuleResolver = {
  group: (ref) => (ref === 'Газонокосилки' ? { ok: true, value: 7 } : { ok: false, problem: `no product group "${ref}"` }),
  brand: (ref) => (ref.toLowerCase() === 'stiga' ? { ok: true, value: 'Stiga' } : { ok: false, problem: `no goods of brand "${ref}"` }),
  product: (ref) => (ref === 'LM-1' ? { ok: true, value: 101 } : { ok: false, problem: `no product "${ref}"` }),
  dealer: async (id) => (id === 55 ? { ok: true, value: 3 } : { ok: false, problem: `dealer item ${id} is not known` }),
};
const item = (fields: Record<string, unknown>) => ({ id: 9, title: 'Скидка', ufCrm5Audience: 1, ufCrm5Target: 21, ufCrm5Kind: 31, ufCrm5Value: 10, ...fields });

describe('rule item mapping', () => {
  it('when an item is complete, then enumerations map by xmlId, dates to days and targets to our ids', async () => {
    const mapped = await mapRuleItem(
      item({ ufCrm5Audience: 3, ufCrm5DealerGroup: 12, ufCrm5Target: 22, ufCrm5TargetRef: 'Газонокосилки', ufCrm5Kind: 33, ufCrm5Value: 150.5, ufCrm5Priority: '3', ufCrm5ValidFrom: '2026-12-01T00:00:00+03:00', ufCrm5MinQty: 4, ufCrm5Active: 'N' }),
      binding('discounts'),
      enums,
      resolver,
    );
    expect(mapped).toMatchObject({ source: 'discount', b24ItemId: 9, status: 'ok', problem: null });
    expect(mapped.rule).toMatchObject({ id: 9, audience: { kind: 'dealer_group', group: 'B' }, target: { kind: 'group', groupId: '7' }, kind: 'amount_off', value: '150.5', priority: 3, validFrom: '2026-12-01', validTo: null, minQty: '4', active: false });
  });

  it('when the dealer link is written either way, then it resolves to our dealer', async () => {
    expect(linkedItemId(55)).toBe(55);
    expect(linkedItemId('55')).toBe(55);
    expect(linkedItemId('T40a_55')).toBe(55);
    expect(linkedItemId(['DYNAMIC_1034_55'])).toBe(55);
    expect(linkedItemId('')).toBeNull();
    const mapped = await mapRuleItem(item({ ufCrm5Audience: 2, ufCrm5Dealer: 'T40a_55' }), binding('discounts'), enums, resolver);
    expect(mapped.rule?.audience).toEqual({ kind: 'dealer', dealerId: 3 });
  });

  it('when a reference points at nothing, then the rule is unresolved with the reason and applies nowhere', async () => {
    const cases = [
      [item({ ufCrm5Target: 23, ufCrm5TargetRef: 'Husqvarna' }), 'brand "Husqvarna"'],
      [item({ ufCrm5Target: 24, ufCrm5TargetRef: 'NO-SUCH' }), 'product "NO-SUCH"'],
      [item({ ufCrm5Audience: 2, ufCrm5Dealer: 77 }), 'dealer item 77'],
    ] as const;
    for (const [input, reason] of cases) {
      const mapped = await mapRuleItem(input, binding('discounts'), enums, resolver);
      expect(mapped).toMatchObject({ status: 'unresolved', rule: null });
      expect(mapped.problem).toContain(reason);
    }
  });

  it('when fields make no rule, then it is invalid and the problem names the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [item({ ufCrm5Audience: 99 }), /Audience has an unknown value/],
      [item({ ufCrm5Audience: 2, ufCrm5Dealer: null }), /no dealer is chosen/],
      [item({ ufCrm5Audience: 3 }), /no group is chosen/],
      [item({ ufCrm5Target: 22, ufCrm5TargetRef: ' ' }), /"Group \/ brand \/ SKU" is empty/],
      [item({ ufCrm5Value: null }), /Value is empty/],
      [item({ ufCrm5Kind: 77 }), /Kind has an unknown value/],
      [item({ ufCrm5Value: 120 }), /value: a percent discount must be between 0 and 100/],
      [item({ ufCrm5ValidFrom: '2027-02-01', ufCrm5ValidTo: '2027-01-01' }), /validTo: validFrom is after validTo/],
    ];
    for (const [input, problem] of cases) {
      const mapped = await mapRuleItem(input, binding('discounts'), enums, resolver);
      expect(mapped.status, String(problem)).toBe('invalid');
      expect(mapped.problem).toMatch(problem);
    }
  });

  it('when an offer has no title, then it gets one, and its conditions and banner are kept', async () => {
    const mapped = await mapRuleItem(item({ title: '', ufCrm5Target: 23, ufCrm5TargetRef: 'STIGA', ufCrm5Conditions: 'от 3 шт.', ufCrm5Banner: '-10%' }), binding('offers'), enums, resolver);
    expect(mapped).toMatchObject({ source: 'offer', title: 'Спецпредложение #9', status: 'ok' });
    expect(mapped.rule).toMatchObject({ title: 'Спецпредложение #9', target: { kind: 'brand', brand: 'Stiga' }, conditions: 'от 3 шт.', banner: '-10%' });
  });
});
