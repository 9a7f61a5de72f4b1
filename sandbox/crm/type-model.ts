import { RestError } from '../rest/rest-error.js';
import type { SandboxStore } from '../store/store.js';
import type { SCategory, SType, SUserField } from '../store/types.js';
import { dealSpecs, dynamicSpecs, leadSpecs, type FieldSpec } from './item-specs.js';
import { ufNameMap } from './uf-names.js';

export const ENTITY_LEAD = 1;
export const ENTITY_DEAL = 2;
export const ENTITY_CONTACT = 3;
export const ENTITY_COMPANY = 4;

/** Short owner codes (api-reference/crm/data-types.md#object_type): SPA = `T` + hex(entityTypeId). */
export function ownerTypeCode(entityTypeId: number): string | null {
  const fixed: Record<number, string> = { 1: 'L', 2: 'D', 3: 'C', 4: 'CO', 7: 'Q', 31: 'SI' };
  if (fixed[entityTypeId]) return fixed[entityTypeId] as string;
  if (isDynamicEntityTypeId(entityTypeId)) return `T${entityTypeId.toString(16)}`;
  return null;
}

export function entityTypeIdFromOwnerCode(code: string): number | null {
  const fixed: Record<string, number> = { L: 1, D: 2, C: 3, CO: 4, Q: 7, SI: 31 };
  if (fixed[code] !== undefined) return fixed[code] as number;
  const m = /^T([0-9a-f]+)$/i.exec(code);
  return m ? parseInt(m[1] as string, 16) : null;
}

/** Smart-process ids: 128–192 or an even number ≥ 1030 (crm-type-add.md). */
export function isDynamicEntityTypeId(id: number): boolean {
  return Number.isInteger(id) && ((id >= 128 && id <= 192) || (id >= 1030 && id % 2 === 0));
}

/** Everything crm.item.* needs to know about one entity type. */
export interface ItemTypeModel {
  entityTypeId: number;
  kind: 'dynamic' | 'deal' | 'lead';
  type: SType | null;
  title: string;
  /** userfieldconfig entityId (`CRM_{typeId}`, `CRM_DEAL`, `CRM_LEAD`). */
  ufEntityId: string;
  hasCategories: boolean;
  standardSpecs(categoryId: number | null): FieldSpec[];
  isEnabled(spec: FieldSpec): boolean;
  /** crm.status ENTITY_ID of a pipeline's stages. */
  stageEntityId(categoryId: number): string;
  /** Prefix of stage STATUS_IDs in that pipeline (`DT156_7:`, `C3:`, ''). */
  stagePrefix(categoryId: number): string;
}

export function findItemType(store: SandboxStore, entityTypeId: number): ItemTypeModel | null {
  if (entityTypeId === ENTITY_DEAL) {
    return {
      entityTypeId,
      kind: 'deal',
      type: null,
      title: 'Сделка',
      ufEntityId: 'CRM_DEAL',
      hasCategories: true,
      standardSpecs: (c) => dealSpecs(c),
      isEnabled: () => true,
      stageEntityId: (c) => (c ? `DEAL_STAGE_${c}` : 'DEAL_STAGE'),
      stagePrefix: (c) => (c ? `C${c}:` : ''),
    };
  }
  if (entityTypeId === ENTITY_LEAD) {
    return {
      entityTypeId,
      kind: 'lead',
      type: null,
      title: 'Лид',
      ufEntityId: 'CRM_LEAD',
      hasCategories: false,
      standardSpecs: () => leadSpecs(),
      isEnabled: () => true,
      stageEntityId: () => 'STATUS',
      stagePrefix: () => '',
    };
  }
  const type = store.types.find((t) => t.entityTypeId === entityTypeId);
  if (!type) return null;
  return {
    entityTypeId,
    kind: 'dynamic',
    type,
    title: type.title,
    ufEntityId: `CRM_${type.id}`,
    hasCategories: true,
    standardSpecs: (c) => dynamicSpecs(type, c),
    isEnabled: (spec) => !spec.flag || type.flags[spec.flag] === 'Y',
    stageEntityId: (c) => `DYNAMIC_${entityTypeId}_STAGE_${c}`,
    stagePrefix: (c) => `DT${entityTypeId}_${c}:`,
  };
}

