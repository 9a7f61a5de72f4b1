import { Dec, type DecimalString } from '../../lib/decimal.js';
import { applyMinor, discountHundredths, formatHundredths, kopecksFromScaled4, parseScaled, type Scaled } from './minor-money.js';
import type { DealerPricingProfile, PriceQuote, PriceStep, ProductPricingFacts, TDiscountRule, TSpecialOffer } from './pricing.types.js';

type Targeted = TDiscountRule | TSpecialOffer;

/** A rule or offer with what the hot path needs precomputed (integer value, numeric minimum quantity). */
interface Entry<T extends Targeted> {
  item: T;
  value: Scaled | null;
  minQty: number | null;
  audienceRank: number;
}

interface TargetIndex<T extends Targeted> {
  byProduct: Map<string, Entry<T>[]>;
  byBrand: Map<string, Entry<T>[]>;
  byGroup: Map<string, Entry<T>[]>;
  all: Entry<T>[];
}

const TARGET_RANK = { product: 4, brand: 3, group: 2, all: 1 } as const;
const AUDIENCE_RANK = { dealer: 3, dealer_group: 2, all: 1 } as const;

/** True when a rule's audience includes the dealer (the same test decides which dealers a rule change touches). */
export function audienceMatches(t: Pick<Targeted, 'audience'>, dealer: Pick<DealerPricingProfile, 'dealerId' | 'groups'>): boolean {
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
  const push = (map: Map<string, Entry<T>[]>, key: string, entry: Entry<T>) => {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  };
  for (const item of items) {
    if (!item.active || !audienceMatches(item, dealer)) continue;
    const minQty = item.minQty === null ? null : Number(item.minQty);
    const entry: Entry<T> = { item, value: parseScaled(item.value), minQty: minQty !== null && Number.isFinite(minQty) ? minQty : null, audienceRank: AUDIENCE_RANK[item.audience.kind] };
    const t = item.target;
    if (t.kind === 'product') push(index.byProduct, t.productId, entry);
    else if (t.kind === 'brand') push(index.byBrand, t.brand.toLowerCase(), entry);
    else if (t.kind === 'group') push(index.byGroup, t.groupId, entry);
    else index.all.push(entry);
  }
  return index;
}

/**
 * Visits a product's candidates with how specific each one's target is (a nearer group beats a farther one), without
 * allocating: pricing a 100k-line list calls this once per line.
 */
function forEachCandidate<T extends Targeted>(index: TargetIndex<T>, product: ProductPricingFacts, visit: (entry: Entry<T>, targetRank: number, nearness: number) => void): void {
  const own = index.byProduct.get(product.productId);
  if (own) for (const e of own) visit(e, TARGET_RANK.product, 0);
  if (product.brand && index.byBrand.size) {
    const list = index.byBrand.get(product.brandKey ?? product.brand.toLowerCase());
    if (list) for (const e of list) visit(e, TARGET_RANK.brand, 0);
  }
  if (index.byGroup.size) {
    const path = product.groupPath;
    for (let depth = 0; depth < path.length; depth++) {
      const list = index.byGroup.get(path[depth]!);
      if (list) for (const e of list) visit(e, TARGET_RANK.group, -depth);
    }
  }
  for (const e of index.all) visit(e, TARGET_RANK.all, 0);
}

/** Whether a rule or offer is within its validity dates on a (local) day. */
export function inDateWindow(t: Pick<Targeted, 'validFrom' | 'validTo'>, date: string): boolean {
  return !(t.validFrom && date < t.validFrom) && !(t.validTo && date > t.validTo);
}

