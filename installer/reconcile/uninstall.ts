import type { AppContext } from '../../server/context.js';
import type { B24Client } from '../../server/bitrix24/index.js';
import { InstallerError } from '../installer-error.js';
import { readRecord, type TInstallerRecord, type TRunJournal } from '../installer-record.js';
import { MANIFEST, type Manifest, type SmartProcessKey } from '../manifest.js';
import { entityTypeIdsOf, resolveBindings } from './bindings.js';
import { countingClient } from './counting-client.js';
import { desiredPlacements, eventsHandler, pick } from './desired-state.js';
import { executeIndependent, executeSequential, type ExecuteResult, type OpFailure } from './execute-operations.js';
import type { Model, Operation } from './operation.types.js';
import { unbindEventOp } from './plan-integrations.js';
import { readPortalState } from './read-portal-state.js';
import { assertReconcilable, portalLanguage, type ReconcileResult } from './reconcile.js';
import { finishRun, markRunning, newRunId, planSteps, recordOutcome, saveJournal, startRun } from './run-journal.js';
import type { PortalState, TypeBinding } from './portal-state.types.js';

export interface UninstallOptions {
  ctx: AppContext;
  portalId: number;
  manifest?: Manifest;
  /** Defaults to the URL recorded by the last run (it names our handlers). */
  publicUrl?: string;
  dryRun?: boolean;
  /** Also remove the data structures DealerHub created: its empty smart processes, its fields and stages on others. */
  clean?: boolean;
  /** With clean: keep the smart processes DealerHub created (and their fields and stages) anyway. */
  keepTypes?: boolean;
  /**
   * Keep the ONAPPUNINSTALL binding so DealerHub still hears when the administrator then removes the app (Bitrix24
   * drops the binding together with the app). Default true.
   */
  keepUninstallEvent?: boolean;
  client?: B24Client;
  runId?: string;
}

interface UninstallPlan {
  ops: Operation[];
  notices: string[];
  bindings: Map<SmartProcessKey, TypeBinding>;
}

/**
 * The reverse of the manifest, limited to what DealerHub put there: handlers bound by this app (placements, robots,
 * events — the portal lists only this app's) and, with clean, the smart processes it created when they hold no items
 * (crm.type.delete answers BX_ERROR "You cannot delete an entity type that has elements"), and the fields and stages
 * it added to types it did not create. Portal-owned types, fields, stages and other apps' widgets are never touched.
 */
