import type { AppContext } from '../../context.js';
import type { SubmitOrder } from '../../erp/port.js';
import { createOutboxRepository } from '../../erp/sync/index.js';
import { AppError } from '../../http/app-error.js';
import { RetryJobError, type Job } from '../../jobs/index.js';
import { withTransaction } from '../../jobs/sql.js';
import type { Portal } from '../portals/index.js';
import { addTimelineComment, orderFieldPatch, updateOrderItem } from './b24-order-item.js';
import { moveOrderStage } from './move-order-stage.js';
import { orderItemContext } from './order-item-context.js';
import { ordersRuntime } from './orders-runtime.js';
import { createOrdersRepository, type OrderLineRow, type OrderRow } from './orders.repository.js';

export const ERP_HANDOFF_JOB = 'orders.erp-handoff';

export interface HandoffPayload {
  orderId: number;
}

export interface QueuedForErp {
  outboxId: number;
  /** False when the order was queued before (a repeated robot call or button press): nothing new was written. */
  created: boolean;
  erpNumber: string | null;
  handoff: OrderRow['erpHandoff'];
}

/** The ERP document of an order (port.ts SubmitOrder): our external id is its idempotency key. */
export async function submitOrderOf(ctx: AppContext, order: OrderRow, lines: OrderLineRow[], post: boolean): Promise<SubmitOrder> {
  const dealer = await ctx.dealers.findById(order.portalId, order.dealerId);
  if (!dealer) throw new AppError('NOT_FOUND', 'The dealer of this order is no longer known to DealerHub');
  const entities = await ctx.dealers.legalEntities(order.portalId, dealer.id);
  const customer = entities.find((e) => e.companyId === order.companyId)?.erpCustomerId ?? dealer.erpCustomerId;
  if (!customer) throw new AppError('UNPROCESSABLE', `The dealer «${dealer.title}» has no ERP customer id (Dealers card): the ERP cannot take the order`);
  const missing = lines.filter((l) => !l.productErpId);
  if (missing.length) throw new AppError('UNPROCESSABLE', `Lines ${missing.map((l) => l.lineNo).join(', ')} have no ERP product: replace them before sending`);
  return {
    externalId: order.externalId,
    number: order.number,
    customerRef: { erpId: customer },
    ...(dealer.priceTypeErpId ? { priceTypeRef: { erpId: dealer.priceTypeErpId } } : {}),
    currency: order.currency,
    ...(order.desiredDate ? { desiredDate: order.desiredDate } : {}),
    ...(order.deliveryAddress ? { deliveryAddress: order.deliveryAddress } : {}),
    ...(order.comment ? { comment: order.comment } : {}),
    lines: lines.map((l) => ({ productRef: { erpId: l.productErpId! }, qty: l.baseQty, price: l.price, ...(l.unitName ? { unit: l.unitName } : {}) })),
    post,
  };
}

/**
 * Queues an order for the ERP: the outbox row (server/erp/sync), our index's hand-off state and timeline event, and
 * the job that watches the delivery — all in one transaction, so the order is either queued with everything or not
 * at all. The outbox worker then creates (and posts) the ERP document idempotently by our external id.
 */
export async function queueOrderForErp(ctx: AppContext, order: OrderRow, opts: { post: boolean; actorUserId?: number | null }): Promise<QueuedForErp> {
  const erp = ordersRuntime(ctx).erp;
  if (!erp) throw new AppError('UNAVAILABLE', 'No ERP link is wired into the ordering module (registerOrders without erpSync)');
  if (order.changesPending) throw new AppError('CONFLICT', 'The manager’s changes await the dealer’s agreement: the order cannot go to the ERP yet');
  if (order.stageKey === 'cancelled') throw new AppError('CONFLICT', 'The order is cancelled');
  const orders = createOrdersRepository(ctx.db);
  const lines = await orders.lines(order.id);
  const payload = await submitOrderOf(ctx, order, lines, opts.post);
  const now = new Date();
  // An order the ERP refused goes again with its current lines once someone sends it again (the cause fixed).
  const resend = order.erpHandoff === 'rejected';
  const queued = await withTransaction(ctx.db, async (transaction) => {
    const outbox = await erp.enqueueOutbox(transaction, { portalId: order.portalId, aggregate: 'order', aggregateId: String(order.id), externalId: order.externalId, payload, reviveDead: resend });
    if (outbox.created) {
      await orders.update(order.portalId, order.id, { erpHandoff: 'queued', erpError: null }, now, transaction);
      await orders.addEvent(order, { kind: 'erp_queued', message: `outbox #${outbox.id}${resend ? ' (resent)' : ''}`, actorUserId: opts.actorUserId ?? null, data: { outboxId: outbox.id, resent: resend } }, now, transaction);
    }
    const watch = `handoff:${order.portalId}:${order.id}:${outbox.id}${outbox.generation ? `:g${outbox.generation}` : ''}`;
    await ctx.jobs.enqueueInTransaction<HandoffPayload>(transaction, { kind: ERP_HANDOFF_JOB, portalId: order.portalId, payload: { orderId: order.id }, dedupKey: watch, maxAttempts: 400 });
    return outbox;
  });
  const fresh = (await orders.get(order.portalId, order.id))!;
  return { outboxId: queued.id, created: queued.created, erpNumber: fresh.erpNumber, handoff: fresh.erpHandoff };
}

