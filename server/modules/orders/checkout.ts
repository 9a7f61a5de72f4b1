import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { withTransaction } from '../../jobs/sql.js';
import { auditActors, createCartsRepository, portFor, priceLines, totalsOf, type CartActor, type PricedLine } from '../carts/index.js';
import type { Portal } from '../portals/index.js';
import { createOrderItem, itemFieldsOf, productRowsOf } from './b24-order-item.js';
import { checkOrderCredit, type CreditCheck } from './credit-check.js';
import { orderItemContext } from './order-item-context.js';
import { summarizeOrder, type OrderSummary } from './order-views.js';
import { createOrdersRepository, type OrderLineInput, type OrderRow } from './orders.repository.js';
import type { TCheckout } from './orders.schemas.js';

export const formatOrderNumber = (n: number): string => `DH-${String(n).padStart(6, '0')}`;

/** A submit that was interrupted (crash, lost answer) may be resumed by a retry after this long. */
const RESUME_AFTER_MS = 60_000;

export interface CheckoutPreview {
  cart: { id: number; revision: number; lines: number; orderable: number; blockingLines: number; totals: ReturnType<typeof totalsOf> };
  credit: CreditCheck;
  canSubmit: boolean;
  legalEntity: CartActor['legalEntity'];
  legalEntities: CartActor['legalEntities'];
  deliveryMethods: string[];
  today: string;
}

function orderLinesOf(priced: PricedLine[]): OrderLineInput[] {
  return priced.map((l, i) => ({
    lineNo: i + 1,
    productId: l.productId,
    productErpId: l.productErpId,
    sku: l.sku,
    name: l.name,
    unitName: l.unitName || null,
    qty: l.qty,
    unit: l.unit,
    packRatio: l.packRatio,
    baseQty: l.baseQty,
    basePrice: l.price!.basePrice,
    price: l.price!.unitPrice,
    discountPercent: l.price!.discountPercent,
    lineTotal: l.price!.lineTotal,
    breakdown: l.price!.breakdown,
  }));
}

