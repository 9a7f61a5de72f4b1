import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Transaction } from 'sequelize';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import { computeBackoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import {
  PermanentJobError,
  RetryJobError,
  type EnqueueInput,
  type EnqueueResult,
  type HandlerOptions,
  type Job,
  type JobHandler,
  type JobHelpers,
  type JobStatus,
  type ListJobsQuery,
} from './job.types.js';
import { createJobsRepository } from './jobs.repository.js';
import { createRedisWakeup, type WakeupChannel } from './wakeup.js';

export interface JobQueueOptions {
  db: Database;
  logger: Logger;
  /** REDIS_URL or a client: used only to wake idle workers at once; correctness never depends on it. */
  redis?: string | Redis;
  /** Identifies this worker in locked_by; unique per process by default. */
  workerId?: string;
  /** How long a claim is valid without a heartbeat; a crashed worker's jobs come back after this. */
  leaseMs?: number;
  backoff?: Partial<BackoffPolicy>;
  defaultMaxAttempts?: number;
  /** `auto`: SKIP LOCKED on MariaDB ≥ 10.6 / MySQL ≥ 8, optimistic conditional UPDATE elsewhere. */
  claimStrategy?: 'auto' | 'skip-locked' | 'optimistic';
  now?: () => Date;
  random?: () => number;
}

export interface StartWorkersOptions {
  concurrency?: number;
  pollMs?: number;
}

export interface RunSummary {
  claimed: number;
  done: number;
  failed: number;
  dead: number;
  lost: number;
}

type Outcome = 'done' | 'failed' | 'dead' | 'lost' | 'released';

interface Registered {
  handler: JobHandler<never>;
  options: HandlerOptions;
}

class ShutdownAbort extends Error {
  constructor() {
    super('the queue is stopping');
    this.name = 'ShutdownAbort';
  }
}

/**
 * The durable job queue (DESIGN.md §5: every handler Bitrix24 calls acknowledges fast and works from here). Jobs live
 * in the `jobs` table, so N instances on one database share them: a claim takes a lease, a heartbeat renews it, an
 * expired lease returns the job for a retry, failures back off exponentially with jitter, and jobs out of attempts go
 * dead until someone requeues them.
 */
export function createJobQueue(options: JobQueueOptions) {
  const { db, logger } = options;
  const repo = createJobsRepository(db);
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const defaultMaxAttempts = options.defaultMaxAttempts ?? 10;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const handlers = new Map<string, Registered>();
  const runningPerKind = new Map<string, number>();
  const inflight = new Map<number, Promise<Outcome>>();
  const controllers = new Set<AbortController>();
  const wakeup: WakeupChannel | null = options.redis ? createRedisWakeup(options.redis, logger) : null;
  let strategy: 'skip-locked' | 'optimistic' | null = options.claimStrategy && options.claimStrategy !== 'auto' ? options.claimStrategy : null;
  let running = false;
  let loop: Promise<void> | null = null;
  let wakePending = false;
  let wakeNow: (() => void) | null = null;
  let lastReap = 0;
  let defaultConcurrency = 4;

  function wake(): void {
    wakePending = true;
    wakeNow?.();
  }

  function sleep(ms: number): Promise<void> {
    if (wakePending) {
      wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeNow = null;
        wakePending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeNow = done;
    });
  }

  async function claimStrategy(): Promise<'skip-locked' | 'optimistic'> {
    if (strategy) return strategy;
    if (db.dialect !== 'mysql') return (strategy = 'optimistic');
    const [row] = (await db.sequelize.query('SELECT VERSION() AS v', { raw: true, plain: false }))[0] as Array<{ v: string }>;
    const version = row?.v ?? '';
    const [major = 0, minor = 0] = version.split('.').map((p) => parseInt(p, 10));
    const skipLocked = /mariadb/i.test(version) ? major > 10 || (major === 10 && minor >= 6) : major >= 8;
    return (strategy = skipLocked ? 'skip-locked' : 'optimistic');
  }

  /** Limited kinds first (each within its room), then the rest share what is left. */
  async function claim(free: number): Promise<Job[]> {
    if (free <= 0 || handlers.size === 0) return [];
    const how = await claimStrategy();
    const take = (kinds: string[], limit: number) =>
      how === 'skip-locked'
        ? repo.claimSkipLocked({ workerId, kinds, limit, now: now(), leaseMs })
        : repo.claimOptimistic({ workerId, kinds, limit, now: now(), leaseMs });
    const claimed: Job[] = [];
    const unlimited: string[] = [];
    for (const [kind, { options: o }] of handlers) {
      if (!o.concurrency) {
        unlimited.push(kind);
        continue;
      }
      const room = Math.min(o.concurrency - (runningPerKind.get(kind) ?? 0), free - claimed.length);
      if (room > 0) claimed.push(...(await take([kind], room)));
    }
    if (unlimited.length && free - claimed.length > 0) claimed.push(...(await take(unlimited, free - claimed.length)));
    return claimed;
  }

  async function reap(force = false): Promise<void> {
    const t = now().getTime();
    if (!force && t - lastReap < Math.max(50, Math.min(leaseMs / 2, 5_000))) return;
    lastReap = t;
    const reaped = await repo.reapExpired(now(), new Date(t + backoff.baseMs));
    if (reaped) logger.warn({ reaped }, 'jobs whose lease expired were returned for a retry');
  }

  function describe(err: unknown): string {
    if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`;
    return String(err);
  }

  async function execute(job: Job): Promise<Outcome> {
    const registered = handlers.get(job.kind);
    const log = logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts, portalId: job.portalId });
    if (!registered) {
      await repo.fail(job, { status: 'failed', error: `no handler for kind ${job.kind} on ${workerId}`, runAt: new Date(now().getTime() + backoff.baseMs) }, now());
      return 'failed';
    }
    const controller = new AbortController();
    controllers.add(controller);
    let leaseLost = false;
    const heartbeat = async () => {
      if (leaseLost) throw new Error('lease lost: another worker owns this job now');
      const ok = await repo.extendLease(job, new Date(now().getTime() + leaseMs), now());
      if (!ok) {
        leaseLost = true;
        controller.abort(new Error('lease lost'));
        throw new Error('lease lost: another worker owns this job now');
      }
    };
    const beat = setInterval(() => heartbeat().catch((err) => log.warn({ err: describe(err) }, 'heartbeat failed')), Math.max(20, Math.floor(leaseMs / 3)));
    const timeoutMs = registered.options.timeoutMs;
    const timeout = timeoutMs ? setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs) : null;
    const helpers: JobHelpers = {
      signal: controller.signal,
      attempt: job.attempts,
      logger: log,
      heartbeat,
      enqueue: (input) => enqueue(input),
    };
    try {
      const result = await registered.handler(job as Job<never>, helpers);
      if (leaseLost) {
        log.warn('job finished after its lease was lost; another worker retries it');
        return 'lost';
      }
      if (await repo.complete(job, result, now())) return 'done';
      log.warn('job finished but its lease had been taken over');
      return 'lost';
    } catch (err) {
      if (controller.signal.reason instanceof ShutdownAbort) {
        await repo.release(job, now());
        log.info('job interrupted by shutdown; released for another worker');
        return 'released';
      }
      if (leaseLost) return 'lost';
      const e = err as { retryable?: unknown; retryAfterMs?: unknown };
      const permanent = err instanceof PermanentJobError || e?.retryable === false;
      let delay = err instanceof RetryJobError ? err.delayMs : computeBackoffMs(job.attempts, backoff, random);
      if (typeof e?.retryAfterMs === 'number') delay = Math.max(delay, e.retryAfterMs);
      const status: 'failed' | 'dead' = permanent || job.attempts >= job.maxAttempts ? 'dead' : 'failed';
      const runAt = new Date(now().getTime() + delay);
      const recorded = await repo.fail(job, { status, error: describe(err), runAt }, now());
      if (!recorded) return 'lost';
      if (status === 'dead') log.error({ err }, 'job is dead (no more attempts)');
      else log.warn({ err: describe(err), retryInMs: delay }, 'job failed; will retry');
      return status;
    } finally {
      clearInterval(beat);
      if (timeout) clearTimeout(timeout);
      controllers.delete(controller);
    }
  }

  function start(job: Job): Promise<Outcome> {
    runningPerKind.set(job.kind, (runningPerKind.get(job.kind) ?? 0) + 1);
    const promise = execute(job)
      .catch((err) => {
        logger.error({ err, jobId: job.id }, 'job bookkeeping failed; the lease will expire and the job will be retried');
        return 'lost' as Outcome;
      })
      .finally(() => {
        inflight.delete(job.id);
        runningPerKind.set(job.kind, (runningPerKind.get(job.kind) ?? 1) - 1);
        wake();
      });
    inflight.set(job.id, promise);
    return promise;
  }

  async function workLoop(concurrency: number, pollMs: number): Promise<void> {
    while (running) {
      let filled = false;
      try {
        await reap();
        const free = concurrency - inflight.size;
        if (free > 0) {
          const jobs = await claim(free);
          for (const job of jobs) void start(job);
          filled = jobs.length === free;
        }
      } catch (err) {
        logger.error({ err }, 'job worker poll failed; retrying');
      }
      if (!running) break;
      // A full claim means more may be waiting: go again as soon as a slot frees (finishing jobs wake us).
      if (filled && inflight.size < concurrency) continue;
      await sleep(pollMs);
    }
  }

  async function enqueue<P>(input: EnqueueInput<P>): Promise<EnqueueResult> {
    const result = await repo.insert(input, { maxAttempts: defaultMaxAttempts }, now());
    if (result.created) signal(input);
    return result;
  }

  function signal(input: EnqueueInput<unknown>): void {
    if (input.runAt && input.runAt.getTime() > now().getTime()) return;
    if (handlers.has(input.kind)) wake();
    wakeup?.notify(input.kind);
  }

  return {
    workerId,

    enqueue,

    /** Enqueues inside the caller's transaction, so a business change and its job commit (or roll back) together. */
    async enqueueInTransaction<P>(transaction: Transaction, input: EnqueueInput<P>): Promise<EnqueueResult> {
      const result = await repo.insert(input, { maxAttempts: defaultMaxAttempts }, now(), transaction);
      if (result.created) transaction.afterCommit(() => signal(input));
      return result;
    },

    registerHandler<P>(kind: string, handler: JobHandler<P>, handlerOptions: HandlerOptions = {}): void {
      if (handlers.has(kind)) throw new Error(`a handler for job kind "${kind}" is already registered`);
      handlers.set(kind, { handler: handler as JobHandler<never>, options: handlerOptions });
      runningPerKind.set(kind, 0);
    },

    hasHandler: (kind: string) => handlers.has(kind),

    async startWorkers({ concurrency = 4, pollMs = 1_000 }: StartWorkersOptions = {}): Promise<void> {
      if (running) return;
      running = true;
      defaultConcurrency = concurrency;
      if (wakeup) await wakeup.subscribe((kind) => handlers.has(kind) && wake());
      loop = workLoop(concurrency, pollMs);
      logger.info({ workerId, concurrency, pollMs, kinds: [...handlers.keys()] }, 'job workers started');
    },

    /**
     * Stops claiming and waits for the jobs in flight to finish. With graceMs, handlers still running after it are
     * aborted and their jobs released (not counted as an attempt) for another instance.
     */
    async stop({ graceMs }: { graceMs?: number } = {}): Promise<void> {
      running = false;
      wake();
      await loop;
      loop = null;
      if (inflight.size) {
        const all = Promise.allSettled([...inflight.values()]);
        if (graceMs === undefined) await all;
        else {
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
          clearTimeout(timer);
          if (timedOut) {
            for (const c of controllers) c.abort(new ShutdownAbort());
            await all;
          }
        }
      }
      await wakeup?.close();
    },

    /** One claim-and-run round on the calling task (tests, CLIs). */
    async runOnce({ limit }: { limit?: number } = {}): Promise<RunSummary> {
      await reap(true);
      const jobs = await claim(limit ?? defaultConcurrency);
      const outcomes = await Promise.all(jobs.map(start));
      const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
      return { claimed: jobs.length, done: count('done'), failed: count('failed'), dead: count('dead'), lost: count('lost') };
    },

    /** Runs rounds until nothing runnable is left (jobs scheduled in the future stay). */
    async drain({ maxRounds = 1_000, limit }: { maxRounds?: number; limit?: number } = {}): Promise<RunSummary> {
      const total: RunSummary = { claimed: 0, done: 0, failed: 0, dead: 0, lost: 0 };
      for (let i = 0; i < maxRounds; i++) {
        const r = await this.runOnce({ limit });
        if (!r.claimed) break;
        for (const k of Object.keys(total) as Array<keyof RunSummary>) total[k] += r[k];
      }
      return total;
    },

    get: (id: number) => repo.get(id),
    list: (query: ListJobsQuery = {}) => repo.list(query),
    counts: (filter: { portalId?: number; kinds?: string[] } = {}): Promise<Record<JobStatus, number>> => repo.countByStatus(filter),

    /** Puts a dead or failed job back in line; `portalId` scopes it to one tenant (admin API). */
    async requeue(id: number, filter: { portalId?: number } = {}): Promise<{ outcome: 'requeued' | 'not-found' | 'not-requeueable'; job: Job | null }> {
      const outcome = await repo.requeue(id, now(), filter);
      const job = outcome === 'not-found' ? null : await repo.get(id);
      if (outcome === 'requeued' && job) signal({ kind: job.kind, payload: null });
      return { outcome, job };
    },

    /** Deletes done jobs older than `olderThanMs` (a scheduled cleanup keeps the table small). */
    purge: (olderThanMs: number, statuses: JobStatus[] = ['done']) => repo.purge(new Date(now().getTime() - olderThanMs), statuses),

    /** Reaps expired leases now (tests; workers do it on their own). */
    reapExpired: () => reap(true),
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;

