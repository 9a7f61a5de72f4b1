import type { SmartProcessSpec } from '../manifest.js';
import { desiredStages, type DesiredStage, type Lang } from './desired-state.js';
import { fingerprint } from './fingerprint.js';
import type { Operation } from './operation.types.js';
import type { StageRow, TypeBinding } from './portal-state.types.js';

/**
 * Stages of the pipeline DealerHub uses (crm.status.* with ENTITY_ID `DYNAMIC_{eTI}_STAGE_{cat}`,
 * api-reference/crm/status/). A new pipeline comes with system stages (start, success, failure) that cannot be deleted
 * without FORCED; the manifest's first in-progress, success and failure stages take them over (renamed), the others are
 * added with our codes (the portal prefixes `DT{eTI}_{cat}:`). The pipeline's other default stages are removed once,
 * right after DealerHub created the type; never later (by then they may be the administrator's).
 */
export const stageFingerprintKey = (sp: string, key: string) => `stage:${sp}.${key}`;

export interface StagePlanInput {
  spec: SmartProcessSpec;
  binding: TypeBinding | null;
  categoryId: number | null;
  stages: StageRow[];
  recorded: Record<string, string>;
  lang: Lang;
  fingerprints: Record<string, string>;
  /** DealerHub created the type and has not yet tidied its default pipeline. */
  tidyDefaults: boolean;
}

export interface StageMatch {
  stage: DesiredStage;
  row: StageRow | null;
}

/** Manifest stage → existing stage: recorded STATUS_ID, then our code, then the system stage of the same meaning. */
export function matchStages(desired: DesiredStage[], rows: StageRow[], prefix: string, recorded: Record<string, string>): StageMatch[] {
  const taken = new Set<number>();
  const take = (row: StageRow | undefined) => {
    if (!row || taken.has(row.id)) return null;
    taken.add(row.id);
    return row;
  };
  const out: StageMatch[] = desired.map((stage) => ({ stage, row: null }));
  for (const m of out) m.row = take(rows.find((r) => r.statusId === recorded[m.stage.key])) ?? take(rows.find((r) => r.statusId === `${prefix}${m.stage.code}`));
  const system = (sem: 'P' | 'S' | 'F') => rows.filter((r) => r.system && r.semantics === sem && !taken.has(r.id));
  for (const sem of ['P', 'S', 'F'] as const) {
    const m = out.find((x) => x.row === null && x.stage.semantics === sem);
    // Only the first stage of each meaning can take a system stage over: one start, one success, one failure.
    if (m && out.filter((x) => x.stage.semantics === sem).indexOf(m) === 0) m.row = take(system(sem)[0]);
  }
  return out;
}

