import type { AppContext } from '../../context.js';
import { notifyDealerUsers } from '../notifications/index.js';
import type { Portal } from '../portals/index.js';
import { orderFieldPatch, updateOrderItem } from './b24-order-item.js';
import { orderItemContext } from './order-item-context.js';
import { stageView } from './order-stages.js';
import { ordersRuntime } from './orders-runtime.js';
import { createOrdersRepository, type OrderRow } from './orders.repository.js';

export interface StageMove {
  stageKey: string;
  /** Shown on the timeline (e.g. the ERP's own status word). */
  message?: string | null;
  /**
   * What the dealer's stage notice adds after the stage name; by default the message. null: nothing — the ERP's own
   * status word («КОтгрузке») means nothing to a dealer and read oddly next to our stage («Подтверждён (ERP: Согласован)»).
   */
  notice?: string | null;
  actorUserId?: number | null;
  erp?: { number?: string | null; status?: string | null; ref?: string | null };
  /** Fields of our index besides the stage. */
  index?: Parameters<ReturnType<typeof createOrdersRepository>['update']>[2];
  eventKind?: string;
  data?: Record<string, unknown>;
}

/**
 * Moves an order to a stage in Bitrix24 (crm.item.update stageId — the portal then runs that stage's robots, e.g.
 * NotifyDealer) together with the ERP fields, then records it in our index and timeline and sends the stage notice
 * through the notifications module (e-mail, and the Bitrix24 copy when the runtime says so).
 */
export async function moveOrderStage(ctx: AppContext, portal: Portal, order: OrderRow, move: StageMove): Promise<OrderRow> {
  const orders = createOrdersRepository(ctx.db);
  const ic = orderItemContext(ctx, portal);
  const changes = order.stageKey !== move.stageKey;
  const fields: Record<string, unknown> = {
    ...orderFieldPatch(ic.orders, {
      ...(move.erp?.number ? { erpNumber: move.erp.number } : {}),
      ...(move.erp?.status ? { erpStatus: move.erp.status } : {}),
    }),
  };
  if (changes) fields.stageId = ic.orders.stages[move.stageKey] ?? ic.orders.stages.new;
  if (order.b24ItemId && Object.keys(fields).length) await updateOrderItem(ic, order.b24ItemId, fields);
  await orders.update(order.portalId, order.id, {
    ...(move.index ?? {}),
    ...(changes ? { stageKey: move.stageKey, stageChanged: true } : {}),
    ...(move.erp?.number ? { erpNumber: move.erp.number } : {}),
    ...(move.erp?.status ? { erpStatus: move.erp.status } : {}),
    ...(move.erp?.ref ? { erpRef: move.erp.ref } : {}),
  });
  if (changes || move.eventKind) {
    await orders.addEvent(order, { kind: move.eventKind ?? 'stage', stageKey: changes ? move.stageKey : null, message: move.message ?? null, actorUserId: move.actorUserId ?? null, data: move.data ?? null });
  }
  if (changes) {
    const lang = String(portal.languageId ?? 'ru').toLowerCase().startsWith('en') ? 'en' : 'ru';
    const stage = stageView(move.stageKey, lang).name;
    const detail = move.notice === undefined ? move.message : move.notice;
    const text = `${lang === 'en' ? 'Order' : 'Заказ'} ${order.number}: ${stage}${detail ? ` (${detail})` : ''}`;
    await notifyDealerUsers(ctx, {
      portalId: order.portalId,
      dealerId: order.dealerId,
      kind: 'order_status',
      companyId: order.companyId,
      subject: text,
      message: text,
      tag: `DEALERHUB|ORDER|${order.id}|${move.stageKey}`,
      channels: ordersRuntime(ctx).stageNotices,
    }).catch((err: unknown) => ctx.logger.warn({ err, orderId: order.id }, 'stage notice failed'));
  }
  return (await orders.get(order.portalId, order.id))!;
}
