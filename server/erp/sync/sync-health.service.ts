import type { Database } from '../../db/database.js';
import { createJobsRepository } from '../../jobs/jobs.repository.js';
import type { JobStatus } from '../../jobs/index.js';
import { createOutboxRepository, type OutboxItem, type OutboxState } from './outbox.repository.js';
import { SYNC_ENTITIES } from './sync-entities.js';
import { createSyncStateRepository, type SyncRun } from './sync-state.repository.js';

export type EntityHealthStatus = 'never' | 'ok' | 'failed' | 'running' | 'stale' | 'drift';

export interface EntityHealth {
  entity: string;
  status: EntityHealthStatus;
  lastRun: ReturnType<typeof runView> | null;
  lastSuccessAt: string | null;
  /** Seconds since the last successful run finished (how old the read model's copy is). */
  lagSeconds: number | null;
  running: { runId: number; startedAt: string; heartbeatAt: string; worker: string | null; progress: { current: number; total: number | null; percent: number | null } } | null;
  lastError: { at: string; message: string | null } | null;
  cursor: { updatedAt: string | null; lastFullAt: string | null };
}

export interface SyncHealth {
  portalId: number;
  generatedAt: string;
  entities: EntityHealth[];
  outbox: Record<OutboxState, number>;
  jobs: Record<JobStatus, number>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function runView(run: SyncRun) {
  return {
    id: run.id,
    entity: run.entity,
    status: run.status,
    mode: run.mode,
    trigger: run.trigger,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.durationMs,
    counts: run.counts,
    progress: run.progress,
    error: run.error,
  };
}

/** What the sync health page shows for one portal: per entity last run, lag, errors and a running run's progress. */
export async function getSyncHealth(db: Database, portalId: number, options: { now?: Date; staleAfterMs?: number } = {}): Promise<SyncHealth> {
  const now = options.now ?? new Date();
  const staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
  const state = createSyncStateRepository(db);
  const [summary, cursors] = [await state.summary(portalId), await state.cursorsOf(portalId)];
  const entities: EntityHealth[] = [...SYNC_ENTITIES, 'reconcile'].map((entity) => {
    const s = summary.get(entity);
    const cursor = cursors.get(entity);
    const latest = s?.latest ?? null;
    const running = s?.running && s.running.id === latest?.id ? s.running : null;
    const stale = running ? now.getTime() - running.heartbeatAt.getTime() > staleAfterMs : false;
    const status: EntityHealthStatus = !latest
      ? 'never'
      : running
        ? stale
          ? 'stale'
          : 'running'
        : latest.status === 'ok'
          ? 'ok'
          : latest.status === 'drift'
            ? 'drift'
            : 'failed';
    const lastOkAt = s?.lastOk?.finishedAt ?? null;
    return {
      entity,
      status,
      lastRun: latest ? runView(latest) : null,
      lastSuccessAt: iso(lastOkAt),
      lagSeconds: lastOkAt ? Math.max(0, Math.round((now.getTime() - lastOkAt.getTime()) / 1000)) : null,
      running: running
        ? {
            runId: running.id,
            startedAt: iso(running.startedAt)!,
            heartbeatAt: iso(running.heartbeatAt)!,
            worker: running.worker,
            progress: {
              ...running.progress,
              percent: running.progress.total ? Math.min(100, Math.round((running.progress.current / running.progress.total) * 1000) / 10) : null,
            },
          }
        : null,
      lastError: s?.lastFailed ? { at: iso(s.lastFailed.finishedAt ?? s.lastFailed.startedAt)!, message: s.lastFailed.error } : null,
      cursor: { updatedAt: iso(cursor?.updatedAt), lastFullAt: iso(cursor?.lastFullAt) },
    };
  });
  return {
    portalId,
    generatedAt: now.toISOString(),
    entities,
    outbox: await createOutboxRepository(db).countByState(portalId),
    jobs: await createJobsRepository(db).countByStatus({ portalId }),
  };
}

/** An outbox row as the admin API shows it: enough to act on, not the whole payload. */
export function outboxView(item: OutboxItem) {
  const payload = item.payload as { number?: string; lines?: unknown[] };
  return {
    id: item.id,
    aggregate: item.aggregate,
    aggregateId: item.aggregateId,
    externalId: item.externalId,
    number: payload.number ?? null,
    lines: Array.isArray(payload.lines) ? payload.lines.length : null,
    state: item.state,
    erpRef: item.erpRef,
    erpNumber: item.erpNumber,
    attempts: item.attempts,
    maxAttempts: item.maxAttempts,
    nextAttemptAt: iso(item.nextAttemptAt),
    lastError: item.lastError,
    lastErrorKind: item.lastErrorKind,
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
    deliveredAt: iso(item.deliveredAt),
  };
}
