import { compileFilter, compileOrder, filterTypeOf, type FilterField } from '../../crm/filter.js';
import { fieldByName, itemFields, storedValue, type ItemField } from '../../crm/item-fields.js';
import { addItem, deleteItem, findItem, renderItem, updateItem, type WriteContext } from '../../crm/items.js';
import { requireItemType, type ItemTypeModel } from '../../crm/type-model.js';
import { asList, toIntOrNull } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SItem } from '../../store/types.js';

/** crm.item.* (api-reference/crm/universal/crm-item-*.md): universal methods keyed by entityTypeId. */

const original = (call: MethodCall) => String(call.params.useOriginalUfNames ?? 'N').toUpperCase() === 'Y';

function writeContext(call: MethodCall, model: ItemTypeModel): WriteContext {
  return { rt: call.rt, model, userId: call.auth.user.ID, clientId: call.auth.app?.clientId ?? null, original: original(call) };
}

function emitChange(call: MethodCall, model: ItemTypeModel, kind: 'add' | 'update' | 'delete', id: number): void {
  const entity = model.kind === 'dynamic' ? 'dynamic' : model.kind;
  call.rt.events.crmChanged({ kind, entity, entityTypeId: model.entityTypeId, id, userId: call.auth.user.ID, clientId: call.auth.app?.clientId ?? null });
}

/** Item permissions of the caller (sandbox: full, read or none per user; portal admins always full). */
function requireAccess(call: MethodCall, need: 'read' | 'write'): void {
  const access = call.auth.user.IS_ADMIN ? 'full' : (call.auth.user.crmAccess ?? 'full');
  if (access === 'none' && need === 'read') throw new RestError('ACCESS_DENIED', 'You do not have permission to view this item', 400);
  if (access !== 'full' && need === 'write') throw new RestError('ACCESS_DENIED', 'Access denied', 400);
}

function requireFields(call: MethodCall): Record<string, unknown> {
  const fields = call.params.fields;
  if (fields === undefined) throw new RestError('100', 'Could not find value for parameter {fields}', 400);
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new RestError('100', 'Invalid value for parameter {fields}', 400);
  return fields as Record<string, unknown>;
}

const add: MethodDef = {
  name: 'crm.item.add',
  scope: 'crm',
  intranetOnly: true,
  handler(call) {
    const model = requireItemType(call.rt.store, call.params.entityTypeId);
    requireAccess(call, 'write');
    if (model.kind === 'dynamic' && call.rt.faults.planRestrictions.createDynamicItem) {
      throw new RestError('CREATE_DYNAMIC_ITEM_RESTRICTED', 'You cannot create a new item due to your plan restrictions', 400);
    }
    const item = addItem(writeContext(call, model), requireFields(call));
    emitChange(call, model, 'add', item.id);
    if (item.fields.stageId) call.rt.automation.stageEntered(item, null);
    return { item: renderItem(call.rt, model, item, { original: original(call) }) };
  },
};

const update: MethodDef = {
  name: 'crm.item.update',
  scope: 'crm',
  intranetOnly: true,
  handler(call) {
    const model = requireItemType(call.rt.store, call.params.entityTypeId);
    const item = findItem(call.rt, model.entityTypeId, call.params.id);
    requireAccess(call, 'write');
    if (model.kind === 'dynamic' && call.rt.faults.planRestrictions.updateDynamicItem) {
      throw new RestError('UPDATE_DYNAMIC_ITEM_RESTRICTED', 'You cannot change the item due to your plan restrictions', 400);
    }
    const outcome = updateItem(writeContext(call, model), item, requireFields(call));
    if (outcome.changed) emitChange(call, model, 'update', item.id);
    if (outcome.stageChanged) call.rt.automation.stageEntered(item, outcome.previousStageId);
    return { item: renderItem(call.rt, model, item, { original: original(call) }) };
  },
};

