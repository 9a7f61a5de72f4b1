import { AppError } from '../../http/app-error.js';
import { readRecord } from '../../../installer/index.js';
import type { SmartProcessKey } from '../../../installer/manifest.js';

/**
 * What the installer recorded about one smart process on a portal (`settings.installer.smartProcesses.<key>`):
 * its identifiers (api-reference/crm/universal/user-defined-object-types/index.md §Identifiers — entityTypeId for
 * crm.item.*, the type id for UF names), the stage ids by our stage key and the REST name of each of our fields.
 *
 * It reads the installer's record (installer/installer-record.ts) one smart process at a time, so a module that needs
 * only Orders works while, say, Discounts is still being created; `readInstalled` (installer/installed.ts) is the
 * all-or-nothing view of the same record.
 */
export interface InstalledField {
  /** The camelCase name crm.item.* answers with (`ufCrm12ErpNumber`). */
  restName: string;
  /** `UF_CRM_12_ERP_NUMBER`, when recorded. */
  ufName?: string;
  /** userfieldconfig id, when recorded. */
  id?: number;
  /** enumeration: option id (as crm.item.* returns it) → our xmlId, when recorded. */
  enum?: Record<string, string>;
}

export interface InstalledSmartProcess {
  key: SmartProcessKey;
  entityTypeId: number;
  typeId: number;
  categoryId: number | null;
  /** our stage key → Bitrix24 STATUS_ID (`DT1036_5:NEW`). */
  stages: Record<string, string>;
  fields: Record<string, InstalledField>;
}

/** The recorded smart process, or null when the installer has not created it on this portal (yet). */
export function installedSmartProcess(settings: Record<string, unknown>, key: SmartProcessKey): InstalledSmartProcess | null {
  const raw = readRecord(settings).smartProcesses[key];
  if (!raw || !(raw.entityTypeId > 0)) return null;
  return {
    key,
    entityTypeId: raw.entityTypeId,
    typeId: raw.typeId,
    categoryId: raw.categoryId,
    stages: { ...raw.stages },
    fields: Object.fromEntries(Object.entries(raw.fields).map(([k, f]) => [k, { restName: f.restName, ufName: f.upperName, id: f.id }])),
  };
}

/** Same, but a portal without it is a 503 a person can act on (finish the installation), not a crash. */
export function requireSmartProcess(settings: Record<string, unknown>, key: SmartProcessKey): InstalledSmartProcess {
  const sp = installedSmartProcess(settings, key);
  if (!sp) {
    throw new AppError('UNAVAILABLE', `DealerHub is not set up on this portal yet: the "${key}" smart process is missing. Open the app as an administrator to finish the installation.`);
  }
  return sp;
}

/** Which of our smart processes an entityTypeId is on this portal. */
export function smartProcessKeyOf(settings: Record<string, unknown>, entityTypeId: number): SmartProcessKey | null {
  for (const key of ['dealers', 'orders', 'claims', 'discounts', 'offers'] as const) {
    if (installedSmartProcess(settings, key)?.entityTypeId === entityTypeId) return key;
  }
  return null;
}

/** The REST name of one of our fields, or null when it was not recorded. */
export const restNameOf = (sp: InstalledSmartProcess, fieldKey: string): string | null => sp.fields[fieldKey]?.restName ?? null;

/** Product rows use `T` + hex(entityTypeId) as ownerType (api-reference/crm/data-types.md#object_type). */
export const productRowOwnerType = (entityTypeId: number): string => `T${entityTypeId.toString(16)}`;

/** The card of an item in the portal UI. */
export const itemCardPath = (entityTypeId: number, itemId: number): string => `/crm/type/${entityTypeId}/details/${itemId}/`;
