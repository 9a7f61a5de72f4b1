import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { RetryJobError, type ScheduleDefinition } from '../../jobs/index.js';
import { AppError } from '../../http/app-error.js';
import { onAppEvent, type TAppEvent } from '../portals/index.js';
import { installedSmartProcess } from './installed-smart-process.js';
import { syncAllDealers } from './sync-all-dealers.js';
import { syncDealerItem } from './sync-dealer-item.js';

export const DEALER_SYNC_ITEM_JOB = 'dealers.sync-item';
export const DEALER_SYNC_ALL_JOB = 'dealers.sync-all';

const ZSyncItem = z.object({ portalId: z.number().int().positive(), itemId: z.number().int().positive(), deleted: z.boolean().default(false) });
const ZSyncAll = z.object({ portalId: z.number().int().positive() });

/** Nightly full sync, one job per installed portal (server/jobs/schedule.ts enqueues; the queue dedups per slot). */
export const DEALER_SCHEDULES: ScheduleDefinition[] = [
  { name: 'dealers-full-sync', cron: '40 2 * * *', kind: DEALER_SYNC_ALL_JOB, payload: (portal) => (portal ? { portalId: portal.id } : null), maxAttempts: 5 },
];

const fieldsOf = (event: TAppEvent): Record<string, unknown> => {
  const fields = (event.data as { FIELDS?: unknown }).FIELDS;
  return fields && typeof fields === 'object' ? (fields as Record<string, unknown>) : {};
};

/**
 * Keeps the dealers read model in step with the portal: Dealers item events (ONCRMDYNAMICITEMADD/UPDATE/DELETE,
 * api-reference/crm/universal/events/*) and company updates only enqueue (events are not retried, handlers must be
 * fast); the jobs read the item with the app token. A full sync follows the install and runs nightly.
 */
export function registerDealerSync(ctx: AppContext): void {
  for (const name of ['ONCRMDYNAMICITEMADD', 'ONCRMDYNAMICITEMUPDATE', 'ONCRMDYNAMICITEMDELETE']) {
    onAppEvent(ctx, name, async (c, event) => {
      const portal = await c.portals.findById(event.portalId);
      const dealers = portal ? installedSmartProcess(portal.settings, 'dealers') : null;
      const fields = fieldsOf(event);
      if (!dealers || Number(fields.ENTITY_TYPE_ID) !== dealers.entityTypeId) return;
      const itemId = Number(fields.ID);
      if (!Number.isInteger(itemId) || itemId <= 0) return;
      await c.jobs.enqueue({
        kind: DEALER_SYNC_ITEM_JOB,
        portalId: event.portalId,
        payload: { portalId: event.portalId, itemId, deleted: name === 'ONCRMDYNAMICITEMDELETE' },
        dedupKey: `dealer:${event.portalId}:${itemId}:${name}:${event.ts ?? Date.now()}`,
        maxAttempts: 8,
      });
    });
  }
  // A renamed company or changed requisites (INN/KPP) change the legal entities of the dealers it belongs to.
  onAppEvent(ctx, 'ONCRMCOMPANYUPDATE', async (c, event) => {
    const companyId = Number(fieldsOf(event).ID);
    if (!Number.isInteger(companyId) || companyId <= 0) return;
    for (const dealer of await c.dealers.findByCompanyId(event.portalId, companyId)) {
      await c.jobs.enqueue({
        kind: DEALER_SYNC_ITEM_JOB,
        portalId: event.portalId,
        payload: { portalId: event.portalId, itemId: dealer.b24ItemId, deleted: false },
        dedupKey: `dealer:${event.portalId}:${dealer.b24ItemId}:company${companyId}:${event.ts ?? Date.now()}`,
        maxAttempts: 8,
      });
    }
  });

  ctx.hooks.portalInstalled.push(async (portal) => {
    // The installer creates the smart process in the same hook round; the job waits for it (see below).
    await ctx.jobs.enqueue({ kind: DEALER_SYNC_ALL_JOB, portalId: portal.id, payload: { portalId: portal.id }, dedupKey: `dealers-install:${portal.id}:${portal.installedAt?.toISOString() ?? 'now'}`, runAt: new Date(Date.now() + 15_000), maxAttempts: 12 });
  });

  ctx.jobs.registerHandler<unknown>(DEALER_SYNC_ITEM_JOB, async (job) => {
    const p = ZSyncItem.parse(job.payload);
    if (p.deleted) {
      await ctx.dealers.removeByItemId(p.portalId, p.itemId);
      return { status: 'removed', itemId: p.itemId };
    }
    return notReadyAsRetry(async () => {
      const r = await syncDealerItem(ctx, p.portalId, p.itemId);
      return r.status === 'upserted' ? { status: r.status, dealerId: r.dealer.id, legalEntities: r.legalEntities.length } : r;
    });
  });
  ctx.jobs.registerHandler<unknown>(DEALER_SYNC_ALL_JOB, async (job, helpers) => {
    const p = ZSyncAll.parse(job.payload);
    return notReadyAsRetry(() => syncAllDealers(ctx, p.portalId, helpers.signal));
  });
}

/** A portal whose installer has not created the Dealers process yet is retried later instead of failing hard. */
async function notReadyAsRetry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAVAILABLE') throw new RetryJobError(err.message, 60_000, { cause: err });
    throw err;
  }
}
