import type { Router } from 'express';
import type { DecimalString } from '../lib/decimal.js';

/**
 * The one port between DealerHub and an ERP (DESIGN.md §2, §4; ../shared/reference/erp-integration.md §5).
 * Adapters (1C OData, 1C CommerceML, AX 2012 AIF, D365 F&O OData, file drop) map their vocabulary to these
 * normalized types; nothing outside server/erp/<adapter>/ knows which ERP is on the other side.
 * Money and quantities are DecimalString ("1234.50"), never floats.
 */

export type ErpKind = '1c-odata' | '1c-commerceml' | 'ax2012-aif' | 'd365-odata' | 'files';

/** A reference to an ERP object: 1C Ref_Key GUID, AX RecId/ItemId, D365 "dataAreaId|ItemNumber". */
export interface ErpRef {
  erpId: string;
  code?: string;
}

/** An opaque, adapter-specific cursor (JSON inside); null means "from the beginning". */
export interface Cursor {
  readonly token: string;
}

export interface Page<T> {
  items: T[];
  /**
   * null when the caller is caught up. A caller keeps the last non-null `next` and starts the next run from it, so
   * an incremental adapter ends a pass with a `next` that leads to an empty page; a snapshot adapter ends with null.
   */
  next: Cursor | null;
  /** Present when the adapter knows it (progress bars of a full sync). */
  total?: number;
}

/** How an adapter finds what changed since the last pull. */
export type IncrementalMode = 'change-keys' | 'modified-since' | 'version-compare' | 'snapshot';

export interface Capabilities {
  /** `inbound`: the ERP pushes the catalog to us (CommerceML); `pull`: we read it. */
  catalog: 'pull' | 'inbound' | 'none';
  incremental: Record<'products' | 'prices' | 'stock' | 'finance' | 'documents' | 'orderStates', IncrementalMode | 'none'>;
  stock: boolean;
  prices: boolean;
  finance: boolean;
  creditLimits: boolean;
  documents: boolean;
  documentFiles: boolean;
  /** The adapter gives product pictures' bytes (productPicture). */
  productPictures: boolean;
  createOrder: boolean;
  postOrder: boolean;
  claims: boolean;
  reserve: boolean;
  waitingList: boolean;
  /** Parallel requests the ERP tolerates (D365 caps at 52 per user and server; a 1C web server prefers few). */
  maxConcurrency: number;
}

export interface ErpProductGroup {
  ref: ErpRef;
  name: string;
  parentRef?: ErpRef | null;
}

export interface ErpUnit {
  ref?: ErpRef;
  /** OKEI code where the ERP gives it (796 = шт). */
  code?: string;
  name: string;
  /** How many base units one of these is (a pack of 12 → "12"). */
  ratio: DecimalString;
}

export interface ErpProductProperty {
  /** Stable property id (1C: Ид свойства / additional attribute ref). */
  id: string;
  name: string;
  value: string;
}

export interface ErpProduct {
  ref: ErpRef;
  sku?: string;
  name: string;
  fullName?: string;
  groupRef?: ErpRef | null;
  brand?: string;
  barcodes?: string[];
  baseUnit: ErpUnit;
  packUnits?: ErpUnit[];
  properties?: ErpProductProperty[];
  analogRefs?: ErpRef[];
  /**
   * The product's pictures, main first, as keys the same adapter resolves to bytes (`productPicture`): 1C OData the
   * attached file's Ref_Key with its extension, CommerceML the `import_files/…` path, the file drop a file name; an
   * http(s) URL is used as it is.
   */
  pictures?: string[];
  description?: string;
  vatRate?: DecimalString;
  /** Deletion mark (1C DeletionMark / ПометкаУдаления): not on sale, kept for history. */
  deleted: boolean;
  /** Opaque version (1C DataVersion, AX RecVersion) for version-compare pulls. */
  version?: string;
  modifiedAt?: string;
}

export interface ErpWarehouse {
  ref: ErpRef;
  name: string;
  city?: string;
  address?: string;
}

