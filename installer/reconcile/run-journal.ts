import { randomBytes } from 'node:crypto';
import type { PortalsRepository } from '../../server/modules/portals/index.js';
import { InstallerError } from '../installer-error.js';
import { readRecord, STEP_KEYS, type StepKey, type TInstallerRecord, type TRunJournal } from '../installer-record.js';
import type { Operation } from './operation.types.js';
import type { OpFailure } from './execute-operations.js';

/**
 * The journal of a run in `settings.installer.lastRun` (what the install page polls) and a lease in
 * `settings.installer.lock` so two instances never reconcile one portal at once. Both written under the settings row
 * lock (PortalsRepository.updateSettings).
 */
export const LOCK_MS = 10 * 60_000;
const MAX_APPLIED = 400;

export const newRunId = () => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/**
 * This process's settings writes, one at a time: on SQLite concurrent sequelize transactions share one connection and
 * fail ("cannot start a transaction within a transaction"); on MariaDB the row lock already serialises them.
 */
let queue: Promise<unknown> = Promise.resolve();

function write(portals: PortalsRepository, portalId: number, change: (r: TInstallerRecord) => TInstallerRecord): Promise<TInstallerRecord> {
  const next = queue.then(() => portals.updateSettings(portalId, (current) => ({ ...current, installer: change(readRecord(current)) })));
  queue = next.catch(() => undefined);
  return next.then((s) => readRecord(s));
}

export async function startRun(
  portals: PortalsRepository,
  portalId: number,
  opts: { runId: string; mode: TRunJournal['mode']; manifestVersion: number; now?: Date },
): Promise<TRunJournal> {
  const now = opts.now ?? new Date();
  const journal: TRunJournal = {
    runId: opts.runId,
    mode: opts.mode,
    manifestVersion: opts.manifestVersion,
    startedAt: now.toISOString(),
    finishedAt: null,
    status: 'running',
    steps: STEP_KEYS.map((key) => ({ key, status: key === 'read' ? 'running' : 'pending', total: key === 'read' ? 1 : 0, done: 0, failed: 0 })),
    errors: [],
    applied: [],
    notices: [],
    writes: 0,
    hits: 0,
  };
  let busyUntil: number | null = null;
  await write(portals, portalId, (r) => {
    if (r.lock && r.lock.runId !== opts.runId && Date.parse(r.lock.until) > now.getTime()) {
      busyUntil = Date.parse(r.lock.until);
      return r;
    }
    return { ...r, lock: { runId: opts.runId, until: new Date(now.getTime() + LOCK_MS).toISOString() }, lastRun: journal };
  });
  if (busyUntil !== null) {
    throw new InstallerError('BUSY', 'another installer run is working on this portal right now; try again when it has finished', Math.max(1000, busyUntil - now.getTime()));
  }
  return journal;
}

/** Plans the step totals from the operations about to run. */
export function planSteps(journal: TRunJournal, ops: Operation[]): void {
  for (const step of journal.steps) {
    if (step.key === 'read') {
      step.status = 'done';
      step.done = 1;
      continue;
    }
    step.total = ops.filter((o) => o.step === step.key).length;
    step.status = step.total === 0 ? 'done' : 'pending';
  }
}

/** Counts applied and failed operations into the journal. */
export function recordOutcome(journal: TRunJournal, applied: Operation[], failed: OpFailure[]): void {
  const step = (key: StepKey) => journal.steps.find((s) => s.key === key)!;
  for (const op of applied) {
    const s = step(op.step);
    s.done++;
    s.status = s.done + s.failed >= s.total ? (s.failed ? 'failed' : 'done') : 'running';
  }
  for (const f of failed) {
    const s = step(f.op.step);
    s.failed++;
    s.status = 'failed';
    journal.errors.push({ step: f.op.step, op: f.op.id, code: f.error.code || f.error.kind, message: f.error.description || f.error.message });
  }
  journal.applied = [...journal.applied, ...applied.map((o) => o.id)].slice(-MAX_APPLIED);
}

export function markRunning(journal: TRunJournal, keys: StepKey[]): void {
  for (const s of journal.steps) if (keys.includes(s.key) && s.status === 'pending') s.status = 'running';
}

/** Saves the journal and extends the lease. */
export async function saveJournal(portals: PortalsRepository, portalId: number, journal: TRunJournal, now = new Date()): Promise<void> {
  await write(portals, portalId, (r) => ({
    ...r,
    lastRun: journal,
    lock: r.lock?.runId === journal.runId ? { runId: journal.runId, until: new Date(now.getTime() + LOCK_MS).toISOString() } : r.lock,
  }));
}

/** Final save: the record built from the portal's state, the finished journal, the lease released. */
export async function finishRun(
  portals: PortalsRepository,
  portalId: number,
  journal: TRunJournal,
  record: ((current: TInstallerRecord) => TInstallerRecord) | null,
  now = new Date(),
): Promise<TInstallerRecord> {
  journal.finishedAt = now.toISOString();
  return write(portals, portalId, (r) => {
    const next = record ? record(r) : r;
    return { ...next, lastRun: journal, lock: r.lock?.runId === journal.runId ? null : r.lock };
  });
}
