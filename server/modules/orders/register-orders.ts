import type { Express } from 'express';
import type { AppContext } from '../../context.js';
import type { ScheduleDefinition } from '../../jobs/index.js';
import { cartRoutes } from '../carts/index.js';
import { configureNotifier, notificationRoutes, type TSmtpSettings } from '../notifications/index.js';
import { createHandoffJob, ERP_HANDOFF_JOB, type HandoffPayload } from './erp-handoff.js';
import { createErpStateListener } from './erp-state-listener.js';
import { orderRoutes } from './orders.routes.js';
import { setOrdersRuntime, type OrdersErpLink } from './orders-runtime.js';
import { createOrdersRepository, type OrderRow } from './orders.repository.js';
import { checkWaitingList, WAITING_LIST_JOB } from './waiting-list.js';

export interface RegisterOrdersOptions {
  /** The ERP sync engine (createErpSyncForContext(ctx)): the outbox and the order-state hook. */
  erpSync: OrdersErpLink | null;
  /** The e-mail channel (config SMTP_URL parsed with parseSmtpUrl); null: e-mail is "not configured". */
  smtp?: TSmtpSettings | null;
  /** See OrdersRuntime.stageNotices; default 'email' (the NotifyDealer robot carries the Bitrix24 notice). */
  stageNotices?: 'all' | 'email';
}

/**
 * Wires carts, orders and notifications into a context: the ERP hand-off watcher and the waiting-list check as job
 * handlers, the listener on the sync engine's order-state changes, the e-mail channel. Call once per context, before
 * the workers start (the robots' handlers find the ERP link through it).
 */
export function registerOrders(ctx: AppContext, options: RegisterOrdersOptions): void {
  setOrdersRuntime(ctx, { erp: options.erpSync, stageNotices: options.stageNotices ?? 'email' });
  configureNotifier(ctx, { smtp: options.smtp ?? null });
  ctx.jobs.registerHandler<HandoffPayload>(ERP_HANDOFF_JOB, createHandoffJob(ctx));
  ctx.jobs.registerHandler(WAITING_LIST_JOB, async (job) => {
    if (job.portalId === null) throw new Error('the waiting-list check needs a portal');
    return checkWaitingList(ctx, job.portalId);
  });
  options.erpSync?.onOrderStateChanged(createErpStateListener(ctx));
}

/** Routes of carts, checkout, orders and notification settings under /api; an AppExtension for createApp. */
export function registerOrderRoutes(app: Express, ctx: AppContext): void {
  app.use('/api', cartRoutes(ctx), orderRoutes(ctx), notificationRoutes(ctx));
}

/** Goods-arrived check every 10 minutes per portal (after the stock syncs; it only enqueues). */
export const ORDER_SCHEDULES: ScheduleDefinition[] = [{ name: 'orders-waiting-list', cron: '*/10 * * * *', kind: WAITING_LIST_JOB, payload: () => ({}), maxAttempts: 3 }];

/** The order DealerHub submitted as this Orders item (robots run on items). */
export function findOrderOfDocument(ctx: AppContext, portalId: number, itemId: number): Promise<OrderRow | null> {
  return createOrdersRepository(ctx.db).findByItemId(portalId, itemId);
}
