import { AppError } from '../../http/app-error.js';
import { formatThousandths, type DealerPricing, type PriceQuote } from '../pricing/index.js';
import type { CatalogGroupNode, CatalogSort, Facet } from './catalog-index.js';
import type { CatalogSnapshot } from './catalog-snapshot.js';
import type { PortalCatalog } from './portal-catalog.js';

/**
 * The catalog's use cases over one portal's in-memory catalog and one viewer's pricing (DESIGN.md §4 Dealer cabinet).
 * Lists price each shown line exactly with the integer path; the card and the breakdown use the decimal quote with
 * its steps. Goods not on sale are never listed; their card is for staff only.
 */

export interface StockScope {
  city?: string | null;
  warehouseId?: number | null;
}

export interface ItemPrice {
  unitPrice: string;
  basePrice: string;
  discountPercent: string;
  currency: string;
}

export interface ProductListItem {
  id: number;
  sku: string | null;
  code: string | null;
  name: string;
  brand: string | null;
  groupId: number | null;
  unit: { name: string; code: string | null };
  packs: Array<{ name: string; ratio: string }>;
  picture: string | null;
  onSale: boolean;
  /** The viewer's price for one base unit; null when the product has no price in the viewer's price type. */
  price: ItemPrice | null;
  /** Available quantity in the chosen scope (all warehouses, a city, or one warehouse), in base units. */
  stock: { available: string; inStock: boolean };
}

