import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { LruMap, PortalPricing, personallyTargeted, pricingDate, type CompiledPricing, type DealerPricing, type PriceTypeLookup, type PricingPriceType } from '../pricing/index.js';
import type { SearchResult } from '../search/index.js';
import { readChangeStamps, readPartitionFingerprints, readPriceTypes, readStructureFingerprint, type StampKey } from './catalog.repository.js';
import type { CatalogSnapshot, SearchPayload } from './catalog-snapshot.js';
import type { PriceColumn } from './price-table.js';
import { loadCatalog, loadPriceColumn, loadStock } from './load-catalog.js';

export interface PortalCatalogOptions {
  /** How often (at most) an instance looks at the change stamps; requests never wait for it. Default 3 s. */
  checkIntervalMs?: number;
  /** Rules and dealers are compared in full at least this often, whatever the stamps say. Default 60 s. */
  sweepIntervalMs?: number;
  /** Memory for per-signature price sort keys (8 bytes × SKUs each). Default 96 MB. */
  sortKeyBudgetBytes?: number;
  /** Portal settings (default price type, time zone), read again on every check. */
  readSettings?: () => Promise<Record<string, unknown>>;
  /** The address a browser loads a product's n-th picture from (a signed media link); without it, none is shown. */
  pictureLink?: (portalId: number, productId: number, n: number) => string;
}

let generations = 0;

const SWEEP_MS = 60_000;

/** Sort key values: kopecks (exact integers), NaN = no price, NOT_COMPUTED until a query needs the slot. */
const NOT_COMPUTED = -1;

/** A slot's unit price in kopecks for sorting: the integer path, or the decimal quote for out-of-range numbers. */
function unitKopecksOf(snapshot: CatalogSnapshot, column: PriceColumn, compiled: CompiledPricing, slot: number, date: string): number {
  const base = column.scaled[slot]!;
  const facts = snapshot.facts(slot);
  if (!Number.isNaN(base)) {
    const k = compiled.unitKopecks(facts, base, date);
    if (k !== null) return k;
  }
  const text = column.text(slot);
  return text === null ? NaN : Number(compiled.quote(facts, text, column.currency(slot), '1', date).unitPrice) * 100;
}

/**
 * One portal's catalog in one process: the snapshot (products, groups, stock, base prices) and the pricing state,
 * kept fresh without anyone waiting: a request that finds the last check older than the interval starts a check in
 * the background. A check reads a few change stamps; only what moved is reloaded — products or groups: a new
 * snapshot built beside the old one and swapped in; prices: the price types whose fingerprint moved (and the sort
 * keys of dealers on them); stock: the warehouses whose fingerprint moved; rules and dealers: their changed rows.
 * Every instance does this from the database, so N instances converge within the interval.
 */
export class PortalCatalog {
  readonly pricing: PortalPricing;
  private snapshotValue: CatalogSnapshot | null = null;
  private loading: Promise<CatalogSnapshot> | null = null;
  private checking: Promise<void> | null = null;
  private lastCheck = 0;
  private stamps: Record<StampKey, string> | null = null;
  private structure = '';
  private priceFingerprints = new Map<number, string>();
  private stockFingerprints = new Map<number, string>();
  private priceTypesVersion = 0;
  private readonly sortKeys = new LruMap<string, Float64Array>(8);
  private readonly personalKeys = new LruMap<string, Map<number, number>>(2_000);
  private readonly searches = new LruMap<string, SearchResult<SearchPayload>>(1_000);
  private settings: Record<string, unknown> = {};
  private lastSweep = Date.now();
  /** Bumped when a price type's prices reload: part of every price order key of its dealers. */
  private readonly priceVersions = new Map<number, number>();
  private readonly checkIntervalMs: number;
  private readonly sortKeyBudget: number;
  /** Counters for tests and the health page. */
  readonly stats = { rebuilds: 0, priceReloads: 0, stockReloads: 0, sortKeysBuilt: 0 };

