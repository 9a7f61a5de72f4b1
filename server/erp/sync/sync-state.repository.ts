import type { Database } from '../../db/database.js';
import { execute, fromSqlTime, insert, selectRows, sqlTime, toId } from '../../jobs/sql.js';
import { upsertRows } from '../read-model/bulk-upsert.js';

type Row = Record<string, unknown>;

export type SyncRunStatus = 'running' | 'ok' | 'failed' | 'abandoned' | 'drift';

export interface SyncCursorState {
  cursor: string | null;
  watermark: string | null;
  lastFullAt: Date | null;
  updatedAt: Date | null;
}

export interface SyncRun {
  id: number;
  portalId: number;
  entity: string;
  mode: string;
  trigger: string;
  status: SyncRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date;
  durationMs: number | null;
  counts: Record<string, unknown> | null;
  progress: { current: number; total: number | null };
  error: string | null;
  jobId: number | null;
  worker: string | null;
}

function parseCounts(text: unknown): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(String(text)) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toRun(r: Row): SyncRun {
  const counts = parseCounts(r.counts);
  return {
    id: toId(r.id),
    portalId: Number(r.portal_id),
    entity: String(r.entity),
    mode: String(r.mode),
    trigger: String(r.trigger_source),
    status: String(r.status) as SyncRunStatus,
    startedAt: fromSqlTime(r.started_at)!,
    finishedAt: fromSqlTime(r.finished_at),
    heartbeatAt: fromSqlTime(r.heartbeat_at)!,
    durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    counts,
    progress: { current: Number(r.progress_current ?? 0), total: r.progress_total === null || r.progress_total === undefined ? null : Number(r.progress_total) },
    error: (r.error as string | null) ?? null,
    jobId: r.job_id === null || r.job_id === undefined ? null : toId(r.job_id),
    worker: (r.worker as string | null) ?? null,
  };
}

