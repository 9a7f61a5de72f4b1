import type { AppContext } from '../../context.js';
import { catalogFor, type PortalCatalog } from '../catalog/index.js';
import { formatThousandths, type DealerPricing, type PriceQuote } from '../pricing/index.js';

/**
 * What carts and orders need from the catalog and pricing, in one small interface over the catalog module's
 * in-memory catalog (server/modules/catalog): products by id, SKU, code or barcode (batch: a 1,000-line quick order is
 * 1,000 map lookups, no query per line), the dealer's exact quote with its breakdown, stock in a scope, analogs.
 */
export interface CatalogProductView {
  id: number;
  erpId: string;
  sku: string | null;
  code: string | null;
  name: string;
  unit: { name: string; code: string | null };
  /** Base units per pack ("12"), null when the product has no pack. */
  packRatio: string | null;
  packName: string | null;
  onSale: boolean;
  /** Sold in whole base units (pieces): a fractional quantity is a multiplicity error. */
  countable: boolean;
  analogIds: number[];
  barcodes: string[];
}

export interface StockScope {
  city?: string | null;
  warehouseId?: number | null;
}

export interface WarehouseStock {
  warehouseId: number;
  name: string;
  city: string | null;
  available: string;
}

export interface CatalogPort {
  /** The portal's pricing day (rules' validity dates are local dates). */
  today(): string;
  priceType: { id: number; erpId: string; name: string; currency: string } | null;
  products(ids: readonly number[]): Map<number, CatalogProductView>;
  /** Keys are the codes as given; a code matches a SKU, a product code or a barcode (case and spaces ignored). */
  lookup(codes: readonly string[]): Map<string, CatalogProductView>;
  /** The dealer's price of `baseQty` base units, null when the product has no price in the dealer's price type. */
  quote(productId: number, baseQty: string): PriceQuote | null;
  available(productId: number, scope?: StockScope): string;
  stockByWarehouse(productId: number): WarehouseStock[];
  hasCity(city: string): boolean;
}

const COUNTABLE_UNITS = /^(шт|штук[аи]?|pcs?|ea|ед|piece|компл)\.?$/i;

/** SKU / code / barcode → slot, per snapshot (a new snapshot is a new object, so the map is rebuilt with it). */
const codeIndexes = new WeakMap<object, Map<string, number>>();

export const normalizeCode = (code: string): string => code.replace(/[\s\u00a0]+/g, '').toUpperCase();

function codeIndexOf(catalog: PortalCatalog): Map<string, number> {
  const snapshot = catalog.snapshot!;
  let index = codeIndexes.get(snapshot);
  if (index) return index;
  index = new Map();
  const products = snapshot.index.products;
  // Barcodes first, then codes, then SKUs: a SKU that looks like another product's barcode wins.
  for (let slot = 0; slot < products.length; slot++) for (const b of products[slot]!.barcodes) index.set(normalizeCode(b), slot);
  for (let slot = 0; slot < products.length; slot++) {
    const code = snapshot.extras[slot]?.code;
    if (code) index.set(normalizeCode(code), slot);
  }
  for (let slot = 0; slot < products.length; slot++) {
    const sku = products[slot]!.sku;
    if (sku) index.set(normalizeCode(sku), slot);
  }
  codeIndexes.set(snapshot, index);
  return index;
}

function viewOf(catalog: PortalCatalog, slot: number): CatalogProductView {
  const snapshot = catalog.snapshot!;
  const p = snapshot.index.products[slot]!;
  const extras = snapshot.extras[slot]!;
  const unitCode = extras.unitCode;
  return {
    id: p.id,
    erpId: p.erpId,
    sku: p.sku,
    code: extras.code,
    name: p.name,
    unit: { name: p.unit, code: unitCode },
    packRatio: p.packRatio,
    packName: extras.packs[0]?.name ?? null,
    onSale: p.onSale,
    countable: unitCode === '796' || COUNTABLE_UNITS.test(p.unit.trim()),
    analogIds: p.analogIds,
    barcodes: p.barcodes,
  };
}

/** The port over one portal's catalog and one dealer's pricing (dealerId: our dealers.id; null = base prices). */
export function catalogPortOver(catalog: PortalCatalog, pricing: DealerPricing): CatalogPort {
  const snapshot = catalog.snapshot!;
  const index = snapshot.index;
  const date = catalog.today();
  return {
    today: () => date,
    priceType: pricing.priceType ? { id: pricing.priceType.id, erpId: pricing.priceType.erpId, name: pricing.priceType.name, currency: pricing.priceType.currency } : null,
    products(ids) {
      const out = new Map<number, CatalogProductView>();
      for (const id of ids) {
        const slot = index.slotOf(id);
        if (slot !== undefined) out.set(id, viewOf(catalog, slot));
      }
      return out;
    },
    lookup(codes) {
      const byCode = codeIndexOf(catalog);
      const out = new Map<string, CatalogProductView>();
      for (const code of codes) {
        const slot = byCode.get(normalizeCode(code));
        if (slot !== undefined) out.set(code, viewOf(catalog, slot));
      }
      return out;
    },
    quote(productId, baseQty) {
      const slot = index.slotOf(productId);
      if (slot === undefined) return null;
      const column = pricing.priceType ? snapshot.priceTypes.get(pricing.priceType.id) : undefined;
      const base = column?.text(slot);
      if (!column || base === null || base === undefined) return null;
      return pricing.compiled.quote(snapshot.facts(slot), base, column.currency(slot), baseQty, date);
    },
    available(productId, scope = {}) {
      const slot = index.slotOf(productId);
      return slot === undefined ? '0' : formatThousandths(index.availableIn(slot, scope));
    },
    stockByWarehouse(productId) {
      const slot = index.slotOf(productId);
      if (slot === undefined) return [];
      return index.stockOf(slot).map((s) => ({ warehouseId: s.warehouseId, name: s.name, city: s.city, available: formatThousandths(s.available) }));
    },
    hasCity: (city) => index.warehouseList.some((w) => w.city === city),
  };
}

/**
 * The catalog port of a portal for a dealer (our dealers.id), or for base prices (null). Null when the catalog
 * does not know the dealer (not synced into the pricing directory yet).
 */
export async function catalogPortFor(ctx: AppContext, portalId: number, dealerId: number | null): Promise<CatalogPort | null> {
  const catalog = await catalogFor(ctx, portalId);
  let pricing = catalog.dealerPricing(dealerId);
  if (!pricing && dealerId !== null) {
    // A dealer created a moment ago: the catalog's directory catches up on its next check; ask it now.
    await catalog.pricing.refreshDealers();
    pricing = catalog.dealerPricing(dealerId);
  }
  return pricing ? catalogPortOver(catalog, pricing) : null;
}
