import { describe, expect, it } from 'vitest';
import type { StoredRule } from '../../../server/modules/pricing/pricing-rules.repository.js';
import { ZDiscountRule, type TRuleAudience } from '../../../server/modules/pricing/pricing.types.js';
import { audienceIncludes, RuleBook } from '../../../server/modules/pricing/rule-book.js';

const row = (id: number, audience: TRuleAudience, version: string, extra: Partial<StoredRule> = {}): StoredRule => ({
  id,
  portalId: 1,
  source: 'discount',
  b24ItemId: id,
  title: `r${id}`,
  rule: ZDiscountRule.parse({ id, audience, target: { kind: 'all' }, kind: 'percent', value: '5' }),
  status: 'ok',
  problem: null,
  deleted: false,
  rowHash: version,
  updatedAt: new Date(),
  ...extra,
});

describe('rule book', () => {
  it('when a rule moves from one audience to another, then both audiences are affected, nobody else', () => {
    const book = new RuleBook();
    book.replaceAll([row(1, { kind: 'dealer_group', group: 'A' }, 'v1'), row(2, { kind: 'dealer', dealerId: 7 }, 'v1')]);
    const affected = book.apply([row(1, { kind: 'dealer', dealerId: 9 }, 'v2')]);
    expect(affected.all).toBe(false);
    expect([...affected.groups]).toEqual(['A']);
    expect([...affected.dealers]).toEqual([9]);
    expect(audienceIncludes(affected, 7, 'B')).toBe(false);
    expect(audienceIncludes(affected, 3, 'A')).toBe(true);
  });

  it('when a row comes back unchanged, then nobody is affected', () => {
    const book = new RuleBook();
    book.replaceAll([row(1, { kind: 'all' }, 'v1')]);
    const affected = book.apply([row(1, { kind: 'all' }, 'v1')]);
    expect(affected.all || affected.dealers.size || affected.groups.size).toBeFalsy();
  });

  it('when a rule is deleted, turned unresolved or inactive, then it leaves the book and its audience is affected', () => {
    const book = new RuleBook();
    book.replaceAll([row(1, { kind: 'dealer', dealerId: 1 }, 'v1'), row(2, { kind: 'dealer', dealerId: 2 }, 'v1'), row(3, { kind: 'dealer', dealerId: 3 }, 'v1')]);
    const inactive = row(3, { kind: 'dealer', dealerId: 3 }, 'v2');
    inactive.rule = { ...inactive.rule!, active: false };
    const affected = book.apply([row(1, { kind: 'dealer', dealerId: 1 }, 'v2', { deleted: true }), row(2, { kind: 'dealer', dealerId: 2 }, 'v2', { status: 'unresolved', rule: null }), inactive]);
    expect([...affected.dealers].sort()).toEqual([1, 2, 3]);
    expect(book.size).toBe(0);
    expect(book.discounts()).toEqual([]);
  });
});
