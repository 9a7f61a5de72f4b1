import { hostname } from 'node:os';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/database.js';
import type { JobQueue } from '../../jobs/index.js';
import { createConfiguredConnector } from '../create-connector.js';
import type { Logger } from '../../lib/logger.js';
import type { ErpConnector, ErpInboundFeed, InboundBatches, InboundEvent } from '../port.js';
import { ingestInboundBatch } from './ingest-inbound-batch.js';
import type { OrderStateChangedPayload, OrderStateListener } from './order-state-changes.js';
import { createOutboxRepository, type OutboxInput } from './outbox.repository.js';
import { deliverOutbox, enqueueOutbox, requeueOutbox, type DeliverPayload } from './outbox-delivery.js';
import { reconcilePortal } from './reconcile.js';
import { runEntitySync, type EntitySyncResult, type SyncDeps } from './run-entity-sync.js';
import { SYNC_JOB_KINDS, targetEntities, targetStages, ZSyncJobPayload, type SyncEntity, type TSyncMode, type TSyncTarget, type TSyncTrigger } from './sync-entities.js';
import { resolveSyncOptions, type SyncOptions } from './sync-options.js';
import { SYNC_SCHEDULES } from './sync.schedule.js';

export interface ErpSyncDeps {
  db: Database;
  logger: Logger;
  queue: JobQueue;
  /** The portal's ERP connection (null: none configured, syncs are skipped). */
  connectorFor(portalId: number): Promise<ErpConnector | null> | ErpConnector | null;
  options?: Partial<SyncOptions>;
  now?: () => Date;
}

export interface SyncRunSummary {
  target: TSyncTarget;
  results: EntitySyncResult[];
  failed: Array<{ entity: SyncEntity; error: string }>;
}

/**
 * The ERP sync engine of one process: job handlers (pull syncs, reconciliation, outbox delivery and sweep, order
 * state change hooks, job cleanup), the schedule definitions, and the entry points other modules call.
 */
