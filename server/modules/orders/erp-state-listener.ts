import type { AppContext } from '../../context.js';
import type { ErpOrderState, ErpOrderStatus } from '../../erp/port.js';
import { Dec } from '../../lib/decimal.js';
import { moveOrderStage } from './move-order-stage.js';
import { isLaterStage } from './order-stages.js';
import { createOrdersRepository } from './orders.repository.js';

/** ERP fulfilment statuses (port.ts) → the Orders stage they put the order in; draft moves nothing. */
export const ERP_STATUS_STAGE: Record<ErpOrderStatus, string | null> = {
  draft: null,
  confirmed: 'confirmed',
  in_fulfilment: 'confirmed',
  invoiced: 'invoiced',
  paid: 'paid',
  shipped: 'shipped',
  delivered: 'delivered',
  closed: 'delivered',
  cancelled: 'cancelled',
};

/**
 * The ordering module's listener on the sync engine's order-state changes (erpSync.onOrderStateChanged; it runs from
 * a durable job, at least once): finds our order by external id (or ERP number), stores the ERP number, status and
 * per-line reserve / waiting list, and moves the Bitrix24 stage forward — never backward, so a late or repeated
 * state cannot undo a newer one. Orders DealerHub did not submit are ignored.
 */
export function createErpStateListener(ctx: AppContext) {
  const orders = createOrdersRepository(ctx.db);
  return async (portalId: number, state: ErpOrderState): Promise<void> => {
    const order = (state.externalId ? await orders.findByExternalId(portalId, state.externalId) : null) ?? (state.number ? await orders.findByErpNumber(portalId, state.number) : null);
    if (!order || order.status !== 'submitted') return;
    const portal = await ctx.portals.findById(portalId);
    if (!portal || portal.status !== 'installed') return;

    if (state.lines?.length) {
      const lines = await orders.lines(order.id);
      for (const s of state.lines) {
        const line = lines.find((l) => l.lineNo === s.lineNo && (!l.productErpId || l.productErpId === s.productRef.erpId)) ?? lines.find((l) => l.productErpId === s.productRef.erpId);
        if (!line) continue;
        const reserved = new Dec(s.reserved || '0').toFixed();
        const waiting = new Dec(s.waiting || '0').toFixed();
        // Reserve figures from the ERP replace ours only when it reports any (1C OData reports none per line).
        if (reserved !== '0' || waiting !== '0') await orders.updateLine(line.id, { reservedQty: reserved, waitingQty: waiting });
      }
    }

    const target = ERP_STATUS_STAGE[state.status];
    const moveTo = target && (target === order.stageKey || isLaterStage(target, order.stageKey)) ? target : order.stageKey;
    await moveOrderStage(ctx, portal, order, {
      stageKey: moveTo,
      message: `ERP: ${state.rawStatus || state.status}`,
      notice: null,
      erp: { number: state.number || null, status: state.rawStatus || state.status, ref: state.erpRef.erpId },
      eventKind: moveTo !== order.stageKey ? 'stage' : order.erpStatus !== (state.rawStatus || state.status) ? 'erp_status' : undefined,
      data: { erpStatus: state.status, rawStatus: state.rawStatus, posted: state.posted },
      index: order.erpHandoff === 'queued' && state.posted ? { erpHandoff: 'posted' } : undefined,
    });
  };
}
