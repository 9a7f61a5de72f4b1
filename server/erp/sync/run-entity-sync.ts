import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import type { ErpConnector } from '../port.js';
import { createIngestSession } from '../read-model/index.js';
import { RUNNERS, type SyncCounts } from './entity-runners.js';
import type { TransactionalEnqueuer } from './order-state-changes.js';
import type { SyncEntity, TSyncMode, TSyncTrigger } from './sync-entities.js';
import type { SyncOptions } from './sync-options.js';
import { createSyncStateRepository } from './sync-state.repository.js';

export interface SyncDeps {
  db: Database;
  logger: Logger;
  queue: TransactionalEnqueuer;
  connectorFor(portalId: number): Promise<ErpConnector | null> | ErpConnector | null;
  options: SyncOptions;
  now(): Date;
  /** Identifies this process in leases and runs. */
  workerId: string;
}

export interface EntitySyncResult {
  entity: SyncEntity;
  status: 'ok' | 'skipped';
  runId?: number;
  counts?: SyncCounts;
  durationMs?: number;
  reason?: string;
}

/**
 * One entity of one portal: take the entity's lease (one instance at a time), record a run, page the connector
 * through the entity's runner, store the cursor it reached, and finish the run with its counts and duration. A
 * failure finishes the run as failed with the error and rethrows (the job retries); the lease is always released.
 */
export async function runEntitySync(
  deps: SyncDeps,
  args: { portalId: number; entity: SyncEntity; mode: TSyncMode; trigger: TSyncTrigger; jobId?: number | null; signal?: AbortSignal },
): Promise<EntitySyncResult> {
  const { portalId, entity, mode } = args;
  const log = deps.logger.child({ portalId, entity, mode });
  const connector = await deps.connectorFor(portalId);
  if (!connector) return { entity, status: 'skipped', reason: 'no ERP connection is configured for this portal' };
  const state = createSyncStateRepository(deps.db);
  const holder = `${deps.workerId}#${randomUUID().slice(0, 8)}`;
  if (!(await state.acquireLease(portalId, entity, holder, deps.options.leaseMs, deps.now()))) {
    return { entity, status: 'skipped', reason: 'another sync of this entity is running' };
  }
  const startedAt = deps.now();
  let runId = 0;
  const controller = new AbortController();
  const abort = () => controller.abort(args.signal?.reason ?? new Error('aborted'));
  args.signal?.addEventListener('abort', abort, { once: true });
  let leaseLost = false;
  const renew = setInterval(() => {
    state
      .renewLease(portalId, entity, holder, deps.options.leaseMs, deps.now())
      .then((ok) => {
        if (!ok && !leaseLost) {
          leaseLost = true;
          controller.abort(new Error('the sync lease was lost to another worker'));
        }
      })
      .catch((err: unknown) => log.warn({ err }, 'could not renew the sync lease'));
  }, Math.max(50, Math.floor(deps.options.leaseMs / 3)));
  const counts: { current: number; lastWrite: number } = { current: 0, lastWrite: 0 };
  try {
    await state.abandonRunning(portalId, entity, startedAt);
    runId = await state.startRun({ portalId, entity, mode, trigger: args.trigger, jobId: args.jobId ?? null, worker: deps.workerId }, startedAt);
    const stored = await state.getCursor(portalId, entity);
    const result = await RUNNERS[entity]({
      db: deps.db,
      portalId,
      entity,
      mode,
      connector,
      session: createIngestSession(deps.db, portalId, { logger: log, now: deps.now }),
      signal: controller.signal,
      stored,
      options: deps.options,
      queue: deps.queue,
      now: deps.now,
      async progress(done, total) {
        if (controller.signal.aborted) throw controller.signal.reason;
        counts.current += done;
        // Progress is for people watching a long full sync: at most a few writes a second.
        const now = deps.now();
        if (now.getTime() - counts.lastWrite >= 250 || total) {
          counts.lastWrite = now.getTime();
          await state.progress(runId, counts.current, total, now);
        }
      },
    });
    if (result.skipped) {
      await state.finishRun(runId, { status: 'ok', counts: { ...result.counts, skipped: result.skipped }, startedAt }, deps.now());
      return { entity, status: 'skipped', runId, reason: result.skipped };
    }
    await state.saveCursor(portalId, entity, { cursor: result.cursor, watermark: result.watermark, full: result.full }, deps.now());
    await state.progress(runId, counts.current, null, deps.now());
    const finishedAt = deps.now();
    await state.finishRun(runId, { status: 'ok', counts: result.counts, startedAt }, finishedAt);
    log.info({ counts: result.counts, ms: finishedAt.getTime() - startedAt.getTime() }, 'sync finished');
    return { entity, status: 'ok', runId, counts: result.counts, durationMs: finishedAt.getTime() - startedAt.getTime() };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (runId) await state.finishRun(runId, { status: 'failed', error: message, counts: { progress: counts.current }, startedAt }, deps.now()).catch(() => undefined);
    log.warn({ err: message }, 'sync failed');
    throw err;
  } finally {
    clearInterval(renew);
    args.signal?.removeEventListener('abort', abort);
    await state.releaseLease(portalId, entity, holder).catch(() => undefined);
  }
}
