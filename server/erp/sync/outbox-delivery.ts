import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { computeBackoffMs, RetryJobError, type EnqueueInput, type EnqueueResult } from '../../jobs/index.js';
import { withTransaction } from '../../jobs/sql.js';
import type { Logger } from '../../lib/logger.js';
import { ErpError, isErpError, type ErpConnector, type ErpOrderState, type SubmitClaim, type SubmitOrder, type SubmitResult } from '../port.js';
import { createOutboxRepository, type OutboxInput, type OutboxItem, type OutboxState } from './outbox.repository.js';
import { SYNC_JOB_KINDS } from './sync-entities.js';
import type { SyncOptions } from './sync-options.js';

export interface OutboxEnqueuer {
  enqueueInTransaction<P>(transaction: Transaction, input: EnqueueInput<P>): Promise<EnqueueResult>;
}

export interface DeliverPayload {
  outboxId: number;
  /** The row's generation when this job was made: a requeue or sweep makes a newer job and this one stands down. */
  generation?: number;
}

const deliveryDedupKey = (item: Pick<OutboxItem, 'id' | 'generation'>) => `outbox:${item.id}:g${item.generation}`;
/** The job may outlive a few lost leases (killed workers) on top of the outbox's own attempt budget. */
const jobAttempts = (item: Pick<OutboxItem, 'maxAttempts'>) => item.maxAttempts + 5;

/**
 * Records a push to the ERP in the caller's transaction, next to the business change it belongs to (the order or
 * claim row): both commit or neither does (transactional outbox, erp-integration.md §4.1). The delivery job is
 * enqueued in the same transaction. The same external id twice returns the first row.
 */
export async function enqueueOutbox(
  transaction: Transaction,
  input: OutboxInput,
  deps: { db: Database; queue: OutboxEnqueuer; maxAttempts?: number; now?: () => Date },
): Promise<{ id: number; created: boolean; state: OutboxState; generation: number }> {
  const repo = createOutboxRepository(deps.db);
  const now = deps.now?.() ?? new Date();
  const { item, created } = await repo.insert(input, { maxAttempts: deps.maxAttempts ?? 12 }, now, transaction);
  if (!created && item.state === 'dead' && input.reviveDead) {
    // Same row, same external id (the ERP finds what it may already hold), fresh payload, attempts and delivery job.
    const generation = item.generation + 1;
    const job = await enqueueDelivery(transaction, deps.queue, item, generation);
    const state: OutboxState = item.erpRef ? 'created' : 'pending';
    await repo.update(item.id, { payload: input.payload, state, attempts: 0, lastError: null, lastErrorKind: null, generation, jobId: job.id, nextAttemptAt: now }, now, transaction);
    return { id: item.id, created: true, state, generation };
  }
  if (created) {
    const job = await enqueueDelivery(transaction, deps.queue, item, item.generation);
    await repo.update(item.id, { jobId: job.id }, now, transaction);
  }
  return { id: item.id, created, state: item.state, generation: item.generation };
}

/** The delivery job of one generation of a row (a requeue or resend is a new generation, so a new job). */
function enqueueDelivery(transaction: Transaction, queue: OutboxEnqueuer, item: OutboxItem, generation: number) {
  return queue.enqueueInTransaction<DeliverPayload>(transaction, {
    kind: SYNC_JOB_KINDS.deliver,
    portalId: item.portalId,
    payload: { outboxId: item.id, generation },
    dedupKey: deliveryDedupKey({ id: item.id, generation }),
    maxAttempts: jobAttempts(item),
  });
}

/** Puts a dead outbox row back in line with fresh attempts and a new delivery job. */
export async function requeueOutbox(
  id: number,
  deps: { db: Database; queue: OutboxEnqueuer; portalId?: number; now?: () => Date; reason?: 'requeue' | 'sweep' },
): Promise<{ outcome: 'requeued' | 'not-found' | 'not-requeueable'; item: OutboxItem | null }> {
  const repo = createOutboxRepository(deps.db);
  const now = deps.now?.() ?? new Date();
  return withTransaction(deps.db, async (transaction) => {
    const item = await repo.get(id, { portalId: deps.portalId }, transaction);
    if (!item) return { outcome: 'not-found' as const, item: null };
    const sweeping = deps.reason === 'sweep';
    // Only dead rows by hand: a failed row still has a live job waiting for its retry, and two jobs must never race.
    const allowed: OutboxState[] = sweeping ? ['pending', 'failed', 'created'] : ['dead'];
    if (!allowed.includes(item.state)) return { outcome: 'not-requeueable' as const, item };
    const generation = item.generation + 1;
    const job = await enqueueDelivery(transaction, deps.queue, item, generation);
    await repo.update(
      item.id,
      {
        generation,
        jobId: job.id,
        nextAttemptAt: now,
        ...(sweeping ? {} : { attempts: 0, state: item.erpRef ? 'created' : 'pending', lastError: null, lastErrorKind: null }),
      },
      now,
      transaction,
    );
    return { outcome: 'requeued' as const, item: await repo.get(item.id, {}, transaction) };
  });
}