export function planUninstall(manifest: Manifest, state: PortalState, record: TInstallerRecord, publicUrl: string | null, opts: Pick<UninstallOptions, 'clean' | 'keepTypes' | 'keepUninstallEvent'>): UninstallPlan {
  const ops: Operation[] = [];
  const notices: string[] = [];
  const bindings = resolveBindings(manifest, state, record);
  const etis = entityTypeIdsOf(bindings);
  const lang = record.language;

  const ourPlacements = new Set(record.placements.map((p) => `${p.placement} ${p.handler}`));
  if (publicUrl) for (const d of desiredPlacements(manifest, etis, publicUrl, lang)) if (!d.pending) ourPlacements.add(`${d.placement} ${d.handler}`);
  for (const row of state.placements) {
    if (!ourPlacements.has(`${row.placement} ${row.handler}`)) continue;
    ops.push({
      id: `placement.unbind:${row.placement}:${row.handler}`,
      kind: 'unbindPlacement',
      step: 'placements',
      phase: 1,
      pending: false,
      call: { method: 'placement.unbind', params: { PLACEMENT: row.placement, HANDLER: row.handler } },
      text: { ru: `Снять виджет ${row.placement} → ${row.handler}`, en: `Unbind widget ${row.placement} → ${row.handler}` },
      apply(model) {
        model.state.placements = model.state.placements.filter((p) => !(p.placement === row.placement && p.handler === row.handler));
      },
    });
  }

  const ourRobots = new Set([...record.robots.map((r) => r.code), ...manifest.robots]);
  for (const code of state.robots) {
    if (!ourRobots.has(code)) continue;
    ops.push({
      id: `robot.delete:${code}`,
      kind: 'deleteRobot',
      step: 'robots',
      phase: 1,
      pending: false,
      call: { method: 'bizproc.robot.delete', params: { CODE: code } },
      text: { ru: `Удалить робота ${code}`, en: `Delete robot ${code}` },
      apply(model) {
        model.state.robots = model.state.robots.filter((c) => c !== code);
      },
    });
  }

  const handler = publicUrl ? eventsHandler(publicUrl) : null;
  const ourEvents = (e: { event: string; handler: string }) =>
    record.events.some((r) => r.event === e.event && r.handler === e.handler) || (e.handler === handler && manifest.events.includes(e.event));
  for (const row of state.events) {
    if (row.offline || !ourEvents(row)) continue;
    if (row.event === 'ONAPPUNINSTALL' && opts.keepUninstallEvent !== false) {
      notices.push(`ONAPPUNINSTALL → ${row.handler} stays bound so DealerHub hears the removal of the app (Bitrix24 drops it with the app)`);
      continue;
    }
    ops.push(unbindEventOp(row, { ru: 'удаление DealerHub', en: 'removing DealerHub' }));
  }

  if (opts.clean) {
    for (const spec of manifest.smartProcesses) {
      const b = bindings.get(spec.key);
      const details = b ? state.details.get(b.typeId) : undefined;
      if (!b || !details) continue;
      const title = `«${details.type.title}» [${spec.key}]`;
      if (b.createdByUs) {
        if (opts.keepTypes) {
          notices.push(`${title}: kept with its fields and stages, as asked (--keep-types)`);
          continue;
        }
        if ((details.itemCount ?? 0) > 0) {
          notices.push(`${title}: kept — it has ${details.itemCount} item(s), and Bitrix24 refuses to delete a smart process that has items (crm.type.delete: BX_ERROR). Move or delete the items in Bitrix24, then run uninstall --clean again.`);
          continue;
        }
        ops.push({
          id: `type.delete:${spec.key}`,
          kind: 'deleteType',
          step: 'smartProcesses',
          phase: 2,
          pending: false,
          sp: spec.key,
          call: { method: 'crm.type.delete', params: { id: b.typeId } },
          text: { ru: `Удалить смарт-процесс «${spec.title.ru}» (пустой, создан DealerHub)`, en: `Delete smart process «${spec.title.en}» (empty, created by DealerHub)` },
          apply(model) {
            model.state.types = model.state.types.filter((t) => t.id !== b.typeId);
            model.state.details.delete(b.typeId);
          },
        });
        continue;
      }
      for (const f of spec.fields) {
        if (!record.createdByUs.fields.includes(`${spec.key}.${f.key}`)) continue;
        const row = details.fields.find((x) => x.fieldName === `UF_CRM_${b.typeId}_${f.code}`);
        if (!row) continue;
        ops.push({
          id: `field.delete:${spec.key}.${f.key}`,
          kind: 'deleteField',
          step: 'fields',
          phase: 2,
          pending: false,
          sp: spec.key,
          call: { method: 'userfieldconfig.delete', params: { moduleId: 'crm', id: row.id } },
          text: { ru: `Удалить поле «${f.label.ru}» ${row.fieldName} из ${title}`, en: `Delete field «${f.label.en}» ${row.fieldName} from ${title}` },
          apply(model) {
            const d = model.state.details.get(b.typeId);
            if (d) d.fields = d.fields.filter((x) => x.id !== row.id);
          },
        });
      }
      const recordedStages = record.smartProcesses[spec.key]?.stages ?? {};
      for (const s of spec.stages) {
        if (!record.createdByUs.stages.includes(`${spec.key}.${s.key}`)) continue;
        const row = [...details.stages.values()].flat().find((r) => r.statusId === recordedStages[s.key]);
        if (!row || row.system) continue;
        ops.push({
          id: `stage.delete:${spec.key}.${s.key}`,
          kind: 'deleteStage',
          step: 'stages',
          phase: 2,
          pending: false,
          sp: spec.key,
          call: { method: 'crm.status.delete', params: { id: row.id } },
          text: { ru: `Удалить стадию «${pick(s.name, 'ru')}» ${row.statusId} из ${title}`, en: `Delete stage «${pick(s.name, 'en')}» ${row.statusId} from ${title}` },
          apply(model) {
            for (const rows of model.state.details.get(b.typeId)?.stages.values() ?? []) {
              const i = rows.findIndex((r) => r.id === row.id);
              if (i >= 0) rows.splice(i, 1);
            }
          },
        });
      }
    }
  }
  return { ops, notices, bindings };
}

