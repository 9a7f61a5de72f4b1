import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { Dec } from '../../lib/decimal.js';
import { catalogPortFor } from '../carts/index.js';
import { notifyDealerUsers } from '../notifications/index.js';
import type { Portal } from '../portals/index.js';
import { orderFieldPatch, updateOrderItem } from './b24-order-item.js';
import { orderItemContext } from './order-item-context.js';
import { createOrdersRepository, type OrderLineInput, type OrderRow, type ProposedChange } from './orders.repository.js';
import type { TLineChange } from './orders.schemas.js';
import { EDITABLE_STAGES, lineInputOf, writeOrderLines } from './reprice-order.js';

const ensureEditable = (order: OrderRow) => {
  if (!EDITABLE_STAGES.includes(order.stageKey)) throw new AppError('CONFLICT', `The order is at the stage "${order.stageKey}": lines can no longer change`);
};

/**
 * A manager's change of one line (order tab): quantity, price, a replacement (an analog), or removal. It is a
 * proposal: the line shows it highlighted, the order gets changesPending = Y in Bitrix24, and the dealer is told;
 * nothing in the product rows changes until the dealer agrees.
 */
export async function proposeLineChange(ctx: AppContext, portal: Portal, order: OrderRow, lineId: number, change: TLineChange, managerUserId: number): Promise<OrderRow> {
  ensureEditable(order);
  const orders = createOrdersRepository(ctx.db);
  const line = (await orders.lines(order.id)).find((l) => l.id === lineId);
  if (!line) throw new AppError('NOT_FOUND', 'The order line was not found');
  const at = new Date().toISOString();
  let proposed: ProposedChange;
  if (change.remove) {
    proposed = { kind: 'remove', comment: change.comment ?? null, byUserId: managerUserId, at };
  } else {
    const port = await catalogPortFor(ctx, portal.id, order.dealerId);
    if (!port) throw new AppError('UNAVAILABLE', 'The catalog does not know this dealer yet');
    let product = { productId: line.productId, productErpId: line.productErpId, sku: line.sku, name: line.name, unitName: line.unitName ?? '' };
    if (change.replaceWithProductId) {
      const p = port.products([change.replaceWithProductId]).get(change.replaceWithProductId);
      if (!p || !p.onSale) throw new AppError('VALIDATION_FAILED', 'The replacement cannot be sold', { details: [{ field: 'replaceWithProductId', message: `product ${change.replaceWithProductId} is not on sale` }] });
      product = { productId: p.id, productErpId: p.erpId, sku: p.sku, name: p.name, unitName: p.unit.name };
    }
    const baseQty = change.qty ?? line.baseQty;
    let price = change.price;
    if (price === undefined) {
      price = change.replaceWithProductId ? port.quote(product.productId!, baseQty)?.unitPrice : line.price;
      if (price === undefined) throw new AppError('VALIDATION_FAILED', 'The replacement has no price for this dealer; give the price', { details: [{ field: 'price', message: 'required: the product has no price in the dealer’s price type' }] });
    }
    proposed = {
      kind: change.replaceWithProductId ? 'replace' : 'change',
      ...product,
      baseQty: new Dec(baseQty).toFixed(),
      price: new Dec(price).toFixed(2),
      lineTotal: new Dec(price).times(baseQty).toFixed(2),
      comment: change.comment ?? null,
      byUserId: managerUserId,
      at,
    };
  }
  await orders.updateLine(line.id, { proposed });
  const ic = orderItemContext(ctx, portal);
  if (order.b24ItemId && !order.changesPending) await updateOrderItem(ic, order.b24ItemId, orderFieldPatch(ic.orders, { changesPending: 'Y' }));
  await orders.update(order.portalId, order.id, { changesPending: true });
  await orders.addEvent(order, { kind: 'changes_proposed', message: `line ${line.lineNo}: ${proposed.kind}`, actorUserId: managerUserId, data: { lineId: line.id, lineNo: line.lineNo, proposed } });
  const lang = String(portal.languageId ?? 'ru').startsWith('en') ? 'en' : 'ru';
  const text = lang === 'en' ? `Order ${order.number}: the manager proposed changes — please agree or decline` : `Заказ ${order.number}: менеджер предложил изменения — согласуйте или отклоните их`;
  await notifyDealerUsers(ctx, { portalId: order.portalId, dealerId: order.dealerId, kind: 'order_changed', companyId: order.companyId, subject: text, message: text, tag: `DEALERHUB|ORDER_CHANGED|${order.id}` }).catch((err: unknown) =>
    ctx.logger.warn({ err }, 'order change notice failed'),
  );
  return (await orders.get(order.portalId, order.id))!;
}