export function createErpSync(deps: ErpSyncDeps) {
  const options = resolveSyncOptions(deps.options);
  const now = deps.now ?? (() => new Date());
  const listeners = new Set<OrderStateListener>();
  const syncDeps: SyncDeps = {
    db: deps.db,
    logger: deps.logger.child({ module: 'erp-sync' }),
    queue: deps.queue,
    connectorFor: deps.connectorFor,
    options,
    now,
    workerId: deps.queue.workerId ?? `${hostname()}:${process.pid}`,
  };

  async function runSync(portalId: number, target: TSyncTarget, args: { mode?: TSyncMode; trigger?: TSyncTrigger; jobId?: number | null; signal?: AbortSignal } = {}): Promise<SyncRunSummary> {
    const results: EntitySyncResult[] = [];
    const failed: SyncRunSummary['failed'] = [];
    const single = targetEntities(target).length === 1;
    for (const stage of targetStages(target)) {
      const outcomes = await Promise.allSettled(
        stage.map((entity) => runEntitySync(syncDeps, { portalId, entity, mode: args.mode ?? 'delta', trigger: args.trigger ?? 'manual', jobId: args.jobId, signal: args.signal })),
      );
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'fulfilled') results.push(outcome.value);
        // A single entity retries through its job; in a composite run the others still go ahead (stubs cover order).
        else if (single) throw outcome.reason;
        else failed.push({ entity: stage[i]!, error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason) });
      }
    }
    return { target, results, failed };
  }

  function enqueueSync(portalId: number, target: TSyncTarget, args: { mode?: TSyncMode; trigger?: TSyncTrigger } = {}) {
    const mode = args.mode ?? 'delta';
    const trigger = args.trigger ?? 'manual';
    // Clicking "run" twice within a minute (or two reconciliations) asks for one run.
    const slot = now().toISOString().slice(0, 16);
    return deps.queue.enqueue({ kind: SYNC_JOB_KINDS.sync, portalId, payload: { entity: target, mode, trigger }, dedupKey: `${target}:${mode}:${portalId}:${trigger}:${slot}`, maxAttempts: 3 });
  }

  const deliveryDeps = { db: deps.db, logger: syncDeps.logger, connectorFor: deps.connectorFor, options, now };

  return {
    options,
    schedules: SYNC_SCHEDULES,
    /** The portal's ERP connector (null for push feeds): for reads outside the sync, such as pictures and files. */
    connectorFor: deps.connectorFor,
    runSync,
    enqueueSync,

    /** Registers every ERP job handler on the queue (once per process, before startWorkers). */
    registerJobs(): void {
      const q = deps.queue;
      q.registerHandler(SYNC_JOB_KINDS.sync, async (job, { signal }) => {
        if (job.portalId === null) throw new Error('an erp.sync job needs a portal');
        const payload = ZSyncJobPayload.parse(job.payload);
        const summary = await runSync(job.portalId, payload.entity, { mode: payload.mode, trigger: payload.trigger, jobId: job.id, signal });
        return { results: summary.results.map((r) => ({ entity: r.entity, status: r.status, runId: r.runId, reason: r.reason })), failed: summary.failed };
      });
      q.registerHandler(SYNC_JOB_KINDS.reconcile, async (job, { signal }) => {
        if (job.portalId === null) throw new Error('an erp.reconcile job needs a portal');
        const report = await reconcilePortal(
          { ...syncDeps, enqueueFullSync: (portalId, entity) => enqueueSync(portalId, entity, { mode: 'full', trigger: 'reconcile' }) },
          job.portalId,
          { jobId: job.id, orderDays: options.reconcileOrderDays, signal },
        );
        return report ? { ok: report.ok, resync: report.resync, errors: report.errors } : { skipped: 'no ERP connection' };
      });
      q.registerHandler<DeliverPayload>(SYNC_JOB_KINDS.deliver, (job, { signal }) => deliverOutbox(deliveryDeps, job.payload.outboxId, signal, job.payload.generation), { concurrency: options.outboxConcurrency });
      q.registerHandler(SYNC_JOB_KINDS.sweep, async () => {
        const stuck = await createOutboxRepository(deps.db).findStuck(new Date(now().getTime() - options.outboxStuckAfterMs));
        for (const item of stuck) await requeueOutbox(item.id, { db: deps.db, queue: q, now, reason: 'sweep' });
        if (stuck.length) syncDeps.logger.warn({ outboxIds: stuck.map((s) => s.id) }, 'outbox rows without a live delivery job were given a new one');
        return { requeued: stuck.length };
      });
      q.registerHandler<OrderStateChangedPayload>(SYNC_JOB_KINDS.orderStateChanged, async (job) => {
        if (job.portalId === null) throw new Error('an order-state job needs a portal');
        for (const listener of listeners) await listener(job.portalId, job.payload.state);
        return { listeners: listeners.size };
      });
      q.registerHandler(SYNC_JOB_KINDS.cleanup, async () => ({ purged: await q.purge(options.jobRetentionMs) }));
    },

    /** The ordering module subscribes here to move the Bitrix24 stage; runs from a durable job (at least once). */
    onOrderStateChanged(listener: OrderStateListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Writes the outbox row and its delivery job in the caller's transaction (the one that stores the order). */
    enqueueOutbox: (transaction: Transaction, input: OutboxInput) => enqueueOutbox(transaction, input, { db: deps.db, queue: deps.queue, maxAttempts: options.outboxMaxAttempts, now }),

    requeueOutbox: (id: number, portalId?: number) => requeueOutbox(id, { db: deps.db, queue: deps.queue, portalId, now }),

    deliverOutbox: (outboxId: number) => deliverOutbox(deliveryDeps, outboxId),

    reconcile: (portalId: number) =>
      reconcilePortal({ ...syncDeps, enqueueFullSync: (p, entity) => enqueueSync(p, entity, { mode: 'full', trigger: 'reconcile' }) }, portalId, { orderDays: options.reconcileOrderDays }),

    ingestInboundBatch: <E extends InboundEvent>(portalId: number, event: E, batch: InboundBatches[E], meta: { fullSnapshot: boolean }) =>
      ingestInboundBatch({ db: deps.db, logger: syncDeps.logger }, portalId, event, batch, { ...meta, queue: deps.queue, now }),

    /** Wires a push feed (CommerceML) into the read model: every event lands in ingestInboundBatch. */
    attachInboundFeed(feed: ErpInboundFeed): void {
      const events: InboundEvent[] = ['groups', 'products', 'priceTypes', 'prices', 'warehouses', 'stock', 'orderStates'];
      for (const event of events) {
        feed.on(event, async (batch, meta) => {
          await ingestInboundBatch({ db: deps.db, logger: syncDeps.logger }, meta.portalId, event, batch, { fullSnapshot: meta.fullSnapshot, queue: deps.queue, now });
        });
      }
    },
  };
}

export type ErpSync = ReturnType<typeof createErpSync>;

/**
 * The sync wired to the app context: the context's job queue, database and logger, and the ERP the configuration
 * names (ERP_KIND …; built once, on first use). Composition root:
 *   const erpSync = createErpSyncForContext(ctx); erpSync.registerJobs();
 *   startScheduler({ queue: ctx.jobs, definitions: erpSync.schedules, listPortals: () => ctx.portals.list(), logger: ctx.logger });
 */
export function createErpSyncForContext(
  ctx: Pick<AppContext, 'db' | 'logger' | 'jobs' | 'config'>,
  overrides: Partial<Pick<ErpSyncDeps, 'connectorFor' | 'options' | 'now'>> = {},
): ErpSync {
  let configured: ErpConnector | null | undefined;
  return createErpSync({
    db: ctx.db,
    logger: ctx.logger,
    queue: ctx.jobs,
    connectorFor:
      overrides.connectorFor ??
      (() => {
        if (configured === undefined) configured = createConfiguredConnector(ctx.config.erp, ctx.logger.child({ module: 'erp' }));
        return configured;
      }),
    ...(overrides.options ? { options: overrides.options } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}
