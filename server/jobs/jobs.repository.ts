import { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import type { EnqueueInput, EnqueueResult, Job, JobStatus, ListJobsQuery } from './job.types.js';
import { execute, fromSqlTime, insert, isUniqueViolation, selectRows, sqlTime, toId } from './sql.js';

/** The only code that touches the jobs table (STYLE.md §1). Returns plain Job objects. */

type Row = Record<string, unknown>;

const MAX_ERROR_LENGTH = 4_000;

function parseJson(text: unknown): unknown {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(String(text));
  } catch {
    return String(text);
  }
}

export function toJob(row: Row): Job {
  return {
    id: toId(row.id),
    portalId: row.portal_id === null || row.portal_id === undefined ? null : Number(row.portal_id),
    kind: String(row.kind),
    dedupKey: (row.dedup_key as string | null) ?? null,
    payload: parseJson(row.payload),
    status: String(row.status) as JobStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: fromSqlTime(row.run_at)!,
    lockedBy: (row.locked_by as string | null) ?? null,
    lockedUntil: fromSqlTime(row.locked_until),
    lastError: (row.last_error as string | null) ?? null,
    result: parseJson(row.result),
    createdAt: fromSqlTime(row.created_at)!,
    updatedAt: fromSqlTime(row.updated_at)!,
    startedAt: fromSqlTime(row.started_at),
    finishedAt: fromSqlTime(row.finished_at),
  };
}

export const truncateError = (message: string) => (message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message);

