import type { Manifest, SmartProcessKey } from '../manifest.js';
import type { TInstallerRecord, TSmartProcessRecord } from '../installer-record.js';
import { entityTypeIdsOf } from './bindings.js';
import { desiredPlacements, desiredStages, eventsHandler, pick, type Lang } from './desired-state.js';
import { fingerprint } from './fingerprint.js';
import type { Model } from './operation.types.js';
import { pipelineOf } from './plan-apply.js';
import { fieldFingerprintKey, planUpdateField } from './plan-fields.js';
import { matchStages, stageFingerprintKey } from './plan-stages.js';
import { typeFingerprintKey } from './plan-types.js';
import type { TypeBinding } from './portal-state.types.js';
import { ufRestName } from './uf-names.js';

/**
 * The tenant's record after a run, derived from what is on the portal now (read, then changed by the applied
 * operations) — so a crash between a write and this save loses nothing: the next run reads the same facts again.
 */
export function buildRecord(
  manifest: Manifest,
  model: Model,
  bindings: Map<SmartProcessKey, TypeBinding>,
  publicUrl: string,
  lang: Lang,
): TInstallerRecord {
  const { state } = model;
  const before = model.record;
  const etis = entityTypeIdsOf(bindings);
  const fingerprints = { ...before.fingerprints };
  const smartProcesses: Record<string, TSmartProcessRecord> = {};

  for (const spec of manifest.smartProcesses) {
    const b = bindings.get(spec.key);
    const details = b ? state.details.get(b.typeId) : undefined;
    if (!b || !details) continue;
    const categoryId = pipelineOf(details, before.smartProcesses[spec.key]?.categoryId);
    const stages: Record<string, string> = {};
    if (categoryId !== null && spec.stages.length) {
      const desired = desiredStages(spec, lang);
      for (const m of matchStages(desired, details.stages.get(categoryId) ?? [], `DT${b.entityTypeId}_${categoryId}:`, before.smartProcesses[spec.key]?.stages ?? {})) {
        if (!m.row) continue;
        stages[m.stage.key] = m.row.statusId;
        const hash = fingerprint({ name: m.stage.name, color: m.stage.color, sort: m.stage.sort });
        if (fingerprint({ name: m.row.name, color: m.row.color, sort: m.row.sort }) === hash) fingerprints[stageFingerprintKey(spec.key, m.stage.key)] = hash;
      }
    }
    const fields: TSmartProcessRecord['fields'] = {};
    for (const f of spec.fields) {
      const row = details.fields.find((x) => x.fieldName === `UF_CRM_${b.typeId}_${f.code}`);
      if (!row) continue;
      fields[f.key] = { upperName: row.fieldName, restName: ufRestName(row.fieldName), id: row.id };
      const p = planUpdateField(spec, f, row, b.typeId, etis, lang, before.fingerprints[fieldFingerprintKey(spec.key, f.key)]);
      if (p.cosmeticMatches) fingerprints[fieldFingerprintKey(spec.key, f.key)] = p.cosmeticHash;
    }
    if (details.type.title === pick(spec.title, lang)) fingerprints[typeFingerprintKey(spec.key)] = fingerprint(details.type.title);
    smartProcesses[spec.key] = { typeId: b.typeId, entityTypeId: b.entityTypeId, categoryId, title: details.type.title, stages, fields };
  }

  const onPortal = (p: { placement: string; handler: string }) => state.placements.some((x) => x.placement === p.placement && x.handler === p.handler);
  const placements = desiredPlacements(manifest, etis, publicUrl, lang)
    .filter((d) => !d.pending && onPortal(d))
    .map((d) => ({ key: d.key, placement: d.placement, handler: d.handler }));
  for (const r of before.placements) if (onPortal(r) && !placements.some((p) => p.placement === r.placement && p.handler === r.handler)) placements.push(r);

  const handler = eventsHandler(publicUrl);
  const online = state.events.filter((e) => !e.offline);
  const events = manifest.events.filter((e) => online.some((x) => x.event === e && x.handler === handler)).map((event) => ({ event, handler }));
  for (const r of before.events) if (online.some((x) => x.event === r.event && x.handler === r.handler) && !events.some((e) => e.event === r.event && e.handler === r.handler)) events.push(r);

  return {
    ...before,
    publicUrl,
    language: lang,
    smartProcesses,
    placements,
    robots: before.robots.filter((r) => state.robots.includes(r.code)),
    events,
    createdByUs: {
      ...before.createdByUs,
      // A type carrying our code was created by an earlier run even if that run could not record it.
      types: [...bindings.values()].filter((b) => b.createdByUs).map((b) => b.key as string),
    },
    fingerprints,
  };
}