export function planStages(input: StagePlanInput): Operation[] {
  const { spec, binding, categoryId, lang } = input;
  const desired = desiredStages(spec, lang);
  if (!desired.length) return [];
  const pending = !binding || categoryId === null;
  const eti = binding?.entityTypeId ?? null;
  const entityId = `DYNAMIC_${eti ?? `<${spec.key}>`}_STAGE_${categoryId ?? '?'}`;
  const prefix = `DT${eti ?? '?'}_${categoryId ?? '?'}:`;
  const matches = pending ? desired.map((stage) => ({ stage, row: null })) : matchStages(desired, input.stages, prefix, input.recorded);
  const ops: Operation[] = [];
  const semText = { P: { ru: 'в работе', en: 'in progress' }, S: { ru: 'успех', en: 'success' }, F: { ru: 'провал', en: 'failure' } } as const;

  for (const { stage, row } of matches) {
    const name = spec.stages.find((s) => s.key === stage.key)!.name;
    const hash = fingerprint({ name: stage.name, color: stage.color, sort: stage.sort });
    const fpKey = stageFingerprintKey(spec.key, stage.key);
    if (!row) {
      ops.push({
        id: `stage.add:${spec.key}.${stage.key}`,
        kind: 'addStage',
        step: 'stages',
        phase: 2,
        pending,
        sp: spec.key,
        call: {
          method: 'crm.status.add',
          params: { fields: { ENTITY_ID: entityId, STATUS_ID: stage.code, NAME: stage.name, SORT: stage.sort, COLOR: stage.color, SEMANTICS: stage.semantics === 'P' ? '' : stage.semantics } },
        },
        text: {
          ru: `Добавить стадию «${name.ru}» (${stage.code}, ${semText[stage.semantics].ru}, ${stage.color}) в [${spec.key}]`,
          en: `Add stage «${name.en}» (${stage.code}, ${semText[stage.semantics].en}, ${stage.color}) to [${spec.key}]`,
        },
        apply(model, outcome) {
          const rows = stagesOf(model, binding!, categoryId!);
          rows.push({ id: Number(outcome.result), entityId, statusId: `${prefix}${stage.code}`, name: stage.name, sort: stage.sort, color: stage.color, semantics: stage.semantics, system: false });
          const id = `${spec.key}.${stage.key}`;
          if (!model.record.createdByUs.stages.includes(id)) model.record.createdByUs.stages.push(id);
          model.record.fingerprints[fpKey] = hash;
        },
      });
      continue;
    }
    const current = fingerprint({ name: row.name, color: row.color, sort: row.sort });
    if (current === hash || input.fingerprints[fpKey] === hash) continue;
    const fields: Record<string, unknown> = {};
    const changes: string[] = [];
    const set = (field: string, value: unknown, change: string) => {
      fields[field] = value;
      changes.push(change);
    };
    if (row.name !== stage.name) set('NAME', stage.name, `name: «${row.name}» → «${stage.name}»`);
    if (row.color.toUpperCase() !== stage.color.toUpperCase()) set('COLOR', stage.color, `color: ${row.color} → ${stage.color}`);
    if (row.sort !== stage.sort) set('SORT', stage.sort, `sort: ${row.sort} → ${stage.sort}`);
    if (!changes.length) continue;
    ops.push({
      id: `stage.update:${spec.key}.${stage.key}`,
      kind: 'updateStage',
      step: 'stages',
      phase: 2,
      pending,
      sp: spec.key,
      call: { method: 'crm.status.update', params: { id: row.id, fields } },
      text: { ru: `Изменить стадию ${row.statusId} → «${name.ru}» [${spec.key}.${stage.key}]`, en: `Update stage ${row.statusId} → «${name.en}» [${spec.key}.${stage.key}]` },
      changes,
      apply(model) {
        const r = stagesOf(model, binding!, categoryId!).find((x) => x.id === row.id);
        if (r) Object.assign(r, { name: stage.name, color: stage.color, sort: stage.sort });
        model.record.fingerprints[fpKey] = hash;
      },
    });
  }

  if (!pending && input.tidyDefaults) {
    const used = new Set(matches.map((m) => m.row?.id).filter((x): x is number => x !== undefined));
    for (const row of input.stages) {
      if (used.has(row.id) || row.system) continue;
      ops.push({
        id: `stage.delete:${spec.key}.${row.statusId}`,
        kind: 'deleteStage',
        step: 'stages',
        phase: 2,
        pending: false,
        sp: spec.key,
        call: { method: 'crm.status.delete', params: { id: row.id } },
        text: {
          ru: `Удалить стадию «${row.name}» (${row.statusId}) — стадия по умолчанию нового смарт-процесса [${spec.key}]`,
          en: `Delete stage «${row.name}» (${row.statusId}) — a default of the new smart process [${spec.key}]`,
        },
        apply(model) {
          const rows = stagesOf(model, binding!, categoryId!);
          const i = rows.findIndex((x) => x.id === row.id);
          if (i >= 0) rows.splice(i, 1);
        },
      });
    }
  }
  return ops;
}

function stagesOf(model: { state: { details: Map<number, { stages: Map<number, StageRow[]> }> } }, binding: TypeBinding, categoryId: number): StageRow[] {
  const details = model.state.details.get(binding.typeId)!;
  let rows = details.stages.get(categoryId);
  if (!rows) details.stages.set(categoryId, (rows = []));
  return rows;
}
