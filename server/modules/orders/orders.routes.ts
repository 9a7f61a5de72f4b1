import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { requirePermission, scopeOf } from '../access/index.js';
import { auditActors, dealerApiGuard, resolveCartActor } from '../carts/index.js';
import { createCheckout } from './checkout.js';
import { queueOrderForErp } from './erp-handoff.js';
import { agreeChanges, declineChanges, proposeLineChange, withdrawProposal } from './order-changes.js';
import { summarizeOrder } from './order-views.js';
import { createOrdersRepository } from './orders.repository.js';
import { ZCheckout, ZDecision, ZLineChange, ZOrderId, ZOrderLineParams, ZOrderListQuery, ZSalesQuery } from './orders.schemas.js';
import { approveOrder, cancelOrder, listOrders, loadVisibleOrder, readManagedOrder, readOrderPage, repeatOrder } from './orders.service.js';
import { repriceOrder } from './reprice-order.js';
import { salesByMonth } from './sales-by-month.js';
import { reserveOrderStock } from './reserve-stock.js';

const ZActorQuery = z.object({
  companyId: z.coerce.number().int().positive({ message: 'expected the legal entity (CRM company) id' }).optional(),
  actAs: z.coerce.number().int().positive({ message: 'expected the Bitrix24 user id of the dealer user' }).optional(),
});
const ZItemId = z.object({ itemId: z.coerce.number().int().positive({ message: 'expected the Bitrix24 item id of the order' }) });

/**
 * Checkout and orders under /api (behind the session guard). Ids are DealerHub's order ids (`GET /orders` answers
 * them with the Bitrix24 item id; `GET /orders/by-item/:itemId` finds ours from the order tab's placement). Every
 * route scopes by the session: another dealer's order is a 404 everywhere; manager routes need orders.manage.
 * (`GET /api/orders/:id` itself belongs to placements' order-tab card and reads Bitrix24 directly.)
 */
