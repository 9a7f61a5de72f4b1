import { formatAtom } from '../core/dates.js';
import type { PortalRuntime } from '../core/runtime.js';
import { RestError } from '../rest/rest-error.js';
import type { SandboxStore } from '../store/store.js';
import type { SRelation, SType, YN } from '../store/types.js';
import { seedPipelineStages } from './stages.js';
import { isDynamicEntityTypeId } from './type-model.js';
import { asList, toIntOrNull, toYN } from './values.js';

/** Smart-process types (api-reference/crm/universal/user-defined-object-types/crm-type-add.md and siblings). */

export const TYPE_FLAGS = [
  'isCategoriesEnabled', 'isStagesEnabled', 'isBeginCloseDatesEnabled', 'isClientEnabled', 'isUseInUserfieldEnabled',
  'isLinkWithProductsEnabled', 'isMycompanyEnabled', 'isDocumentsEnabled', 'isSourceEnabled', 'isObserversEnabled',
  'isRecyclebinEnabled', 'isAutomationEnabled', 'isBizProcEnabled', 'isSetOpenPermissions', 'isPaymentsEnabled', 'isCountersEnabled',
] as const;

const LINKED_UF_KEYS = ['CALENDAR_EVENT|UF_CRM_CAL_EVENT', 'TASKS_TASK|UF_CRM_TASK', 'TASKS_TASK_TEMPLATE|UF_CRM_TASK'];

/** `isChildrenListEnabled` takes "true"/"false" only; `Y`/`N` "do not work" (crm-type-add.md §relation). */
const trueOnly = (v: unknown): YN => (v === true || String(v).toLowerCase() === 'true' ? 'Y' : 'N');

function readRelations(input: unknown): { parent: SRelation[]; child: SRelation[] } {
  const rel = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const read = (list: unknown): SRelation[] =>
    asList(list)
      .map((r) => r as Record<string, unknown>)
      .filter((r) => r && toIntOrNull(r.entityTypeId) !== null)
      .map((r) => ({ entityTypeId: toIntOrNull(r.entityTypeId) as number, isChildrenListEnabled: trueOnly(r.isChildrenListEnabled), isPredefined: 'N' as YN }));
  return { parent: read(rel.parent), child: read(rel.child) };
}

function withClientRelations(type: SType): void {
  const predefined = type.flags.isClientEnabled === 'Y';
  type.relations.parent = type.relations.parent.filter((r) => r.isPredefined !== 'Y');
  if (predefined) {
    type.relations.parent.unshift(
      { entityTypeId: 3, isChildrenListEnabled: 'Y', isPredefined: 'Y' },
      { entityTypeId: 4, isChildrenListEnabled: 'Y', isPredefined: 'Y' },
    );
  }
}

function nextEntityTypeId(store: SandboxStore): number {
  const used = new Set(store.types.all().map((t) => t.entityTypeId));
  let id = 1030;
  while (used.has(id)) id += 2;
  return id;
}

