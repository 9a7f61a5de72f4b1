/**
 * Shapes of the orders module's answers the order tab reads (server/modules/orders: order-views.ts, orders.service.ts
 * readOrderPage / readManagedOrder). Money and quantities are decimal strings; dates ISO strings.
 */
export interface OrderStage {
  key: string;
  name: string;
  color: string;
  semantics: 'P' | 'S' | 'F';
}

export type ErpHandoff = 'queued' | 'created' | 'posted' | 'rejected';

export interface OrderSummary {
  id: number;
  number: string;
  externalId: string;
  b24ItemId: number | null;
  status: 'submitting' | 'submitted' | 'failed';
  stage: OrderStage;
  createdAt: string;
  submittedAt: string | null;
  stageChangedAt: string | null;
  total: string;
  currency: string;
  companyId: number | null;
  dealerItemId: number;
  submittedBy: number;
  source: 'cabinet' | 'manager' | 'erp';
  delivery: { method: string; label: string; address: string | null; desiredDate: string | null };
  erp: { number: string | null; status: string | null; handoff: ErpHandoff | null; error: string | null };
  changesPending: boolean;
}

export interface PriceStep {
  kind: 'base' | 'rule' | 'offer';
  ref: string;
  title: string;
  how: string;
  price: string;
  conditions?: string;
}

export interface ProposedChange {
  kind: 'change' | 'replace' | 'remove' | 'add';
  productId?: number | null;
  sku?: string | null;
  name?: string;
  unitName?: string;
  baseQty?: string;
  price?: string;
  lineTotal?: string;
  comment?: string | null;
  byUserId: number;
  at: string;
}

export interface OrderLine {
  id: number;
  lineNo: number;
  productId: number | null;
  sku: string | null;
  name: string;
  unitName: string | null;
  qty: string;
  unit: 'base' | 'pack';
  packRatio: string | null;
  baseQty: string;
  basePrice: string;
  price: string;
  discountPercent: string;
  lineTotal: string;
  breakdown: PriceStep[];
  proposed: ProposedChange | null;
  reserve: { reserved: string | null; waiting: string | null; onWaitingList: boolean };
}

export interface WarehouseStock {
  warehouseId: number;
  name: string;
  city: string | null;
  available: string;
}

export interface Analog {
  productId: number;
  sku: string | null;
  name: string;
  price: string | null;
  available: string;
}

export interface ManagedLine extends OrderLine {
  stockByWarehouse: WarehouseStock[];
  analogs: Analog[];
  currentPrice: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  stage: OrderStage | null;
  message: string | null;
  actorUserId: number | null;
}

export interface OutboxState {
  state: 'pending' | 'failed' | 'created' | 'posted' | 'dead';
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastErrorKind: string | null;
  deliveredAt: string | null;
}

export interface OrderPage<L extends OrderLine = OrderLine> {
  order: OrderSummary;
  lines: L[];
  totals: { lines: number; amount: string; proposedAmount: string | null; currency: string };
  pendingChanges: number;
  timeline: TimelineEntry[];
  creditCheck: string | null;
  comment: string | null;
}

export interface ManagedOrder extends OrderPage<ManagedLine> {
  outbox: OutboxState | null;
  /** Present on the managed view (GET /orders/:id/manage); the read-only details page has none. */
  dealer?: { itemId: number; title: string; city: string | null; cardPath: string | null } | null;
  legalEntity?: { companyId: number; name: string; inn: string | null } | null;
  priceType?: { erpId: string; name: string } | null;
}

export interface LineChange {
  qty?: string;
  price?: string;
  replaceWithProductId?: number;
  remove?: boolean;
  comment?: string;
}

export interface RepriceAnswer {
  oldTotal: string;
  newTotal: string;
  changedLines: number;
  unpriced: Array<{ lineNo: number; sku: string | null }>;
}

export interface ReserveAnswer {
  source: 'erp' | 'stock';
  reservedLines: number;
  waitingLines: number;
}
