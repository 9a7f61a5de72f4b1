import type { StoredRule } from './pricing-rules.repository.js';
import type { TDiscountRule, TRuleAudience, TSpecialOffer } from './pricing.types.js';

/** A live rule as the engine uses it, with the fingerprint that makes a dealer's pricing signature. */
export interface BookRule {
  key: string;
  source: 'discount' | 'offer';
  version: string;
  rule: TDiscountRule | TSpecialOffer;
}

/** Whom a change touches: everybody, some dealers, or some dealer groups. */
export interface Audience {
  all: boolean;
  dealers: Set<number>;
  groups: Set<string>;
}

export const emptyAudience = (): Audience => ({ all: false, dealers: new Set(), groups: new Set() });

function addAudience(into: Audience, a: TRuleAudience): void {
  if (a.kind === 'all') into.all = true;
  else if (a.kind === 'dealer') into.dealers.add(a.dealerId);
  else into.groups.add(a.group);
}

/**
 * A portal's discount reference book and special offers in memory: the rules that apply (status ok, active, not
 * deleted), keyed by source and Bitrix24 item. `apply` takes rows as stored and answers whom the differences affect:
 * the audience of the rule before the change and after it (moving a rule from group A to dealer 7 touches both).
 */
export class RuleBook {
  private readonly rules = new Map<string, BookRule>();
  private discountList: BookRule[] | null = null;
  private offerList: BookRule[] | null = null;

  get size(): number {
    return this.rules.size;
  }

  /** Replaces the whole book (first load, or a full reload after hard deletes); everybody is affected. */
  replaceAll(rows: StoredRule[]): Audience {
    this.rules.clear();
    for (const row of rows) {
      const r = toBookRule(row);
      if (r) this.rules.set(r.key, r);
    }
    this.discountList = this.offerList = null;
    return { all: true, dealers: new Set(), groups: new Set() };
  }

  /** Applies changed rows (tombstones included); returns the audience whose prices may differ now. */
  apply(rows: StoredRule[]): Audience {
    const affected = emptyAudience();
    for (const row of rows) {
      const key = `${row.source}:${row.b24ItemId}`;
      const before = this.rules.get(key);
      const after = toBookRule(row);
      if (before?.version === after?.version) continue;
      if (before) addAudience(affected, before.rule.audience);
      if (after) {
        addAudience(affected, after.rule.audience);
        this.rules.set(key, after);
      } else {
        this.rules.delete(key);
      }
      this.discountList = this.offerList = null;
    }
    return affected;
  }

  keys(): string[] {
    return [...this.rules.keys()];
  }

  discounts(): BookRule[] {
    this.discountList ??= [...this.rules.values()].filter((r) => r.source === 'discount');
    return this.discountList;
  }

  offers(): BookRule[] {
    this.offerList ??= [...this.rules.values()].filter((r) => r.source === 'offer');
    return this.offerList;
  }
}

function toBookRule(row: StoredRule): BookRule | null {
  if (row.deleted || row.status !== 'ok' || !row.rule || !row.rule.active) return null;
  return { key: `${row.source}:${row.b24ItemId}`, source: row.source, version: row.rowHash, rule: row.rule };
}

/** True when a dealer (id and group) is inside an audience. */
export function audienceIncludes(a: Audience, dealerId: number, group: string | null): boolean {
  return a.all || a.dealers.has(dealerId) || (group !== null && a.groups.has(group));
}
