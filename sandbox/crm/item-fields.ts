import type { SandboxStore } from '../store/store.js';
import type { SItem } from '../store/types.js';
import type { FieldSpec } from './item-specs.js';
import { parentSpecs, ufSpecs, type ItemTypeModel } from './type-model.js';

/** One field of a type with where its value lives in an SItem. */
export interface ItemField extends FieldSpec {
  source: 'std' | 'uf';
  enabled: boolean;
}

/**
 * Every field of a type for a pipeline: standard (enabled or not), parent links, then user fields. `original` keeps
 * UF names UPPER_CASE (`useOriginalUfNames=Y`, api-reference/crm/universal/index.md).
 */
export function itemFields(store: SandboxStore, model: ItemTypeModel, categoryId: number | null, original = false): ItemField[] {
  const std = model.standardSpecs(categoryId).map((s) => ({ ...s, source: 'std' as const, enabled: model.isEnabled(s) }));
  // observers / contactIds are rendered last, after the UF fields, as the portal does.
  const tail = std.filter((s) => s.name === 'observers' || s.name === 'contactIds');
  const head = std.filter((s) => s.name !== 'observers' && s.name !== 'contactIds');
  const parents = parentSpecs(store, model.entityTypeId).map((s) => ({ ...s, source: 'std' as const, enabled: true }));
  const ufs = ufSpecs(store, model.ufEntityId, original).map(({ uf: _uf, ...s }) => ({ ...s, source: 'uf' as const, enabled: true }));
  return [...head, ...parents, ...ufs, ...tail];
}

/** Finds a field by its REST name, its UPPER_CASE name, or (for UFs) either spelling. */
export function fieldByName(fields: ItemField[], name: string): ItemField | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.upperName === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

export function storedValue(item: SItem, field: ItemField): unknown {
  return field.source === 'uf' ? item.uf[field.upperName] : item.fields[field.name];
}
