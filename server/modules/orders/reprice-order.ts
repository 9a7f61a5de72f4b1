import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { Dec } from '../../lib/decimal.js';
import { withTransaction } from '../../jobs/sql.js';
import { catalogPortFor } from '../carts/index.js';
import type { Portal } from '../portals/index.js';
import { productRowsOf, setProductRows, updateOrderItem } from './b24-order-item.js';
import { orderItemContext } from './order-item-context.js';
import { createOrdersRepository, type OrderLineInput, type OrderLineRow, type OrderRow } from './orders.repository.js';

/** Stages where prices may still change (after the ERP has the order, its price is the ERP's). */
export const EDITABLE_STAGES = ['new', 'approval', 'agreed'];

export const lineInputOf = (l: OrderLineRow): OrderLineInput => ({
  lineNo: l.lineNo,
  productId: l.productId,
  productErpId: l.productErpId,
  sku: l.sku,
  name: l.name,
  unitName: l.unitName,
  qty: l.qty,
  unit: l.unit,
  packRatio: l.packRatio,
  baseQty: l.baseQty,
  basePrice: l.basePrice,
  price: l.price,
  discountPercent: l.discountPercent,
  lineTotal: l.lineTotal,
  breakdown: l.breakdown,
  proposed: l.proposed,
});

export const totalOf = (lines: Array<Pick<OrderLineInput, 'lineTotal'>>): string => lines.reduce((acc, l) => acc.plus(l.lineTotal), new Dec(0)).toFixed(2);

/** Writes an order's lines and total to Bitrix24 (product rows + opportunity) and to our index, in that order. */
export async function writeOrderLines(ctx: AppContext, portal: Portal, order: OrderRow, lines: OrderLineInput[], extra: { changesPending?: boolean } = {}): Promise<OrderRow> {
  const orders = createOrdersRepository(ctx.db);
  const ic = orderItemContext(ctx, portal);
  const total = totalOf(lines);
  if (order.b24ItemId) {
    await setProductRows(ic, order.b24ItemId, productRowsOf(lines));
    const fields: Record<string, unknown> = { opportunity: total, isManualOpportunity: 'Y' };
    const pending = ic.orders.fields.changesPending?.restName;
    if (pending && extra.changesPending !== undefined) fields[pending] = extra.changesPending ? 'Y' : 'N';
    await updateOrderItem(ic, order.b24ItemId, fields);
  }
  const now = new Date();
  await withTransaction(ctx.db, async (transaction) => {
    await orders.replaceLines(order, lines, now, transaction);
    await orders.update(order.portalId, order.id, { total, ...(extra.changesPending !== undefined ? { changesPending: extra.changesPending } : {}) }, now, transaction);
  });
  return (await orders.get(order.portalId, order.id))!;
}

export interface RepriceResult {
  order: OrderRow;
  oldTotal: string;
  newTotal: string;
  changedLines: number;
  /** Lines that kept their price: no longer in the catalog or without a price in the dealer's price type. */
  unpriced: Array<{ lineNo: number; sku: string | null }>;
}

/**
 * Reprices an order with the dealer's prices of today (the catalog's pricing: price type, discounts, offers) and
 * writes the product rows and total to Bitrix24 and our index. Only before the ERP has the order.
 */
export async function repriceOrder(ctx: AppContext, portal: Portal, order: OrderRow, actorUserId: number | null): Promise<RepriceResult> {
  if (!EDITABLE_STAGES.includes(order.stageKey)) throw new AppError('CONFLICT', `The order is at the stage "${order.stageKey}": its prices are the ERP's now`);
  const port = await catalogPortFor(ctx, portal.id, order.dealerId);
  if (!port) throw new AppError('UNAVAILABLE', 'The catalog does not know this dealer yet');
  const orders = createOrdersRepository(ctx.db);
  const lines = await orders.lines(order.id);
  const unpriced: RepriceResult['unpriced'] = [];
  let changedLines = 0;
  const next = lines.map((l) => {
    const q = l.productId ? port.quote(l.productId, l.baseQty) : null;
    if (!q) {
      unpriced.push({ lineNo: l.lineNo, sku: l.sku });
      return lineInputOf(l);
    }
    if (q.unitPrice !== l.price || q.lineTotal !== l.lineTotal) changedLines++;
    return { ...lineInputOf(l), basePrice: q.basePrice, price: q.unitPrice, discountPercent: q.discountPercent, lineTotal: q.lineTotal, breakdown: q.breakdown };
  });
  const oldTotal = order.total;
  const updated = await writeOrderLines(ctx, portal, order, next);
  await orders.addEvent(order, { kind: 'repriced', message: `${oldTotal} → ${updated.total} ${order.currency}`, actorUserId, data: { oldTotal, newTotal: updated.total, changedLines, unpriced } });
  return { order: updated, oldTotal, newTotal: updated.total, changedLines, unpriced };
}
