/**
 * Order shapes the cabinet and the CRM order tab both read: one server answer (server/modules/orders/order-views.ts:
 * OrderSummary, OrderLineView), so one type. Money and quantities are decimal strings; dates ISO strings.
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
