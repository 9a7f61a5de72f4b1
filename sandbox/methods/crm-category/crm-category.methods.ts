import { seedPipelineStages } from '../../crm/stages.js';
import { ENTITY_DEAL, categoriesOf, findItemType, type ItemTypeModel } from '../../crm/type-model.js';
import { toIntOrNull, toYN } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SCategory } from '../../store/types.js';

/** crm.category.* (api-reference/crm/universal/category/): pipelines of deals and smart processes. */

const ENTITY_NAMES: Record<number, string> = { 1: 'Lead', 3: 'Contact', 4: 'Company', 7: 'Quote', 31: 'SmartInvoice' };

function modelWithCategories(call: MethodCall): ItemTypeModel {
  const eti = toIntOrNull(call.params.entityTypeId);
  if (eti !== null && ENTITY_NAMES[eti]) throw new RestError('ENTITY_TYPE_NOT_SUPPORTED', `Entity type ${ENTITY_NAMES[eti]} is not supported`, 400);
  const model = eti === null ? null : findItemType(call.rt.store, eti);
  if (!model || !model.hasCategories) throw new RestError('NOT_FOUND', 'Smart process not found', 400);
  return model;
}

function categoryOf(call: MethodCall, model: ItemTypeModel): SCategory {
  const id = toIntOrNull(call.params.id);
  const cat = categoriesOf(call.rt.store, model.entityTypeId).find((c) => c.id === id);
  if (!cat) throw new RestError('NOT_FOUND', 'Element not found', 400);
  return cat;
}

function requireAdmin(call: MethodCall): void {
  if (!call.auth.user.IS_ADMIN) throw new RestError('ACCESS_DENIED', 'Access denied', 400);
}

export function renderCategory(c: SCategory): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, name: c.name, sort: c.sort, entityTypeId: c.entityTypeId, isDefault: c.isDefault ? 'Y' : 'N' };
  if (c.entityTypeId === ENTITY_DEAL && !c.isDefault) Object.assign(out, { originId: '', originatorId: '' });
  return out;
}

function readName(v: unknown, fallback: string): string {
  if (v === undefined) return fallback;
  const s = String(v);
  if (s.trim() === '' || s.length > 255) throw new RestError('INVALID_ARG_VALUE', 'Invalid value for field "name"', 400);
  return s;
}

function setDefault(call: MethodCall, model: ItemTypeModel, cat: SCategory): void {
  for (const other of categoriesOf(call.rt.store, model.entityTypeId)) other.isDefault = other.id === cat.id;
  call.rt.store.categories.touch();
}

export const crmCategoryMethods: MethodDef[] = [
  {
    name: 'crm.category.add',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const model = modelWithCategories(call);
      requireAdmin(call);
      const fields = (call.params.fields ?? {}) as Record<string, unknown>;
      const sort = Math.max(0, toIntOrNull(fields.sort) ?? 500);
      const cat: SCategory = {
        id: call.rt.store.nextId('category'),
        entityTypeId: model.entityTypeId,
        name: readName(fields.name, '-'),
        sort,
        isDefault: false,
        code: typeof fields.code === 'string' ? fields.code : null,
        createdDate: call.rt.clock.now(),
        isSystem: false,
      };
      call.rt.store.categories.insert(cat);
      seedPipelineStages(call.rt.store, model.kind === 'deal' ? 'deal' : 'dynamic', model.entityTypeId, cat.id);
      if (model.kind === 'dynamic' && toYN(fields.isDefault) === 'Y') setDefault(call, model, cat);
      return { category: renderCategory(cat) };
    },
  },
  {
    name: 'crm.category.update',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const model = modelWithCategories(call);
      requireAdmin(call);
      const cat = categoryOf(call, model);
      const fields = (call.params.fields ?? {}) as Record<string, unknown>;
      if (fields.name !== undefined) cat.name = readName(fields.name, cat.name);
      if (fields.sort !== undefined) cat.sort = Math.max(0, toIntOrNull(fields.sort) ?? cat.sort);
      if (model.kind === 'dynamic' && toYN(fields.isDefault) === 'Y') setDefault(call, model, cat);
      call.rt.store.categories.touch();
      return { category: renderCategory(cat) };
    },
  },
  {
    name: 'crm.category.get',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const model = modelWithCategories(call);
      return { category: renderCategory(categoryOf(call, model)) };
    },
  },
  {
    name: 'crm.category.list',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const model = modelWithCategories(call);
      const rows = categoriesOf(call.rt.store, model.entityTypeId);
      return pageOf(rows, call.start, (page) => ({ categories: page.map(renderCategory) }));
    },
  },
  {
    name: 'crm.category.delete',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const model = modelWithCategories(call);
      requireAdmin(call);
      const cat = categoryOf(call, model);
      const deal = model.kind === 'deal';
      if (cat.isDefault) throw deal ? new RestError('0', 'Default deal category cannot be deleted', 400) : new RestError('BX_ERROR', 'This funnel is the default funnel', 400);
      if (call.rt.store.items.find((i) => i.entityTypeId === model.entityTypeId && i.fields.categoryId === cat.id)) {
        throw deal ? new RestError('0', `Deals related to the funnel ${cat.name} found`, 400) : new RestError('BX_ERROR', 'Elements related to the funnel found', 400);
      }
      call.rt.store.categories.delete(cat.id);
      call.rt.store.statuses.deleteWhere((s) => s.ENTITY_ID === model.stageEntityId(cat.id));
      return null;
    },
  },
  {
    name: 'crm.category.fields',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const model = modelWithCategories(call);
      const d = (type: string, name: string, o: { req?: boolean; ro?: boolean } = {}) => ({
        type,
        isRequired: o.req ?? false,
        isReadOnly: o.ro ?? false,
        isImmutable: false,
        isMultiple: false,
        isDynamic: false,
        title: name,
        upperName: name,
      });
      const fields: Record<string, unknown> = {
        id: d('integer', 'ID', { ro: true }),
        name: d('string', 'NAME'),
        sort: d('integer', 'SORT'),
        entityTypeId: d('integer', 'ENTITY_TYPE_ID', { req: true, ro: true }),
        isDefault: d('boolean', 'IS_DEFAULT', { ro: model.kind === 'deal' }),
      };
      if (model.kind === 'deal') Object.assign(fields, { originId: d('string', 'ORIGIN_ID'), originatorId: d('string', 'ORIGINATOR_ID') });
      return { fields };
    },
  },
];
