import type { PriceStep } from '../../../api/order-types.js';

export type { PriceStep };

/**
 * Shapes of the catalog and cart API answers the shop screens read (server: modules/catalog/catalog.service.ts,
 * modules/carts/cart.service.ts, price-lines.ts, quick-order.ts). Money and quantities are decimal strings.
 */
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
  price: ItemPrice | null;
  stock: { available: string; inStock: boolean };
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

export interface ProductPage {
  items: ProductListItem[];
  total: number;
  page: number;
  pageSize: number;
  facets: Facet[];
  correctedQuery: string | null;
  priceType: { id: number; name: string; currency: string } | null;
}

export interface GroupNode {
  id: number;
  name: string;
  parentId: number | null;
  children: GroupNode[];
  productCount: number;
}


export interface PriceQuote {
  productId: string | number;
  currency: string;
  basePrice: string;
  unitPrice: string;
  qty: string;
  lineTotal: string;
  discountPercent: string;
  breakdown: PriceStep[];
}

export interface ProductCardData extends ProductListItem {
  properties: Array<{ id: string; name: string; value: string }>;
  pictures: string[];
  barcodes: string[];
  groupPath: Array<{ id: number; name: string }>;
  stockByWarehouse: Array<{ warehouseId: number; name: string; city: string | null; available: string }>;
  stockByCity: Array<{ city: string; available: string }>;
  analogs: ProductListItem[];
  quote: PriceQuote | null;
}

export interface Warehouses {
  warehouses: Array<{ id: number; name: string; city: string | null }>;
  cities: string[];
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

export interface SuggestAnswer {
  query: string;
  correctedQuery: string | null;
  items: SuggestItem[];
  total: number;
}

export interface LineProblem {
  code: string;
  message: { ru: string; en: string };
}

export type CartUnit = 'base' | 'pack';

export interface CartLine {
  id: number | null;
  productId: number;
  sku: string | null;
  name: string;
  unitName: string;
  qty: string;
  unit: CartUnit;
  packRatio: string | null;
  packName: string | null;
  baseQty: string;
  price: { currency: string; basePrice: string; unitPrice: string; discountPercent: string; lineTotal: string; breakdown: PriceStep[] } | null;
  stock: { available: string; inStock: boolean; enough: boolean; scope: 'city' | 'all'; city: string | null };
  problems: LineProblem[];
  note: string | null;
}

export interface CartTotals {
  lines: number;
  orderable: number;
  quantity: string;
  baseAmount: string;
  discount: string;
  amount: string;
  currency: string;
}

export interface LegalEntity {
  companyId: number;
  name: string;
  inn: string | null;
  isMain: boolean;
}

export interface CartView {
  id: number;
  kind: 'active' | 'saved';
  name: string | null;
  note: string | null;
  revision: number;
  legalEntity: LegalEntity | null;
  legalEntities: LegalEntity[];
  priceType: { name: string; currency: string } | null;
  lines: CartLine[];
  totals: CartTotals;
  blockingLines: number;
  stockScope: { kind: 'city' | 'all'; city: string | null };
  updatedAt: string;
}

export interface QuickOrderReport {
  dryRun: boolean;
  summary: { lines: number; accepted: number; rejected: number };
  format: 'paste' | 'csv' | 'xlsx';
  encoding?: string;
  delimiter?: string;
  headerSkipped: boolean;
  accepted: Array<{ lineNo: number; sku: string; productId: number; name: string; qty: string; unit: CartUnit; baseQty: string; qtyAssumed: boolean }>;
  rejected: Array<{ lineNo: number; raw: string; code: string; message: { ru: string; en: string } }>;
  cart: CartView;
}

export interface SavedCartSummary {
  id: number;
  name: string;
  note: string | null;
  companyId: number | null;
  lineCount: number;
  updatedAt: string;
  createdAt: string;
}