export async function withdrawProposal(ctx: AppContext, portal: Portal, order: OrderRow, lineId: number, managerUserId: number): Promise<OrderRow> {
  const orders = createOrdersRepository(ctx.db);
  const lines = await orders.lines(order.id);
  const line = lines.find((l) => l.id === lineId);
  if (!line) throw new AppError('NOT_FOUND', 'The order line was not found');
  await orders.updateLine(line.id, { proposed: null });
  if (!lines.some((l) => l.id !== lineId && l.proposed)) await clearPending(ctx, portal, order);
  await orders.addEvent(order, { kind: 'changes_withdrawn', message: `line ${line.lineNo}`, actorUserId: managerUserId });
  return (await orders.get(order.portalId, order.id))!;
}

async function clearPending(ctx: AppContext, portal: Portal, order: OrderRow): Promise<void> {
  const ic = orderItemContext(ctx, portal);
  if (order.b24ItemId) await updateOrderItem(ic, order.b24ItemId, orderFieldPatch(ic.orders, { changesPending: 'N' }));
  await createOrdersRepository(ctx.db).update(order.portalId, order.id, { changesPending: false });
}

/** The lines after applying every proposal (removed lines go, replaced ones take the new product). */
export function applyProposals(lines: ReturnType<typeof lineInputOf>[]): OrderLineInput[] {
  const out: OrderLineInput[] = [];
  for (const l of lines) {
    const p = l.proposed;
    if (!p) {
      out.push({ ...l, proposed: null });
      continue;
    }
    if (p.kind === 'remove') continue;
    const baseQty = p.baseQty ?? l.baseQty;
    const qtyChanged = baseQty !== l.baseQty;
    out.push({
      ...l,
      productId: p.productId ?? l.productId,
      productErpId: p.productErpId ?? l.productErpId,
      sku: p.sku ?? l.sku,
      name: p.name ?? l.name,
      unitName: p.unitName ?? l.unitName,
      baseQty,
      qty: qtyChanged || p.kind === 'replace' ? baseQty : l.qty,
      unit: qtyChanged || p.kind === 'replace' ? 'base' : l.unit,
      price: p.price ?? l.price,
      lineTotal: p.lineTotal ?? l.lineTotal,
      discountPercent: p.price && p.price !== l.price ? (new Dec(l.basePrice).gt(0) && p.kind !== 'replace' ? new Dec(1).minus(new Dec(p.price).div(l.basePrice)).times(100).toDecimalPlaces(2).toFixed(2) : '0.00') : l.discountPercent,
      breakdown: p.price && p.price !== l.price ? [...l.breakdown, { kind: 'rule', ref: 'manager', title: 'Manager', how: `= ${p.price}`, price: p.price }] : l.breakdown,
      proposed: null,
    });
  }
  return out.map((l, i) => ({ ...l, lineNo: i + 1 }));
}

/** The dealer agrees: proposals become the lines, Bitrix24's product rows and total change, changesPending = N. */
export async function agreeChanges(ctx: AppContext, portal: Portal, order: OrderRow, userId: number, comment?: string): Promise<OrderRow> {
  if (!order.changesPending) throw new AppError('CONFLICT', 'There are no changes to agree');
  ensureEditable(order);
  const orders = createOrdersRepository(ctx.db);
  const lines = (await orders.lines(order.id)).map(lineInputOf);
  const next = applyProposals(lines);
  if (!next.length) throw new AppError('CONFLICT', 'Agreeing would remove every line; cancel the order instead');
  const oldTotal = order.total;
  const updated = await writeOrderLines(ctx, portal, order, next, { changesPending: false });
  await orders.addEvent(order, { kind: 'changes_agreed', message: comment ?? `${oldTotal} → ${updated.total} ${order.currency}`, actorUserId: userId, data: { oldTotal, newTotal: updated.total } });
  return updated;
}

export async function declineChanges(ctx: AppContext, portal: Portal, order: OrderRow, userId: number, comment?: string): Promise<OrderRow> {
  if (!order.changesPending) throw new AppError('CONFLICT', 'There are no changes to decline');
  const orders = createOrdersRepository(ctx.db);
  for (const l of await orders.lines(order.id)) if (l.proposed) await orders.updateLine(l.id, { proposed: null });
  await clearPending(ctx, portal, order);
  await orders.addEvent(order, { kind: 'changes_declined', message: comment ?? null, actorUserId: userId });
  const dealer = await ctx.dealers.findById(order.portalId, order.dealerId);
  if (dealer?.managerUserId) {
    await ctx.b24
      .forPortal(portal.id)
      .call('im.notify.system.add', { USER_ID: dealer.managerUserId, MESSAGE: `DealerHub: the dealer declined the changes of order ${order.number}${comment ? `: ${comment}` : ''}`, TAG: `DEALERHUB|DECLINED|${order.id}` })
      .catch((err: unknown) => ctx.logger.warn({ err }, 'manager notice failed'));
  }
  return (await orders.get(order.portalId, order.id))!;
}
