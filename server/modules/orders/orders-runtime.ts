import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import type { ErpOrderState } from '../../erp/port.js';
import type { OutboxInput, OutboxState } from '../../erp/sync/index.js';

/**
 * What the ordering module needs from the ERP sync engine (server/erp/sync: `createErpSyncForContext(ctx)`), kept to
 * the two calls it makes so tests and the composition root pass the real engine.
 */
export interface OrdersErpLink {
  enqueueOutbox(transaction: Transaction, input: OutboxInput): Promise<{ id: number; created: boolean; state: OutboxState; generation: number }>;
  onOrderStateChanged(listener: (portalId: number, state: ErpOrderState) => Promise<void> | void): () => void;
}

export interface OrdersRuntime {
  erp: OrdersErpLink | null;
  /**
   * Stage-change notices: 'email' when the portal's NotifyDealer robot carries the Bitrix24 copy on every stage (the
   * default automation does), 'all' to send the Bitrix24 notice from here too.
   */
  stageNotices: 'all' | 'email';
}

const runtimes = new WeakMap<AppContext, OrdersRuntime>();

export function setOrdersRuntime(ctx: AppContext, runtime: OrdersRuntime): void {
  runtimes.set(ctx, runtime);
}

export function ordersRuntime(ctx: AppContext): OrdersRuntime {
  return runtimes.get(ctx) ?? { erp: null, stageNotices: 'email' };
}
