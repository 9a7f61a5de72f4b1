import type { OrderLine, OrderStage, OrderSummary } from '../../api/order-types.js';
import type { DealerSummary, DealerUser } from '../../api/types.js';

/**
 * Shapes of the cabinet's order and checkout answers (server: server/modules/orders/order-views.ts, checkout.ts,
 * orders.service.ts); the order summary and lines are the ones the CRM order tab reads too (api/order-types.ts).
 */
export type { OrderLine, OrderStage, OrderSummary, ProposedChange } from '../../api/order-types.js';

export interface TimelineEntry {
  at: string;
  kind: string;
  stage: OrderStage | null;
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
