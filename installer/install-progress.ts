import type { AppContext } from '../server/context.js';
import type { Portal } from '../server/modules/portals/index.js';
import { APPLY_JOB } from './apply.job.js';
import { readRecord, STEP_KEYS, type TStepProgress } from './installer-record.js';
import type { Manifest } from './manifest.js';

/** What the install page shows (GET /api/install/progress). Labels are the page's own (i18n); this sends keys. */
export interface InstallProgress {
  state: 'idle' | 'queued' | 'running' | 'retrying' | 'done' | 'failed';
  manifestVersion: number;
  installedManifestVersion: number | null;
  installFinished: boolean;
  steps: TStepProgress[];
  errors: Array<{ step: string; code: string; message: string }>;
  notices: string[];
  startedAt: string | null;
  finishedAt: string | null;
  job: { id: number; status: string; attempts: number; maxAttempts: number; runAt: string; lastError: string | null } | null;
}

export async function readInstallProgress(ctx: AppContext, portal: Portal, manifest: Manifest): Promise<InstallProgress> {
  const record = readRecord(portal.settings);
  const run = record.lastRun;
  const { items } = await ctx.jobs.list({ portalId: portal.id, kind: APPLY_JOB, limit: 1 });
  const job = items[0] ?? null;
  const locked = record.lock !== null && Date.parse(record.lock.until) > Date.now();
  let state: InstallProgress['state'];
  if (run?.status === 'running' && locked) state = 'running';
  else if (job && (job.status === 'queued' || job.status === 'running')) state = job.status === 'running' ? 'running' : 'queued';
  else if (job && job.status === 'failed') state = 'retrying';
  else if (run) state = run.status === 'running' ? 'failed' : run.status;
  else state = 'idle';
  // A finished earlier version counts as done for the page only if nothing newer is pending.
  if (state === 'idle' && portal.manifestVersion === manifest.version) state = 'done';
  return {
    state,
    manifestVersion: manifest.version,
    installedManifestVersion: portal.manifestVersion,
    installFinished: portal.installFinished,
    steps: run?.steps.filter((s) => s.key !== 'read') ?? STEP_KEYS.filter((k) => k !== 'read').map((key) => ({ key, status: 'pending' as const, total: 0, done: 0, failed: 0 })),
    errors: (run?.errors ?? []).slice(0, 20).map((e) => ({ step: e.step, code: e.code, message: e.message })),
    notices: run?.notices ?? [],
    startedAt: run?.startedAt ?? null,
    finishedAt: run?.finishedAt ?? null,
    job: job ? { id: job.id, status: job.status, attempts: job.attempts, maxAttempts: job.maxAttempts, runAt: job.runAt.toISOString(), lastError: job.lastError } : null,
  };
}
