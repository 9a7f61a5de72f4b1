import type { AppContext } from '../../context.js';
import { Dec } from '../../lib/decimal.js';
import { catalogPortFor, type CatalogPort, type StockScope } from '../carts/index.js';
import { notifyDealerUsers } from '../notifications/index.js';
import { localReserves, reserveScopeOf } from './local-reserves.js';
import { createOrdersRepository } from './orders.repository.js';

export const WAITING_LIST_JOB = 'orders.waiting-list.check';

/**
 * "Goods arrived": lines on the waiting list whose product is now in stock in at least the waiting quantity — the
 * synced stock (the dealer's city, else all warehouses, as the reserve took it) less what DealerHub already reserved
 * of it, served to the oldest waiting lines first. The placer of each order is told once per line (the line is
 * marked), all lines of one order in one notice. Runs on a schedule (ORDER_SCHEDULES) after the stock syncs.
 */
export async function checkWaitingList(ctx: AppContext, portalId: number): Promise<{ checked: number; arrived: number; notices: number }> {
  const orders = createOrdersRepository(ctx.db);
  const waiting = await orders.waitingLines(portalId);
  // One catalog port and reserve scope per dealer, not per waiting line.
  const stockOf = new Map<number, { port: CatalogPort; scope: StockScope } | null>();
  const reserved = waiting.length ? await localReserves(ctx, portalId) : new Map();
  // Free stock per product and scope, used up as lines are served so one arrival is never promised twice.
  const free = new Map<string, InstanceType<typeof Dec>>();
  const arrivedByOrder = new Map<number, typeof waiting>();
  for (const line of waiting) {
    if (!line.productId) continue;
    if (!stockOf.has(line.order.dealerId)) {
      const port = await catalogPortFor(ctx, portalId, line.order.dealerId);
      stockOf.set(line.order.dealerId, port ? { port, scope: reserveScopeOf(port, await ctx.dealers.findById(portalId, line.order.dealerId)) } : null);
    }
    const stock = stockOf.get(line.order.dealerId);
    if (!stock) continue;
    const { port, scope } = stock;
    const key = `${line.productId}|${scope.city ?? '*'}`;
    const left = free.get(key) ?? new Dec(port.available(line.productId, scope)).minus(reserved.get(line.productId) ?? 0);
    const want = new Dec(line.waitingQty ?? '0');
    if (left.gte(want)) {
      free.set(key, left.minus(want));
      arrivedByOrder.set(line.order.id, [...(arrivedByOrder.get(line.order.id) ?? []), line]);
    } else free.set(key, left);
  }
  let notices = 0;
  let arrived = 0;
  for (const lines of arrivedByOrder.values()) {
    const order = lines[0]!.order;
    const list = lines.map((l) => `${l.sku ?? l.name} × ${l.waitingQty}`).join(', ');
    const text = `Заказ ${order.number}: товар из листа ожидания поступил на склад — ${list} / Order ${order.number}: goods from the waiting list arrived — ${list}`;
    await notifyDealerUsers(ctx, { portalId, dealerId: order.dealerId, kind: 'goods_arrived', companyId: order.companyId, onlyUserId: order.userId, subject: text.split(' / ')[0]!, message: text, tag: `DEALERHUB|GOODS_ARRIVED|${order.id}|${lines.map((l) => l.id).join('-')}`, channels: 'all' });
    for (const l of lines) await orders.updateLine(l.id, { waitingNotified: true });
    await orders.addEvent(order, { kind: 'goods_arrived', message: list, data: { lineIds: lines.map((l) => l.id) } });
    notices++;
    arrived += lines.length;
  }
  return { checked: waiting.length, arrived, notices };
}