  constructor(
    readonly portalId: number,
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: PortalCatalogOptions = {},
  ) {
    this.pricing = new PortalPricing(portalId, db, logger);
    this.checkIntervalMs = options.checkIntervalMs ?? 3_000;
    this.sortKeyBudget = options.sortKeyBudgetBytes ?? 96 * 1024 * 1024;
  }
  /**
   * The n-th picture of a product as an address the browser can load: the ERP's own URL when it gave one, otherwise
   * the signed media link that fetches the file from the ERP; null when there is no such picture.
   */
  pictureUrl(productId: number, pictures: readonly string[], n: number): string | null {
    const key = pictures[n];
    if (!key) return null;
    if (/^https?:\/\//i.test(key)) return key;
    return this.options.pictureLink ? this.options.pictureLink(this.portalId, productId, n) : null;
  }


  get snapshot(): CatalogSnapshot | null {
    return this.snapshotValue;
  }

  /** The current snapshot; the first call loads it (and waits), later calls start a background check when due. */
  async ready(): Promise<CatalogSnapshot> {
    if (this.snapshotValue) {
      if (Date.now() - this.lastCheck >= this.checkIntervalMs) void this.check().catch((err: unknown) => this.logger.error({ err, portalId: this.portalId }, 'catalog check failed'));
      return this.snapshotValue;
    }
    this.loading ??= this.initialLoad().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Looks at the change stamps now and reloads what changed (single-flight). */
  check(): Promise<void> {
    this.lastCheck = Date.now();
    this.checking ??= this.runCheck().finally(() => (this.checking = null));
    return this.checking;
  }

  /** The portal's pricing day (validity dates of rules are local dates; settings.pricing.timeZone, default Moscow). */
  today(): string {
    const pricing = this.settings.pricing as { timeZone?: unknown } | undefined;
    return pricingDate(typeof pricing?.timeZone === 'string' ? pricing.timeZone : 'Europe/Moscow');
  }

  /** A dealer's pricing (null: no such dealer in this portal), or base prices for dealerId null. */
  dealerPricing(dealerId: number | null): DealerPricing | null {
    return this.pricing.forDealer(dealerId, this.priceTypeLookup());
  }

  priceTypeLookup(): PriceTypeLookup {
    const snapshot = this.snapshotValue;
    const types = snapshot ? [...snapshot.priceTypes.values()].map((c) => c.type) : [];
    const pricing = this.settings.pricing as { defaultPriceTypeErpId?: unknown } | undefined;
    const defaultErpId = typeof pricing?.defaultPriceTypeErpId === 'string' ? pricing.defaultPriceTypeErpId : null;
    return {
      byErpId: (erpId) => types.find((t) => t.erpId === erpId),
      fallback: () => (defaultErpId ? types.find((t) => t.erpId === defaultErpId) : undefined) ?? types[0],
      version: `${snapshot?.generation ?? 0}:${this.priceTypesVersion}:${defaultErpId ?? ''}`,
    };
  }

  /**
   * The dealer's unit price per slot in kopecks, for sorting (NaN: no price). Computed per slot on first need and kept
   * per signature and day, so the dealers sharing a signature share it and a group sort prices only its goods. A
   * dealer with personal rules reads the shared keys of their price type and group, and prices only the products
   * their personal rules target themselves.
   */
  priceSortKey(pricing: DealerPricing, date: string): (slot: number) => number {
    const snapshot = this.snapshotValue!;
    const column = pricing.priceType ? snapshot.priceTypes.get(pricing.priceType.id) : undefined;
    if (!column) return () => NaN;
    if (!pricing.shared) return this.sortKeyArray(snapshot, column, pricing.signature, pricing.compiled, date);
    const shared = this.sortKeyArray(snapshot, column, pricing.shared.signature, pricing.shared.compiled, date);
    const personal = pricing.shared.personal;
    const key = `${snapshot.generation}|${pricing.signature}|${date}`;
    let own = this.personalKeys.get(key);
    if (!own) this.personalKeys.set(key, (own = new Map()));
    const ownKeys = own;
    const compiled = pricing.compiled;
    return (slot) => {
      const facts = snapshot.facts(slot);
      if (!personallyTargeted(personal, facts)) return shared(slot);
      let v = ownKeys.get(slot);
      if (v === undefined) ownKeys.set(slot, (v = unitKopecksOf(snapshot, column, compiled, slot, date)));
      return v;
    };
  }

  /** Identifies the values of priceSortKey(pricing, date) for the catalog index's order cache. */
  priceSortKeyId(pricing: DealerPricing, date: string): string {
    const snapshot = this.snapshotValue!;
    const typeId = pricing.priceType?.id ?? 0;
    return `${snapshot.generation}|${pricing.signature}|${date}|v${this.priceVersions.get(typeId) ?? 0}`;
  }

  /** The search box's hits for a text, cached per snapshot (they do not depend on the dealer). */
  searchProducts(q: string, limit: number): SearchResult<SearchPayload> {
    const snapshot = this.snapshotValue!;
    const key = `${snapshot.generation}|${limit}|${q.trim().toLowerCase()}`;
    let found = this.searches.get(key);
    if (!found) {
      found = snapshot.search.search(q, { limit, kinds: ['product'] });
      this.searches.set(key, found);
    }
    return found;
  }

  private sortKeyArray(snapshot: CatalogSnapshot, column: PriceColumn, signature: string, compiled: CompiledPricing, date: string): (slot: number) => number {
    const key = `${snapshot.generation}|${signature}|${date}`;
    let keys = this.sortKeys.get(key);
    if (!keys) {
      keys = new Float64Array(snapshot.size).fill(NOT_COMPUTED);
      this.sortKeys.resize(Math.max(8, Math.floor(this.sortKeyBudget / Math.max(1, snapshot.size * 8))));
      this.sortKeys.set(key, keys);
      this.stats.sortKeysBuilt++;
    }
    const arr = keys;
    return (slot) => {
      let v = arr[slot]!;
      if (v === NOT_COMPUTED) arr[slot] = v = unitKopecksOf(snapshot, column, compiled, slot, date);
      return v;
    };
  }

  private async initialLoad(): Promise<CatalogSnapshot> {
    this.settings = (await this.options.readSettings?.()) ?? {};
    this.stamps = await readChangeStamps(this.db, this.portalId);
    await this.rebuild();
    await this.pricing.init();
    this.lastCheck = Date.now();
    return this.snapshotValue!;
  }

  /** A new snapshot beside the old one; fingerprints are read first, so a write during the load is seen next time. */
  private async rebuild(): Promise<void> {
    const [structure, prices, stock] = await Promise.all([
      readStructureFingerprint(this.db, this.portalId),
      readPartitionFingerprints(this.db, this.portalId, 'prices'),
      readPartitionFingerprints(this.db, this.portalId, 'stock'),
    ]);
    const snapshot = await loadCatalog(this.db, this.portalId, { logger: this.logger, generation: ++generations });
    this.structure = structure;
    this.priceFingerprints = prices;
    this.stockFingerprints = stock;
    this.snapshotValue = snapshot;
    this.priceTypesVersion++;
    this.sortKeys.clear();
    this.personalKeys.clear();
    this.searches.clear();
    this.stats.rebuilds++;
  }

  private async runCheck(): Promise<void> {
    if (!this.snapshotValue) return;
    if (this.options.readSettings) this.settings = await this.options.readSettings();
    const stamps = await readChangeStamps(this.db, this.portalId);
    const before = this.stamps!;
    this.stamps = stamps;
    const moved = (k: StampKey) => stamps[k] !== before[k];
    let rebuilt = false;
    if (moved('catalog')) {
      const structure = await readStructureFingerprint(this.db, this.portalId);
      if (structure !== this.structure) {
        await this.rebuild();
        rebuilt = true;
        // Slots and price types may have moved: every dealer resolves again (compiled rules stay valid).
        this.pricing.invalidateAll();
      }
    }
    if (!rebuilt && moved('prices')) await this.reloadPrices();
    if (!rebuilt && moved('stock')) await this.reloadStock();
    // Rules and dealers are also compared in full once a minute: a DATETIME of whole seconds (or a writer that
    // sets no timestamp) can hide a change from the stamps, never from the comparison.
    const sweep = Date.now() - this.lastSweep >= (this.options.sweepIntervalMs ?? SWEEP_MS);
    if (sweep) this.lastSweep = Date.now();
    if (moved('rules') || sweep) await this.pricing.refreshRules();
    if (moved('dealers') || moved('customers') || sweep) await this.pricing.refreshDealers({ customersChanged: moved('customers') });
  }

  /** Reloads the price types whose fingerprint moved; drops the sort keys of the dealers on them. */
  private async reloadPrices(): Promise<void> {
    const snapshot = this.snapshotValue!;
    const [fingerprints, types] = await Promise.all([readPartitionFingerprints(this.db, this.portalId, 'prices'), readPriceTypes(this.db, this.portalId)]);
    const changed: number[] = [];
    let listChanged = types.length !== snapshot.priceTypes.size;
    for (const t of types) {
      const info: PricingPriceType = { id: t.id, erpId: t.erpId, name: t.name, currency: t.currency ?? 'RUB' };
      const old = snapshot.priceTypes.get(t.id);
      if (!old || old.type.erpId !== info.erpId || old.type.name !== info.name || old.type.currency !== info.currency) listChanged = true;
      if (old && old.type.currency === info.currency && fingerprints.get(t.id) === this.priceFingerprints.get(t.id)) {
        if (old.type.name !== info.name) old.type.name = info.name;
        continue;
      }
      const column = await loadPriceColumn(this.db, snapshot, info);
      if (old && old.sameAs(column)) continue;
      snapshot.priceTypes.set(t.id, column);
      changed.push(t.id);
    }
    for (const id of [...snapshot.priceTypes.keys()]) if (!types.some((t) => t.id === id)) snapshot.priceTypes.delete(id);
    this.priceFingerprints = fingerprints;
    if (listChanged) {
      this.priceTypesVersion++;
      this.pricing.invalidateAll();
    }
    for (const id of changed) this.dropSortKeys(id);
    if (changed.length || listChanged) {
      this.stats.priceReloads++;
      this.logger.info({ portalId: this.portalId, priceTypes: changed }, 'catalog prices reloaded');
    }
  }

  /** Sort keys are per signature, and a signature starts with its price type id. */
  private dropSortKeys(priceTypeId: number): void {
    this.priceVersions.set(priceTypeId, (this.priceVersions.get(priceTypeId) ?? 0) + 1);
    for (const cache of [this.sortKeys, this.personalKeys] as Array<LruMap<string, unknown>>) {
      for (const [key] of [...cache.entries()]) if (key.split('|')[1] === String(priceTypeId)) cache.delete(key);
    }
  }

  private async reloadStock(): Promise<void> {
    const snapshot = this.snapshotValue!;
    const fingerprints = await readPartitionFingerprints(this.db, this.portalId, 'stock');
    const changed = [...new Set([...fingerprints.keys(), ...this.stockFingerprints.keys()])].filter((w) => fingerprints.get(w) !== this.stockFingerprints.get(w));
    for (const w of changed) await loadStock(this.db, snapshot, w);
    this.stockFingerprints = fingerprints;
    if (changed.length) {
      this.stats.stockReloads++;
      this.logger.info({ portalId: this.portalId, warehouses: changed }, 'catalog stock reloaded');
    }
  }
}
