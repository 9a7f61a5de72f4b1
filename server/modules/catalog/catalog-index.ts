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
  properties: Array<{ id: string; name: string; value: string }>;
  barcodes: string[];
  analogIds: number[];
  pictures: string[];
  onSale: boolean;
  popularity: number;
}

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
  /** Stock scope: one city or one warehouse; all warehouses when absent. */
  city?: string | null;
  warehouseId?: number | null;
  /** Restricts to these product ids (the search box's hits), in that order when sort is 'relevance'. */
  productIds?: number[] | null;
  sort?: CatalogSort | 'relevance';
  dir?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  /** The dealer's unit price per slot, for sorting by price (exact prices are quoted for the page only). */
  priceForSlot?: (slot: number) => number;
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

export class CatalogIndex {
  readonly products: CatalogProductInput[] = [];
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
  private readonly warehouses: CatalogWarehouseInput[];
  private readonly warehouseIndex = new Map<number, number>();
  /** available[warehouseIndex * n + slot] */
  private available: Float64Array;
  /** Every slot in name order; subtree arrays are kept in the same order, so name sorting costs nothing per query. */
  private readonly allByName: Int32Array;
  private readonly totalsCache = new Map<string, Float64Array>();
  private readonly onSale: Uint8Array;
  /** Dealer-independent part of recent queries (matches in name order + facets), dropped on any stock change. */
  private readonly matchCache = new Map<string, { matched: number[]; facets: Facet[] }>();

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
      for (const prop of p.properties) this.setProp(slot, prop.id, prop.name, prop.value);
    });
    const collator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });
    this.allByName = Int32Array.from(input.products.map((_, slot) => slot)).sort((a, b) => collator.compare(input.products[a]!.name, input.products[b]!.name) || a - b);
    const nameRank = new Int32Array(n);
    this.allByName.forEach((slot, rank) => (nameRank[slot] = rank));
    for (const [g, list] of slotsByGroup) {
      list.sort((a, b) => nameRank[a]! - nameRank[b]!);
      this.subtree.set(g, Int32Array.from(list));
      const node = this.groups.get(g);
      if (node) node.productCount = list.filter((s) => this.products[s]!.onSale).length;
    }
  }

  get size(): number {
    return this.products.length;
  }

  slotOf(productId: number): number | undefined {
    return this.slotById.get(productId);
  }

  /** Replaces stock for the given rows (a warehouse snapshot or a delta). */
  setStock(rows: Array<{ productId: number; warehouseId: number; available: number }>): void {
    const n = this.products.length;
    for (const r of rows) {
      const slot = this.slotById.get(r.productId);
      const w = this.warehouseIndex.get(r.warehouseId);
      if (slot === undefined || w === undefined) continue;
      this.available[w * n + slot] = r.available;
    }
    this.totalsCache.clear();
    this.matchCache.clear();
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
    const { matched, facets } = this.match(q);
    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.min(500, Math.max(1, q.limit ?? 50));
    const desc = q.dir === 'desc';
    const sort = q.sort ?? (q.productIds ? 'relevance' : 'name');
    let ordered: number[];
    if (sort === 'relevance' || (sort === 'price' && !q.priceForSlot)) ordered = matched;
    else if (sort === 'name') ordered = desc ? matched.slice(Math.max(0, matched.length - offset - limit)).reverse() : matched;
    else {
      // Only the requested page is needed: keep the best offset+limit by key, ties in name order (matched order).
      const totals = this.scopeTotals(stockScope);
      const key =
        sort === 'popularity'
          ? (slot: number) => -this.products[slot]!.popularity
          : sort === 'availability'
            ? (slot: number) => -totals[slot]!
            : q.priceForSlot!;
      ordered = topK(matched, offset + limit, (slot) => (desc ? -key(slot) : key(slot)));
    }
    const totals = this.scopeTotals(stockScope);
    const items = ordered.slice(offset, offset + limit).map((slot) => ({ slot, id: this.products[slot]!.id, available: totals[slot]! }));
    return { items, total: matched.length, facets };
  }

  /**
   * The dealer-independent part of a query: matching slots in name order and the facet counts. Cached (LRU, small)
   * because dealers browse the same groups and filters; any stock change drops the cache.
   */
  private match(q: CatalogQuery): { matched: number[]; facets: Facet[] } {
    const cacheKey = JSON.stringify([q.groupId ?? null, q.filters ?? {}, q.inStockOnly ?? false, q.city ?? null, q.warehouseId ?? null, q.productIds ?? null]);
    const hit = this.matchCache.get(cacheKey);
    if (hit) {
      this.matchCache.delete(cacheKey);
      this.matchCache.set(cacheKey, hit);
      return hit;
    }
    const filters = Object.entries(q.filters ?? {}).filter(([, values]) => values.length > 0);
    const filterCodes = filters.map(([propId, values]) => {
      const codes = this.propCodes.get(propId);
      return { propId, column: this.propColumn.get(propId), accepted: new Set(values.map((v) => codes?.get(v) ?? -2).filter((c) => c >= 0)) };
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

    // Facet counts per property in flat arrays; a product failing exactly one filter still counts for that
    // filter's own property, so a facet shows what choosing another value of it would give.
    const props = [...this.propColumn.entries()].map(([propId, column]) => ({ propId, column, counts: new Int32Array(this.propValues.get(propId)!.length) }));
    const propIndexOf = new Map(props.map((p, i) => [p.propId, i]));
    const failedProp = filterCodes.map((fc) => propIndexOf.get(fc.propId) ?? -1);
    const present = new Uint8Array(props.length);
    const matched: number[] = [];
    const stockScope = { city: q.city ?? null, warehouseId: q.warehouseId ?? null };
    const totals = q.inStockOnly ? this.scopeTotals(stockScope) : null;

    const onSale = this.onSale;
    for (let i = 0; i < candidates.length; i++) {
      const slot = candidates[i]!;
      if (!onSale[slot]) continue;
      if (totals && totals[slot]! <= 0) continue;
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < filterCodes.length; f++) {
        const fc = filterCodes[f]!;
        if (!fc.accepted.has(fc.column ? fc.column[slot]! : -1)) {
          failures++;
          failed = f;
          if (failures > 1) break;
        }
      }
      if (failures > 1) continue;
      if (failures === 1) {
        const pi = failedProp[failed]!;
        if (pi >= 0) {
          const code = props[pi]!.column[slot]!;
          if (code >= 0) {
            props[pi]!.counts[code]!++;
            present[pi] = 1;
          }
        }
        continue;
      }
      for (let pi = 0; pi < props.length; pi++) {
        const code = props[pi]!.column[slot]!;
        if (code >= 0) {
          props[pi]!.counts[code]!++;
          present[pi] = 1;
        }
      }
      matched.push(slot);
    }

    const selected = new Map(filters.map(([propId, values]) => [propId, new Set(values)]));
    const facets: Facet[] = [];
    props.forEach((p, pi) => {
      if (!present[pi] && !selected.has(p.propId)) return;
      const dict = this.propValues.get(p.propId)!;
      const values: FacetValue[] = [];
      p.counts.forEach((count, code) => {
        if (count > 0) values.push({ value: dict[code]!, count, selected: selected.get(p.propId)?.has(dict[code]!) ?? false });
      });
      values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'ru'));
      values.splice(MAX_FACET_VALUES);
      // A selected value stays visible (with 0) so the dealer can untick it.
      for (const v of selected.get(p.propId) ?? []) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0, selected: true });
      if (values.length > 1 || selected.has(p.propId)) facets.push({ id: p.propId, name: this.propNames.get(p.propId) ?? p.propId, values });
    });
    facets.sort((a, b) => (a.id === BRAND ? -1 : b.id === BRAND ? 1 : a.name.localeCompare(b.name, 'ru')));
    const result = { matched, facets };
    this.matchCache.set(cacheKey, result);
    if (this.matchCache.size > 256) this.matchCache.delete(this.matchCache.keys().next().value!);
    return result;
  }

  private setProp(slot: number, propId: string, name: string, value: string | null): void {
    if (value === null || value === '') return;
    let column = this.propColumn.get(propId);
    if (!column) {
      column = new Int32Array(this.groupOf.length).fill(-1);
      this.propColumn.set(propId, column);
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

/** The k smallest by key, stable for equal keys (earlier input first); O(n log k) without sorting everything. */
function topK(slots: number[], k: number, key: (slot: number) => number): number[] {
  const keys: number[] = [];
  const kept: number[] = [];
  for (const slot of slots) {
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