export function createType(rt: PortalRuntime, fields: Record<string, unknown>, userId: number): SType {
  const { store } = rt;
  const title = typeof fields.title === 'string' ? fields.title.trim() : '';
  if (!title) throw new RestError('CRM_FIELD_ERROR_REQUIRED', 'The "Title" field is required', 400);
  let entityTypeId = toIntOrNull(fields.entityTypeId);
  if (entityTypeId === null) entityTypeId = nextEntityTypeId(store);
  else if (!isDynamicEntityTypeId(entityTypeId)) throw new RestError('INVALID_ARG_VALUE', 'entityTypeId is out of allowed range', 400);
  else if (store.types.find((t) => t.entityTypeId === entityTypeId)) throw new RestError('INVALID_ARG_VALUE', `Smart process with entityTypeId ${entityTypeId} already exists`, 400);
  // Deprecated digital-workplace link: asking for it without a workplace is refused (crm-type-add.md, code 0).
  if (['Y', 'true', '1'].includes(String(fields.isExternal ?? '')) && !toIntOrNull(fields.customSectionId)) {
    throw new RestError('0', 'Select a workplace where the SPA will be located', 400);
  }
  if (rt.faults.planRestrictions.createDynamicType) throw new RestError('CREATE_DYNAMIC_TYPE_RESTRICTED', 'Maximum number of SPAs exceeded', 400);
  const now = rt.clock.now();
  const flags: Record<string, YN> = {};
  for (const flag of TYPE_FLAGS) flags[flag] = flag === 'isSetOpenPermissions' ? toYN(fields[flag], 'Y') : toYN(fields[flag], 'N');
  const linked = (fields.linkedUserFields ?? {}) as Record<string, unknown>;
  const type: SType = {
    id: store.nextId('type'),
    entityTypeId,
    title,
    code: typeof fields.code === 'string' ? fields.code : '',
    createdBy: userId,
    updatedBy: userId,
    createdTime: now,
    updatedTime: now,
    flags,
    relations: readRelations(fields.relations),
    linkedUserFields: Object.fromEntries(LINKED_UF_KEYS.map((k) => [k, flags.isUseInUserfieldEnabled === 'Y' ? trueOnly(linked[k]) : 'N'])),
    customSectionId: null,
  };
  withClientRelations(type);
  store.types.insert(type);
  const categoryId = store.nextId('category');
  store.categories.insert({ id: categoryId, entityTypeId, name: 'Общая', sort: 500, isDefault: true, code: null, createdDate: now, isSystem: false });
  seedPipelineStages(store, 'dynamic', entityTypeId, categoryId);
  return type;
}

export function updateType(rt: PortalRuntime, type: SType, fields: Record<string, unknown>, userId: number): SType {
  if (typeof fields.title === 'string' && fields.title.trim() !== '') type.title = fields.title.trim();
  if (typeof fields.code === 'string') type.code = fields.code;
  for (const flag of TYPE_FLAGS) if (flag in fields) type.flags[flag] = toYN(fields[flag], type.flags[flag]);
  if (fields.relations !== undefined) type.relations = readRelations(fields.relations);
  withClientRelations(type);
  if (fields.linkedUserFields && typeof fields.linkedUserFields === 'object') {
    for (const k of LINKED_UF_KEYS) {
      const v = (fields.linkedUserFields as Record<string, unknown>)[k];
      if (v !== undefined) type.linkedUserFields[k] = type.flags.isUseInUserfieldEnabled === 'Y' ? trueOnly(v) : 'N';
    }
  }
  type.updatedBy = userId;
  type.updatedTime = rt.clock.now();
  rt.store.types.touch();
  return type;
}

export function deleteType(rt: PortalRuntime, type: SType): void {
  const { store } = rt;
  if (store.items.find((i) => i.entityTypeId === type.entityTypeId)) {
    throw new RestError('BX_ERROR', 'You cannot delete an entity type that has elements', 400);
  }
  store.types.delete(type.id);
  store.categories.deleteWhere((c) => c.entityTypeId === type.entityTypeId);
  store.statuses.deleteWhere((s) => s.ENTITY_ID.startsWith(`DYNAMIC_${type.entityTypeId}_STAGE_`));
  store.userFields.deleteWhere((u) => u.entityId === `CRM_${type.id}`);
  store.automationRules.deleteWhere((r) => r.entityTypeId === type.entityTypeId);
}

/** A type as crm.type.add/get/update answer it; `brief` is the crm.type.list row (no relations). */
export function renderType(type: SType, brief = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: type.id,
    title: type.title,
    code: type.code,
    createdBy: type.createdBy,
    entityTypeId: type.entityTypeId,
    customSectionId: type.customSectionId,
    ...type.flags,
    createdTime: formatAtom(type.createdTime),
    updatedTime: formatAtom(type.updatedTime),
    updatedBy: type.updatedBy,
  };
  if (brief) return out;
  return {
    ...out,
    relations: { parent: type.relations.parent.map((r) => ({ ...r })), child: type.relations.child.map((r) => ({ ...r })) },
    linkedUserFields: { ...type.linkedUserFields },
    customSections: [],
  };
}
