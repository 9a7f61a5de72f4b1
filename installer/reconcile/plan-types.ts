import type { SmartProcessKey, SmartProcessSpec } from '../manifest.js';
import { desiredFlags, pick, typeAddFields, type Lang } from './desired-state.js';
import { fingerprint } from './fingerprint.js';
import type { Operation } from './operation.types.js';
import { parseCategory, parseStage, parseType, rowsOf } from './parse-rows.js';
import type { StageRow, TypeBinding, TypeDetails } from './portal-state.types.js';

/** crm.type.add / crm.type.update operations (api-reference/crm/universal/user-defined-object-types/). */

export const typeFingerprintKey = (key: SmartProcessKey) => `type:${key}`;
export const typeBatchKey = (key: SmartProcessKey) => `t_${key}`;

const both = (spec: SmartProcessSpec) => `«${spec.title.ru}» / «${spec.title.en}»`;

/**
 * A new type plus, in the same batch, reads of the pipeline the portal creates with it (crm.category.list and its
 * stages) through `$result[…]` references — so the stages can be set up in the next step without another read round.
 */
export function planCreateType(spec: SmartProcessSpec, lang: Lang, parentIds: Array<number | string>): Operation {
  const key = typeBatchKey(spec.key);
  const catKey = `c_${spec.key}`;
  const stKey = `s_${spec.key}`;
  return {
    id: `type.create:${spec.key}`,
    kind: 'createType',
    step: 'smartProcesses',
    phase: 1,
    pending: false,
    sp: spec.key,
    batchKey: key,
    call: { method: 'crm.type.add', params: { fields: typeAddFields(spec, lang, parentIds) } },
    followUps: [
      { key: catKey, call: { method: 'crm.category.list', params: { entityTypeId: `$result[${key}][type][entityTypeId]` } } },
      // Category ids are unique per portal, so CATEGORY_ID alone selects the new pipeline's stages.
      { key: stKey, call: { method: 'crm.status.list', params: { filter: { CATEGORY_ID: `$result[${catKey}][categories][0][id]` } } } },
    ],
    text: {
      ru: `Создать смарт-процесс ${both(spec)} [${spec.key}]${spec.parents.length ? `, дочерний для: ${spec.parents.join(', ')}` : ''}`,
      en: `Create smart process ${both(spec)} [${spec.key}]${spec.parents.length ? `, child of: ${spec.parents.join(', ')}` : ''}`,
    },
    apply(model, outcome) {
      const type = parseType((outcome.result as { type?: unknown })?.type);
      const categories = rowsOf(outcome.followUps[catKey], 'categories').map(parseCategory);
      const stages = new Map<number, StageRow[]>();
      for (const row of rowsOf(outcome.followUps[stKey]).map(parseStage)) {
        const m = /^DYNAMIC_(\d+)_STAGE_(\d+)$/.exec(row.entityId);
        if (!m || Number(m[1]) !== type.entityTypeId) continue;
        const cat = Number(m[2]);
        stages.set(cat, [...(stages.get(cat) ?? []), row].sort((a, b) => a.sort - b.sort || a.id - b.id));
      }
      model.state.types.push({ ...type, relations: null });
      model.state.details.set(type.id, { type, fields: [], categories, stages, itemCount: 0 });
      if (!model.record.createdByUs.types.includes(spec.key)) model.record.createdByUs.types.push(spec.key);
      model.record.fingerprints[typeFingerprintKey(spec.key)] = fingerprint(pick(spec.title, lang));
    },
  };
}

/**
 * Flags and parent relations are enforced (DealerHub's code relies on stages, products, automation, parent links);
 * the title follows the manifest only when the manifest changed it (an administrator's rename is kept).
 */
export function planUpdateType(
  spec: SmartProcessSpec,
  binding: TypeBinding,
  details: TypeDetails,
  lang: Lang,
  parentEtis: Array<number | null>,
  recordedTitleHash: string | undefined,
): Operation | null {
  const type = details.type;
  const fields: Record<string, unknown> = {};
  const changes: string[] = [];
  for (const [flag, want] of Object.entries(desiredFlags(spec))) {
    if ((type.flags[flag] ?? 'N') !== want) {
      fields[flag] = want;
      changes.push(`${flag}: ${type.flags[flag] ?? '—'} → ${want}`);
    }
  }
  const pending = parentEtis.some((p) => p === null);
  const current = (type.relations?.parent ?? []).filter((r) => r.isPredefined !== 'Y');
  const missing = parentEtis.filter((p): p is number => p !== null && !current.some((r) => r.entityTypeId === p));
  if (missing.length || (pending && parentEtis.length)) {
    fields.relations = {
      parent: [
        ...current.map((r) => ({ entityTypeId: r.entityTypeId, isChildrenListEnabled: r.isChildrenListEnabled === 'Y' ? 'true' : 'false' })),
        ...missing.map((entityTypeId) => ({ entityTypeId, isChildrenListEnabled: 'true' })),
      ],
      child: (type.relations?.child ?? []).filter((r) => r.isPredefined !== 'Y').map((r) => ({ entityTypeId: r.entityTypeId, isChildrenListEnabled: r.isChildrenListEnabled === 'Y' ? 'true' : 'false' })),
    };
    changes.push(`parents: + ${spec.parents.filter((_, i) => parentEtis[i] === null || missing.includes(parentEtis[i]!)).join(', ')}`);
  }
  const title = pick(spec.title, lang);
  const titleHash = fingerprint(title);
  if (type.title !== title && recordedTitleHash !== titleHash) {
    fields.title = title;
    changes.push(`title: «${type.title}» → «${title}»`);
  }
  if (!changes.length) return null;
  return {
    id: `type.update:${spec.key}`,
    kind: 'updateType',
    step: 'smartProcesses',
    phase: 2,
    pending,
    sp: spec.key,
    call: { method: 'crm.type.update', params: { id: binding.typeId, fields } },
    text: { ru: `Изменить смарт-процесс ${both(spec)} [${spec.key}]`, en: `Update smart process ${both(spec)} [${spec.key}]` },
    changes,
    apply(model, outcome) {
      const answered = (outcome.result as { type?: unknown })?.type;
      const row = model.state.details.get(binding.typeId);
      if (row) row.type = answered ? parseType(answered) : { ...row.type, flags: { ...row.type.flags, ...(fields as Record<string, 'Y' | 'N'>) }, title: (fields.title as string) ?? row.type.title };
      if (fields.title !== undefined) model.record.fingerprints[typeFingerprintKey(spec.key)] = titleHash;
    },
  };
}
