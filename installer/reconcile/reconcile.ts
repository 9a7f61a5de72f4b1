import type { AppContext } from '../../server/context.js';
import type { B24Client } from '../../server/bitrix24/index.js';
import type { Portal } from '../../server/modules/portals/index.js';
import { InstallerError } from '../installer-error.js';
import { readRecord, type TInstallerRecord, type TRunJournal } from '../installer-record.js';
import { MANIFEST, type Manifest, type SmartProcessKey } from '../manifest.js';
import { buildRecord } from './build-record.js';
import { countingClient } from './counting-client.js';
import type { Lang } from './desired-state.js';
import { executeIndependent, executeSequential, type ExecuteResult, type OpFailure } from './execute-operations.js';
import type { Model, Operation } from './operation.types.js';
import { planApply } from './plan-apply.js';
import { readPortalState } from './read-portal-state.js';
import { finishRun, markRunning, newRunId, planSteps, recordOutcome, saveJournal, startRun } from './run-journal.js';

export interface ReconcileOptions {
  ctx: AppContext;
  portalId: number;
  manifest?: Manifest;
  /** Base URL Bitrix24 reaches DealerHub at: handlers of placements, robots and events hang off it. */
  publicUrl: string;
  /** Read and plan only: nothing is written to the portal or to our database. */
  dryRun?: boolean;
  /** Defaults to ctx.b24.forPortal(portalId). */
  client?: B24Client;
  runId?: string;
  onProgress?: (journal: TRunJournal) => void;
}

export interface ReconcileResult {
  status: 'planned' | 'done' | 'failed';
  /** The plan as first computed (dry run: everything that would change, pending items included). */
  plan: Operation[];
  applied: string[];
  failed: Array<{ op: string; code: string; message: string }>;
  notices: string[];
  /** Operations still differing after the run (0 when done). */
  remaining: Operation[];
  reads: number;
  writes: number;
  /** HTTP requests the portal counted (batches count once). */
  hits: number;
  record: TInstallerRecord;
}