export interface DeliveryDeps {
  db: Database;
  logger: Logger;
  connectorFor(portalId: number): Promise<ErpConnector | null> | ErpConnector | null;
  options: Pick<SyncOptions, 'outboxBackoff'> & Partial<Pick<SyncOptions, 'outboxSettleMs'>>;
  now(): Date;
  random?: () => number;
}

export type DeliveryOutcome = { outboxId: number; state: OutboxState; erpRef?: string | null; note?: string };

/** last_error_kind while a create is on the wire; next_attempt_at then says when its outcome is surely settled. */
const IN_FLIGHT = 'in-flight';

const wantsPost = (item: OutboxItem) => item.aggregate === 'order' && (item.payload as SubmitOrder).post !== false;

/**
 * One delivery attempt of an outbox row: at-least-once delivery made exactly-once by the ERP-side idempotency key.
 * - every retry first asks the ERP for a document with our external id (findByExternalId): a create whose answer was
 *   lost (timeout, crash, killed worker) is found instead of created twice; after a create with an unknown outcome
 *   the retry waits `outboxSettleMs`, so the lost request has finished in the ERP before we look;
 * - pending → created(erp_ref) → posted: a document created but not posted is posted on the next try, never
 *   recreated (1C creates and posts in two calls);
 * - transient / rate-limited errors retry with capped exponential backoff and jitter, at least Retry-After;
 *   validation, conflict, auth and unsupported go to the dead letter with the ERP's message for the manager.
 * Retries are scheduled by throwing RetryJobError, so the job queue's lease protects every attempt.
 */
export async function deliverOutbox(deps: DeliveryDeps, outboxId: number, signal?: AbortSignal, generation?: number): Promise<DeliveryOutcome> {
  const repo = createOutboxRepository(deps.db);
  const item = await repo.get(outboxId);
  if (!item) return { outboxId, state: 'dead', note: 'the outbox row no longer exists' };
  if (generation !== undefined && generation !== item.generation) return { outboxId, state: item.state, erpRef: item.erpRef, note: 'superseded by a newer delivery job' };
  if (item.state === 'posted' || item.state === 'dead' || item.deliveredAt) return { outboxId, state: item.state, erpRef: item.erpRef, note: 'already final' };
  const log = deps.logger.child({ outboxId, externalId: item.externalId, aggregate: item.aggregate, portalId: item.portalId });
  const connector = await deps.connectorFor(item.portalId);
  if (!connector) return fail(deps, repo, item, new ErpError('transient', 'no ERP connection is configured for this portal'), item.attempts);

  const settleMs = deps.options.outboxSettleMs ?? 60_000;
  // The previous attempt died while a create was on the wire (killed worker, lost lease): wait until that request
  // has surely finished in the ERP before looking for its document, or a still-running create would be missed.
  if (item.lastErrorKind === IN_FLIGHT && item.nextAttemptAt.getTime() > deps.now().getTime()) {
    throw new RetryJobError('waiting for an interrupted create to settle in the ERP', item.nextAttemptAt.getTime() - deps.now().getTime());
  }
  const attempt = item.attempts + 1;
  await repo.beginAttempt(item.id, deps.now());
  let erpRef = item.erpRef;
  let erpNumber = item.erpNumber;
  /** Set while a create is on the wire: a transient failure there leaves its outcome unknown. */
  let creating = false;
  try {
    // A retry never trusts what it thinks it knows: the ERP says whether the document exists and is posted.
    if (attempt > 1) {
      const found = await connector.findByExternalId(item.aggregate, item.externalId, signal);
      if (found) {
        erpRef = found.erpRef.erpId;
        erpNumber = found.number ?? found.erpRef.code ?? erpNumber;
        if (found.posted || !wantsPost(item)) return finish(deps, repo, item, found.posted ? 'posted' : 'created', erpRef, erpNumber, log);
        await repo.update(item.id, { state: 'created', erpRef, erpNumber }, deps.now());
      } else if (erpRef) {
        // We recorded a document the ERP no longer has (deleted by a person): create it again.
        log.warn({ erpRef }, 'the ERP no longer has the document we created; creating it again');
        erpRef = null;
        await repo.update(item.id, { state: 'pending', erpRef: null }, deps.now());
      }
    }

    if (!erpRef) {
      const twoStep = wantsPost(item) && connector.capabilities.postOrder && typeof connector.postOrder === 'function';
      creating = true;
      await repo.update(item.id, { lastErrorKind: IN_FLIGHT, nextAttemptAt: new Date(deps.now().getTime() + settleMs) }, deps.now());
      const result: SubmitResult =
        item.aggregate === 'order'
          ? await connector.submitOrder({ ...(item.payload as SubmitOrder), externalId: item.externalId, post: twoStep ? false : wantsPost(item) }, signal)
          : await submitClaim(connector, { ...(item.payload as SubmitClaim), externalId: item.externalId }, signal);
      creating = false;
      erpRef = result.erpRef.erpId;
      erpNumber = result.number ?? result.erpRef.code ?? null;
      if (result.state === 'posted' || (!wantsPost(item) && item.aggregate === 'order') || item.aggregate === 'claim') {
        return finish(deps, repo, item, result.state === 'posted' || item.aggregate === 'claim' ? 'posted' : 'created', erpRef, erpNumber, log);
      }
      // Remember the document before posting: a crash now resumes with postOrder, not a second create.
      await repo.update(item.id, { state: 'created', erpRef, erpNumber, lastError: null, lastErrorKind: null }, deps.now());
    }

    // Capabilities decide, not the method's presence: D365 has a postOrder that only ever answers 'unsupported'.
    if (!connector.postOrder || !connector.capabilities.postOrder) return finish(deps, repo, item, 'created', erpRef, erpNumber, log, 'the ERP created the document but cannot post it through this connector');
    const posted = await connector.postOrder({ erpId: erpRef, ...(erpNumber ? { code: erpNumber } : {}) }, signal);
    return finish(deps, repo, item, 'posted', posted.erpRef.erpId || erpRef, posted.number ?? erpNumber, log);
  } catch (err) {
    if (erpRef && erpRef !== item.erpRef) await repo.update(item.id, { state: 'created', erpRef, erpNumber }, deps.now()).catch(() => undefined);
    // A rate-limit answer is definite (nothing was done); a timeout or reset during a create is not.
    const unknownOutcome = creating && !(isErpError(err) && err.kind === 'rate-limited');
    return fail(deps, repo, { ...item, erpRef }, err, attempt, unknownOutcome ? settleMs : 0);
  }
}