/** sync_cursors (cursor, watermark, the per-entity lease) and sync_runs (the run log the health page reads). */
export function createSyncStateRepository(db: Database) {
  const t = (d: Date) => sqlTime(d, db.dialect);

  return {
    async getCursor(portalId: number, entity: string): Promise<SyncCursorState> {
      const [r] = await selectRows<Row>(db, 'SELECT `cursor`, watermark, last_full_at, updated_at FROM sync_cursors WHERE portal_id = :portalId AND entity = :entity', { portalId, entity });
      return {
        cursor: (r?.cursor as string | null) ?? null,
        watermark: (r?.watermark as string | null) ?? null,
        lastFullAt: fromSqlTime(r?.last_full_at),
        updatedAt: fromSqlTime(r?.updated_at),
      };
    },

    /** Stores what a finished run reached; `undefined` leaves a field as it was. */
    async saveCursor(portalId: number, entity: string, next: { cursor?: string | null; watermark?: string | null; full?: boolean }, now: Date): Promise<void> {
      const sets = ['updated_at = :now'];
      if (next.cursor !== undefined) sets.push('`cursor` = :cursor');
      if (next.watermark !== undefined) sets.push('watermark = :watermark');
      if (next.full) sets.push('last_full_at = :now');
      await execute(db, `UPDATE sync_cursors SET ${sets.join(', ')} WHERE portal_id = :portalId AND entity = :entity`, {
        portalId,
        entity,
        cursor: next.cursor ?? null,
        watermark: next.watermark ?? null,
        now: t(now),
      });
    },

    /**
     * One sync of an entity per portal at a time, across instances: a conditional UPDATE takes the lease only when
     * it is free or expired (affected rows = 1 means ours).
     */
    async acquireLease(portalId: number, entity: string, holder: string, leaseMs: number, now: Date): Promise<boolean> {
      await upsertRows(db, { table: 'sync_cursors', columns: ['portal_id', 'entity', 'created_at', 'updated_at'], key: ['portal_id', 'entity'], update: [] }, [[portalId, entity, now, now]]);
      const changed = await execute(
        db,
        'UPDATE sync_cursors SET locked_by = :holder, locked_until = :until WHERE portal_id = :portalId AND entity = :entity AND (locked_by IS NULL OR locked_until < :now OR locked_by = :holder)',
        { portalId, entity, holder, until: t(new Date(now.getTime() + leaseMs)), now: t(now) },
      );
      return changed === 1;
    },

    async renewLease(portalId: number, entity: string, holder: string, leaseMs: number, now: Date): Promise<boolean> {
      const changed = await execute(db, 'UPDATE sync_cursors SET locked_until = :until WHERE portal_id = :portalId AND entity = :entity AND locked_by = :holder', {
        portalId,
        entity,
        holder,
        until: t(new Date(now.getTime() + leaseMs)),
      });
      return changed === 1;
    },

    async releaseLease(portalId: number, entity: string, holder: string): Promise<void> {
      await execute(db, 'UPDATE sync_cursors SET locked_by = NULL, locked_until = NULL WHERE portal_id = :portalId AND entity = :entity AND locked_by = :holder', { portalId, entity, holder });
    },

    /** Runs left `running` by a worker that died: called by the next holder of the lease. */
    async abandonRunning(portalId: number, entity: string, now: Date): Promise<number> {
      return execute(
        db,
        "UPDATE sync_runs SET status = 'abandoned', finished_at = :now, error = 'the worker running this sync stopped (crashed or was killed); a later run took over' WHERE portal_id = :portalId AND entity = :entity AND status = 'running'",
        { portalId, entity, now: t(now) },
      );
    },

    async startRun(run: { portalId: number; entity: string; mode: string; trigger: string; jobId?: number | null; worker?: string | null }, now: Date): Promise<number> {
      const { insertId } = await insert(
        db,
        'INSERT INTO sync_runs (portal_id, entity, mode, trigger_source, status, started_at, heartbeat_at, progress_current, job_id, worker) ' +
          "VALUES (:portalId, :entity, :mode, :trigger, 'running', :now, :now, 0, :jobId, :worker)",
        { ...run, jobId: run.jobId ?? null, worker: run.worker ?? null, now: t(now) },
      );
      return insertId;
    },

    async progress(runId: number, current: number, total: number | null | undefined, now: Date): Promise<void> {
      await execute(db, 'UPDATE sync_runs SET progress_current = :current, progress_total = COALESCE(:total, progress_total), heartbeat_at = :now WHERE id = :runId', {
        runId,
        current,
        total: total ?? null,
        now: t(now),
      });
    },

    async finishRun(runId: number, outcome: { status: SyncRunStatus; counts?: unknown; error?: string | null; startedAt: Date }, now: Date): Promise<void> {
      await execute(
        db,
        'UPDATE sync_runs SET status = :status, finished_at = :now, heartbeat_at = :now, duration_ms = :duration, counts = :counts, error = :error WHERE id = :runId',
        {
          runId,
          status: outcome.status,
          duration: Math.max(0, now.getTime() - outcome.startedAt.getTime()),
          counts: outcome.counts === undefined ? null : JSON.stringify(outcome.counts),
          error: outcome.error ? outcome.error.slice(0, 4_000) : null,
          now: t(now),
        },
      );
    },

    /** A finished run in one statement (reconciliation reports). */
    async recordRun(run: { portalId: number; entity: string; mode: string; trigger: string; status: SyncRunStatus; startedAt: Date; counts: unknown; error?: string | null; jobId?: number | null }, now: Date): Promise<number> {
      const { insertId } = await insert(
        db,
        'INSERT INTO sync_runs (portal_id, entity, mode, trigger_source, status, started_at, finished_at, heartbeat_at, duration_ms, counts, progress_current, error, job_id) ' +
          'VALUES (:portalId, :entity, :mode, :trigger, :status, :startedAt, :now, :now, :duration, :counts, 0, :error, :jobId)',
        {
          ...run,
          startedAt: t(run.startedAt),
          duration: Math.max(0, now.getTime() - run.startedAt.getTime()),
          counts: JSON.stringify(run.counts),
          error: run.error ?? null,
          jobId: run.jobId ?? null,
          now: t(now),
        },
      );
      return insertId;
    },

    async getRun(runId: number): Promise<SyncRun | null> {
      const [r] = await selectRows<Row>(db, 'SELECT * FROM sync_runs WHERE id = :runId', { runId });
      return r ? toRun(r) : null;
    },

    async listRuns(query: { portalId: number; entity?: string; status?: SyncRunStatus; limit?: number; offset?: number }): Promise<{ items: SyncRun[]; total: number }> {
      const where = ['portal_id = :portalId'];
      if (query.entity) where.push('entity = :entity');
      if (query.status) where.push('status = :status');
      const limit = Math.floor(Math.min(Math.max(query.limit ?? 50, 1), 200));
      const offset = Math.floor(Math.max(query.offset ?? 0, 0));
      const rows = await selectRows<Row>(db, `SELECT * FROM sync_runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`, query);
      const [count] = await selectRows<Row>(db, `SELECT COUNT(*) AS n FROM sync_runs WHERE ${where.join(' AND ')}`, query);
      return { items: rows.map(toRun), total: Number(count?.n ?? 0) };
    },

    /** Per entity of a portal: the latest run, the latest successful one, the latest failure and the one running now. */
    async summary(portalId: number): Promise<Map<string, { latest: SyncRun | null; lastOk: SyncRun | null; lastFailed: SyncRun | null; running: SyncRun | null }>> {
      const pick = async (status: string | null) => {
        const clause = status === null ? '' : status === 'failed' ? " AND status IN ('failed', 'abandoned')" : ` AND status = '${status}'`;
        const rows = await selectRows<Row>(
          db,
          `SELECT r.* FROM sync_runs r JOIN (SELECT entity, MAX(id) AS id FROM sync_runs WHERE portal_id = :portalId${clause} GROUP BY entity) m ON m.id = r.id`,
          { portalId },
        );
        return new Map(rows.map((r) => [String(r.entity), toRun(r)]));
      };
      const [latest, ok, failed, running] = [await pick(null), await pick('ok'), await pick('failed'), await pick('running')];
      const out = new Map<string, { latest: SyncRun | null; lastOk: SyncRun | null; lastFailed: SyncRun | null; running: SyncRun | null }>();
      for (const entity of new Set([...latest.keys()])) {
        out.set(entity, { latest: latest.get(entity) ?? null, lastOk: ok.get(entity) ?? null, lastFailed: failed.get(entity) ?? null, running: running.get(entity) ?? null });
      }
      return out;
    },

    async cursorsOf(portalId: number): Promise<Map<string, { updatedAt: Date | null; lastFullAt: Date | null; lockedBy: string | null; lockedUntil: Date | null }>> {
      const rows = await selectRows<Row>(db, 'SELECT entity, updated_at, last_full_at, locked_by, locked_until FROM sync_cursors WHERE portal_id = :portalId', { portalId });
      return new Map(
        rows.map((r) => [String(r.entity), { updatedAt: fromSqlTime(r.updated_at), lastFullAt: fromSqlTime(r.last_full_at), lockedBy: (r.locked_by as string | null) ?? null, lockedUntil: fromSqlTime(r.locked_until) }]),
      );
    },
  };
}

export type SyncStateRepository = ReturnType<typeof createSyncStateRepository>;
