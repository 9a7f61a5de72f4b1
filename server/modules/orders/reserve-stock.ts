import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { Dec } from '../../lib/decimal.js';
import { catalogPortFor } from '../carts/index.js';
import type { Portal } from '../portals/index.js';
import { addTimelineComment } from './b24-order-item.js';
import { localReserves, reserveScopeOf } from './local-reserves.js';
import { orderItemContext } from './order-item-context.js';
import { createOrdersRepository, type OrderRow } from './orders.repository.js';

export interface ReserveResult {
  /** erp: the ERP reported reserve and waiting per line (its own reserve, made when the order was posted); stock: DealerHub allocated the synced stock. */
  source: 'erp' | 'stock';
  reservedLines: number;
  waitingLines: number;
  lines: Array<{ lineNo: number; sku: string | null; qty: string; reserved: string; waiting: string }>;
}

/**
 * Reserve and waiting list of an order. The ERP port has no separate "reserve" call: the ERP reserves when it posts
 * the order (1C: a posted ЗаказКлиента) and reports reserve and waiting quantities per line with its order states,
 * which the state listener stores. When the ERP reported them, they are used as they are. Otherwise DealerHub
 * allocates the synced stock (the dealer's city, else all warehouses) less what its other open orders reserved, line
 * by line, and what is not in stock goes on the waiting list — the goods-arrived check tells the dealer when it comes.
 */
export async function reserveOrderStock(ctx: AppContext, portal: Portal, order: OrderRow): Promise<ReserveResult> {
  const orders = createOrdersRepository(ctx.db);
  const lines = await orders.lines(order.id);
  const fromErp = lines.some((l) => l.reservedQty !== null && l.reservedQty !== '0');
  let result: ReserveResult['lines'];
  if (fromErp) {
    result = lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, qty: l.baseQty, reserved: l.reservedQty ?? '0', waiting: l.waitingQty ?? '0' }));
  } else {
    const port = await catalogPortFor(ctx, portal.id, order.dealerId);
    if (!port) throw new AppError('UNAVAILABLE', 'The catalog does not know this dealer yet');
    const dealer = await ctx.dealers.findById(portal.id, order.dealerId);
    const scope = reserveScopeOf(port, dealer);
    // What other orders already took of the synced stock is not there for this one (the ERP does not know it yet).
    const taken = await localReserves(ctx, portal.id, { exceptOrderId: order.id });
    const left = new Map<number, InstanceType<typeof Dec>>();
    result = [];
    for (const l of lines) {
      if (!l.productId) {
        result.push({ lineNo: l.lineNo, sku: l.sku, qty: l.baseQty, reserved: '0', waiting: l.baseQty });
        continue;
      }
      const available = left.get(l.productId) ?? Dec.max(new Dec(port.available(l.productId, scope)).minus(taken.get(l.productId) ?? 0), 0);
      const reserved = Dec.min(available, l.baseQty);
      left.set(l.productId, available.minus(reserved));
      result.push({ lineNo: l.lineNo, sku: l.sku, qty: l.baseQty, reserved: reserved.toFixed(), waiting: new Dec(l.baseQty).minus(reserved).toFixed() });
    }
    for (const r of result) {
      const line = lines.find((l) => l.lineNo === r.lineNo)!;
      await orders.updateLine(line.id, { reservedQty: r.reserved, waitingQty: r.waiting });
    }
  }
  const waiting = result.filter((r) => r.waiting !== '0');
  const out: ReserveResult = { source: fromErp ? 'erp' : 'stock', reservedLines: result.filter((r) => r.reserved !== '0').length, waitingLines: waiting.length, lines: result };
  await orders.addEvent(order, { kind: 'reserved', message: `reserved ${out.reservedLines}, waiting ${out.waitingLines}`, data: { source: out.source, waiting: waiting.map((w) => ({ lineNo: w.lineNo, sku: w.sku, waiting: w.waiting })) } });
  if (order.b24ItemId && waiting.length) {
    const text = `DealerHub: ${waiting.length} line(s) on the waiting list / в листе ожидания: ${waiting.map((w) => `${w.sku ?? `#${w.lineNo}`} × ${w.waiting}`).join(', ')}`;
    await addTimelineComment(orderItemContext(ctx, portal), order.b24ItemId, text).catch((err: unknown) => ctx.logger.warn({ err }, 'timeline comment failed'));
  }
  return out;
}
