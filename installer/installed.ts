import { InstallerError } from './installer-error.js';
import { hasRecord, readRecord, type TFieldRecord, type TSmartProcessRecord } from './installer-record.js';
import { SMART_PROCESSES, type SmartProcessKey } from './manifest.js';

/**
 * How every other module finds "the Orders smart process" or "the ERP number field" on a portal:
 *
 *   const installed = readInstalled(portal.settings);
 *   const orders = installed.smartProcess('orders');
 *   await b24.call('crm.item.list', { entityTypeId: orders.entityTypeId, filter: { [orders.field('erpNumber').restName]: n } });
 *   orders.stage('approval');            // 'DT1036_5:APPROVAL'
 *   orders.parentField('dealers');       // 'parentId1034'
 *
 * The ids come from the installer's record (settings.installer); nothing here calls Bitrix24.
 */
export interface InstalledSmartProcess {
  key: SmartProcessKey;
  typeId: number;
  entityTypeId: number;
  categoryId: number | null;
  title: string;
  /** userfieldconfig `entityId` (`CRM_{typeId}`). */
  ufEntityId: string;
  /** Product rows' ownerType: `T` + hex(entityTypeId) (api-reference/crm/data-types.md#object_type). */
  ownerTypeCode: string;
  /** crm.timeline.comment.add ENTITY_TYPE (`dynamic_{entityTypeId}`). */
  timelineEntityType: string;
  /** Business-process document type (robots' document_type). */
  documentType: [string, string, string];
  /** `DYNAMIC_{entityTypeId}_STAGE_{categoryId}` (crm.status ENTITY_ID). */
  stageEntityId: string | null;
  stages: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, TFieldRecord>>;
  /** STATUS_ID of a manifest stage; throws for a stage that is not on the portal. */
  stage(key: string): string;
  /** Manifest stage key of a STATUS_ID, or null for a stage that is not DealerHub's. */
  stageKey(statusId: string): string | null;
  /** Names and id of a manifest field; throws for a field that is not on the portal. */
  field(key: string): TFieldRecord;
  /** The crm.item field linking to a parent smart process (`parentId{entityTypeId}`). */
  parentField(parent: SmartProcessKey): string;
}

export interface Installed {
  manifestVersion: number;
  smartProcesses: Readonly<Record<SmartProcessKey, InstalledSmartProcess>>;
  smartProcess(key: SmartProcessKey): InstalledSmartProcess;
  entityTypeIds: Readonly<Record<SmartProcessKey, number>>;
  /** Which DealerHub smart process an entityTypeId (from an event or a placement code) belongs to. */
  keyOf(entityTypeId: number): SmartProcessKey | null;
}

function describe(key: SmartProcessKey, r: TSmartProcessRecord, all: Record<string, TSmartProcessRecord>): InstalledSmartProcess {
  const byStatus = new Map(Object.entries(r.stages).map(([k, v]) => [v, k]));
  return {
    key,
    typeId: r.typeId,
    entityTypeId: r.entityTypeId,
    categoryId: r.categoryId,
    title: r.title,
    ufEntityId: `CRM_${r.typeId}`,
    ownerTypeCode: `T${r.entityTypeId.toString(16)}`,
    timelineEntityType: `dynamic_${r.entityTypeId}`,
    documentType: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${r.entityTypeId}`],
    stageEntityId: r.categoryId === null ? null : `DYNAMIC_${r.entityTypeId}_STAGE_${r.categoryId}`,
    stages: r.stages,
    fields: r.fields,
    stage(stageKey) {
      const v = r.stages[stageKey];
      if (!v) throw new InstallerError('NOT_RECONCILED', `stage "${stageKey}" of ${key} is not installed on this portal (known: ${Object.keys(r.stages).join(', ') || 'none'})`);
      return v;
    },
    stageKey: (statusId) => byStatus.get(statusId) ?? null,
    field(fieldKey) {
      const v = r.fields[fieldKey];
      if (!v) throw new InstallerError('NOT_RECONCILED', `field "${fieldKey}" of ${key} is not installed on this portal; run the installer (npm run installer -- apply --portal <member_id>)`);
      return v;
    },
    parentField(parent) {
      const p = all[parent];
      if (!p) throw new InstallerError('NOT_RECONCILED', `smart process ${parent} is not installed on this portal`);
      return `parentId${p.entityTypeId}`;
    },
  };
}

/**
 * The installed smart processes of a portal, from its settings. Throws InstallerError NOT_RECONCILED while the
 * installer has not completed a run on the portal (e.g. right after install, or after uninstall).
 */
export function readInstalled(settings: Record<string, unknown> | null | undefined): Installed {
  if (!hasRecord(settings)) {
    throw new InstallerError('NOT_RECONCILED', 'DealerHub is not set up on this portal yet: the installer has not run (it starts on install; or run `npm run installer -- apply --portal <member_id>`)');
  }
  const record = readRecord(settings);
  if (record.manifestVersion === null) {
    const why = record.uninstalledAt ? 'its footprint was removed by `installer uninstall`' : record.lastRun?.status === 'failed' ? `the last installer run failed (${record.lastRun.errors[0]?.message ?? 'see the install page'})` : 'the installer has not finished yet';
    throw new InstallerError('NOT_RECONCILED', `DealerHub is not set up on this portal: ${why}`);
  }
  const missing = SMART_PROCESSES.filter((s) => !record.smartProcesses[s.key]).map((s) => s.key);
  if (missing.length) throw new InstallerError('NOT_RECONCILED', `DealerHub's smart processes ${missing.join(', ')} are not installed on this portal; run the installer`);
  const smartProcesses = Object.fromEntries(SMART_PROCESSES.map((s) => [s.key, describe(s.key, record.smartProcesses[s.key]!, record.smartProcesses)])) as Record<SmartProcessKey, InstalledSmartProcess>;
  const entityTypeIds = Object.fromEntries(SMART_PROCESSES.map((s) => [s.key, smartProcesses[s.key].entityTypeId])) as Record<SmartProcessKey, number>;
  return {
    manifestVersion: record.manifestVersion,
    smartProcesses,
    smartProcess: (key) => smartProcesses[key],
    entityTypeIds,
    keyOf: (eti) => (Object.entries(entityTypeIds).find(([, v]) => v === eti)?.[0] as SmartProcessKey | undefined) ?? null,
  };
}

/** Like readInstalled, but null instead of throwing while the portal is not set up. */
export function tryReadInstalled(settings: Record<string, unknown> | null | undefined): Installed | null {
  try {
    return readInstalled(settings);
  } catch (err) {
    if (err instanceof InstallerError) return null;
    throw err;
  }
}
