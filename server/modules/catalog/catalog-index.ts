/**
 * The catalog as dealers browse it, held in memory per portal and rebuilt from the ERP read model when a sync
 * changes it. Why in memory: faceted counts that narrow as filters are chosen, sort by the dealer's own price and
 * stock per city must answer in a few milliseconds for 100k SKUs at hundreds of requests a second on two cores,
 * which per-request SQL over 3,000 dealers' computed prices cannot (DESIGN.md §2 keeps no price matrix anywhere).
 *
 * Values are dictionary-encoded (property value → small integer) and kept in flat arrays indexed by a product slot.
 */

export interface CatalogProductInput {
  id: number;
  erpId: string;
  sku: string | null;
  name: string;
  brand: string | null;
  groupId: number | null;
  unit: string;
  /** Base units per pack, as a decimal string ("12"); null when the product has no pack. */
  packRatio: string | null;
  /** Read once while indexing (dictionary-encoded into columns) and not kept: see propertiesOf. */
  properties: Array<{ id: string; name: string; value: string }>;
  barcodes: string[];
  analogIds: number[];
  pictures: string[];
  onSale: boolean;
  popularity: number;
}

/** A product as the index keeps it: the input object, its property list emptied (that lives in the columns). */
export type CatalogProduct = Omit<CatalogProductInput, 'properties'>;

const NO_PROPERTIES: never[] = [];

export interface CatalogGroupInput {
  id: number;
  name: string;
  parentId: number | null;
}

export interface CatalogWarehouseInput {
  id: number;
  name: string;
  city: string | null;
}

export interface CatalogGroupNode {
  id: number;
  name: string;
  parentId: number | null;
  children: CatalogGroupNode[];
  /** Products on sale in this group and below. */
  productCount: number;
}

export interface FacetValue {
  value: string;
  count: number;
  selected: boolean;
}

export interface Facet {
  id: string;
  name: string;
  values: FacetValue[];
}

export type CatalogSort = 'name' | 'price' | 'popularity' | 'availability';

export interface CatalogQuery {
  groupId?: number | null;
  /** Property id → accepted values (OR inside a property, AND across properties). `brand` is a property too. */
  filters?: Record<string, string[]>;
  /** Only products with stock (> 0 available) in the chosen scope. */
  inStockOnly?: boolean;
  /** Stock scope: one city or one warehouse; all warehouses when absent. Stock is in whatever unit setStock got. */
  city?: string | null;
  warehouseId?: number | null;
  /** Restricts to these product ids (the search box's hits), in that order when sort is 'relevance'. */
  productIds?: number[] | null;
  /** What identifies productIds for the match cache (e.g. the normalized search text); without it they are not cached. */
  productIdsKey?: string;
  sort?: CatalogSort | 'relevance';
  dir?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  /**
   * The dealer's unit price per slot, for sorting by price (exact prices are quoted for the page only). NaN = the
   * product has no price: it goes last in both directions.
   */
  priceForSlot?: (slot: number) => number;
  /**
   * Identifies priceForSlot's values (signature, day, price version): with it, the head of a price order is kept and
   * reused by the next query with the same match and key. It must change whenever the values do.
   */
  priceKey?: string;
}

export interface CatalogPageItem {
  slot: number;
  id: number;
  available: number;
}

export interface CatalogPage {
  items: CatalogPageItem[];
  total: number;
  facets: Facet[];
}

const BRAND = 'brand';

const MAX_FACET_VALUES = 50;
/** Recent dealer-independent query results kept (matched slots as Int32Array + facets). */
const MATCH_CACHE_SIZE = 1_024;
/** Recent sorted heads kept, and how long a head is at least (a few pages of the largest page size). */
const ORDER_CACHE_SIZE = 1_024;
const ORDER_HEAD = 200;

interface MatchResult {
  matched: Int32Array;
  facets: Facet[];
  /** The match cache key; null when the query is not cacheable (search hits without a key). */
  key: string | null;
}