export interface ErpPriceType {
  ref: ErpRef;
  name: string;
  currency: string;
  vatIncluded: boolean;
}

export interface ErpPrice {
  productRef: ErpRef;
  variantRef?: ErpRef;
  priceTypeRef: ErpRef;
  price: DecimalString;
  currency: string;
  /** Unit the price is for, when not the base unit. */
  unit?: string;
  validFrom?: string;
}

export interface ErpStock {
  productRef: ErpRef;
  variantRef?: ErpRef;
  warehouseRef: ErpRef;
  onHand: DecimalString;
  reserved: DecimalString;
  available: DecimalString;
  /** Expected arrival (quantity and date) where the ERP knows it, for the waiting list. */
  expected?: { qty: DecimalString; date?: string };
}

export interface ErpCustomer {
  ref: ErpRef;
  name: string;
  inn?: string;
  kpp?: string;
  /** Price type assigned by contract or agreement. */
  priceTypeRef?: ErpRef | null;
}

export interface ErpCustomerFinance {
  customerRef: ErpRef;
  currency: string;
  debt: DecimalString;
  overdue: DecimalString;
  /** Oldest overdue, in days (blocking rules use it). */
  overdueDays?: number;
  creditLimit?: DecimalString | null;
  creditLimitEnforced: boolean;
  paymentTermDays?: number;
  asOf: string;
}

export type ErpDocumentKind = 'invoice' | 'waybill' | 'upd' | 'act' | 'credit-note' | 'payment';

export interface ErpDocument {
  ref: ErpRef;
  kind: ErpDocumentKind;
  number: string;
  date: string;
  customerRef: ErpRef;
  amount: DecimalString;
  currency: string;
  orderRef?: ErpRef | null;
  /** Our external id of the order, when the ERP document points back at one. */
  orderExternalId?: string | null;
  posted: boolean;
  hasFile: boolean;
}

/** A file the ERP keeps: a product picture, a document's scan or printed form. */
export interface ErpFile {
  contentType: string;
  fileName: string;
  bytes: Uint8Array;
}

export type ErpOrderStatus = 'draft' | 'confirmed' | 'in_fulfilment' | 'invoiced' | 'paid' | 'shipped' | 'delivered' | 'closed' | 'cancelled';

export interface ErpOrderLineState {
  lineNo: number;
  productRef: ErpRef;
  qty: DecimalString;
  price: DecimalString;
  reserved: DecimalString;
  /** Quantity on the waiting list (not in stock, ordered from supply). */
  waiting: DecimalString;
  cancelled: boolean;
}

export interface ErpOrderState {
  externalId?: string | null;
  erpRef: ErpRef;
  number: string;
  status: ErpOrderStatus;
  /** The ERP's own word for the status, shown to managers. */
  rawStatus: string;
  posted: boolean;
  total?: DecimalString;
  lines?: ErpOrderLineState[];
  updatedAt?: string;
}

export interface SubmitOrderLine {
  productRef: ErpRef;
  variantRef?: ErpRef;
  qty: DecimalString;
  price: DecimalString;
  unit?: string;
}

export interface SubmitOrder {
  /** Our idempotency key (the order's UUID); stored in the ERP document. */
  externalId: string;
  /** Human number shown to dealers ("DH-000123"). */
  number: string;
  customerRef: ErpRef;
  agreementRef?: ErpRef;
  organizationRef?: ErpRef;
  warehouseRef?: ErpRef;
  priceTypeRef?: ErpRef;
  currency: string;
  desiredDate?: string;
  deliveryAddress?: string;
  comment?: string;
  lines: SubmitOrderLine[];
  /** Post (conduct) the document after creating it, where the ERP separates the two. */
  post: boolean;
}

export interface SubmitClaim {
  externalId: string;
  number: string;
  customerRef: ErpRef;
  orderRef?: ErpRef;
  productRef: ErpRef;
  serial?: string;
  defect: string;
  lines: { productRef: ErpRef; qty: DecimalString; kind: 'part' | 'work'; price?: DecimalString }[];
  comment?: string;
}

