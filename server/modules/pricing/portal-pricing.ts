import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { audienceMatches, compilePricing, type CompiledPricing } from './compile-pricing.js';
import { audienceProfileOf, DealerDirectory, type DealerPricingRow } from './dealer-directory.js';
import { LruMap } from './lru-map.js';
import { createPricingRulesRepository, type RuleSource, type StoredRule } from './pricing-rules.repository.js';
import type { TDiscountRule, TSpecialOffer } from './pricing.types.js';
import { audienceIncludes, RuleBook, type Audience } from './rule-book.js';

/** A price type as pricing needs it (the catalog owns the list: ERP price types of the read model). */
export interface PricingPriceType {
  id: number;
  erpId: string;
  name: string;
  currency: string;
}

export interface PriceTypeLookup {
  byErpId(erpId: string): PricingPriceType | undefined;
  /** The portal's default (settings.pricing.defaultPriceTypeErpId, else the first price type). */
  fallback(): PricingPriceType | undefined;
  /** Changes whenever the set of price types changes, so dealers' resolved types are worked out again. */
  readonly version: string;
}

/** Which goods a dealer's personal rules and offers (audience = this dealer) can touch. */
export interface PersonalTargets {
  all: boolean;
  products: Set<string>;
  brands: Set<string>;
  groups: Set<string>;
}

/** One dealer's pricing, shared by every dealer with the same price type and the same applicable rules. */
export interface DealerPricing {
  dealerId: number | null;
  dealerTitle: string | null;
  priceType: PricingPriceType | null;
  /** price type + the applicable rules' versions: the cache key of everything priced with it. */
  signature: string;
  compiled: CompiledPricing;
  /**
   * Present when the dealer has personal rules: the pricing of their price type and group without them (shared by
   * the dealer's peers), and what the personal rules target. A product none of them targets is priced the same by
   * both, so a price sort reuses the shared sort keys and computes only the targeted products for this dealer.
   */
  shared?: { signature: string; compiled: CompiledPricing; personal: PersonalTargets };
}

/** True when one of the dealer's personal rules could apply to the product. */
export function personallyTargeted(t: PersonalTargets, product: { productId: string; brandKey?: string | null; brand: string | null; groupPath: string[] }): boolean {
  if (t.all || t.products.has(product.productId)) return true;
  const brand = product.brandKey ?? product.brand?.toLowerCase();
  if (brand && t.brands.has(brand)) return true;
  for (const g of product.groupPath) if (t.groups.has(g)) return true;
  return false;
}

interface Signed {
  signature: string;
  sharedSignature: string;
  personal: PersonalTargets | null;
  rules: { discounts: TDiscountRule[]; offers: TSpecialOffer[] };
  priceType: PricingPriceType | null;
  lookupVersion: string;
}

/** How many distinct compiled pricings stay in memory (each is a few maps of the rules that apply). */
const COMPILED_CAPACITY = 2_000;

/** A stored row saying "this rule is gone" (its row vanished from the table). */
function tombstone(key: string): StoredRule {
  const [source, id] = key.split(':') as [RuleSource, string];
  return { id: 0, portalId: 0, source, b24ItemId: Number(id), title: '', rule: null, status: 'ok', problem: null, deleted: true, rowHash: '', updatedAt: new Date(0) };
}

/**
 * A portal's pricing state in one process: the rule book, the dealer directory, and compiled pricing per signature.
 *
 * A dealer's signature is their price type plus the ids and versions of the rules and offers whose audience includes
 * them. Dealers of one group without personal rules share one compiled pricing (and one sort array in the catalog);
 * a rule change re-signs exactly the dealers in its audience, a dealer change exactly that dealer, and entries nobody
 * signs any more age out of the LRU.
 */
export class PortalPricing {
  readonly book = new RuleBook();
  readonly dealers = new DealerDirectory();
  private readonly compiled = new LruMap<string, CompiledPricing>(COMPILED_CAPACITY);
  private readonly signed = new Map<number, Signed>();
  /** Dealers re-signed since start (for tests and the health page). */
  invalidations = 0;

  constructor(
    readonly portalId: number,
    private readonly db: Database,
    private readonly logger: Logger,
  ) {}

  async init(): Promise<void> {
    this.book.replaceAll(await createPricingRulesRepository(this.db).list(this.portalId, { includeDeleted: true }));
    await this.dealers.loadAll(this.db, this.portalId);
  }