/** How long the watcher waits before looking at the outbox row again: 1 s, 2 s, 4 s … at most 5 minutes. */
const recheckDelay = (attempt: number) => Math.min(1_000 * 2 ** Math.min(attempt - 1, 9), 300_000);

/**
 * The hand-off watcher (job `orders.erp-handoff`): when the outbox row is delivered, the order gets the ERP number
 * and moves to "sent to ERP" in Bitrix24; when it went to the dead letter (the ERP refused it, e.g. a validation
 * error), the order gets the ERP's message in its ERP status field and timeline, stays where it is, and the
 * dealer's manager is told. Still on its way: look again later.
 */
export function createHandoffJob(ctx: AppContext) {
  return async (job: Job<HandoffPayload>, helpers: { attempt: number }): Promise<unknown> => {
    const portalId = job.portalId!;
    const portal = await ctx.portals.findById(portalId);
    if (!portal) return { skipped: 'portal gone' };
    const orders = createOrdersRepository(ctx.db);
    const order = await orders.get(portalId, job.payload.orderId);
    if (!order) return { skipped: 'order gone' };
    const item = await createOutboxRepository(ctx.db).findByExternalId(portalId, 'order', order.externalId);
    if (!item) return { skipped: 'no outbox row' };
    if (item.state === 'dead') return rejectHandoff(ctx, portal, order, item.lastError ?? 'the ERP refused the order');
    if (!item.deliveredAt || (item.state !== 'posted' && item.state !== 'created')) {
      throw new RetryJobError(`outbox #${item.id} is ${item.state}`, recheckDelay(helpers.attempt));
    }
    return acceptHandoff(ctx, portal, order, { erpNumber: item.erpNumber, erpRef: item.erpRef, posted: item.state === 'posted' });
  };
}

export async function acceptHandoff(ctx: AppContext, portal: Portal, order: OrderRow, r: { erpNumber: string | null; erpRef: string | null; posted: boolean }): Promise<{ state: string; erpNumber: string | null }> {
  const lang = String(portal.languageId ?? 'ru').startsWith('en') ? 'en' : 'ru';
  const status = r.posted ? (lang === 'en' ? 'accepted by the ERP' : 'принят ERP') : lang === 'en' ? 'created in the ERP, not posted' : 'создан в ERP, не проведён';
  const early = ['new', 'approval', 'agreed'].includes(order.stageKey);
  await moveOrderStage(ctx, portal, order, {
    stageKey: early ? 'sentToErp' : order.stageKey,
    message: r.erpNumber ? `ERP № ${r.erpNumber}` : status,
    erp: { number: r.erpNumber, status: order.erpStatus && !early ? null : status, ref: r.erpRef },
    index: { erpHandoff: r.posted ? 'posted' : 'created', erpError: null },
    eventKind: 'erp_accepted',
    data: { erpNumber: r.erpNumber, posted: r.posted },
  });
  return { state: r.posted ? 'posted' : 'created', erpNumber: r.erpNumber };
}

export async function rejectHandoff(ctx: AppContext, portal: Portal, order: OrderRow, error: string): Promise<{ state: string; error: string }> {
  const orders = createOrdersRepository(ctx.db);
  if (order.erpHandoff === 'rejected' && order.erpError === error) return { state: 'rejected', error };
  const ic = orderItemContext(ctx, portal);
  const text = `ERP: ${error}`;
  if (order.b24ItemId) {
    await updateOrderItem(ic, order.b24ItemId, orderFieldPatch(ic.orders, { erpStatus: text }));
    await addTimelineComment(ic, order.b24ItemId, `DealerHub: the ERP refused order ${order.number} / ERP отклонила заказ ${order.number}: ${error}`).catch((err: unknown) => ctx.logger.warn({ err }, 'timeline comment failed'));
  }
  await orders.update(order.portalId, order.id, { erpHandoff: 'rejected', erpError: error.slice(0, 4000), erpStatus: text });
  await orders.addEvent(order, { kind: 'erp_rejected', message: error.slice(0, 2000) });
  const dealer = await ctx.dealers.findById(order.portalId, order.dealerId);
  if (dealer?.managerUserId) {
    await ctx.b24
      .forPortal(portal.id)
      .call('im.notify.system.add', { USER_ID: dealer.managerUserId, MESSAGE: `DealerHub: ERP refused order ${order.number}: ${error.slice(0, 1000)}`, TAG: `DEALERHUB|ERP_REJECTED|${order.id}` })
      .catch((err: unknown) => ctx.logger.warn({ err }, 'manager notice failed'));
  }
  return { state: 'rejected', error };
}