export function portalLanguage(portal: Portal, record: TInstallerRecord): Lang {
  if (record.publicUrl !== null) return record.language;
  return portal.languageId?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

export function assertReconcilable(portal: Portal | null, portalId: number | string): asserts portal is Portal {
  if (!portal) throw new InstallerError('PORTAL_NOT_FOUND', `portal ${portalId} is not known to this DealerHub database`);
  if (portal.status === 'uninstalled') throw new InstallerError('PORTAL_NOT_INSTALLED', `DealerHub is uninstalled on ${portal.domain}; it must be installed again from the portal first`);
  if (portal.status === 'reinstall_required') {
    throw new InstallerError('REINSTALL_REQUIRED', `the authorization of ${portal.domain} was revoked (refresh refused); a portal administrator must open or reinstall DealerHub`);
  }
}

/**
 * Brings a portal to the manifest: read → plan → phase 1 (types, unbinds, binds without type ids) → plan again with
 * the new ids → phase 2 (fields, stages, type placements, robots) → record. Re-running changes nothing; a failed run
 * leaves the portal partly done and the next run (re-read, re-plan) continues without duplicates.
 */
export async function reconcile(opts: ReconcileOptions): Promise<ReconcileResult> {
  const { ctx, portalId } = opts;
  const manifest = opts.manifest ?? MANIFEST;
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const portal = await ctx.portals.findById(portalId);
  assertReconcilable(portal, portalId);
  const startRecord = readRecord(portal.settings);
  const lang = portalLanguage(portal, startRecord);
  const { client, counter } = countingClient(opts.client ?? ctx.b24.forPortal(portalId));
  const log = ctx.logger.child({ component: 'installer', portalId });

  let journal: TRunJournal | null = null;
  if (!opts.dryRun) {
    journal = await startRun(ctx.portals, portalId, { runId: opts.runId ?? newRunId(), mode: 'apply', manifestVersion: manifest.version });
    opts.onProgress?.(journal);
  }
  const progress = async () => {
    if (!journal) return;
    journal.writes = counter.writes;
    journal.hits = counter.hits();
    await saveJournal(ctx.portals, portalId, journal);
    opts.onProgress?.(journal);
  };

  let model: Model | null = null;
  try {
    const state = await readPortalState(client, { manifest, record: startRecord, adminUserId: portal.tokenUserId });
    model = { state, record: structuredClone(startRecord) };
    const first = planApply({ manifest, state, record: model.record, publicUrl, lang });
    if (opts.dryRun) {
      return { status: 'planned', plan: first.ops, applied: [], failed: [], notices: first.notices, remaining: first.ops, reads: counter.reads, writes: counter.writes, hits: counter.hits(), record: startRecord };
    }
    const j = journal!;
    j.notices = first.notices;
    planSteps(j, first.ops);
    await progress();

    const failures: OpFailure[] = [];
    const onChunk = async (r: ExecuteResult) => {
      recordOutcome(j, r.applied, r.failed);
      failures.push(...r.failed);
      await progress();
    };
    const phase1 = first.ops.filter((o) => o.phase === 1 && !o.pending);
    markRunning(j, [...new Set(phase1.map((o) => o.step))]);
    await executeSequential(client, phase1, model, onChunk);
    const m = model;

    const failedIds = new Set(failures.map((f) => f.op.id));
    const second = planApply({ manifest, state: m.state, record: m.record, publicUrl, lang });
    const phase2 = second.ops.filter((o) => o.phase === 2 && !o.pending && !failedIds.has(o.id));
    // Totals grow when phase 1 revealed work (e.g. tidying a new pipeline's default stages).
    for (const s of j.steps) if (s.key !== 'read') s.total = Math.max(s.total, s.done + s.failed + phase2.filter((o) => o.step === s.key).length);
    markRunning(j, [...new Set(phase2.map((o) => o.step))]);
    await executeIndependent(client, phase2, m, onChunk);

    const final = planApply({ manifest, state: m.state, record: m.record, publicUrl, lang });
    const failedSps = new Set(failures.map((f) => f.op.sp).filter(Boolean));
    for (const key of m.record.createdByUs.types) {
      const stagesLeft = final.ops.some((o) => o.sp === key && o.step === 'stages');
      if (!stagesLeft && !failedSps.has(key as SmartProcessKey) && !m.record.createdByUs.pipelines.includes(key)) m.record.createdByUs.pipelines.push(key);
    }
    const done = failures.length === 0 && final.ops.length === 0;
    if (!done && failures.length === 0) {
      log.warn({ remaining: final.ops.map((o) => o.id) }, 'installer: changes still differ after a run without errors');
      j.notices.push(`${final.ops.length} change(s) still differ after the run: ${final.ops.map((o) => o.id).join(', ')}`);
    }
    for (const s of j.steps) if (s.status === 'running' || s.status === 'pending') s.status = s.failed ? 'failed' : 'done';
    j.status = done ? 'done' : 'failed';
    j.writes = counter.writes;
    j.hits = counter.hits();
    const built = buildRecord(manifest, m, final.bindings, publicUrl, lang);
    const saved = await finishRun(ctx.portals, portalId, j, () => ({ ...built, manifestVersion: done ? manifest.version : built.manifestVersion, uninstalledAt: null }));
    if (done) await ctx.portals.setVersions(portalId, { manifestVersion: manifest.version });
    opts.onProgress?.(j);
    log.info({ status: j.status, applied: j.applied.length, failed: failures.length, writes: counter.writes, hits: j.hits }, 'installer run finished');
    return {
      status: j.status === 'done' ? 'done' : 'failed',
      plan: first.ops,
      applied: j.applied,
      failed: j.errors.map((e) => ({ op: e.op, code: e.code, message: e.message })),
      notices: j.notices,
      remaining: final.ops,
      reads: counter.reads,
      writes: counter.writes,
      hits: counter.hits(),
      record: saved,
    };
  } catch (err) {
    if (journal) {
      journal.status = 'failed';
      journal.errors.push({ step: journal.steps.find((s) => s.status === 'running')?.key ?? 'read', op: 'run', code: (err as { code?: string }).code ?? 'ERROR', message: err instanceof Error ? err.message : String(err) });
      for (const s of journal.steps) if (s.status === 'running') s.status = 'failed';
      journal.writes = counter.writes;
      journal.hits = counter.hits();
      // What was applied before the failure is still recorded (e.g. which fields DealerHub added).
      const partial = model ? buildRecord(manifest, model, planApply({ manifest, state: model.state, record: model.record, publicUrl, lang }).bindings, publicUrl, lang) : null;
      await finishRun(ctx.portals, portalId, journal, partial ? () => partial : null).catch((e: unknown) => log.error({ err: e }, 'installer: could not save the journal of a failed run'));
      opts.onProgress?.(journal);
    }
    throw err;
  }
}
