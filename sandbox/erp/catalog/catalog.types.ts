import type { DecimalString } from '../../../server/lib/decimal.js';
import type { ErpOrderStatus } from '../../../server/erp/port.js';
import type { LeafSpec, ProductKind, PropertyKey } from './dictionary.js';

/**
 * The generated catalog: what a manufacturer's ERP holds, with the ids an emulator needs (1C Ref_Key GUIDs, codes,
 * the keys of subordinate objects) next to the business data. Emulators render it in their vendor's shape;
 * normalize.ts turns it into the port's normalized types, which is what a correct adapter must return.
 */

export interface CatalogOptions {
  seed: number | string;
  skus: number;
  /** 1…12 warehouses in different cities (default 5). */
  warehouses?: number;
  /** 1…7 price types (default 7: Базовая, Оптовая, Дилерская A/B/C, two regional). */
  priceTypes?: number;
  /** Dealers (default 12). */
  customers?: number;
  /** Historical orders per dealer (default 6). */
  ordersPerCustomer?: number;
  /** "Today" of the ERP, local time without zone (default 2026-11-20T12:00:00): dates are relative to it. */
  asOf?: string;
}

export interface CatOrganization {
  ref: string;
  name: string;
  inn: string;
  kpp: string;
}

export interface CatUnit {
  ref: string;
  /** ОКЕИ code: 796 шт, 778 упак. */
  okei: string;
  name: string;
  fullName: string;
}

export interface CatPack {
  ref: string;
  name: string;
  /** Base units in one pack ("6", "12"). */
  ratio: DecimalString;
}

export interface CatBrand {
  ref: string;
  name: string;
}

export interface CatProductKind {
  ref: string;
  kind: ProductKind;
  name: string;
}

export interface CatProperty {
  ref: string;
  key: PropertyKey;
  name: string;
}

export interface CatGroup {
  index: number;
  ref: string;
  code: string;
  name: string;
  parentRef: string | null;
  level: 1 | 2 | 3;
  /** Leaf groups only: the vocabulary of its products and the [start, end) range of product indexes. */
  leaf?: LeafSpec;
  range?: [number, number];
}

export interface CatProductProperty {
  propertyRef: string;
  key: PropertyKey;
  name: string;
  value: string;
}

export interface CatProduct {
  index: number;
  ref: string;
  /** 1C Code (11 digits). */
  code: string;
  /** Артикул. */
  sku: string;
  name: string;
  fullName: string;
  groupRef: string;
  kind: ProductKind;
  kindRef: string;
  brand: string;
  brandRef: string;
  barcodes: string[];
  baseUnitRef: string;
  packs: CatPack[];
  properties: CatProductProperty[];
  analogRefs: string[];
  pictures: string[];
  description: string;
  vatRate: DecimalString;
  weightKg: DecimalString | null;
  deleted: boolean;
  /** A small counter; the 1C DataVersion is its base64 form (dataVersionOf). */
  versionNo: number;
}

export interface CatWarehouse {
  index: number;
  ref: string;
  code: string;
  name: string;
  city: string;
  region: string;
  address: string;
}

export interface CatPriceType {
  index: number;
  ref: string;
  code: string;
  name: string;
  /** 1C «Идентификатор». */
  ident: string;
  currency: string;
  vatIncluded: boolean;
  /** Percent off the base price (0 for Базовая). */
  discountPercent: number;
  dealerTier?: 'A' | 'B' | 'C';
}

export interface CatPrice {
  productIndex: number;
  productRef: string;
  priceTypeRef: string;
  price: DecimalString;
  currency: string;
  validFrom: string;
}

export interface CatStock {
  productIndex: number;
  productRef: string;
  warehouseRef: string;
  onHand: DecimalString;
  reserved: DecimalString;
  available: DecimalString;
  expected?: { qty: DecimalString; date: string };
}