export function orderRoutes(ctx: AppContext): Router {
  const router = Router();
  const checkout = createCheckout(ctx);
  const manage = requirePermission('orders.manage');
  router.use(['/checkout', '/orders'], ...dealerApiGuard(ctx));

  const actorOf = async (req: Request, res: Response, companyId?: number) => {
    const q = ZActorQuery.parse(req.query);
    return resolveCartActor(ctx, scopeOf(res), { companyId: companyId ?? q.companyId, actAsUserId: q.actAs });
  };
  const lang = (res: Response) => (scopeOf(res).session.lang === 'en' ? 'en' : 'ru');

  router.get('/checkout', requirePermission('orders.create'), async (req, res) => {
    res.json(await checkout.preview(await actorOf(req, res)));
  });

  router.post('/checkout', requirePermission('orders.create'), async (req, res) => {
    const body = ZCheckout.parse(req.body ?? {});
    const actor = await actorOf(req, res, body.companyId);
    const { order, replayed } = await checkout.submit(scopeOf(res).portal, actor, body);
    res.status(replayed ? 200 : 201).json({ order, replayed });
  });

  router.get('/orders', requirePermission('orders.read.own'), async (req, res) => {
    res.json(await listOrders(ctx, scopeOf(res), ZOrderListQuery.parse(req.query)));
  });

  /** Sales by month of a dealer (the dealer card); two path segments, so placements' GET /orders/:id never takes it. */
  router.get('/orders/sales/monthly', requirePermission('orders.read.own'), async (req, res) => {
    res.json(await salesByMonth(ctx, scopeOf(res), ZSalesQuery.parse(req.query)));
  });

  router.get('/orders/by-item/:itemId', requirePermission('orders.read.own'), async (req, res) => {
    const { itemId } = ZItemId.parse(req.params);
    const order = await createOrdersRepository(ctx.db).findByItemId(scopeOf(res).portal.id, itemId);
    if (!order) throw new AppError('NOT_FOUND', 'DealerHub has no order for this Bitrix24 item');
    res.json(await readOrderPage(ctx, scopeOf(res), order.id));
  });

  router.get('/orders/:id/details', requirePermission('orders.read.own'), async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    res.json(await readOrderPage(ctx, scopeOf(res), id));
  });

  router.post('/orders/:id/changes/agree', requirePermission('orders.agree'), async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const body = ZDecision.parse(req.body ?? {});
    const scope = scopeOf(res);
    const order = await loadVisibleOrder(ctx, scope, id);
    await agreeChanges(ctx, scope.portal, order, scope.session.userId, body.comment);
    await ctx.audit.record({ portalId: scope.portal.id, actor: `user:${scope.session.userId}`, action: 'order.changes.agree', subject: `order:${order.number}` });
    res.json(await readOrderPage(ctx, scope, id));
  });

  router.post('/orders/:id/changes/decline', requirePermission('orders.agree'), async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const body = ZDecision.parse(req.body ?? {});
    const scope = scopeOf(res);
    const order = await loadVisibleOrder(ctx, scope, id);
    await declineChanges(ctx, scope.portal, order, scope.session.userId, body.comment);
    await ctx.audit.record({ portalId: scope.portal.id, actor: `user:${scope.session.userId}`, action: 'order.changes.decline', subject: `order:${order.number}` });
    res.json(await readOrderPage(ctx, scope, id));
  });

  router.post('/orders/:id/repeat', requirePermission('cart.use'), async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const order = await loadVisibleOrder(ctx, scopeOf(res), id);
    const actor = await actorOf(req, res, ZActorQuery.parse(req.query).companyId ?? order.companyId ?? undefined);
    const result = await repeatOrder(ctx, scopeOf(res), actor, id);
    await ctx.audit.record({ portalId: actor.portalId, ...auditActors(actor), action: 'order.repeat', subject: `order:${order.number}`, details: { added: result.added, skipped: result.skipped.length } });
    res.json(result);
  });

  // Manager (order tab) routes.
  router.get('/orders/:id/manage', manage, async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    res.json(await readManagedOrder(ctx, scopeOf(res), id));
  });

  router.patch('/orders/:id/lines/:lineId', manage, async (req, res) => {
    const { id, lineId } = ZOrderLineParams.parse(req.params);
    const change = ZLineChange.parse(req.body ?? {});
    const scope = scopeOf(res);
    const order = await loadVisibleOrder(ctx, scope, id);
    await proposeLineChange(ctx, scope.portal, order, lineId, change, scope.session.userId);
    await ctx.audit.record({ portalId: scope.portal.id, actor: `manager:${scope.session.userId}`, action: 'order.line.propose', subject: `order:${order.number}`, details: { lineId, ...change } });
    res.json(await readManagedOrder(ctx, scope, id));
  });

  router.delete('/orders/:id/lines/:lineId/proposal', manage, async (req, res) => {
    const { id, lineId } = ZOrderLineParams.parse(req.params);
    const scope = scopeOf(res);
    await withdrawProposal(ctx, scope.portal, await loadVisibleOrder(ctx, scope, id), lineId, scope.session.userId);
    res.json(await readManagedOrder(ctx, scope, id));
  });

  router.post('/orders/:id/recalculate', manage, async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const scope = scopeOf(res);
    const r = await repriceOrder(ctx, scope.portal, await loadVisibleOrder(ctx, scope, id), scope.session.userId);
    res.json({ oldTotal: r.oldTotal, newTotal: r.newTotal, changedLines: r.changedLines, unpriced: r.unpriced, order: summarizeOrder(r.order, lang(res)) });
  });

  /** Approve: the stage moves to "agreed"; the portal's robots there (SendOrderToErp) take it to the ERP. */
  router.post('/orders/:id/approve', manage, async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const scope = scopeOf(res);
    const order = await approveOrder(ctx, scope.portal, await loadVisibleOrder(ctx, scope, id), scope.session.userId);
    await ctx.audit.record({ portalId: scope.portal.id, actor: `manager:${scope.session.userId}`, action: 'order.approve', subject: `order:${order.number}` });
    res.json({ order: summarizeOrder(order, lang(res)) });
  });

  /** Send to the ERP now (without waiting for the robot): queues the outbox row; idempotent by the external id. */
  router.post('/orders/:id/send-to-erp', manage, async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const scope = scopeOf(res);
    const order = await loadVisibleOrder(ctx, scope, id);
    if (!['agreed', 'sentToErp'].includes(order.stageKey)) throw new AppError('CONFLICT', 'Approve the order first (stage "agreed")');
    const queued = await queueOrderForErp(ctx, order, { post: true, actorUserId: scope.session.userId });
    await ctx.audit.record({ portalId: scope.portal.id, actor: `manager:${scope.session.userId}`, action: 'order.send-to-erp', subject: `order:${order.number}`, details: { outboxId: queued.outboxId } });
    res.status(202).json(queued);
  });

  router.post('/orders/:id/reserve', manage, async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const scope = scopeOf(res);
    res.json(await reserveOrderStock(ctx, scope.portal, await loadVisibleOrder(ctx, scope, id)));
  });

  router.post('/orders/:id/cancel', requirePermission('orders.create'), async (req, res) => {
    const { id } = ZOrderId.parse(req.params);
    const body = ZDecision.parse(req.body ?? {});
    const scope = scopeOf(res);
    const order = await loadVisibleOrder(ctx, scope, id);
    // A dealer may cancel own orders before the ERP has them; managers any.
    const staff = !scope.session.role.startsWith('dealer_');
    if (!staff && !['new', 'approval'].includes(order.stageKey)) throw new AppError('CONFLICT', 'The order is being processed; ask your manager to cancel it');
    const done = await cancelOrder(ctx, scope.portal, order, scope.session.userId, body.comment);
    await ctx.audit.record({ portalId: scope.portal.id, actor: `${staff ? 'manager' : 'user'}:${scope.session.userId}`, action: 'order.cancel', subject: `order:${order.number}` });
    res.json({ order: summarizeOrder(done, lang(res)) });
  });

  return router;
}