/** crm.item.* answer for an unknown entityTypeId (crm-item-add.md: 400 NOT_FOUND "Smart process not found"). */
export function requireItemType(store: SandboxStore, entityTypeId: unknown): ItemTypeModel {
  const id = Number(entityTypeId);
  const model = Number.isInteger(id) ? findItemType(store, id) : null;
  if (!model) {
    if (id === 5) throw new RestError('ENTITY_TYPE_NOT_SUPPORTED', 'Entity type Invoice is not supported', 400);
    // The cloud serves contacts and companies through crm.item.* too; the sandbox only through crm.contact/company.*.
    if (id === ENTITY_CONTACT || id === ENTITY_COMPANY) {
      throw new RestError('ENTITY_TYPE_NOT_SUPPORTED', `Entity type ${id === 3 ? 'Contact' : 'Company'} is not supported by the sandbox portal in crm.item.*; use crm.${id === 3 ? 'contact' : 'company'}.*`, 400);
    }
    throw new RestError('NOT_FOUND', 'Smart process not found', 400);
  }
  return model;
}

/** Parent-link fields `parentId{eTI}` of a type: its own parent relations plus types that list it as a child. */
export function parentEntityTypeIds(store: SandboxStore, entityTypeId: number): number[] {
  const ids = new Set<number>();
  const own = store.types.find((t) => t.entityTypeId === entityTypeId);
  for (const r of own?.relations.parent ?? []) if (r.isPredefined !== 'Y') ids.add(r.entityTypeId);
  for (const t of store.types.all()) {
    if (t.relations.child.some((r) => r.entityTypeId === entityTypeId && r.isPredefined !== 'Y')) ids.add(t.entityTypeId);
  }
  return [...ids].sort((a, b) => a - b);
}

export function parentSpecs(store: SandboxStore, entityTypeId: number): FieldSpec[] {
  const names: Record<number, string> = { 1: 'Лид', 2: 'Сделка', 3: 'Контакт', 4: 'Компания', 7: 'Предложение', 31: 'Счёт' };
  return parentEntityTypeIds(store, entityTypeId).map((p) => ({
    name: `parentId${p}`,
    upperName: `PARENT_ID_${p}`,
    type: 'crm_entity',
    title: names[p] ?? store.types.find((t) => t.entityTypeId === p)?.title ?? `parentId${p}`,
    settings: { parentEntityTypeId: p },
  }));
}

export function userFieldsOf(store: SandboxStore, ufEntityId: string): SUserField[] {
  return store.userFields.filter((u) => u.entityId === ufEntityId).sort((a, b) => a.sort - b.sort || a.id - b.id);
}

/** UF fields of a type as FieldSpecs, named per the camelCase rules unless `useOriginalUfNames=Y`. */
export function ufSpecs(store: SandboxStore, ufEntityId: string, original: boolean): (FieldSpec & { uf: SUserField })[] {
  const ufs = userFieldsOf(store, ufEntityId);
  const names = ufNameMap(ufs.map((u) => u.fieldName));
  return ufs.map((uf) => ({
    name: original ? uf.fieldName : (names.get(uf.fieldName) as string),
    upperName: uf.fieldName,
    type: uf.userTypeId,
    title: uf.editFormLabel.ru ?? uf.editFormLabel.en ?? Object.values(uf.editFormLabel)[0] ?? uf.fieldName,
    isRequired: uf.mandatory === 'Y',
    isMultiple: uf.multiple === 'Y',
    isDynamic: true,
    settings: uf.settings,
    ...(uf.userTypeId === 'enumeration' ? { items: uf.enum.map((e) => ({ ID: e.ID, VALUE: e.VALUE })) } : {}),
    uf,
  }));
}

export function categoriesOf(store: SandboxStore, entityTypeId: number): SCategory[] {
  return store.categories.filter((c) => c.entityTypeId === entityTypeId).sort((a, b) => a.sort - b.sort || a.id - b.id);
}

export function defaultCategory(store: SandboxStore, entityTypeId: number): SCategory | undefined {
  const all = categoriesOf(store, entityTypeId);
  return all.find((c) => c.isDefault) ?? all[0];
}
