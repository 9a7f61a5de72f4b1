import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { createJobQueue, type JobQueue } from '../../jobs/index.js';
import { OUTBOX_STATES, createOutboxRepository } from './outbox.repository.js';
import { requeueOutbox } from './outbox-delivery.js';
import { SYNC_JOB_KINDS, ZSyncMode, ZSyncTarget } from './sync-entities.js';
import { getSyncHealth, outboxView, runView } from './sync-health.service.js';
import { createSyncStateRepository } from './sync-state.repository.js';

export const ZOutboxListQuery = z.object({
  state: z.enum(OUTBOX_STATES as [string, ...string[]], { message: `state must be one of ${OUTBOX_STATES.join(', ')}` }).optional(),
  aggregate: z.enum(['order', 'claim']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type TOutboxListQuery = z.infer<typeof ZOutboxListQuery>;

export const ZSyncRunsQuery = z.object({
  entity: z.string().max(32).optional(),
  status: z.enum(['running', 'ok', 'failed', 'abandoned', 'drift']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZIdParam = z.object({ id: z.coerce.number({ message: 'id must be a number' }).int().positive('id must be a positive integer') });
export const ZEntityParam = z.object({ entity: ZSyncTarget });
export const ZSyncRunBody = z.object({ mode: ZSyncMode.default('full') }).default({ mode: 'full' });

/** The caller's portal, as set by the admin guard; nothing here ever reads another portal. */
function portalOf(res: Response): number {
  const id = Number(res.locals.portalId);
  if (!Number.isInteger(id) || id <= 0) throw new AppError('UNAUTHENTICATED', 'An admin session for a portal is required');
  return id;
}

/**
 * Sync health and the outbox dead letter for portal admins. `guard` is the admin session check (it sets
 * res.locals.portalId); every answer is scoped to that portal and every list is paged.
 *
 *   GET  /api/admin/sync/health            per entity: last run, counts, duration, lag, errors, running progress
 *   GET  /api/admin/sync/runs              the run log (entity, status filters; paged)
 *   POST /api/admin/sync/:entity/run       enqueue a sync (body {mode: full|delta}, default full) → 202
 *   GET  /api/admin/outbox?state=dead      outbox rows (paged)
 *   POST /api/admin/outbox/:id/requeue     put a dead row back in line
 */
export function syncHealthRoutes(ctx: Pick<AppContext, 'db' | 'logger'> & { jobs?: JobQueue }, options: { guard: RequestHandler | RequestHandler[]; queue?: JobQueue; now?: () => Date }): Router {
  const router = Router();
  // The app's queue when there is one (its enqueue also wakes idle workers); otherwise a plain enqueuer on the database.
  const queue = options.queue ?? ctx.jobs ?? createJobQueue({ db: ctx.db, logger: ctx.logger });
  const now = options.now ?? (() => new Date());
  router.use('/api/admin/sync', options.guard);
  router.use('/api/admin/outbox', options.guard);

  router.get('/api/admin/sync/health', async (_req, res) => {
    res.json(await getSyncHealth(ctx.db, portalOf(res), { now: now() }));
  });

  router.get('/api/admin/sync/runs', async (req, res) => {
    const query = ZSyncRunsQuery.parse(req.query);
    const { items, total } = await createSyncStateRepository(ctx.db).listRuns({ portalId: portalOf(res), ...query });
    res.json({ items: items.map(runView), total, limit: query.limit, offset: query.offset });
  });

  router.post('/api/admin/sync/:entity/run', async (req, res) => {
    const { entity } = ZEntityParam.parse(req.params);
    const { mode } = ZSyncRunBody.parse(req.body ?? {});
    const portalId = portalOf(res);
    const slot = now().toISOString().slice(0, 16);
    const job = await queue.enqueue({ kind: SYNC_JOB_KINDS.sync, portalId, payload: { entity, mode, trigger: 'manual' }, dedupKey: `${entity}:${mode}:${portalId}:manual:${slot}`, maxAttempts: 3 });
    res.status(202).json({ jobId: job.id, created: job.created, entity, mode });
  });

  router.get('/api/admin/outbox', async (req, res) => {
    const query = ZOutboxListQuery.parse(req.query);
    const { items, total } = await createOutboxRepository(ctx.db).list({ portalId: portalOf(res), ...query, state: query.state as never });
    res.json({ items: items.map(outboxView), total, limit: query.limit, offset: query.offset });
  });

  router.post('/api/admin/outbox/:id/requeue', async (req, res) => {
    const { id } = ZIdParam.parse(req.params);
    const result = await requeueOutbox(id, { db: ctx.db, queue, portalId: portalOf(res), now });
    if (result.outcome === 'not-found') throw new AppError('NOT_FOUND', `Outbox item ${id} does not exist`);
    if (result.outcome === 'not-requeueable') {
      throw new AppError('CONFLICT', `Outbox item ${id} is ${result.item?.state}; only dead items can be requeued`, { details: { state: result.item?.state } });
    }
    res.json({ item: outboxView(result.item!) });
  });

  return router;
}
