/**
 * Shapes of the orders module's answers the order tab reads (server/modules/orders: order-views.ts, orders.service.ts
 * readOrderPage / readManagedOrder). Money and quantities are decimal strings; dates ISO strings.
 */
import type { OrderLine, OrderStage, OrderSummary } from '../../api/order-types.js';

export type { ErpHandoff, OrderLine, OrderStage, OrderSummary, PriceStep, ProposedChange } from '../../api/order-types.js';

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