export class CatalogIndex {
  readonly products: CatalogProduct[] = [];
  private readonly slotById = new Map<number, number>();
  private readonly groupOf: Int32Array;
  private readonly groups = new Map<number, CatalogGroupNode>();
  /** Group id → every product slot in the group's subtree (including itself). */
  private readonly subtree = new Map<number, Int32Array>();
  private readonly propNames = new Map<string, string>();
  private readonly propValues = new Map<string, string[]>();
  private readonly propCodes = new Map<string, Map<string, number>>();
  /** Property id → value code per slot (-1 when the product lacks it). */
  private readonly propColumn = new Map<string, Int32Array>();
  /** Property ids in the order they were first met (the card lists a product's properties in this order). */
  private readonly propOrder: string[] = [];
  private readonly warehouses: CatalogWarehouseInput[];
  private readonly warehouseIndex = new Map<number, number>();
  /** available[warehouseIndex * n + slot] */
  private available: Float64Array;
  /** Every slot in name order; subtree arrays are kept in the same order, so name sorting costs nothing per query. */
  private readonly allByName: Int32Array;
  private readonly totalsCache = new Map<string, Float64Array>();
  private readonly onSale: Uint8Array;
  /** Dealer-independent part of recent queries (matches in name order + facets), dropped on any stock change. */
  private readonly matchCache = new Map<string, MatchResult>();
  /** The head of recent non-name orders (price per signature, availability, popularity) per match. */
  private readonly orderCache = new Map<string, number[]>();
  // Facet counting layout (built once): every (property, value) pair has a flat number; each slot lists its own
  // pairs contiguously, so counting a matched product touches its ~10 values, not every property column.
  private propIndex = new Map<string, number>();
  private valueOffset = new Int32Array(1);
  private slotFacetStart = new Int32Array(1);
  private slotFacetFlat = new Int32Array(0);
  /** Per property: value code → its position in the property's natural order (numbers as numbers). */
  private valueRank: Int32Array[] = [];
  private matchScratch = new Int32Array(0);

  constructor(input: { products: CatalogProductInput[]; groups: CatalogGroupInput[]; warehouses: CatalogWarehouseInput[] }) {
    const n = input.products.length;
    this.groupOf = new Int32Array(n).fill(-1);
    this.onSale = Uint8Array.from(input.products, (p) => (p.onSale ? 1 : 0));
    this.warehouses = input.warehouses;
    input.warehouses.forEach((w, i) => this.warehouseIndex.set(w.id, i));
    this.available = new Float64Array(Math.max(1, input.warehouses.length) * n);

    for (const g of input.groups) this.groups.set(g.id, { id: g.id, name: g.name, parentId: g.parentId, children: [], productCount: 0 });
    for (const g of this.groups.values()) if (g.parentId !== null) this.groups.get(g.parentId)?.children.push(g);
    for (const g of this.groups.values()) g.children.sort((a, b) => a.name.localeCompare(b.name, 'ru'));

    const slotsByGroup = new Map<number, number[]>();
    input.products.forEach((p, slot) => {
      // The index takes the objects over; their property lists live on in the columns only (see propertiesOf).
      const properties = p.properties;
      (p as { properties: unknown[] }).properties = NO_PROPERTIES;
      this.products.push(p);
      this.slotById.set(p.id, slot);
      if (p.groupId !== null) {
        this.groupOf[slot] = p.groupId;
        for (let g: number | null = p.groupId, guard = 0; g !== null && guard < 32; guard++) {
          let list = slotsByGroup.get(g);
          if (!list) slotsByGroup.set(g, (list = []));
          list.push(slot);
          g = this.groups.get(g)?.parentId ?? null;
        }
      }
      this.setProp(slot, BRAND, 'Бренд', p.brand);
      for (const prop of properties) this.setProp(slot, prop.id, prop.name, prop.value);
    });
    const keys = input.products.map((p) => nameSortKey(p.name));
    this.allByName = Int32Array.from(keys.keys()).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
    const nameRank = new Int32Array(n);
    this.allByName.forEach((slot, rank) => (nameRank[slot] = rank));
    for (const [g, list] of slotsByGroup) {
      list.sort((a, b) => nameRank[a]! - nameRank[b]!);
      this.subtree.set(g, Int32Array.from(list));
      const node = this.groups.get(g);
      if (node) node.productCount = list.filter((s) => this.products[s]!.onSale).length;
    }
    this.buildFacetLayout();
  }