/** Validity on a day and for a quantity. `qtyNum` is the quantity as a number for the common short decimals. */
function isValidOn(entry: Entry<Targeted>, date: string, qty: DecimalString, qtyNum: number): boolean {
  const t = entry.item;
  if (!inDateWindow(t, date)) return false;
  if (t.minQty) {
    if (entry.minQty !== null && Number.isFinite(qtyNum) && qty.length < 16 && t.minQty.length < 16) return qtyNum >= entry.minQty;
    return !new Dec(qty).lessThan(t.minQty);
  }
  return true;
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

/** The unit price of one line without a breakdown, from the integer path: what lists and sorting show. */
export interface QuickPrice {
  unitPrice: DecimalString;
  basePrice: DecimalString;
  discountPercent: DecimalString;
  /** The unit price in kopecks: an exact integer, the sort key. */
  unitKopecks: number;
}

/**
 * Compiles a portal's reference book and offers into lookups for ONE dealer (only the rules that can ever apply to
 * them, indexed by product / brand / group / all), so pricing a 100k-SKU list is a few map look-ups per product.
 *
 * Two ways to price, same answer: `quote` (decimal.js, with the breakdown shown on the card and in the cart) and
 * `quick` (exact integers, for lists and sort keys); tests hold them equal.
 */
export function compilePricing(dealer: DealerPricingProfile, rules: TDiscountRule[], offers: TSpecialOffer[]) {
  const ruleIndex = indexByTarget(rules, dealer);
  const offerIndex = indexByTarget(offers, dealer);
  const hasOffers = countIndex(offerIndex) > 0;

  function bestRule(product: ProductPricingFacts, date: string, qty: DecimalString, qtyNum: number): Entry<TDiscountRule> | null {
    let best: Entry<TDiscountRule> | null = null;
    let bestTarget = 0;
    let bestNear = 0;
    forEachCandidate(ruleIndex, product, (e, targetRank, nearness) => {
      if (!isValidOn(e, date, qty, qtyNum)) return;
      if (best === null || beats(e, targetRank, nearness, best, bestTarget, bestNear)) {
        best = e;
        bestTarget = targetRank;
        bestNear = nearness;
      }
    });
    return best;
  }

  /** The unit price in kopecks (integers only, nothing formatted): the sort key. null outside the exact range. */
  function unitKopecks(product: ProductPricingFacts, baseScaled4: number, date: string, qty: DecimalString = '1'): number | null {
    return priceMinor(product, kopecksFromScaled4(baseScaled4), date, qty);
  }

  function quick(product: ProductPricingFacts, baseScaled4: number, date: string, qty: DecimalString = '1'): QuickPrice | null {
    const baseK = kopecksFromScaled4(baseScaled4);
    const price = priceMinor(product, baseK, date, qty);
    if (price === null) return null;
    const discount = discountHundredths(baseK, price);
    if (discount === null) return null;
    return { unitPrice: formatHundredths(price), basePrice: formatHundredths(baseK), discountPercent: formatHundredths(discount), unitKopecks: price };
  }

  function priceMinor(product: ProductPricingFacts, baseK: number, date: string, qty: DecimalString): number | null {
    const qtyNum = Number(qty);
    let price = baseK;
    const rule = bestRule(product, date, qty, qtyNum);
    if (rule) {
      if (!rule.value) return null;
      const p = applyMinor(baseK, rule.item.kind, rule.value);
      if (p === null) return null;
      price = p;
    }
    if (hasOffers) {
      let bestPrice = -1;
      let bestId = 0;
      let overflow = false;
      const current = price;
      forEachCandidate(offerIndex, product, (e) => {
        if (overflow || !isValidOn(e, date, qty, qtyNum)) return;
        const p = e.value ? applyMinor(current, e.item.kind, e.value) : null;
        if (p === null) {
          overflow = true;
          return;
        }
        if (p < current && (bestPrice < 0 || p < bestPrice || (p === bestPrice && e.item.id < bestId))) {
          bestPrice = p;
          bestId = e.item.id;
        }
      });
      if (overflow) return null;
      if (bestPrice >= 0) price = bestPrice;
    }
    return price;
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
      const rule = bestRule(product, date, qty, Number(qty));
      if (rule) {
        const applied = applyRule(base, rule.item);
        price = applied.price;
        steps.push({ kind: 'rule', ref: String(rule.item.id), title: rule.item.title, how: applied.how, price: price.toFixed(2) });
      }
      let bestOffer: { offer: TSpecialOffer; price: InstanceType<typeof Dec>; how: string } | null = null;
      const current = price;
      forEachCandidate(offerIndex, product, (c) => {
        if (!isValidOn(c, date, qty, Number(qty))) return;
        const applied = applyRule(current, c.item);
        if (applied.price.lessThan(current) && (!bestOffer || applied.price.lessThan(bestOffer.price) || (applied.price.equals(bestOffer.price) && c.item.id < bestOffer.offer.id))) {
          bestOffer = { offer: c.item, ...applied };
        }
      });
      if (bestOffer) {
        const chosen: { offer: TSpecialOffer; price: InstanceType<typeof Dec>; how: string } = bestOffer;
        price = chosen.price;
        steps.push({ kind: 'offer', ref: String(chosen.offer.id), title: chosen.offer.title, how: chosen.how, price: price.toFixed(2), ...(chosen.offer.conditions ? { conditions: chosen.offer.conditions } : {}) });
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

    /**
     * The unit price from the base price in ten-thousandths (how the catalog keeps ERP prices), exact, no breakdown.
     * null when a number leaves the exact integer range: then call `quote`.
     */
    quick,
    unitKopecks,
  };
}

export type CompiledPricing = ReturnType<typeof compilePricing>;

/** Priority first, then the more specific target, the nearer group, the more specific audience, the older rule. */
function beats(e: Entry<TDiscountRule>, targetRank: number, nearness: number, best: Entry<TDiscountRule>, bestTarget: number, bestNear: number): boolean {
  if (e.item.priority !== best.item.priority) return e.item.priority > best.item.priority;
  if (targetRank !== bestTarget) return targetRank > bestTarget;
  if (nearness !== bestNear) return nearness > bestNear;
  if (e.audienceRank !== best.audienceRank) return e.audienceRank > best.audienceRank;
  return e.item.id < best.item.id;
}

function countIndex(index: TargetIndex<Targeted>): number {
  let n = index.all.length;
  for (const m of [index.byProduct, index.byBrand, index.byGroup]) for (const list of m.values()) n += list.length;
  return n;
}

/** Today in UTC; services pass the portal's own day (see pricingDate). */
export const today = () => new Date().toISOString().slice(0, 10);

const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The pricing day in a time zone (validity dates in the portal are local dates): "2026-11-23". */
export function pricingDate(timeZone: string, now = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    // Building a formatter costs far more than using one: one per zone, kept (an unknown zone falls back to UTC).
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = null;
    }
    dayFormats.set(timeZone, format);
  }
  return format ? format.format(now) : now.toISOString().slice(0, 10);
}
