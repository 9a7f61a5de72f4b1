import { AppError } from '../../http/app-error.js';
import type { SmartProcessKey } from '../../../installer/manifest.js';

/**
 * What the installer recorded about one smart process on a portal (`settings.installer.smartProcesses.<key>`):
 * its identifiers (api-reference/crm/universal/user-defined-object-types/index.md §Identifiers — entityTypeId for
 * crm.item.*, the type id for UF names), the stage ids by our stage key and the REST name of each of our fields.
 *
 * This is the reader every module of this branch goes through, so switching to the installer's own `readInstalled`
 * is a one-file change.
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

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const toInt = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : Number.parseInt(String(v ?? ''), 10);
  return Number.isFinite(n) && n > 0 ? n : null;
};

function readFields(raw: unknown): Record<string, InstalledField> {
  if (!isRecord(raw)) return {};
  const out: Record<string, InstalledField> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[key] = { restName: value };
    else if (isRecord(value) && typeof value.restName === 'string') {
      const field: InstalledField = { restName: value.restName };
      // The installer's record names it `upperName` (installer/installer-record.ts).
      if (typeof value.ufName === 'string') field.ufName = value.ufName;
      else if (typeof value.upperName === 'string') field.ufName = value.upperName;
      const id = toInt(value.id);
      if (id) field.id = id;
      if (isRecord(value.enum)) field.enum = Object.fromEntries(Object.entries(value.enum).map(([k, v]) => [k, String(v)]));
      out[key] = field;
    }
  }
  return out;
}

function readStages(raw: unknown): Record<string, string> {
  if (!isRecord(raw)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[key] = value;
    else if (isRecord(value) && typeof value.statusId === 'string') out[key] = value.statusId;
  }
  return out;
}

/** The recorded smart process, or null when the installer has not created it on this portal (yet). */
export function installedSmartProcess(settings: Record<string, unknown>, key: SmartProcessKey): InstalledSmartProcess | null {
  const installer = settings.installer;
  if (!isRecord(installer) || !isRecord(installer.smartProcesses)) return null;
  const raw = installer.smartProcesses[key];
  if (!isRecord(raw)) return null;
  const entityTypeId = toInt(raw.entityTypeId);
  if (!entityTypeId) return null;
  return {
    key,
    entityTypeId,
    typeId: toInt(raw.typeId) ?? 0,
    categoryId: raw.categoryId === null || raw.categoryId === undefined ? null : Number(raw.categoryId),
    stages: readStages(raw.stages),
    fields: readFields(raw.fields),
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
