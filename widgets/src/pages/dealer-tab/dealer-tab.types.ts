import type { OrderSummary } from '../order-tab/managed-order.types.js';

/** GET /api/orders/sales/monthly (server/modules/orders/sales-by-month.ts). */
export interface SalesSummary {
  currency: string;
  months: Array<{ month: string; orders: number; total: string }>;
  thisMonth: { orders: number; total: string };
  thisYear: { orders: number; total: string };
  otherCurrencyOrders: number;
}

/** GET /api/orders (staff, filtered by the Dealers item id). */
export interface OrdersPage {
  items: OrderSummary[];
  total: number;
  offset: number;
  limit: number;
}

/** PATCH /api/dealers/:id/terms (placements/api/update-dealer-terms.ts); null clears a value. */
export interface DealerTermsPatch {
  creditLimit?: string | null;
  paymentTermDays?: number | null;
  blockOverLimit?: boolean;
  blockOverdueDays?: number | null;
}