/** Checkout: the cart priced now, the legal entity, delivery, date and the credit rule; submit creates the order. */
export function createCheckout(ctx: AppContext) {
  const carts = createCartsRepository(ctx.db);
  const orders = createOrdersRepository(ctx.db);

  async function pricedCart(actor: CartActor) {
    const cart = await carts.activeCart(actor);
    const lines = await carts.lines(cart.id);
    const port = await portFor(ctx, actor);
    const priced = priceLines(port, lines.map((l) => ({ id: l.id, productId: l.productId, qty: l.qty, unit: l.unit, note: l.note })), { city: actor.dealer.city });
    return { cart, lines, port, priced, totals: totalsOf(priced, port.priceType?.currency ?? actor.dealer.currency) };
  }

  /** Creates (or finds again) the Bitrix24 item of an order row and marks it submitted; the cart loses its lines. */
  async function pushToBitrix24(portal: Portal, actor: CartActor, order: OrderRow, cartInfo: { cartId: number; lineIds: number[] } | null): Promise<OrderRow> {
    const ic = orderItemContext(ctx, portal);
    const lines = await orders.lines(order.id);
    try {
      const fields = await itemFieldsOf(ic, order, { dealerManagerId: actor.dealer.managerUserId, lang: actor.lang });
      const { itemId, recovered } = await createOrderItem(ic, fields, productRowsOf(lines), order.externalId);
      const now = new Date();
      await withTransaction(ctx.db, async (transaction) => {
        await orders.update(order.portalId, order.id, { b24ItemId: itemId, status: 'submitted', stageKey: 'new', submitted: true, stageChanged: true, lastError: null }, now, transaction);
        await orders.addEvent(order, { kind: 'submitted', stageKey: 'new', actorUserId: actor.actorUserId, onBehalfOfUserId: actor.actingAsDealer ? actor.onBehalfOfUserId : null, data: { b24ItemId: itemId, recovered } }, now, transaction);
        if (cartInfo) await carts.removeLines({ id: cartInfo.cartId }, cartInfo.lineIds, now, transaction);
      });
      return (await orders.get(order.portalId, order.id))!;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await orders.update(order.portalId, order.id, { status: 'failed', lastError: message.slice(0, 2000) });
      ctx.logger.warn({ err, orderId: order.id, portalId: order.portalId }, 'the order could not be created in Bitrix24');
      throw err instanceof AppError ? err : new AppError('UPSTREAM_FAILED', 'Bitrix24 did not accept the order; it was kept and you can submit again', { cause: err });
    }
  }

  return {
    async preview(actor: CartActor): Promise<CheckoutPreview> {
      const { cart, priced, totals, port } = await pricedCart(actor);
      const credit = await checkOrderCredit(ctx, actor.dealer, totals.amount, totals.currency, actor.lang);
      const blockingLines = priced.filter((l) => l.problems.length).length;
      return {
        cart: { id: cart.id, revision: cart.revision, lines: priced.length, orderable: totals.orderable, blockingLines, totals },
        credit,
        canSubmit: priced.length > 0 && blockingLines === 0 && credit.result !== 'blocked',
        legalEntity: actor.legalEntity,
        legalEntities: actor.legalEntities,
        deliveryMethods: ['pickup', 'our_transport', 'carrier'],
        today: port.today(),
      };
    },

    /**
     * Submits the cart as an order. Exactly once per request: the request id (or the cart's id and revision) is a
     * unique key of the order row written before Bitrix24 is called, so a retried submit finds that row and only
     * finishes what is missing — the Bitrix24 item is looked up by our external id before another add is tried.
     */
    async submit(portal: Portal, actor: CartActor, input: TCheckout): Promise<{ order: OrderSummary; replayed: boolean }> {
      const { cart, lines, port, priced, totals } = await pricedCart(actor);
      const requestKey = input.requestId ? `req:${input.requestId}` : `cart:${cart.id}:r${cart.revision}`;
      const existing = await orders.findByRequestKey(actor.portalId, requestKey);
      if (existing) {
        if (existing.dealerId !== actor.dealerId) throw new AppError('CONFLICT', 'This request id was already used', { details: [{ field: 'requestId', message: 'use a new id for a new order' }] });
        if (existing.status === 'submitted') return { order: summarizeOrder(existing, actor.lang), replayed: true };
        if (existing.status === 'submitting' && Date.now() - existing.updatedAt.getTime() < RESUME_AFTER_MS) {
          throw new AppError('CONFLICT', 'This order is being submitted right now; look at your orders in a minute');
        }
        await orders.update(existing.portalId, existing.id, { status: 'submitting' });
        const done = await pushToBitrix24(portal, actor, existing, { cartId: cart.id, lineIds: lines.map((l) => l.id) });
        return { order: summarizeOrder(done, actor.lang), replayed: true };
      }

      if (!priced.length) throw new AppError('UNPROCESSABLE', 'The cart is empty', { details: [{ field: 'lines', message: 'add goods to the cart first' }] });
      const blocking = priced.map((l, i) => ({ l, i })).filter(({ l }) => l.problems.length > 0);
      if (blocking.length) {
        throw new AppError('UNPROCESSABLE', `${blocking.length} cart line(s) cannot be ordered; change or remove them`, {
          details: blocking.map(({ l, i }) => ({ field: `lines.${i}`, lineId: l.id, sku: l.sku, code: l.problems[0]!.code, message: l.problems[0]!.message[actor.lang] })),
        });
      }
      if (input.desiredDate && input.desiredDate < port.today()) {
        throw new AppError('VALIDATION_FAILED', 'The desired date is in the past', { details: [{ field: 'desiredDate', message: `choose ${port.today()} or later` }] });
      }
      const credit = await checkOrderCredit(ctx, actor.dealer, totals.amount, totals.currency, actor.lang);
      if (credit.result === 'blocked') {
        throw new AppError('CONFLICT', credit.message, { details: { code: 'CREDIT_BLOCKED', credit } });
      }

      const now = new Date();
      let order: OrderRow;
      try {
        order = await withTransaction(ctx.db, async (transaction) => {
          const number = formatOrderNumber(await orders.nextNumber(actor.portalId, transaction));
          const row = await orders.insertOrder(
            {
              portalId: actor.portalId,
              dealerId: actor.dealerId,
              dealerItemId: actor.dealer.b24ItemId,
              externalId: randomUUID(),
              number,
              requestKey,
              companyId: actor.companyId,
              userId: actor.onBehalfOfUserId,
              actorUserId: actor.actorUserId,
              source: actor.actingAsDealer ? 'manager' : 'cabinet',
              status: 'submitting',
              stageKey: 'new',
              currency: totals.currency,
              total: totals.amount,
              deliveryMethod: input.deliveryMethod,
              deliveryAddress: input.deliveryAddress || null,
              desiredDate: input.desiredDate ?? null,
              comment: input.comment || null,
              warehouse: null,
            },
            orderLinesOf(priced),
            now,
            transaction,
          );
          await orders.update(row.portalId, row.id, { creditCheck: `${credit.result}: ${credit.message}` }, now, transaction);
          await orders.addEvent(row, { kind: 'created', message: `${priced.length} lines, ${totals.amount} ${totals.currency}`, actorUserId: actor.actorUserId, onBehalfOfUserId: actor.actingAsDealer ? actor.onBehalfOfUserId : null, data: { credit: { result: credit.result, reason: credit.reason } } }, now, transaction);
          return row;
        });
      } catch (err) {
        // Two clicks at once: the second one's insert hits the unique request key.
        const raced = await orders.findByRequestKey(actor.portalId, requestKey);
        if (raced) throw new AppError('CONFLICT', 'This order is being submitted right now; look at your orders in a minute', { cause: err });
        throw err;
      }
      await ctx.audit.record({ portalId: actor.portalId, ...auditActors(actor), action: 'order.submit', subject: `order:${order.number}`, details: { orderId: order.id, total: order.total, currency: order.currency, lines: priced.length, companyId: actor.companyId } });
      const done = await pushToBitrix24(portal, actor, order, { cartId: cart.id, lineIds: lines.map((l) => l.id) });
      return { order: summarizeOrder(done, actor.lang), replayed: false };
    },
  };
}

export type Checkout = ReturnType<typeof createCheckout>;
