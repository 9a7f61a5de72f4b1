import { compileFilter, compileOrder, type FilterField } from '../../crm/filter.js';
import { TYPE_FLAGS, createType, deleteType, renderType, updateType } from '../../crm/types.js';
import { toIntOrNull } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SType } from '../../store/types.js';

/** crm.type.* (api-reference/crm/universal/user-defined-object-types/): CRM administrators only. */

function requireCrmAdmin(call: MethodCall): void {
  if (!call.auth.user.IS_ADMIN) throw new RestError('ACCESS_DENIED', 'Access denied', 400);
}

function typeById(call: MethodCall): SType {
  const id = toIntOrNull(call.params.id);
  const type = id === null ? undefined : call.rt.store.types.get(id);
  if (!type) throw new RestError('0', 'Smart process not found', 400);
  return type;
}

function fieldsParam(call: MethodCall): Record<string, unknown> {
  const f = call.params.fields;
  if (f === undefined) throw new RestError('100', 'Could not find value for parameter {fields}', 400);
  if (!f || typeof f !== 'object') throw new RestError('100', 'Invalid value for parameter {fields}', 400);
  return f as Record<string, unknown>;
}

const TYPE_FILTER_FIELDS: Record<string, FilterField> = {
  id: { type: 'int', get: ((t: SType) => t.id) as FilterField['get'] },
  title: { type: 'string', get: ((t: SType) => t.title) as FilterField['get'] },
  code: { type: 'string', get: ((t: SType) => t.code) as FilterField['get'] },
  entityTypeId: { type: 'int', get: ((t: SType) => t.entityTypeId) as FilterField['get'] },
  createdBy: { type: 'int', get: ((t: SType) => t.createdBy) as FilterField['get'] },
  updatedBy: { type: 'int', get: ((t: SType) => t.updatedBy) as FilterField['get'] },
  createdTime: { type: 'datetime', get: ((t: SType) => t.createdTime) as FilterField['get'] },
  updatedTime: { type: 'datetime', get: ((t: SType) => t.updatedTime) as FilterField['get'] },
  customSectionId: { type: 'int', get: ((t: SType) => t.customSectionId) as FilterField['get'] },
  ...Object.fromEntries(TYPE_FLAGS.map((f) => [f, { type: 'boolean', get: ((t: SType) => t.flags[f]) as FilterField['get'] } as FilterField])),
};

const badArg = (what: string) => (n: string) => new RestError('INVALID_ARG_VALUE', `Invalid ${what}: field '${n}' is not allowed in ${what}`, 400);

export const crmTypeMethods: MethodDef[] = [
  {
    name: 'crm.type.add',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      requireCrmAdmin(call);
      const type = createType(call.rt, fieldsParam(call), call.auth.user.ID);
      call.rt.events.crmChanged({ kind: 'add', entity: 'type', id: type.id, userId: call.auth.user.ID, clientId: call.auth.app?.clientId ?? null });
      return { type: renderType(type) };
    },
  },
  {
    name: 'crm.type.update',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      requireCrmAdmin(call);
      const type = updateType(call.rt, typeById(call), (call.params.fields ?? {}) as Record<string, unknown>, call.auth.user.ID);
      call.rt.events.crmChanged({ kind: 'update', entity: 'type', id: type.id, userId: call.auth.user.ID, clientId: call.auth.app?.clientId ?? null });
      return { type: renderType(type) };
    },
  },
  {
    name: 'crm.type.get',
    scope: 'crm',
    intranetOnly: true,
    handler: (call) => ({ type: renderType(typeById(call)) }),
  },
  {
    name: 'crm.type.getByEntityTypeId',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const eti = toIntOrNull(call.params.entityTypeId);
      const type = call.rt.store.types.find((t) => t.entityTypeId === eti);
      if (!type) throw new RestError('0', 'Smart process not found', 400);
      return { type: renderType(type) };
    },
  },
  {
    name: 'crm.type.list',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      requireCrmAdmin(call);
      const resolve = (n: string) => TYPE_FILTER_FIELDS[n] ?? null;
      const pred = compileFilter<SType>(call.params.filter, resolve, { allowLogic: true, unknownField: badArg('filter') });
      const order = compileOrder<SType>(call.params.order, resolve, { unknownField: badArg('order'), badDirection: badArg('order') }, (a, b) => a.id - b.id);
      const rows = call.rt.store.types.filter(pred).sort(order);
      return pageOf(rows, call.start, (page) => ({ types: page.map((t) => renderType(t, true)) }));
    },
  },
  {
    name: 'crm.type.delete',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      requireCrmAdmin(call);
      const type = typeById(call);
      deleteType(call.rt, type);
      call.rt.events.crmChanged({ kind: 'delete', entity: 'type', id: type.id, userId: call.auth.user.ID, clientId: call.auth.app?.clientId ?? null });
      return [];
    },
  },
  {
    name: 'crm.type.fields',
    scope: 'crm',
    intranetOnly: true,
    handler() {
      const field = (type: string, title: string, upperName: string, o: { req?: boolean; ro?: boolean; imm?: boolean; multi?: boolean } = {}) => ({
        type,
        isRequired: o.req ?? false,
        isReadOnly: o.ro ?? false,
        isImmutable: o.imm ?? false,
        isMultiple: o.multi ?? false,
        isDynamic: false,
        title,
        upperName,
      });
      const upper = (n: string) => n.replace(/([A-Z])/g, '_$1').toUpperCase();
      return {
        fields: {
          id: field('integer', 'ID', 'ID', { ro: true }),
          title: field('string', 'Название', 'TITLE', { req: true }),
          code: field('string', 'Символьный код', 'CODE'),
          createdBy: field('user', 'Кем создан', 'CREATED_BY', { ro: true }),
          entityTypeId: field('integer', 'Идентификатор типа', 'ENTITY_TYPE_ID', { req: true, imm: true }),
          customSectionId: field('integer', 'Цифровое рабочее место', 'CUSTOM_SECTION_ID', { imm: true }),
          ...Object.fromEntries(TYPE_FLAGS.map((f) => [f, field('boolean', f, upper(f))])),
          createdTime: field('datetime', 'Создан', 'CREATED_TIME', { ro: true }),
          updatedTime: field('datetime', 'Изменён', 'UPDATED_TIME', { ro: true }),
          updatedBy: field('user', 'Кем изменён', 'UPDATED_BY', { ro: true }),
          relations: field('relations', 'Связи', 'RELATIONS'),
          linkedUserFields: field('linkedUserFields', 'Пользовательские поля', 'LINKED_USER_FIELDS'),
        },
      };
    },
  },
];