export function createJobsRepository(db: Database) {
  const t = (d: Date) => sqlTime(d, db.dialect);

  async function findByDedup(kind: string, dedupKey: string, transaction?: Transaction | null): Promise<number | null> {
    const rows = await selectRows<Row>(db, 'SELECT id FROM jobs WHERE kind = :kind AND dedup_key = :dedupKey', { kind, dedupKey }, transaction);
    return rows[0] ? toId(rows[0].id) : null;
  }

  return {
    /**
     * Inserts a job; with a dedup key already taken (any status) returns the existing job instead. The unique index
     * decides, so two instances enqueueing the same key at once still create one job.
     */
    async insert(input: EnqueueInput, defaults: { maxAttempts: number }, now: Date, transaction?: Transaction | null): Promise<EnqueueResult> {
      const dedupKey = input.dedupKey ?? null;
      if (dedupKey !== null && !transaction) {
        // Cheap pre-check avoids a failed INSERT (and its log noise) for the common duplicate delivery.
        const existing = await findByDedup(input.kind, dedupKey);
        if (existing !== null) return { id: existing, created: false };
      }
      const values = {
        portalId: input.portalId ?? null,
        kind: input.kind,
        dedupKey,
        payload: JSON.stringify(input.payload ?? null),
        maxAttempts: Math.max(1, input.maxAttempts ?? defaults.maxAttempts),
        runAt: t(input.runAt ?? now),
        now: t(now),
      };
      const sql =
        'INSERT INTO jobs (portal_id, kind, dedup_key, payload, status, attempts, max_attempts, run_at, created_at, updated_at) ' +
        "VALUES (:portalId, :kind, :dedupKey, :payload, 'queued', 0, :maxAttempts, :runAt, :now, :now)";
      try {
        const { insertId } = await insert(db, sql, values, transaction);
        return { id: insertId, created: true };
      } catch (err) {
        if (dedupKey === null || !isUniqueViolation(err)) throw err;
        const existing = await findByDedup(input.kind, dedupKey, transaction);
        if (existing === null) throw err;
        return { id: existing, created: false };
      }
    },

    async get(id: number): Promise<Job | null> {
      const rows = await selectRows<Row>(db, 'SELECT * FROM jobs WHERE id = :id', { id });
      return rows[0] ? toJob(rows[0]) : null;
    },

    async list(query: ListJobsQuery): Promise<{ items: Job[]; total: number }> {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (query.status) {
        where.push('status = :status');
        params.status = query.status;
      }
      if (query.kind) {
        where.push('kind = :kind');
        params.kind = query.kind;
      }
      if (query.portalId !== undefined) {
        where.push('portal_id = :portalId');
        params.portalId = query.portalId;
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const limit = Math.floor(Math.min(Math.max(query.limit ?? 50, 1), 500));
      const offset = Math.floor(Math.max(query.offset ?? 0, 0));
      const rows = await selectRows<Row>(db, `SELECT * FROM jobs ${clause} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`, params);
      const [count] = await selectRows<Row>(db, `SELECT COUNT(*) AS n FROM jobs ${clause}`, params);
      return { items: rows.map(toJob), total: Number(count?.n ?? 0) };
    },

    async countByStatus(filter: { portalId?: number; kinds?: string[] } = {}): Promise<Record<JobStatus, number>> {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.portalId !== undefined) {
        where.push('portal_id = :portalId');
        params.portalId = filter.portalId;
      }
      if (filter.kinds?.length) {
        where.push('kind IN (:kinds)');
        params.kinds = filter.kinds;
      }
      const rows = await selectRows<Row>(db, `SELECT status, COUNT(*) AS n FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY status`, params);
      const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, dead: 0 };
      for (const r of rows) out[String(r.status) as JobStatus] = Number(r.n);
      return out;
    },

    /**
     * MariaDB ≥ 10.6 / MySQL 8: lock runnable rows with SKIP LOCKED so concurrent claimers take different jobs without
     * waiting, then lease them in the same short transaction. One query per claimable status keeps each scan in
     * (status, run_at) index order, so LIMIT stops early instead of locking every runnable row.
     */
    async claimSkipLocked(args: { workerId: string; kinds: string[]; limit: number; now: Date; leaseMs: number }): Promise<Job[]> {
      if (!args.kinds.length || args.limit <= 0) return [];
      return db.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, async (transaction) => {
        const params = { kinds: args.kinds, now: t(args.now), limit: args.limit };
        const picked: Row[] = [];
        for (const status of ['queued', 'failed']) {
          picked.push(
            ...(await selectRows<Row>(
              db,
              `SELECT * FROM jobs WHERE status = '${status}' AND run_at <= :now AND kind IN (:kinds) ORDER BY run_at, id LIMIT :limit FOR UPDATE SKIP LOCKED`,
              params,
              transaction,
            )),
          );
        }
        if (!picked.length) return [];
        const rows = picked
          .map(toJob)
          .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id)
          .slice(0, args.limit);
        const until = new Date(args.now.getTime() + args.leaseMs);
        await execute(
          db,
          "UPDATE jobs SET status = 'running', locked_by = :workerId, locked_until = :until, attempts = attempts + 1, started_at = :now, updated_at = :now WHERE id IN (:ids)",
          { workerId: args.workerId, until: t(until), now: t(args.now), ids: rows.map((r) => r.id) },
          transaction,
        );
        return rows.map((job) => ({ ...job, status: 'running' as const, lockedBy: args.workerId, lockedUntil: until, attempts: job.attempts + 1, startedAt: args.now, updatedAt: args.now }));
      });
    },

    /**
     * Portable claim (SQLite, older MySQL): read candidates, then take each with a conditional UPDATE that only
     * succeeds while the row is still in the state we read (compare-and-swap on status and attempts). Exactly one
     * claimer sees affected rows = 1.
     */
    async claimOptimistic(args: { workerId: string; kinds: string[]; limit: number; now: Date; leaseMs: number }): Promise<Job[]> {
      if (!args.kinds.length || args.limit <= 0) return [];
      const candidates = await selectRows<Row>(
        db,
        "SELECT * FROM jobs WHERE status IN ('queued', 'failed') AND run_at <= :now AND kind IN (:kinds) ORDER BY run_at, id LIMIT :limit",
        { kinds: args.kinds, now: t(args.now), limit: args.limit * 2 },
      );
      const until = new Date(args.now.getTime() + args.leaseMs);
      const claimed: Job[] = [];
      for (const row of candidates) {
        if (claimed.length >= args.limit) break;
        const job = toJob(row);
        const changed = await execute(
          db,
          "UPDATE jobs SET status = 'running', locked_by = :workerId, locked_until = :until, attempts = attempts + 1, started_at = :now, updated_at = :now " +
            'WHERE id = :id AND status = :status AND attempts = :attempts AND run_at <= :now',
          { workerId: args.workerId, until: t(until), now: t(args.now), id: job.id, status: job.status, attempts: job.attempts },
        );
        if (changed === 1) claimed.push({ ...job, status: 'running', lockedBy: args.workerId, lockedUntil: until, attempts: job.attempts + 1, startedAt: args.now, updatedAt: args.now });
      }
      return claimed;
    },

    /** Extends a lease this worker holds; false when the job was reclaimed by someone else. */
    async extendLease(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>, until: Date, now: Date): Promise<boolean> {
      const changed = await execute(
        db,
        "UPDATE jobs SET locked_until = :until, updated_at = :now WHERE id = :id AND status = 'running' AND locked_by = :lockedBy AND attempts = :attempts",
        { id: job.id, lockedBy: job.lockedBy, attempts: job.attempts, until: t(until), now: t(now) },
      );
      return changed === 1;
    },

    /** Finishes the attempt this worker holds (fenced by locked_by + attempts); false when the lease was lost. */
    async complete(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>, result: unknown, now: Date): Promise<boolean> {
      const changed = await execute(
        db,
        "UPDATE jobs SET status = 'done', result = :result, last_error = NULL, locked_by = NULL, locked_until = NULL, finished_at = :now, updated_at = :now " +
          "WHERE id = :id AND status = 'running' AND locked_by = :lockedBy AND attempts = :attempts",
        { id: job.id, lockedBy: job.lockedBy, attempts: job.attempts, result: result === undefined ? null : JSON.stringify(result), now: t(now) },
      );
      return changed === 1;
    },

    async fail(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>, outcome: { status: 'failed' | 'dead'; error: string; runAt: Date }, now: Date): Promise<boolean> {
      const changed = await execute(
        db,
        'UPDATE jobs SET status = :status, last_error = :error, run_at = :runAt, locked_by = NULL, locked_until = NULL, updated_at = :now' +
          (outcome.status === 'dead' ? ', finished_at = :now' : '') +
          " WHERE id = :id AND status = 'running' AND locked_by = :lockedBy AND attempts = :attempts",
        { id: job.id, lockedBy: job.lockedBy, attempts: job.attempts, status: outcome.status, error: truncateError(outcome.error), runAt: t(outcome.runAt), now: t(now) },
      );
      return changed === 1;
    },

    /** Gives a job back without counting the attempt (the queue is shutting down and the handler was interrupted). */
    async release(job: Pick<Job, 'id' | 'lockedBy' | 'attempts'>, now: Date): Promise<boolean> {
      const changed = await execute(
        db,
        "UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_at = :now, locked_by = NULL, locked_until = NULL, updated_at = :now " +
          "WHERE id = :id AND status = 'running' AND locked_by = :lockedBy AND attempts = :attempts",
        { id: job.id, lockedBy: job.lockedBy, attempts: job.attempts, now: t(now) },
      );
      return changed === 1;
    },

    /**
     * Jobs whose worker stopped renewing the lease (crashed, killed, partitioned) count as a failed attempt: back to
     * `failed` for a retry at retryAt, or `dead` when that was the last attempt.
     */
    async reapExpired(now: Date, retryAt: Date): Promise<number> {
      return execute(
        db,
        "UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'failed' END, " +
          "last_error = CASE WHEN attempts >= max_attempts THEN 'lease expired on the last attempt: the worker stopped (crashed or was killed)' ELSE 'lease expired: the worker stopped (crashed or was killed)' END, " +
          'finished_at = CASE WHEN attempts >= max_attempts THEN :now ELSE finished_at END, ' +
          "run_at = :retryAt, locked_by = NULL, locked_until = NULL, updated_at = :now WHERE status = 'running' AND locked_until < :now",
        { now: t(now), retryAt: t(retryAt) },
      );
    },

    /** Puts a dead or failed job back in line with a fresh set of attempts. */
    async requeue(id: number, now: Date, filter: { portalId?: number } = {}): Promise<'requeued' | 'not-found' | 'not-requeueable'> {
      const portalClause = filter.portalId === undefined ? '' : ' AND portal_id = :portalId';
      const changed = await execute(
        db,
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = :now, locked_by = NULL, locked_until = NULL, finished_at = NULL, updated_at = :now " +
          `WHERE id = :id AND status IN ('dead', 'failed')${portalClause}`,
        { id, now: t(now), portalId: filter.portalId },
      );
      if (changed === 1) return 'requeued';
      const rows = await selectRows<Row>(db, `SELECT id FROM jobs WHERE id = :id${portalClause}`, { id, portalId: filter.portalId });
      return rows.length ? 'not-requeueable' : 'not-found';
    },

    /** Deletes finished jobs older than `before` (their dedup keys become free again). */
    async purge(before: Date, statuses: JobStatus[] = ['done']): Promise<number> {
      return execute(db, 'DELETE FROM jobs WHERE status IN (:statuses) AND updated_at < :before', { statuses, before: t(before) });
    },

    /** The earliest run_at among runnable jobs of these kinds (lets an idle worker sleep exactly until then). */
    async nextRunAt(kinds: string[]): Promise<Date | null> {
      if (!kinds.length) return null;
      const rows = await selectRows<Row>(db, "SELECT MIN(run_at) AS next FROM jobs WHERE status IN ('queued', 'failed') AND kind IN (:kinds)", { kinds });
      return fromSqlTime(rows[0]?.next);
    },
  };
}

export type JobsRepository = ReturnType<typeof createJobsRepository>;
