import type { OrderEventRow, OrderLineRow, OrderRow } from './orders.repository.js';
import { deliveryMethodLabel, stageView, type StageView } from './order-stages.js';

export interface OrderSummary {
  id: number;
  number: string;
  externalId: string;
  b24ItemId: number | null;
  status: OrderRow['status'];
  stage: StageView;
  createdAt: string;
  submittedAt: string | null;
  stageChangedAt: string | null;
  total: string;
  currency: string;
  companyId: number | null;
  dealerItemId: number;
  submittedBy: number;
  source: OrderRow['source'];
  delivery: { method: string; label: string; address: string | null; desiredDate: string | null };
  erp: { number: string | null; status: string | null; handoff: OrderRow['erpHandoff']; error: string | null };
  changesPending: boolean;
}

export function summarizeOrder(o: OrderRow, lang: 'ru' | 'en'): OrderSummary {
  return {
    id: o.id,
    number: o.number,
    externalId: o.externalId,
    b24ItemId: o.b24ItemId,
    status: o.status,
    stage: stageView(o.stageKey, lang),
    createdAt: o.createdAt.toISOString(),
    submittedAt: o.submittedAt?.toISOString() ?? null,
    stageChangedAt: o.stageChangedAt?.toISOString() ?? null,
    total: o.total,
    currency: o.currency,
    companyId: o.companyId,
    dealerItemId: o.dealerItemId,
    submittedBy: o.userId,
    source: o.source,
    delivery: { method: o.deliveryMethod, label: deliveryMethodLabel(o.deliveryMethod, lang), address: o.deliveryAddress, desiredDate: o.desiredDate },
    erp: { number: o.erpNumber, status: o.erpStatus, handoff: o.erpHandoff, error: o.erpError },
    changesPending: o.changesPending,
  };
}

export interface OrderLineView {
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
  breakdown: OrderLineRow['breakdown'];
  /** The manager's proposed change, highlighted until the dealer agrees or declines. */
  proposed: OrderLineRow['proposed'];
  reserve: { reserved: string | null; waiting: string | null; onWaitingList: boolean };
}

export function lineView(l: OrderLineRow): OrderLineView {
  return {
    id: l.id,
    lineNo: l.lineNo,
    productId: l.productId,
    sku: l.sku,
    name: l.name,
    unitName: l.unitName,
    qty: l.qty,
    unit: l.unit,
    packRatio: l.packRatio,
    baseQty: l.baseQty,
    basePrice: l.basePrice,
    price: l.price,
    discountPercent: l.discountPercent,
    lineTotal: l.lineTotal,
    breakdown: l.breakdown,
    proposed: l.proposed,
    reserve: { reserved: l.reservedQty, waiting: l.waitingQty, onWaitingList: l.waitingQty !== null && l.waitingQty !== '0' },
  };
}

export interface TimelineEntry {
  at: string;
  kind: string;
  stage: StageView | null;
  message: string | null;
  data: Record<string, unknown> | null;
  actorUserId: number | null;
  onBehalfOfUserId: number | null;
}

export function timelineOf(events: OrderEventRow[], lang: 'ru' | 'en'): TimelineEntry[] {
  return events.map((e) => ({
    at: e.createdAt.toISOString(),
    kind: e.kind,
    stage: e.stageKey ? stageView(e.stageKey, lang) : null,
    message: e.message,
    data: e.data,
    actorUserId: e.actorUserId,
    onBehalfOfUserId: e.onBehalfOfUserId,
  }));
}
