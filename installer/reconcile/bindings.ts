import type { Manifest, SmartProcessKey } from '../manifest.js';
import type { TInstallerRecord } from '../installer-record.js';
import { typeCode, type EntityTypeIds } from './desired-state.js';
import type { PortalState, TypeBinding } from './portal-state.types.js';

/**
 * Which portal type stands for each manifest smart process: the one recorded in settings if it still exists, else
 * one carrying our symbolic code (created by an earlier run whose record was not saved, e.g. it crashed right after
 * crm.type.add). Never matched by title: a portal's own "Claims" type is not ours to change.
 */
export function resolveBindings(manifest: Manifest, state: Pick<PortalState, 'types'>, record: TInstallerRecord): Map<SmartProcessKey, TypeBinding> {
  const out = new Map<SmartProcessKey, TypeBinding>();
  for (const spec of manifest.smartProcesses) {
    const recorded = record.smartProcesses[spec.key];
    const type =
      (recorded && state.types.find((t) => t.id === recorded.typeId && t.entityTypeId === recorded.entityTypeId)) ??
      state.types.find((t) => t.code === typeCode(spec.key));
    if (!type) continue;
    out.set(spec.key, {
      key: spec.key,
      typeId: type.id,
      entityTypeId: type.entityTypeId,
      createdByUs: record.createdByUs.types.includes(spec.key) || type.code === typeCode(spec.key),
    });
  }
  return out;
}

export function entityTypeIdsOf(bindings: Map<SmartProcessKey, TypeBinding>): EntityTypeIds {
  return Object.fromEntries([...bindings].map(([k, b]) => [k, b.entityTypeId]));
}