async function submitClaim(connector: ErpConnector, cmd: SubmitClaim, signal?: AbortSignal): Promise<SubmitResult> {
  if (!connector.submitClaim || !connector.capabilities.claims) throw new ErpError('unsupported', `${connector.kind}: claims cannot be sent to this ERP`);
  return connector.submitClaim(cmd, signal);
}

async function finish(
  deps: DeliveryDeps,
  repo: ReturnType<typeof createOutboxRepository>,
  item: OutboxItem,
  state: 'posted' | 'created',
  erpRef: string | null,
  erpNumber: string | null,
  log: Logger,
  note?: string,
): Promise<DeliveryOutcome> {
  await repo.update(item.id, { state, erpRef, erpNumber, lastError: null, lastErrorKind: null, delivered: true }, deps.now());
  log.info({ state, erpRef, erpNumber }, 'outbox item delivered');
  return { outboxId: item.id, state, erpRef, ...(note ? { note } : {}) };
}

async function fail(deps: DeliveryDeps, repo: ReturnType<typeof createOutboxRepository>, item: OutboxItem, err: unknown, attempt: number, minDelayMs = 0): Promise<DeliveryOutcome> {
  const e = isErpError(err) ? err : new ErpError('transient', err instanceof Error ? err.message : String(err), { cause: err });
  const now = deps.now();
  if (!e.retryable || attempt >= item.maxAttempts) {
    const message = e.retryable ? `gave up after ${attempt} attempts: ${e.message}` : e.message;
    await repo.update(item.id, { state: 'dead', lastError: message, lastErrorKind: e.kind, nextAttemptAt: now }, now);
    deps.logger.warn({ outboxId: item.id, externalId: item.externalId, kind: e.kind, err: e.message }, 'outbox item moved to the dead letter');
    return { outboxId: item.id, state: 'dead', erpRef: item.erpRef, note: message };
  }
  const delay = Math.max(computeBackoffMs(attempt, deps.options.outboxBackoff, deps.random), e.retryAfterMs ?? 0, minDelayMs);
  const state: OutboxState = item.erpRef ? 'created' : 'failed';
  await repo.update(item.id, { state, lastError: e.message, lastErrorKind: e.kind, nextAttemptAt: new Date(now.getTime() + delay) }, now);
  throw new RetryJobError(`${e.kind}: ${e.message}`, delay, { cause: err });
}

/** For tests and the health page: what the ERP holds for an outbox row right now. */
export async function erpViewOf(connector: ErpConnector, item: Pick<OutboxItem, 'aggregate' | 'externalId'>): Promise<ErpOrderState | null> {
  return connector.findByExternalId(item.aggregate, item.externalId);
}
