import { Dec, type DecimalString } from '../../lib/decimal.js';
import type { DealerPricingProfile, PriceQuote, PriceStep, ProductPricingFacts, TDiscountRule, TSpecialOffer } from './pricing.types.js';

type Targeted = TDiscountRule | TSpecialOffer;

interface TargetIndex<T extends Targeted> {
  byProduct: Map<string, T[]>;
  byBrand: Map<string, T[]>;
  byGroup: Map<string, T[]>;
  all: T[];
}

const TARGET_RANK = { product: 4, brand: 3, group: 2, all: 1 } as const;
const AUDIENCE_RANK = { dealer: 3, dealer_group: 2, all: 1 } as const;

function audienceMatches(t: Targeted, dealer: DealerPricingProfile): boolean {
  switch (t.audience.kind) {
    case 'all':
      return true;
    case 'dealer':
      return t.audience.dealerId === dealer.dealerId;
    case 'dealer_group':
      return dealer.groups.includes(t.audience.group);
  }
}

function indexByTarget<T extends Targeted>(items: T[], dealer: DealerPricingProfile): TargetIndex<T> {
  const index: TargetIndex<T> = { byProduct: new Map(), byBrand: new Map(), byGroup: new Map(), all: [] };
  const push = (map: Map<string, T[]>, key: string, item: T) => map.set(key, [...(map.get(key) ?? []), item]);
  for (const item of items) {
    if (!item.active || !audienceMatches(item, dealer)) continue;
    const t = item.target;
    if (t.kind === 'product') push(index.byProduct, t.productId, item);
    else if (t.kind === 'brand') push(index.byBrand, t.brand.toLowerCase(), item);
    else if (t.kind === 'group') push(index.byGroup, t.groupId, item);
    else index.all.push(item);
  }
  return index;
}

function isValidOn(t: Targeted, date: string, qty: DecimalString): boolean {
  if (t.validFrom && date < t.validFrom) return false;
  if (t.validTo && date > t.validTo) return false;
  if (t.minQty && new Dec(qty).lessThan(t.minQty)) return false;
  return true;
}

/** Candidates for a product, each with how specific its target is (a nearer group beats a farther one). */
function candidatesFor<T extends Targeted>(index: TargetIndex<T>, product: ProductPricingFacts): Array<{ item: T; targetRank: number; nearness: number }> {
  const out: Array<{ item: T; targetRank: number; nearness: number }> = [];
  for (const item of index.byProduct.get(product.productId) ?? []) out.push({ item, targetRank: TARGET_RANK.product, nearness: 0 });
  if (product.brand) for (const item of index.byBrand.get(product.brand.toLowerCase()) ?? []) out.push({ item, targetRank: TARGET_RANK.brand, nearness: 0 });
  product.groupPath.forEach((groupId, depthFromProduct) => {
    for (const item of index.byGroup.get(groupId) ?? []) out.push({ item, targetRank: TARGET_RANK.group, nearness: -depthFromProduct });
  });
  for (const item of index.all) out.push({ item, targetRank: TARGET_RANK.all, nearness: 0 });
  return out;
}

const money = (d: InstanceType<typeof Dec>) => (d.isNegative() ? new Dec(0) : d).toDecimalPlaces(2, Dec.ROUND_HALF_UP);

function applyRule(base: InstanceType<typeof Dec>, rule: Targeted): { price: InstanceType<typeof Dec>; how: string } {
  const value = new Dec(rule.value);
  switch (rule.kind) {
    case 'percent':
      return { price: money(base.times(new Dec(100).minus(value)).dividedBy(100)), how: `-${value.toFixed()}%` };
    case 'fixed_price':
      return { price: money(value), how: `= ${value.toFixed(2)}` };
    case 'amount_off':
      return { price: money(base.minus(value)), how: `-${value.toFixed(2)}` };
  }
}

/**
 * Compiles a portal's reference book and offers into lookups for ONE dealer (only the rules that can ever apply to
 * them, indexed by product / brand / group / all), so pricing a 100k-SKU list is a few map look-ups per product.
 */
export function compilePricing(dealer: DealerPricingProfile, rules: TDiscountRule[], offers: TSpecialOffer[]) {
  const ruleIndex = indexByTarget(rules, dealer);
  const offerIndex = indexByTarget(offers, dealer);

  function bestRule(product: ProductPricingFacts, date: string, qty: DecimalString): TDiscountRule | null {
    let best: { item: TDiscountRule; key: number[] } | null = null;
    for (const c of candidatesFor(ruleIndex, product)) {
      if (!isValidOn(c.item, date, qty)) continue;
      const key = [c.item.priority, c.targetRank, c.nearness, AUDIENCE_RANK[c.item.audience.kind], -c.item.id];
      if (!best || compareKeys(key, best.key) > 0) best = { item: c.item, key };
    }
    return best?.item ?? null;
  }

  return {
    dealer,
    ruleCount: countIndex(ruleIndex),
    offerCount: countIndex(offerIndex),

    /** Prices one product for this dealer. `date` is the pricing day (YYYY-MM-DD), `qty` in base units. */
    quote(product: ProductPricingFacts, basePrice: DecimalString, currency: string, qty: DecimalString = '1', date = today()): PriceQuote {
      const base = money(new Dec(basePrice));
      const steps: PriceStep[] = [{ kind: 'base', ref: dealer.priceTypeId, title: 'base', how: '', price: base.toFixed(2) }];
      let price = base;
      const rule = bestRule(product, date, qty);
      if (rule) {
        const applied = applyRule(base, rule);
        price = applied.price;
        steps.push({ kind: 'rule', ref: String(rule.id), title: rule.title, how: applied.how, price: price.toFixed(2) });
      }
      let bestOffer: { offer: TSpecialOffer; price: InstanceType<typeof Dec>; how: string } | null = null;
      for (const c of candidatesFor(offerIndex, product)) {
        if (!isValidOn(c.item, date, qty)) continue;
        const applied = applyRule(price, c.item);
        if (applied.price.lessThan(price) && (!bestOffer || applied.price.lessThan(bestOffer.price) || (applied.price.equals(bestOffer.price) && c.item.id < bestOffer.offer.id))) {
          bestOffer = { offer: c.item, ...applied };
        }
      }
      if (bestOffer) {
        price = bestOffer.price;
        steps.push({ kind: 'offer', ref: String(bestOffer.offer.id), title: bestOffer.offer.title, how: bestOffer.how, price: price.toFixed(2) });
      }
      const q = new Dec(qty);
      const discount = base.isZero() ? new Dec(0) : base.minus(price).dividedBy(base).times(100).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
      return {
        productId: product.productId,
        currency,
        basePrice: base.toFixed(2),
        unitPrice: price.toFixed(2),
        qty: q.toFixed(),
        lineTotal: price.times(q).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2),
        discountPercent: discount.toFixed(2),
        breakdown: steps,
      };
    },
  };
}

export type CompiledPricing = ReturnType<typeof compilePricing>;

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function countIndex(index: TargetIndex<Targeted>): number {
  let n = index.all.length;
  for (const m of [index.byProduct, index.byBrand, index.byGroup]) for (const list of m.values()) n += list.length;
  return n;
}

export const today = () => new Date().toISOString().slice(0, 10);