const get: MethodDef = {
  name: 'crm.item.get',
  scope: 'crm',
  intranetOnly: true,
  handler(call) {
    const model = requireItemType(call.rt.store, call.params.entityTypeId);
    const item = findItem(call.rt, model.entityTypeId, call.params.id);
    requireAccess(call, 'read');
    return { item: renderItem(call.rt, model, item, { original: original(call) }) };
  },
};

const del: MethodDef = {
  name: 'crm.item.delete',
  scope: 'crm',
  intranetOnly: true,
  handler(call) {
    const model = requireItemType(call.rt.store, call.params.entityTypeId);
    const id = toIntOrNull(call.params.id);
    const item = id === null ? undefined : call.rt.store.items.get(`${model.entityTypeId}:${id}`);
    if (!item) throw new RestError('NOT_FOUND', 'Item not found', 400);
    requireAccess(call, 'write');
    deleteItem(call.rt, item);
    emitChange(call, model, 'delete', item.id);
    return [];
  },
};

function filterField(field: ItemField): FilterField {
  return {
    type: filterTypeOf(field.type),
    isMultiple: field.isMultiple,
    get: ((row: SItem) => storedValue(row, field)) as FilterField['get'],
  };
}

const list: MethodDef = {
  name: 'crm.item.list',
  scope: 'crm',
  intranetOnly: true,
  handler(call) {
    const model = requireItemType(call.rt.store, call.params.entityTypeId);
    const fields = itemFields(call.rt.store, model, null, original(call));
    const resolve = (name: string) => {
      if (name === 'entityTypeId') return null;
      const f = fieldByName(fields, name);
      return f ? filterField(f) : null;
    };
    const predicate = compileFilter<SItem>(call.params.filter, resolve, {
      allowLogic: true,
      unknownField: (n) => new RestError('INVALID_ARG_VALUE', `Invalid filter: field '${n}' is not allowed in filter`, 400),
    });
    const order = compileOrder<SItem>(
      call.params.order,
      resolve,
      {
        unknownField: (n) => new RestError('INVALID_ARG_VALUE', `Invalid order: field '${n}' is not allowed in order`, 400),
        badDirection: (n, d) => new RestError('INVALID_ARG_VALUE', `Invalid order: allowed sort directions are ASC, DESC. But got '${d}' for field '${n}'`, 400),
      },
      (a, b) => a.id - b.id,
    );
    // Items the user may not read are left out of the selection (crm-item-list.md).
    const readable = call.auth.user.IS_ADMIN || (call.auth.user.crmAccess ?? 'full') !== 'none';
    const rows = readable ? call.rt.store.items.filter((i) => i.entityTypeId === model.entityTypeId && predicate(i)).sort(order) : [];
    const select = asList(call.params.select).map(String);
    return pageOf(rows, call.start, (page) => ({
      items: page.map((i) => renderItem(call.rt, model, i, { original: original(call), select })),
    }));
  },
};

const fieldsMethod: MethodDef = {
  name: 'crm.item.fields',
  scope: 'crm',
  intranetOnly: true,
  handler(call) {
    const model = requireItemType(call.rt.store, call.params.entityTypeId);
    const out: Record<string, unknown> = {};
    for (const f of itemFields(call.rt.store, model, toIntOrNull(call.params.categoryId), original(call))) {
      if (!f.enabled || f.hiddenInFields) continue;
      out[f.name] = {
        type: f.type,
        isRequired: f.isRequired ?? false,
        isReadOnly: f.isReadOnly ?? false,
        isImmutable: f.isImmutable ?? false,
        isMultiple: f.isMultiple ?? false,
        isDynamic: f.isDynamic ?? false,
        ...(f.isDeprecated ? { isDeprecated: true } : {}),
        title: f.title,
        ...(f.settings ? { settings: f.settings } : {}),
        ...(f.statusType ? { statusType: f.statusType } : {}),
        ...(f.items ? { items: f.items } : {}),
        upperName: f.upperName,
      };
    }
    return { fields: out };
  },
};

export const crmItemMethods: MethodDef[] = [add, update, get, del, list, fieldsMethod];
