import { ROBOT_DEFINITIONS, type RobotDefinition } from '../../robots/definitions.js';
import type { Manifest, SmartProcessKey, SmartProcessSpec } from '../manifest.js';
import type { TInstallerRecord } from '../installer-record.js';
import { entityTypeIdsOf, resolveBindings } from './bindings.js';
import { desiredPlacements, eventsHandler, type Lang } from './desired-state.js';
import type { Operation } from './operation.types.js';
import { fieldFingerprintKey, planAddField, planUpdateField } from './plan-fields.js';
import { planEvents, planPlacements, planRobots } from './plan-integrations.js';
import { planStages } from './plan-stages.js';
import { planCreateType, planUpdateType, typeBatchKey, typeFingerprintKey } from './plan-types.js';
import type { PortalState, TypeBinding, TypeDetails } from './portal-state.types.js';

export interface PlanInput {
  manifest: Manifest;
  state: PortalState;
  record: TInstallerRecord;
  publicUrl: string;
  lang: Lang;
}

export interface Plan {
  ops: Operation[];
  /** Things the installer will not change and a person should know about. */
  notices: string[];
  bindings: Map<SmartProcessKey, TypeBinding>;
}

/** Smart processes in an order where every parent comes before its children. */
export function parentsFirst(specs: SmartProcessSpec[]): SmartProcessSpec[] {
  const out: SmartProcessSpec[] = [];
  const visit = (s: SmartProcessSpec, path: string[]) => {
    if (out.includes(s)) return;
    if (path.includes(s.key)) throw new Error(`manifest: smart processes form a parent cycle: ${[...path, s.key].join(' → ')}`);
    for (const p of s.parents) {
      const parent = specs.find((x) => x.key === p);
      if (!parent) throw new Error(`manifest: ${s.key} names an unknown parent ${p}`);
      visit(parent, [...path, s.key]);
    }
    out.push(s);
  };
  for (const s of specs) visit(s, []);
  return out;
}

export function robotDefinitionsOf(manifest: Manifest): RobotDefinition[] {
  return manifest.robots.map((code) => {
    const def = ROBOT_DEFINITIONS.find((r) => r.code === code);
    if (!def) throw new Error(`manifest: robot ${code} has no definition in robots/definitions.ts`);
    return def;
  });
}

/** The pipeline DealerHub works in: the recorded one while it exists, else the type's default. */
export function pipelineOf(details: TypeDetails | undefined, recordedCategoryId: number | null | undefined): number | null {
  if (!details) return null;
  if (recordedCategoryId !== null && recordedCategoryId !== undefined && details.categories.some((c) => c.id === recordedCategoryId)) return recordedCategoryId;
  return (details.categories.find((c) => c.isDefault) ?? details.categories[0])?.id ?? null;
}

/**
 * The difference between the manifest and the portal as typed operations. Things not created yet are planned as
 * pending (a dry run lists them; the reconciler plans again once the types exist).
 */
export function planApply(input: PlanInput): Plan {
  const { manifest, state, record, publicUrl, lang } = input;
  const bindings = resolveBindings(manifest, state, record);
  const etis = entityTypeIdsOf(bindings);
  const ops: Operation[] = [];
  const notices: string[] = [];

  for (const spec of parentsFirst(manifest.smartProcesses)) {
    const binding = bindings.get(spec.key) ?? null;
    const recorded = record.smartProcesses[spec.key];
    if (!binding) {
      const parentIds = spec.parents.map((p) => etis[p] ?? `$result[${typeBatchKey(p)}][type][entityTypeId]`);
      ops.push(planCreateType(spec, lang, parentIds));
    }
    const details = binding ? state.details.get(binding.typeId) : undefined;
    if (binding && details) {
      const update = planUpdateType(spec, binding, details, lang, spec.parents.map((p) => etis[p] ?? null), record.fingerprints[typeFingerprintKey(spec.key)]);
      if (update) ops.push(update);
    }
    // Fields
    for (const field of spec.fields) {
      const row = binding && details ? details.fields.find((f) => f.fieldName === `UF_CRM_${binding.typeId}_${field.code}`) : undefined;
      if (!binding || !row) {
        ops.push(planAddField(spec, field, binding?.typeId ?? null, etis, lang));
        continue;
      }
      const planned = planUpdateField(spec, field, row, binding.typeId, etis, lang, record.fingerprints[fieldFingerprintKey(spec.key, field.key)]);
      if (planned.notice) notices.push(planned.notice);
      if (planned.op) ops.push(planned.op);
    }
    // Stages
    const categoryId = pipelineOf(details, recorded?.categoryId);
    ops.push(
      ...planStages({
        spec,
        binding,
        categoryId,
        stages: categoryId === null ? [] : (details?.stages.get(categoryId) ?? []),
        recorded: recorded?.stages ?? {},
        lang,
        fingerprints: record.fingerprints,
        tidyDefaults: Boolean(binding?.createdByUs) && !record.createdByUs.pipelines.includes(spec.key),
      }),
    );
  }

  ops.push(...planPlacements(desiredPlacements(manifest, etis, publicUrl, lang), state.placements, record));
  ops.push(...planRobots(robotDefinitionsOf(manifest), state.robots, etis, publicUrl, state.adminUserId, record));
  ops.push(...planEvents(manifest.events, eventsHandler(publicUrl), state.events, record));
  return { ops, notices, bindings };
}
