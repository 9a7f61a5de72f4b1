import type { ProductPricingFacts } from '../pricing/index.js';
import type { SearchIndex } from '../search/index.js';
import type { CatalogIndex } from './catalog-index.js';
import type { GroupRow } from './catalog.repository.js';
import type { PriceColumn, PriceTypeInfo } from './price-table.js';

/** What the catalog shows of a product besides what CatalogIndex needs: codes, units and packs. */
export interface ProductExtras {
  code: string | null;
  unitCode: string | null;
  packs: Array<{ name: string; ratio: string }>;
}

/** A search hit's payload: the product's slot in the snapshot it was indexed from. */
export type SearchPayload = number;

/**
 * One immutable-in-structure view of a portal's catalog (products, groups, warehouses, price types) built from the
 * read model. Stock and price columns are refreshed in place; a change of products or groups builds a new snapshot
 * and swaps it in whole, so a request always sees one consistent set of slots.
 */
export class CatalogSnapshot {
  private readonly factsCache: Array<ProductPricingFacts | undefined>;
  private readonly groupPathCache = new Map<number, string[]>();

  constructor(
    readonly portalId: number,
    readonly generation: number,
    readonly index: CatalogIndex,
    readonly search: SearchIndex<SearchPayload>,
    readonly groups: Map<number, GroupRow>,
    readonly extras: ProductExtras[],
    readonly priceTypes: Map<number, PriceColumn>,
    readonly loadedAt: Date,
  ) {
    this.factsCache = new Array(index.size);
  }

  get size(): number {
    return this.index.size;
  }

  priceTypeByErpId(erpId: string): PriceTypeInfo | undefined {
    for (const c of this.priceTypes.values()) if (c.type.erpId === erpId) return c.type;
    return undefined;
  }

  /** What the pricing engine needs to know about the product in a slot (cached: lists price the same goods often). */
  facts(slot: number): ProductPricingFacts {
    let f = this.factsCache[slot];
    if (!f) {
      const p = this.index.products[slot]!;
      f = { productId: String(p.id), groupPath: this.groupPathOf(p.groupId), brand: p.brand, brandKey: p.brand ? p.brand.toLowerCase() : null };
      this.factsCache[slot] = f;
    }
    return f;
  }

  /** Group ids from the product's group up to the root, as the rule targets name them. */
  groupPathOf(groupId: number | null): string[] {
    if (groupId === null) return [];
    let path = this.groupPathCache.get(groupId);
    if (!path) {
      path = this.index.groupPath(groupId).map(String);
      this.groupPathCache.set(groupId, path);
    }
    return path;
  }
}