  /** Pricing for a dealer, or base prices (dealerId null: staff without a dealer; no rules apply). */
  forDealer(dealerId: number | null, priceTypes: PriceTypeLookup): DealerPricing | null {
    if (dealerId === null) {
      const priceType = priceTypes.fallback() ?? null;
      const signature = `base|${priceType?.id ?? '-'}`;
      return { dealerId: null, dealerTitle: null, priceType, signature, compiled: this.compile(signature, { dealerId: 0, priceTypeId: priceType?.erpId ?? '', groups: [] }, [], []) };
    }
    const dealer = this.dealers.get(dealerId);
    if (!dealer) return null;
    let signed = this.signed.get(dealerId);
    if (!signed || signed.lookupVersion !== priceTypes.version) {
      signed = this.sign(dealer, priceTypes);
      this.signed.set(dealerId, signed);
    }
    const profile = { dealerId, priceTypeId: signed.priceType?.erpId ?? '', groups: dealer.group ? [dealer.group] : [] };
    const { discounts, offers } = signed.rules;
    const compiled = this.compile(signed.signature, profile, discounts, offers);
    const result: DealerPricing = { dealerId, dealerTitle: dealer.title, priceType: signed.priceType, signature: signed.signature, compiled };
    if (signed.personal) {
      const isShared = (r: TDiscountRule | TSpecialOffer) => r.audience.kind !== 'dealer';
      result.shared = {
        signature: signed.sharedSignature,
        compiled: this.compile(signed.sharedSignature, profile, discounts.filter(isShared), offers.filter(isShared)),
        personal: signed.personal,
      };
    }
    return result;
  }

  /** Drops the signatures of the dealers in an audience; returns how many were dropped. */
  affect(audience: Audience): number {
    if (audience.all) return this.invalidateAll();
    let n = 0;
    for (const dealerId of [...this.signed.keys()]) {
      const d = this.dealers.get(dealerId);
      if (!d || audienceIncludes(audience, dealerId, d.group)) {
        this.signed.delete(dealerId);
        n++;
      }
    }
    this.invalidations += n;
    return n;
  }

  invalidateDealer(dealerId: number): void {
    if (this.signed.delete(dealerId)) this.invalidations++;
  }

  invalidateAll(): number {
    const n = this.signed.size;
    this.signed.clear();
    this.invalidations += n;
    return n;
  }

  /**
   * Reads the rule book again and applies what differs (a few hundred rows; compared by fingerprint, so the result is
   * exact whatever the timestamps say); returns whom the changes affect, or null when nothing changed.
   */
  async refreshRules(): Promise<Audience | null> {
    const rows = await createPricingRulesRepository(this.db).list(this.portalId, { includeDeleted: true });
    const present = new Set(rows.map((r) => `${r.source}:${r.b24ItemId}`));
    // Rows that vanished (a portal purge) are applied as tombstones.
    const gone = this.book.keys().filter((k) => !present.has(k));
    const audience = this.book.apply([...rows, ...gone.map((key) => tombstone(key))]);
    if (!audience.all && !audience.dealers.size && !audience.groups.size) return null;
    const n = this.affect(audience);
    this.logger.debug({ portalId: this.portalId, dealers: n, all: audience.all }, 'pricing rules changed');
    return audience;
  }

  /** Re-reads the dealers; re-signs (and returns) those whose price type, group or title changed. */
  async refreshDealers(options: { customersChanged?: boolean } = {}): Promise<number[]> {
    const changed = await this.dealers.refresh(this.db, this.portalId, options);
    for (const id of changed) this.invalidateDealer(id);
    return changed;
  }

  /**
   * The dealer's price type and applicable rules, and their signatures: `shared` (price type + rules for everybody and
   * for the dealer's group) and the full one (+ personal rules). A rule for one dealer is in that dealer's set only,
   * so equal signatures are safe to share.
   */
  private sign(dealer: DealerPricingRow, priceTypes: PriceTypeLookup): Signed {
    const priceType = (dealer.priceTypeErpId ? priceTypes.byErpId(dealer.priceTypeErpId) : undefined) ?? priceTypes.fallback() ?? null;
    const who = audienceProfileOf(dealer);
    const shared: string[] = [];
    const own: string[] = [];
    const rules = { discounts: [] as TDiscountRule[], offers: [] as TSpecialOffer[] };
    let personal: PersonalTargets | null = null;
    for (const [list, prefix] of [[this.book.discounts(), 'd'], [this.book.offers(), 'o']] as const) {
      for (const r of list) {
        if (!audienceMatches(r.rule, who)) continue;
        if (prefix === 'd') rules.discounts.push(r.rule as TDiscountRule);
        else rules.offers.push(r.rule as TSpecialOffer);
        const part = `${prefix}${r.rule.id}:${r.version}`;
        if (r.rule.audience.kind !== 'dealer') {
          shared.push(part);
          continue;
        }
        own.push(part);
        personal ??= { all: false, products: new Set(), brands: new Set(), groups: new Set() };
        const t = r.rule.target;
        if (t.kind === 'all') personal.all = true;
        else if (t.kind === 'product') personal.products.add(t.productId);
        else if (t.kind === 'brand') personal.brands.add(t.brand.toLowerCase());
        else personal.groups.add(t.groupId);
      }
    }
    const sharedSignature = `${priceType?.id ?? '-'}|${shared.join(',')}`;
    return { signature: own.length ? `${sharedSignature}|${own.join(',')}` : sharedSignature, sharedSignature, personal, rules, priceType, lookupVersion: priceTypes.version };
  }

  private compile(signature: string, profile: { dealerId: number; priceTypeId: string; groups: string[] }, discounts: TDiscountRule[], offers: TSpecialOffer[]): CompiledPricing {
    let compiled = this.compiled.get(signature);
    if (!compiled) {
      compiled = compilePricing(profile, discounts, offers);
      this.compiled.set(signature, compiled);
    }
    return compiled;
  }
}