  private buildFacetLayout(): void {
    const n = this.products.length;
    const columns = this.propOrder.map((id) => this.propColumn.get(id)!);
    this.propIndex = new Map(this.propOrder.map((id, i) => [id, i]));
    this.valueOffset = new Int32Array(columns.length + 1);
    const collator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });
    this.valueRank = this.propOrder.map((id, i) => {
      const dict = this.propValues.get(id)!;
      this.valueOffset[i + 1] = this.valueOffset[i]! + dict.length;
      const order = Int32Array.from(dict.keys()).sort((a, b) => collator.compare(dict[a]!, dict[b]!) || a - b);
      const rank = new Int32Array(dict.length);
      order.forEach((code, r) => (rank[code] = r));
      return rank;
    });
    this.slotFacetStart = new Int32Array(n + 1);
    let total = 0;
    for (let slot = 0; slot < n; slot++) {
      for (const column of columns) if (column[slot]! >= 0) total++;
      this.slotFacetStart[slot + 1] = total;
    }
    this.slotFacetFlat = new Int32Array(total);
    let at = 0;
    for (let slot = 0; slot < n; slot++) {
      for (let pi = 0; pi < columns.length; pi++) {
        const code = columns[pi]![slot]!;
        if (code >= 0) this.slotFacetFlat[at++] = this.valueOffset[pi]! + code;
      }
    }
    this.matchScratch = new Int32Array(n);
  }

  get size(): number {
    return this.products.length;
  }

  slotOf(productId: number): number | undefined {
    return this.slotById.get(productId);
  }

  /** Sets stock for the given rows (a delta: other products keep theirs). */
  setStock(rows: Array<{ productId: number; warehouseId: number; available: number }>): void {
    const n = this.products.length;
    for (const r of rows) {
      const slot = this.slotById.get(r.productId);
      const w = this.warehouseIndex.get(r.warehouseId);
      if (slot === undefined || w === undefined) continue;
      this.available[w * n + slot] = r.available;
    }
    this.stockChanged();
  }

  /** Replaces one warehouse's whole snapshot: products not in `rows` have nothing there. */
  replaceWarehouseStock(warehouseId: number, rows: Array<{ productId: number; available: number }>): void {
    const w = this.warehouseIndex.get(warehouseId);
    if (w === undefined) return;
    const n = this.products.length;
    this.available.fill(0, w * n, (w + 1) * n);
    for (const r of rows) {
      const slot = this.slotById.get(r.productId);
      if (slot !== undefined) this.available[w * n + slot] = r.available;
    }
    this.stockChanged();
  }

  get warehouseList(): readonly CatalogWarehouseInput[] {
    return this.warehouses;
  }

  group(groupId: number): CatalogGroupNode | undefined {
    return this.groups.get(groupId);
  }

  hasProperty(propId: string): boolean {
    return this.propColumn.has(propId);
  }

  /** Every slot of a group's subtree (or of the catalog) in name order, goods not on sale included. */
  slotsInNameOrder(groupId: number | null): Int32Array {
    return groupId ? (this.subtree.get(groupId) ?? new Int32Array(0)) : this.allByName;
  }

  /** The product's properties (brand excluded) in first-met order, rebuilt from the columns. */
  propertiesOf(slot: number): Array<{ id: string; name: string; value: string }> {
    const out: Array<{ id: string; name: string; value: string }> = [];
    for (const id of this.propOrder) {
      if (id === BRAND) continue;
      const code = this.propColumn.get(id)![slot]!;
      if (code >= 0) out.push({ id, name: this.propNames.get(id) ?? id, value: this.propValues.get(id)![code]! });
    }
    return out;
  }

  private stockChanged(): void {
    this.totalsCache.clear();
    this.matchCache.clear();
    this.orderCache.clear();
  }

  stockOf(slot: number): Array<{ warehouseId: number; name: string; city: string | null; available: number }> {
    const n = this.products.length;
    return this.warehouses.map((w, i) => ({ warehouseId: w.id, name: w.name, city: w.city, available: this.available[i * n + slot]! }));
  }

  availableIn(slot: number, scope: { city?: string | null; warehouseId?: number | null } = {}): number {
    return this.scopeTotals(scope)[slot]!;
  }

  /** Available stock per slot summed over a scope; cached until the next setStock. */
  private scopeTotals(scope: { city?: string | null; warehouseId?: number | null }): Float64Array {
    const key = scope.warehouseId ? `w:${scope.warehouseId}` : scope.city ? `c:${scope.city}` : 'all';
    let totals = this.totalsCache.get(key);
    if (totals) return totals;
    const n = this.products.length;
    totals = new Float64Array(n);
    for (let i = 0; i < this.warehouses.length; i++) {
      const w = this.warehouses[i]!;
      if (scope.warehouseId ? w.id !== scope.warehouseId : scope.city ? w.city !== scope.city : false) continue;
      const base = i * n;
      for (let slot = 0; slot < n; slot++) totals[slot] = totals[slot]! + this.available[base + slot]!;
    }
    this.totalsCache.set(key, totals);
    return totals;
  }

  groupTree(): CatalogGroupNode[] {
    return [...this.groups.values()].filter((g) => g.parentId === null || !this.groups.has(g.parentId)).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  }

  groupPath(groupId: number | null): number[] {
    const path: number[] = [];
    for (let g = groupId, guard = 0; g !== null && g !== undefined && guard < 32; guard++) {
      path.push(g);
      g = this.groups.get(g)?.parentId ?? null;
    }
    return path;
  }

  query(q: CatalogQuery): CatalogPage {
    const stockScope = { city: q.city ?? null, warehouseId: q.warehouseId ?? null };
    const { matched, facets, key: matchKey } = this.match(q);
    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.min(500, Math.max(1, q.limit ?? 50));
    const desc = q.dir === 'desc';
    const sort = q.sort ?? (q.productIds ? 'relevance' : 'name');
    let ordered: ArrayLike<number>;
    if (sort === 'relevance' || (sort === 'price' && !q.priceForSlot)) ordered = matched;
    else if (sort === 'name') ordered = desc ? matched.slice(Math.max(0, matched.length - offset - limit)).reverse() : matched;
    else {
      // Only the requested page is needed: keep the best offset+limit by key, ties in name order (matched order).
      // The head of the order is kept per match, sort and price key: the next dealer of the same signature (and the
      // next page) reads it instead of ranking the whole group again.
      const orderKey = matchKey !== null && (sort !== 'price' || q.priceKey) ? `${matchKey}|${sort}|${desc ? 'd' : 'a'}|${sort === 'price' ? q.priceKey : ''}` : null;
      const cached = orderKey ? this.orderCache.get(orderKey) : undefined;
      if (cached && (cached.length >= offset + limit || cached.length === matched.length)) {
        this.orderCache.delete(orderKey!);
        this.orderCache.set(orderKey!, cached);
        ordered = cached;
      } else {
        const totals = this.scopeTotals(stockScope);
        const key =
          sort === 'popularity'
            ? (slot: number) => -this.products[slot]!.popularity
            : sort === 'availability'
              ? (slot: number) => -totals[slot]!
              : q.priceForSlot!;
        const top = topK(matched, Math.max(offset + limit, ORDER_HEAD), (slot) => {
          const v = key(slot);
          return Number.isNaN(v) ? Infinity : desc ? -v : v;
        });
        if (orderKey) {
          this.orderCache.set(orderKey, top);
          if (this.orderCache.size > ORDER_CACHE_SIZE) this.orderCache.delete(this.orderCache.keys().next().value!);
        }
        ordered = top;
      }
    }
    const totals = this.scopeTotals(stockScope);
    const items: CatalogPageItem[] = [];
    for (let i = offset; i < Math.min(ordered.length, offset + limit); i++) {
      const slot = ordered[i]!;
      items.push({ slot, id: this.products[slot]!.id, available: totals[slot]! });
    }
    return { items, total: matched.length, facets };
  }

  /**
   * The dealer-independent part of a query: matching slots in name order and the facet counts. Cached (LRU, small)
   * because dealers browse the same groups and filters; any stock change drops the cache.
   */
  private match(q: CatalogQuery): MatchResult {
    const cacheable = !q.productIds || q.productIdsKey !== undefined;
    const cacheKey = cacheable ? JSON.stringify([q.groupId ?? null, q.filters ?? {}, q.inStockOnly ?? false, q.city ?? null, q.warehouseId ?? null, q.productIds ? q.productIdsKey : null]) : '';
    const hit = cacheable ? this.matchCache.get(cacheKey) : undefined;
    if (hit) {
      this.matchCache.delete(cacheKey);
      this.matchCache.set(cacheKey, hit);
      return hit;
    }
    const filters = Object.entries(q.filters ?? {}).filter(([, values]) => values.length > 0);
    const filterCodes = filters.map(([propId, values]) => {
      const codes = this.propCodes.get(propId);
      const column = this.propColumn.get(propId);
      const accepted = new Uint8Array((codes?.size ?? 0) + 1);
      for (const v of values) {
        const c = codes?.get(v);
        if (c !== undefined) accepted[c] = 1;
      }
      return { column, accepted, offset: this.valueOffset[this.propIndex.get(propId) ?? 0]! };
    });

    // Candidates: the group's subtree, the search hits, or everything.
    let candidates: Int32Array;
    if (q.productIds) {
      const subtree = q.groupId ? new Set(this.subtree.get(q.groupId) ?? []) : null;
      candidates = Int32Array.from(q.productIds.map((id) => this.slotById.get(id)).filter((s): s is number => s !== undefined && (!subtree || subtree.has(s))));
    } else if (q.groupId) {
      candidates = this.subtree.get(q.groupId) ?? new Int32Array(0);
    } else {
      candidates = this.allByName;
    }

    // Facet counts: a product failing exactly one filter still counts for that filter's own property, so a facet
    // shows what choosing another value of it would give.
    const counts = new Int32Array(this.valueOffset[this.valueOffset.length - 1]!);
    const matched = this.matchScratch;
    let matchedCount = 0;
    const totals = q.inStockOnly ? this.scopeTotals({ city: q.city ?? null, warehouseId: q.warehouseId ?? null }) : null;
    const onSale = this.onSale;
    const start = this.slotFacetStart;
    const flat = this.slotFacetFlat;
    const nf = filterCodes.length;
    for (let i = 0; i < candidates.length; i++) {
      const slot = candidates[i]!;
      if (!onSale[slot]) continue;
      if (totals && totals[slot]! <= 0) continue;
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < nf; f++) {
        const fc = filterCodes[f]!;
        const code = fc.column ? fc.column[slot]! : -1;
        if (code < 0 || fc.accepted[code] !== 1) {
          failures++;
          failed = f;
          if (failures > 1) break;
        }
      }
      if (failures > 1) continue;
      if (failures === 1) {
        const fc = filterCodes[failed]!;
        const code = fc.column ? fc.column[slot]! : -1;
        if (code >= 0) counts[fc.offset + code]!++;
        continue;
      }
      for (let e = start[slot]!, end = start[slot + 1]!; e < end; e++) counts[flat[e]!]!++;
      matched[matchedCount++] = slot;
    }

    const selected = new Map(filters.map(([propId, values]) => [propId, new Set(values)]));
    const facets: Facet[] = [];
    this.propOrder.forEach((propId, pi) => {
      const from = this.valueOffset[pi]!;
      const to = this.valueOffset[pi + 1]!;
      const chosen = selected.get(propId);
      const codes: number[] = [];
      for (let v = from; v < to; v++) if (counts[v]! > 0) codes.push(v - from);
      if (!codes.length && !chosen) return;
      const rank = this.valueRank[pi]!;
      codes.sort((a, b) => counts[from + b]! - counts[from + a]! || rank[a]! - rank[b]!);
      const dict = this.propValues.get(propId)!;
      const values: FacetValue[] = codes.slice(0, MAX_FACET_VALUES).map((code) => ({ value: dict[code]!, count: counts[from + code]!, selected: chosen?.has(dict[code]!) ?? false }));
      // A selected value stays visible (with 0) so the dealer can untick it.
      for (const v of chosen ?? []) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0, selected: true });
      if (values.length > 1 || chosen) facets.push({ id: propId, name: this.propNames.get(propId) ?? propId, values });
    });
    facets.sort((a, b) => (a.id === BRAND ? -1 : b.id === BRAND ? 1 : a.name.localeCompare(b.name, 'ru')));
    const result: MatchResult = { matched: matched.slice(0, matchedCount), facets, key: cacheable ? cacheKey : null };
    if (!cacheable) return result;
    this.matchCache.set(cacheKey, result);
    if (this.matchCache.size > MATCH_CACHE_SIZE) this.matchCache.delete(this.matchCache.keys().next().value!);
    return result;
  }

  private setProp(slot: number, propId: string, name: string, value: string | null): void {
    if (value === null || value === '') return;
    let column = this.propColumn.get(propId);
    if (!column) {
      column = new Int32Array(this.groupOf.length).fill(-1);
      this.propColumn.set(propId, column);
      this.propOrder.push(propId);
      this.propNames.set(propId, name);
      this.propValues.set(propId, []);
      this.propCodes.set(propId, new Map());
    }
    const codes = this.propCodes.get(propId)!;
    let code = codes.get(value);
    if (code === undefined) {
      code = this.propValues.get(propId)!.push(value) - 1;
      codes.set(value, code);
    }
    column[slot] = code;
  }
}

/**
 * A name's sort key, compared with plain `<`: case and ё folded, digit runs padded so "48 см" sorts before "100 см".
 * Code point order of the rest matches the Russian collation for catalog names (punctuation < digits < Latin <
 * Cyrillic, а…я in order once ё is folded), at a fraction of Intl.Collator's cost on 100k names.
 */
export function nameSortKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\d+/g, (d) => d.padStart(12, '0'));
}

/** The k smallest by key, stable for equal keys (earlier input first); O(n log k) without sorting everything. */
function topK(slots: ArrayLike<number>, k: number, key: (slot: number) => number): number[] {
  const keys: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const v = key(slot);
    if (kept.length === k && v >= keys[k - 1]!) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    keys.splice(lo, 0, v);
    kept.splice(lo, 0, slot);
    if (kept.length > k) {
      keys.pop();
      kept.pop();
    }
  }
  return kept;
}