export interface CatCustomer {
  index: number;
  /** 1C Партнер (the dealer as a business partner). */
  ref: string;
  code: string;
  /** 1C Контрагент (the legal entity with ИНН/КПП). */
  counterpartyRef: string;
  /** 1C СоглашениеСКлиентом (price type, credit limit, payment terms). */
  agreementRef: string;
  agreementNumber: string;
  /** 1C ДоговорКонтрагента. */
  contractRef: string;
  /** 1C КлючАналитикиУчетаПоПартнерам (the dimension of the settlements registers). */
  settlementKeyRef: string;
  name: string;
  fullName: string;
  isPerson: boolean;
  inn: string;
  kpp: string | null;
  city: string;
  address: string;
  email: string;
  phone: string;
  priceTypeRef: string;
  creditLimit: DecimalString | null;
  creditLimitEnforced: boolean;
  paymentTermDays: number;
}

export interface CatOrderLine {
  lineNo: number;
  productIndex: number;
  productRef: string;
  qty: DecimalString;
  price: DecimalString;
  amount: DecimalString;
  vatAmount: DecimalString;
  cancelled: boolean;
}

export interface CatOrder {
  index: number;
  ref: string;
  number: string;
  date: string;
  customerIndex: number;
  customerRef: string;
  /** Our idempotency key when the order came from DealerHub; null for orders keyed in the ERP directly. */
  externalId: string | null;
  status: ErpOrderStatus;
  warehouseRef: string;
  priceTypeRef: string;
  shipDate: string;
  lines: CatOrderLine[];
  total: DecimalString;
  comment: string;
}

export type CatDocumentKind = 'invoice' | 'waybill' | 'upd' | 'act';

export interface CatDocument {
  index: number;
  ref: string;
  kind: CatDocumentKind;
  number: string;
  date: string;
  customerIndex: number;
  customerRef: string;
  orderRef: string;
  orderExternalId: string | null;
  amount: DecimalString;
  vatAmount: DecimalString;
  currency: string;
  /** Shipments and acts: when payment is due and whether it came. */
  dueDate: string | null;
  paid: boolean;
}

export interface CatFinance {
  customerRef: string;
  currency: string;
  debt: DecimalString;
  overdue: DecimalString;
  overdueDays: number;
  creditLimit: DecimalString | null;
  creditLimitEnforced: boolean;
  paymentTermDays: number;
  asOf: string;
  /** Unpaid shipments and acts by due date (what a settlements-by-terms register holds). */
  open: Array<{ documentRef: string; dueDate: string; amount: DecimalString }>;
}

export interface GeneratedCatalog {
  readonly seed: string;
  readonly options: Required<CatalogOptions>;
  readonly asOf: string;
  readonly organization: CatOrganization;
  readonly currency: { ref: string; code: string; name: string };
  readonly units: { piece: CatUnit; pack: CatUnit };
  readonly brands: CatBrand[];
  readonly productKinds: CatProductKind[];
  readonly properties: CatProperty[];
  readonly groups: CatGroup[];
  readonly productCount: number;
  /** Generates product #index (0-based) on demand; nothing is kept in memory. */
  product(index: number): CatProduct;
  /** Lazy iteration over products [from, to). */
  products(from?: number, to?: number): IterableIterator<CatProduct>;
  /** Cheap: the Ref_Key of product #index without generating the product. */
  productRef(index: number): string;
  /** Cheap: the fields an index scan needs (key, folder, deletion mark, version) without generating the product. */
  productBrief(index: number): { ref: string; groupRef: string; deleted: boolean; versionNo: number };
  productIndexOf(ref: string): number | undefined;
  readonly warehouses: CatWarehouse[];
  readonly priceTypes: CatPriceType[];
  pricesOf(index: number): CatPrice[];
  prices(): IterableIterator<CatPrice>;
  /** Rows only where something is non-zero (on hand, reserved or expected), like an ERP balance table. */
  stockOf(index: number): CatStock[];
  stock(): IterableIterator<CatStock>;
  readonly customers: CatCustomer[];
  readonly orders: CatOrder[];
  readonly documents: CatDocument[];
  readonly finance: CatFinance[];
}