export type SubmitResult = {
  /** created: new document; posted: created and posted; already-exists: found by external id, nothing written. */
  state: 'created' | 'posted' | 'already-exists';
  erpRef: ErpRef;
  number?: string;
};

export type ErpErrorKind = 'transient' | 'rate-limited' | 'auth' | 'validation' | 'not-found' | 'conflict' | 'unsupported';

/** The only error type adapters throw; the outbox worker decides retry vs dead letter from `kind` alone. */
export class ErpError extends Error {
  readonly kind: ErpErrorKind;
  readonly retryAfterMs: number | undefined;
  readonly erpCode: string | undefined;

  constructor(kind: ErpErrorKind, message: string, options: { retryAfterMs?: number; erpCode?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ErpError';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.erpCode = options.erpCode;
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limited';
  }
}

export const isErpError = (e: unknown): e is ErpError => e instanceof ErpError;

export interface ErpHealth {
  ok: boolean;
  latencyMs: number;
  details?: string;
}

export interface ErpConnector {
  readonly kind: ErpKind;
  readonly capabilities: Capabilities;
  health(signal?: AbortSignal): Promise<ErpHealth>;

  // master data
  productGroups(signal?: AbortSignal): Promise<ErpProductGroup[]>;
  products(cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpProduct>>;
  warehouses(signal?: AbortSignal): Promise<ErpWarehouse[]>;
  priceTypes(signal?: AbortSignal): Promise<ErpPriceType[]>;
  prices(q: { priceTypeRefs?: ErpRef[] }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpPrice>>;
  /** Snapshot of stock, per warehouse; the sync replaces a warehouse's rows atomically. */
  stock(q: { warehouseRefs?: ErpRef[]; productRefs?: ErpRef[] }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpStock>>;
  customers(cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpCustomer>>;
  customerFinance(customerRefs: ErpRef[], signal?: AbortSignal): Promise<ErpCustomerFinance[]>;

  // documents and orders
  documents(q: { customerRef?: ErpRef; from: string; to: string }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpDocument>>;
  /** The file of a document with `hasFile` (a scan or printed form the ERP keeps with it). */
  documentFile?(ref: ErpRef, signal?: AbortSignal): Promise<ErpFile>;
  /** A picture's bytes by a key from ErpProduct.pictures. */
  productPicture?(key: string, signal?: AbortSignal): Promise<ErpFile>;
  orderStates(q: { since?: string; externalIds?: string[] }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpOrderState>>;

  // idempotent writes
  findByExternalId(kind: 'order' | 'claim', externalId: string, signal?: AbortSignal): Promise<ErpOrderState | null>;
  submitOrder(cmd: SubmitOrder, signal?: AbortSignal): Promise<SubmitResult>;
  /** Posts a created-but-unposted order (1C's second step); resumable after a crash between the two. */
  postOrder?(ref: ErpRef, signal?: AbortSignal): Promise<SubmitResult>;
  submitClaim?(cmd: SubmitClaim, signal?: AbortSignal): Promise<SubmitResult>;
}

/** Normalized batches an inbound feed delivers; `fullSnapshot` false for delta packages (СодержитТолькоИзменения). */
export interface InboundBatches {
  groups: ErpProductGroup[];
  products: ErpProduct[];
  priceTypes: ErpPriceType[];
  prices: ErpPrice[];
  warehouses: ErpWarehouse[];
  stock: ErpStock[];
  orderStates: ErpOrderState[];
}

export type InboundEvent = keyof InboundBatches;

/** For ERPs that push to us (1C CommerceML «обмен с сайтом»). */
export interface ErpInboundFeed {
  readonly kind: ErpKind;
  /** Mounted by the app, e.g. at /erp/1c-exchange. */
  router(): Router;
  on<E extends InboundEvent>(event: E, handler: (batch: InboundBatches[E], meta: { portalId: number; fullSnapshot: boolean }) => Promise<void>): void;
  /** A picture the ERP pushed with the catalog (CommerceML import_files), by a key from ErpProduct.pictures. */
  productPicture?(portalId: number, key: string, signal?: AbortSignal): Promise<ErpFile>;
}
