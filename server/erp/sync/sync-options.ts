import type { BackoffPolicy } from '../../jobs/index.js';

/** Tunables of the sync and the outbox; defaults fit a 1C web server and a nightly reconciliation. */
export interface SyncOptions {
  /** A sync run's lease on its (portal, entity); renewed while it runs, so a dead worker's run frees up after this. */
  leaseMs: number;
  /** First documents pull reaches back this far. */
  documentsHistoryDays: number;
  /** Later document pulls re-read this much before the watermark (late postings, 1C local time vs UTC). */
  documentsOverlapDays: number;
  /** Order states: orders dated within this window are re-read every run (1C filters by order date). */
  orderStatesWindowDays: number;
  /** Open orders older than the window are looked up by external id, this many per run. */
  orderStatesOpenLimit: number;
  /** A read the ERP fails transiently (reset, 503, 429) is retried this often before the run fails. */
  readRetries: number;
  readRetryBackoff: BackoffPolicy;
  /** Customers per customerFinance() call. */
  financeBatch: number;
  /** Outbox: attempts before a push goes to the dead letter. */
  outboxMaxAttempts: number;
  outboxBackoff: BackoffPolicy;
  /**
   * After a create whose outcome is unknown (timeout, connection reset), the next try waits at least this long, so
   * the lost request has finished in the ERP before findByExternalId looks for it. Otherwise the lookup can run while
   * the ERP is still working on the first create, find nothing, and create a second document. Set it above the ERP's
   * own request time limit.
   */
  outboxSettleMs: number;
  /** Outbox deliveries one instance runs at once (also capped by the connector's maxConcurrency). */
  outboxConcurrency: number;
  /** A pending outbox row whose delivery job is gone gets a new one after this long. */
  outboxStuckAfterMs: number;
  /** Reconciliation compares orders of this many recent days. */
  reconcileOrderDays: number;
  /** Done jobs are deleted after this long (jobs.cleanup). */
  jobRetentionMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  leaseMs: 60_000,
  documentsHistoryDays: 365,
  documentsOverlapDays: 2,
  orderStatesWindowDays: 60,
  orderStatesOpenLimit: 1_000,
  readRetries: 4,
  readRetryBackoff: { baseMs: 500, maxMs: 10_000, jitter: 0.5 },
  financeBatch: 50,
  outboxMaxAttempts: 12,
  outboxBackoff: { baseMs: 2_000, maxMs: 15 * 60_000, jitter: 0.5 },
  outboxSettleMs: 60_000,
  outboxConcurrency: 4,
  outboxStuckAfterMs: 5 * 60_000,
  reconcileOrderDays: 14,
  jobRetentionMs: 14 * 24 * 3_600_000,
};

export function resolveSyncOptions(partial: Partial<SyncOptions> = {}): SyncOptions {
  return {
    ...DEFAULT_SYNC_OPTIONS,
    ...partial,
    outboxBackoff: { ...DEFAULT_SYNC_OPTIONS.outboxBackoff, ...partial.outboxBackoff },
    readRetryBackoff: { ...DEFAULT_SYNC_OPTIONS.readRetryBackoff, ...partial.readRetryBackoff },
  };
}
