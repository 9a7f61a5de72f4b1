import { addClassic, classicById, classicFields, renderClassic, updateClassic, MULTI_FIELDS, type ClassicEntity } from '../../crm/classic.js';
import { COMPANY, CONTACT, REQUISITE } from '../../crm/classic-entities.js';
import { compileFilter, compileOrder, filterTypeOf, type FilterField } from '../../crm/filter.js';
import { asList, toIntOrNull } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SClassicRow } from '../../store/types.js';

/**
 * crm.company.*, crm.contact.*, crm.requisite.* (api-reference/crm/companies/, contacts/, requisites/universal/).
 * One factory, because the three families share their request and answer conventions.
 */

const fail = (msg: string) => new RestError('', msg, 400);

function emit(call: MethodCall, entity: ClassicEntity, kind: 'add' | 'update' | 'delete', id: number): void {
  call.rt.events.crmChanged({ kind, entity: entity.key, id, userId: call.auth.user.ID, clientId: call.auth.app?.clientId ?? null });
}

function filterFieldFor(entity: ClassicEntity, call: MethodCall) {
  const fields = new Map(classicFields(call.rt.store, entity).map((f) => [f.name, f]));
  return (name: string): FilterField | null => {
    const key = name.toUpperCase();
    if ((MULTI_FIELDS as readonly string[]).includes(key)) {
      return { type: 'string', isMultiple: true, get: ((r: SClassicRow) => r.fm.filter((m) => m.TYPE_ID === key).map((m) => m.VALUE)) as FilterField['get'] };
    }
    const f = fields.get(key);
    if (!f) return null;
    if (key === 'ID') return { type: 'int', get: ((r: SClassicRow) => r.ID) as FilterField['get'] };
    return { type: filterTypeOf(f.type), isMultiple: f.isMultiple, get: ((r: SClassicRow) => r.fields[key]) as FilterField['get'] };
  };
}

function validateParent(call: MethodCall, entity: ClassicEntity, fields: unknown): void {
  if (entity.key !== 'requisite' || !fields || typeof fields !== 'object') return;
  const f = fields as Record<string, unknown>;
  const type = toIntOrNull(f.ENTITY_TYPE_ID);
  if (type !== null && type !== 3 && type !== 4) throw fail('The field ENTITY_TYPE_ID is not valid.');
  const id = toIntOrNull(f.ENTITY_ID);
  if (type !== null && id !== null) {
    const table = type === 4 ? call.rt.store.companies : call.rt.store.contacts;
    if (!table.get(id)) throw fail('The entity with ENTITY_ID is not found.');
  }
}

export function classicMethods(entity: ClassicEntity): MethodDef[] {
  const prefix = `crm.${entity.key}`;
  return [
    {
      name: `${prefix}.add`,
      scope: 'crm',
      intranetOnly: true,
      handler(call) {
        validateParent(call, entity, call.params.fields);
        const row = addClassic(call.rt, entity, call.params.fields, call.auth.user.ID);
        emit(call, entity, 'add', row.ID);
        return row.ID;
      },
    },
    {
      name: `${prefix}.update`,
      scope: 'crm',
      intranetOnly: true,
      handler(call) {
        const row = classicById(call.rt, entity, call.params.id ?? call.params.ID, entity.notFound);
        validateParent(call, entity, call.params.fields);
        updateClassic(call.rt, entity, row, call.params.fields, call.auth.user.ID);
        emit(call, entity, 'update', row.ID);
        return true;
      },
    },
    {
      name: `${prefix}.get`,
      scope: 'crm',
      intranetOnly: true,
      handler(call) {
        const row = classicById(call.rt, entity, call.params.id ?? call.params.ID, entity.notFound);
        return renderClassic(call.rt.store, entity, row);
      },
    },
    {
      name: `${prefix}.delete`,
      scope: 'crm',
      intranetOnly: true,
      handler(call) {
        const row = classicById(call.rt, entity, call.params.id ?? call.params.ID, entity.deleteNotFound);
        entity.table(call.rt.store).delete(row.ID);
        if (entity.key !== 'requisite') {
          call.rt.store.requisites.deleteWhere((r) => r.fields.ENTITY_TYPE_ID === entity.entityTypeId && r.fields.ENTITY_ID === row.ID);
        }
        emit(call, entity, 'delete', row.ID);
        return true;
      },
    },
    {
      name: `${prefix}.list`,
      scope: 'crm',
      intranetOnly: true,
      handler(call) {
        const filter = call.params.filter ?? call.params.FILTER;
        const order = call.params.order ?? call.params.ORDER;
        if (filter !== undefined && (filter === null || typeof filter !== 'object')) throw fail("Parameter 'filter' must be array.");
        if (order !== undefined && (order === null || typeof order !== 'object')) throw fail("Parameter 'order' must be array.");
        const resolve = filterFieldFor(entity, call);
        const bad = () => fail('Failed to get list. General error.');
        const pred = compileFilter<SClassicRow>(filter, resolve, { allowLogic: false, unknownField: bad });
        const cmp = compileOrder<SClassicRow>(order, resolve, { unknownField: bad, badDirection: bad }, (a, b) => a.ID - b.ID);
        const rows = entity.table(call.rt.store).filter(pred).sort(cmp);
        const select = asList(call.params.select ?? call.params.SELECT).map(String);
        return pageOf(rows, call.start, (page) => page.map((r) => renderClassic(call.rt.store, entity, r, select.length ? select : ['*', 'UF_*'])));
      },
    },
    {
      name: `${prefix}.fields`,
      scope: 'crm',
      intranetOnly: true,
      handler(call) {
        const out: Record<string, unknown> = {};
        for (const f of classicFields(call.rt.store, entity)) {
          out[f.name] = {
            type: f.type,
            isRequired: f.isRequired ?? false,
            isReadOnly: f.isReadOnly ?? false,
            isImmutable: false,
            isMultiple: f.isMultiple ?? false,
            isDynamic: f.name.startsWith('UF_'),
            title: f.title,
            ...(f.statusType ? { statusType: f.statusType } : {}),
            ...(f.settings ? { settings: f.settings } : {}),
          };
        }
        return out;
      },
    },
  ];
}

export const classicCrmMethods: MethodDef[] = [
  ...classicMethods(COMPANY),
  ...classicMethods(CONTACT),
  ...classicMethods(REQUISITE),
  {
    name: 'crm.requisite.preset.list',
    scope: 'crm',
    intranetOnly: true,
    handler: () => [
      { ID: '1', ENTITY_TYPE_ID: '8', COUNTRY_ID: '1', NAME: 'Организация', ACTIVE: 'Y', SORT: '500', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#' },
      { ID: '2', ENTITY_TYPE_ID: '8', COUNTRY_ID: '1', NAME: 'ИП', ACTIVE: 'Y', SORT: '500', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#' },
      { ID: '3', ENTITY_TYPE_ID: '8', COUNTRY_ID: '1', NAME: 'Физ. лицо', ACTIVE: 'Y', SORT: '500', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_PERSON#' },
    ],
  },
];
