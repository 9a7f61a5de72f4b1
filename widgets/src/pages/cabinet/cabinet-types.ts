import type { DealerSummary, DealerUser } from '../../api/types.js';

/** Shapes of the cabinet's order and checkout answers (server: server/modules/orders/order-views.ts, checkout.ts, orders.service.ts). */
export interface OrderStageView {
  key: string;
  name: string;
  color: string;
  semantics: 'P' | 'S' | 'F';
}

export interface OrderSummary {
  id: number;
  number: string;
  b24ItemId: number | null;
  status: 'submitting' | 'submitted' | 'failed';
  stage: OrderStageView;
  createdAt: string;
  submittedAt: string | null;
  stageChangedAt: string | null;
  total: string;
  currency: string;
  companyId: number | null;
  dealerItemId: number;
  submittedBy: number;
  source: string;
  delivery: { method: string; label: string; address: string | null; desiredDate: string | null };
  erp: { number: string | null; status: string | null; handoff: string | null; error: string | null };
  changesPending: boolean;
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
  baseQty: string;
  basePrice: string;
  price: string;
  discountPercent: string;
  lineTotal: string;
  proposed: ProposedChange | null;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  stage: OrderStageView | null;
  message: string | null;
  actorUserId: number | null;
  onBehalfOfUserId: number | null;
}

export interface OrderDocument {
  kind: string;
  number: string;
  date: string;
  amount: string;
  currency: string;
  posted: boolean;
  hasFile: boolean;
  /** Signed address of the file, valid for a while; null when the ERP keeps none. */
  fileUrl: string | null;
}

export interface OrderPage {
  order: OrderSummary;
  lines: OrderLine[];
  totals: { lines: number; amount: string; proposedAmount: string | null; currency: string };
  pendingChanges: number;
  timeline: TimelineEntry[];
  documents: OrderDocument[];
  creditCheck: string | null;
  comment: string | null;
}

export interface LegalEntityChoice {
  companyId: number;
  name: string;
  inn: string | null;
  isMain: boolean;
}

export type CreditReason = 'dealer_inactive' | 'overdue' | 'over_limit' | 'currency' | 'no_erp_data' | 'within_limit' | 'no_limit' | 'over_limit_allowed';

export interface CreditCheck {
  result: 'ok' | 'blocked' | 'error';
  reason: CreditReason;
  message: string;
  orderTotal: string;
  currency: string;
  availableCredit: string | null;
  creditLimit: string | null;
  debt: string | null;
  overBy: string | null;
  overdue: string | null;
  overdueDays: number | null;
  allowedOverdueDays: number | null;
  asOf: string | null;
}

export interface CheckoutPreview {
  cart: { id: number; revision: number; lines: number; orderable: number; blockingLines: number; totals: { lines: number; quantity: string; amount: string; currency: string; orderable: number } };
  credit: CreditCheck;
  canSubmit: boolean;
  legalEntity: LegalEntityChoice | null;
  legalEntities: LegalEntityChoice[];
  deliveryMethods: string[];
  today: string;
}

export interface OfferView {
  id: number;
  title: string;
  banner: string;
  conditions: string;
  kind: 'percent' | 'fixed_price';
  value: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface NotificationSettings {
  kinds: Array<{ kind: string; label: string; enabled: boolean }>;
  email: { enabled: boolean; address: string | null; configured: boolean };
}

/** Staff acting as one user of a dealer (cart, checkout and orders on that user's behalf). */
export interface ActingAs {
  dealer: DealerSummary;
  user: Pick<DealerUser, 'b24UserId' | 'name' | 'role' | 'legalEntityIds'>;
}

/** What the person in the cabinet may do, decided once from their permissions (and acting state for staff). */
export interface CabinetCapabilities {
  isStaff: boolean;
  canOrder: boolean;
  canAgree: boolean;
  canCancel: boolean;
  canReadFinance: boolean;
  /** A viewer: sees, never changes. */
  readOnly: boolean;
}

export const OPEN_STAGES = ['new', 'approval', 'agreed', 'sentToErp', 'confirmed', 'invoiced', 'paid', 'shipped'] as const;
export const PIPELINE = ['new', 'approval', 'agreed', 'sentToErp', 'confirmed', 'invoiced', 'paid', 'shipped', 'delivered'] as const;
