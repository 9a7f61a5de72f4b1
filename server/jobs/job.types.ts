import type { Logger } from '../lib/logger.js';

/**
 * queued: waiting for its run_at; running: leased by a worker; failed: the last attempt failed and it waits for its
 * retry at run_at; done: finished; dead: out of attempts or failed for good (visible for a requeue).
 */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'dead';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed', 'dead'];

export interface Job<P = unknown> {
  id: number;
  portalId: number | null;
  kind: string;
  dedupKey: string | null;
  payload: P;
  status: JobStatus;
  /** Attempts started so far, including the one running now. */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  result: unknown;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface EnqueueInput<P = unknown> {
  kind: string;
  payload: P;
  portalId?: number | null;
  /** Unique per kind: a second enqueue with the same key returns the first job and creates nothing. */
  dedupKey?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: number;
  created: boolean;
}

export interface JobHelpers {
  /** Aborted when the lease is lost, the handler timed out or the queue is stopping past its grace period. */
  signal: AbortSignal;
  /** This attempt's number, 1-based. */
  attempt: number;
  logger: Logger;
  /** Extends the lease now (it is also extended automatically); throws when another worker owns the job. */
  heartbeat(): Promise<void>;
  /** Enqueues a follow-up job. */
  enqueue<Q>(input: EnqueueInput<Q>): Promise<EnqueueResult>;
}

export type JobHandler<P = unknown> = (job: Job<P>, helpers: JobHelpers) => Promise<unknown>;

export interface HandlerOptions {
  /** Most jobs of this kind one instance runs at a time (e.g. the ERP's tolerated parallel requests). */
  concurrency?: number;
  /** Aborts the handler's signal after this long; the attempt then counts as failed. */
  timeoutMs?: number;
}

/** Thrown by a handler to retry after a specific delay instead of the computed backoff (e.g. HTTP Retry-After). */
export class RetryJobError extends Error {
  readonly delayMs: number;
  constructor(message: string, delayMs: number, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RetryJobError';
    this.delayMs = Math.max(0, Math.round(delayMs));
  }
}

/** Thrown by a handler when retrying cannot help (bad payload, validation): the job goes straight to dead. */
export class PermanentJobError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PermanentJobError';
  }
}

export interface ListJobsQuery {
  status?: JobStatus;
  kind?: string;
  portalId?: number;
  limit?: number;
  offset?: number;
}