export interface ProductListQuery {
  groupId?: number;
  q?: string;
  filters?: Record<string, string[]>;
  inStock?: boolean;
  city?: string;
  warehouseId?: number;
  sort?: CatalogSort | 'relevance';
  dir?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface ProductListPage {
  items: ProductListItem[];
  total: number;
  page: number;
  pageSize: number;
  facets: Facet[];
  /** The search text after keyboard-layout correction, when the layout was wrong. */
  correctedQuery: string | null;
  priceType: { id: number; name: string; currency: string } | null;
}

export interface ProductCard extends ProductListItem {
  properties: Array<{ id: string; name: string; value: string }>;
  pictures: string[];
  barcodes: string[];
  groupPath: Array<{ id: number; name: string }>;
  stockByWarehouse: Array<{ warehouseId: number; name: string; city: string | null; available: string }>;
  stockByCity: Array<{ city: string; available: string }>;
  analogs: ProductListItem[];
  /** The price for `qty` with how it came to be; null when the product has no price for the viewer. */
  quote: PriceQuote | null;
}

/** Search hits kept for a products query with `q` (relevance order, then the usual filters and facets). */
const SEARCH_HITS_FOR_LIST = 500;

export function priceOf(catalog: PortalCatalog, pricing: DealerPricing, slot: number, date: string): ItemPrice | null {
  const snapshot = catalog.snapshot!;
  const column = pricing.priceType ? snapshot.priceTypes.get(pricing.priceType.id) : undefined;
  if (!column || !column.has(slot)) return null;
  const base = column.scaled[slot]!;
  const quick = Number.isNaN(base) ? null : pricing.compiled.quick(snapshot.facts(slot), base, date);
  if (quick) return { unitPrice: quick.unitPrice, basePrice: quick.basePrice, discountPercent: quick.discountPercent, currency: column.currency(slot) };
  const q = pricing.compiled.quote(snapshot.facts(slot), column.text(slot)!, column.currency(slot), '1', date);
  return { unitPrice: q.unitPrice, basePrice: q.basePrice, discountPercent: q.discountPercent, currency: q.currency };
}

export function listItem(catalog: PortalCatalog, pricing: DealerPricing, slot: number, date: string, available: number): ProductListItem {
  const snapshot = catalog.snapshot!;
  const p = snapshot.index.products[slot]!;
  const extras = snapshot.extras[slot]!;
  return {
    id: p.id,
    sku: p.sku,
    code: extras.code,
    name: p.name,
    brand: p.brand,
    groupId: p.groupId,
    unit: { name: p.unit, code: extras.unitCode },
    packs: extras.packs,
    picture: catalog.pictureUrl(p.id, p.pictures, 0),
    onSale: p.onSale,
    price: priceOf(catalog, pricing, slot, date),
    stock: { available: formatThousandths(available), inStock: available > 0 },
  };
}

/** Checks a stock scope against the warehouses; a city or warehouse we do not have is the caller's mistake. */
export function checkScope(snapshot: CatalogSnapshot, scope: StockScope): void {
  const warehouses = snapshot.index.warehouseList;
  if (scope.warehouseId && !warehouses.some((w) => w.id === scope.warehouseId)) {
    throw new AppError('VALIDATION_FAILED', `There is no warehouse ${scope.warehouseId}`, { details: [{ field: 'warehouse', message: `no warehouse with id ${scope.warehouseId}; see the warehouses of a product card` }] });
  }
  if (scope.city && !warehouses.some((w) => w.city === scope.city)) {
    const cities = [...new Set(warehouses.map((w) => w.city).filter(Boolean))].join(', ');
    throw new AppError('VALIDATION_FAILED', `There is no warehouse in ${scope.city}`, { details: [{ field: 'city', message: `no warehouse in "${scope.city}"; cities: ${cities}` }] });
  }
}

export function groupTree(catalog: PortalCatalog): CatalogGroupNode[] {
  return catalog.snapshot!.index.groupTree();
}

export function listProducts(catalog: PortalCatalog, pricing: DealerPricing, query: ProductListQuery): ProductListPage {
  const snapshot = catalog.snapshot!;
  const scope = { city: query.city ?? null, warehouseId: query.warehouseId ?? null };
  checkScope(snapshot, scope);
  if (query.groupId && !snapshot.index.group(query.groupId)) {
    throw new AppError('NOT_FOUND', `There is no product group ${query.groupId}`, { details: [{ field: 'group', message: `no product group with id ${query.groupId}` }] });
  }
  for (const prop of Object.keys(query.filters ?? {})) {
    if (!snapshot.index.hasProperty(prop)) {
      throw new AppError('VALIDATION_FAILED', `There is no property "${prop}" to filter by`, { details: [{ field: `filters.${prop}`, message: `unknown property "${prop}"; use the ids of the facets` }] });
    }
  }
  const date = catalog.today();
  let productIds: number[] | null = null;
  let productIdsKey: string | undefined;
  let correctedQuery: string | null = null;
  if (query.q) {
    const found = catalog.searchProducts(query.q, SEARCH_HITS_FOR_LIST);
    correctedQuery = found.correctedQuery;
    productIds = found.hits.map((h) => snapshot.index.products[h.doc.payload!]!.id);
    productIdsKey = `q:${query.q.trim().toLowerCase()}`;
  }
  const sort = query.sort ?? (productIds ? 'relevance' : 'name');
  const page = snapshot.index.query({
    groupId: query.groupId ?? null,
    filters: query.filters,
    inStockOnly: query.inStock ?? false,
    city: scope.city,
    warehouseId: scope.warehouseId,
    productIds,
    productIdsKey,
    sort,
    dir: query.dir,
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
    priceForSlot: sort === 'price' ? catalog.priceSortKey(pricing, date) : undefined,
    priceKey: sort === 'price' ? catalog.priceSortKeyId(pricing, date) : undefined,
  });
  return {
    items: page.items.map((i) => listItem(catalog, pricing, i.slot, date, i.available)),
    total: page.total,
    page: query.page,
    pageSize: query.pageSize,
    facets: page.facets,
    correctedQuery,
    priceType: pricing.priceType ? { id: pricing.priceType.id, name: pricing.priceType.name, currency: pricing.priceType.currency } : null,
  };
}

const facetsText = new WeakMap<Facet[], string>();

/**
 * A products page as JSON text. The facets of a page come from the catalog's match cache (the same array for every
 * dealer asking the same query), so their text is kept with them and each page serializes only its own items.
 */
export function productPageJson(page: ProductListPage): string {
  let facets = facetsText.get(page.facets);
  if (facets === undefined) facetsText.set(page.facets, (facets = JSON.stringify(page.facets)));
  const { items, facets: _facets, ...rest } = page;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)},"items":${JSON.stringify(items)},"facets":${facets}}`;
}

/** The slot of a product the viewer may see: dealers never see goods not on sale. */
export function visibleSlot(catalog: PortalCatalog, productId: number, isStaff: boolean): number {
  const snapshot = catalog.snapshot!;
  const slot = snapshot.index.slotOf(productId);
  if (slot === undefined || (!isStaff && !snapshot.index.products[slot]!.onSale)) {
    throw new AppError('NOT_FOUND', `There is no product ${productId} in the catalog`, { details: [{ field: 'productId', message: `no product with id ${productId} on sale` }] });
  }
  return slot;
}

export function quoteSlot(catalog: PortalCatalog, pricing: DealerPricing, slot: number, qty: string, date = catalog.today()): PriceQuote | null {
  const snapshot = catalog.snapshot!;
  const column = pricing.priceType ? snapshot.priceTypes.get(pricing.priceType.id) : undefined;
  const base = column?.text(slot);
  if (!column || base === null || base === undefined) return null;
  return pricing.compiled.quote(snapshot.facts(slot), base, column.currency(slot), qty, date);
}

export function productCard(catalog: PortalCatalog, pricing: DealerPricing, productId: number, options: { qty: string; isStaff: boolean; scope: StockScope }): ProductCard {
  const snapshot = catalog.snapshot!;
  checkScope(snapshot, options.scope);
  const slot = visibleSlot(catalog, productId, options.isStaff);
  const index = snapshot.index;
  const p = index.products[slot]!;
  const date = catalog.today();
  const stock = index.stockOf(slot);
  const byCity = new Map<string, number>();
  for (const s of stock) if (s.city) byCity.set(s.city, (byCity.get(s.city) ?? 0) + s.available);
  const analogs = p.analogIds.map((id) => index.slotOf(id)).filter((s): s is number => s !== undefined && index.products[s]!.onSale);
  return {
    ...listItem(catalog, pricing, slot, date, index.availableIn(slot, options.scope)),
    properties: index.propertiesOf(slot),
    pictures: p.pictures.map((_key, n) => catalog.pictureUrl(p.id, p.pictures, n)).filter((u): u is string => u !== null),
    barcodes: p.barcodes,
    groupPath: index
      .groupPath(p.groupId)
      .reverse()
      .flatMap((id) => {
        const g = index.group(id);
        return g ? [{ id, name: g.name }] : [];
      }),
    stockByWarehouse: stock.map((s) => ({ warehouseId: s.warehouseId, name: s.name, city: s.city, available: formatThousandths(s.available) })),
    stockByCity: [...byCity].sort(([a], [b]) => a.localeCompare(b, 'ru')).map(([city, available]) => ({ city, available: formatThousandths(available) })),
    analogs: analogs.map((s) => listItem(catalog, pricing, s, date, index.availableIn(s, options.scope))),
    quote: quoteSlot(catalog, pricing, slot, options.qty, date),
  };
}

export interface SuggestItem {
  kind: 'product';
  id: number;
  sku: string | null;
  name: string;
  picture: string | null;
  price: ItemPrice | null;
  stock: { available: string; inStock: boolean };
  match: 'code' | 'exact' | 'prefix' | 'fuzzy';
}

/** Autocomplete: products (orders by number come later through the `order` kind of the search index). */
export function suggest(catalog: PortalCatalog, pricing: DealerPricing, q: string, limit: number): { query: string; correctedQuery: string | null; items: SuggestItem[]; total: number } {
  const snapshot = catalog.snapshot!;
  const trimmed = q.trim();
  if (trimmed.length < 2) return { query: trimmed, correctedQuery: null, items: [], total: 0 };
  const date = catalog.today();
  const found = catalog.searchProducts(trimmed, limit);
  return {
    query: trimmed,
    correctedQuery: found.correctedQuery,
    total: found.total,
    items: found.hits.map((h) => {
      const slot = h.doc.payload!;
      const p = snapshot.index.products[slot]!;
      const available = snapshot.index.availableIn(slot);
      return { kind: 'product', id: p.id, sku: p.sku, name: p.name, picture: catalog.pictureUrl(p.id, p.pictures, 0), price: priceOf(catalog, pricing, slot, date), stock: { available: formatThousandths(available), inStock: available > 0 }, match: h.match };
    }),
  };
}

export interface PriceListRow {
  id: number;
  sku: string | null;
  code: string | null;
  name: string;
  brand: string | null;
  group: string | null;
  unit: string;
  unitPrice: string | null;
  basePrice: string | null;
  discountPercent: string | null;
  currency: string | null;
  available: string;
}

/** The viewer's whole price list (goods on sale, in name order), row by row, for the streaming writers. */
export function* priceListRows(catalog: PortalCatalog, pricing: DealerPricing, options: { groupId?: number; inStock?: boolean } = {}): Generator<PriceListRow> {
  const snapshot = catalog.snapshot!;
  const index = snapshot.index;
  const date = catalog.today();
  const slots = index.slotsInNameOrder(options.groupId ?? null);
  const groupName = new Map<number, string>();
  for (const [id, g] of snapshot.groups) groupName.set(id, g.name);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const p = index.products[slot]!;
    if (!p.onSale) continue;
    const available = index.availableIn(slot);
    if (options.inStock && available <= 0) continue;
    const price = priceOf(catalog, pricing, slot, date);
    yield {
      id: p.id,
      sku: p.sku,
      code: snapshot.extras[slot]!.code,
      name: p.name,
      brand: p.brand,
      group: p.groupId === null ? null : (groupName.get(p.groupId) ?? null),
      unit: p.unit,
      unitPrice: price?.unitPrice ?? null,
      basePrice: price?.basePrice ?? null,
      discountPercent: price?.discountPercent ?? null,
      currency: price?.currency ?? null,
      available: formatThousandths(available),
    };
  }
}

