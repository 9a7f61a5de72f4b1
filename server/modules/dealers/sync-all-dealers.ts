import type { AppContext } from '../../context.js';
import { requireSmartProcess } from './installed-smart-process.js';
import { syncDealerItem } from './sync-dealer-item.js';

export interface FullSyncSummary {
  seen: number;
  upserted: number;
  removed: number;
  failed: Array<{ itemId: number; error: string }>;
}

/**
 * Every Dealers item of a portal into the read model (after install and nightly), and read-model dealers whose item
 * is gone removed. Items are listed with the id cursor (settings/performance/huge-data.md), then synced one by one;
 * one broken item is reported, not fatal.
 */
export async function syncAllDealers(ctx: AppContext, portalId: number, signal?: AbortSignal): Promise<FullSyncSummary> {
  const portal = await ctx.portals.findById(portalId);
  if (!portal) throw new Error(`portal ${portalId} not found`);
  const sp = requireSmartProcess(portal.settings, 'dealers');
  const client = ctx.b24.forPortal(portalId);
  const rows = await client.listAll<{ id: number | string }>('crm.item.list', { entityTypeId: sp.entityTypeId, select: ['id'] }, { itemsKey: 'items', idKey: 'id' });
  const ids = [...new Set(rows.map((r) => Number(r.id)).filter((n) => n > 0))];
  const summary: FullSyncSummary = { seen: ids.length, upserted: 0, removed: 0, failed: [] };
  for (const itemId of ids) {
    if (signal?.aborted) throw new Error('dealer sync aborted');
    try {
      const result = await syncDealerItem(ctx, portalId, itemId);
      if (result.status === 'upserted') summary.upserted += 1;
      else summary.removed += 1;
    } catch (err) {
      ctx.logger.warn({ err, portalId, itemId }, 'dealer item could not be synced');
      summary.failed.push({ itemId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const present = new Set(ids);
  for (const known of await ctx.dealers.listItemIds(portalId)) {
    if (!present.has(known)) {
      await ctx.dealers.removeByItemId(portalId, known);
      summary.removed += 1;
    }
  }
  return summary;
}