/** What remains recorded after an uninstall: smart processes that are still there; nothing bound. */
function recordAfter(before: TInstallerRecord, model: Model, plan: UninstallPlan, manifest: Manifest): TInstallerRecord {
  const alive = new Set(model.state.types.map((t) => t.id));
  const smartProcesses = Object.fromEntries(Object.entries(before.smartProcesses).filter(([, r]) => alive.has(r.typeId)));
  const fieldStillThere = (id: string) => {
    const [sp, key] = id.split('.') as [SmartProcessKey, string];
    const b = plan.bindings.get(sp);
    const spec = manifest.smartProcesses.find((s) => s.key === sp);
    const code = spec?.fields.find((f) => f.key === key)?.code;
    return Boolean(b && code && model.state.details.get(b.typeId)?.fields.some((f) => f.fieldName === `UF_CRM_${b.typeId}_${code}`));
  };
  const stageStillThere = (id: string) => {
    const [sp, key] = id.split('.') as [SmartProcessKey, string];
    const b = plan.bindings.get(sp);
    const statusId = before.smartProcesses[sp]?.stages[key];
    return Boolean(b && statusId && [...(model.state.details.get(b.typeId)?.stages.values() ?? [])].flat().some((r) => r.statusId === statusId));
  };
  return {
    ...before,
    manifestVersion: null,
    smartProcesses,
    placements: before.placements.filter((p) => model.state.placements.some((x) => x.placement === p.placement && x.handler === p.handler)),
    robots: before.robots.filter((r) => model.state.robots.includes(r.code)),
    events: before.events.filter((e) => model.state.events.some((x) => x.event === e.event && x.handler === e.handler)),
    createdByUs: {
      types: before.createdByUs.types.filter((k) => smartProcesses[k] !== undefined),
      fields: before.createdByUs.fields.filter(fieldStillThere),
      stages: before.createdByUs.stages.filter(stageStillThere),
      pipelines: before.createdByUs.pipelines.filter((k) => smartProcesses[k] !== undefined),
    },
    uninstalledAt: new Date().toISOString(),
  };
}

export async function uninstall(opts: UninstallOptions): Promise<ReconcileResult> {
  const { ctx, portalId } = opts;
  const manifest = opts.manifest ?? MANIFEST;
  const portal = await ctx.portals.findById(portalId);
  assertReconcilable(portal, portalId);
  const record = readRecord(portal.settings);
  const publicUrl = (opts.publicUrl ?? record.publicUrl)?.replace(/\/+$/, '') ?? null;
  if (!publicUrl && !record.placements.length && !record.events.length && !record.robots.length && !opts.clean) {
    throw new InstallerError('NO_PUBLIC_URL', 'nothing is recorded for this portal and no public URL was given: pass --public-url so DealerHub can recognise its own handlers');
  }
  const { client, counter } = countingClient(opts.client ?? ctx.b24.forPortal(portalId));
  const state = await readPortalState(client, { manifest, record, adminUserId: portal.tokenUserId, withItemCounts: Boolean(opts.clean) });
  const plan = planUninstall(manifest, state, { ...record, language: portalLanguage(portal, record) }, publicUrl, opts);
  if (opts.dryRun) {
    return { status: 'planned', plan: plan.ops, applied: [], failed: [], notices: plan.notices, remaining: plan.ops, reads: counter.reads, writes: counter.writes, hits: counter.hits(), record };
  }
  const journal: TRunJournal = await startRun(ctx.portals, portalId, { runId: opts.runId ?? newRunId(), mode: 'uninstall', manifestVersion: manifest.version });
  journal.notices = plan.notices;
  planSteps(journal, plan.ops);
  const model: Model = { state, record: structuredClone(record) };
  const failures: OpFailure[] = [];
  const onChunk = async (r: ExecuteResult) => {
    recordOutcome(journal, r.applied, r.failed);
    failures.push(...r.failed);
    journal.writes = counter.writes;
    journal.hits = counter.hits();
    await saveJournal(ctx.portals, portalId, journal);
  };
  markRunning(journal, ['placements', 'robots', 'events']);
  await executeSequential(client, plan.ops.filter((o) => o.phase === 1), model, onChunk);
  markRunning(journal, ['smartProcesses', 'fields', 'stages']);
  await executeIndependent(client, plan.ops.filter((o) => o.phase === 2), model, onChunk);
  for (const s of journal.steps) if (s.status === 'running' || s.status === 'pending') s.status = s.failed ? 'failed' : 'done';
  journal.status = failures.length ? 'failed' : 'done';
  journal.writes = counter.writes;
  journal.hits = counter.hits();
  const saved = await finishRun(ctx.portals, portalId, journal, () => recordAfter(record, model, plan, manifest));
  await ctx.portals.setVersions(portalId, { manifestVersion: null });
  return {
    status: journal.status === 'done' ? 'done' : 'failed',
    plan: plan.ops,
    applied: journal.applied,
    failed: journal.errors.map((e) => ({ op: e.op, code: e.code, message: e.message })),
    notices: journal.notices,
    remaining: [],
    reads: counter.reads,
    writes: counter.writes,
    hits: counter.hits(),
    record: saved,
  };
}
