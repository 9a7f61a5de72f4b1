import { compileFilter, compileOrder, type FilterField } from '../../crm/filter.js';
import { REFERENCE_ENTITY_IDS, extraSemantics, stagesOf } from '../../crm/stages.js';
import { toIntOrNull } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SandboxStore } from '../../store/store.js';
import type { SStatus } from '../../store/types.js';

/**
 * crm.status.* (api-reference/crm/status/): reference lists and pipeline stages. Errors of this family carry an
 * empty `error` code with the message in `error_description` (crm-status-add.md), except ERROR_CORE for duplicates.
 */

const fail = (msg: string) => new RestError('', msg, 400);

interface EntityInfo {
  id: string;
  name: string;
  prefix: string;
  categoryId: number | null;
  entityTypeId: number | null;
  pipeline: 'deal' | 'dynamic' | 'lead' | null;
}

export function statusEntities(store: SandboxStore): EntityInfo[] {
  const names: Record<string, string> = {
    SOURCE: 'Источники', CONTACT_TYPE: 'Тип контакта', COMPANY_TYPE: 'Тип компании', EMPLOYEES: 'Кол-во сотрудников',
    INDUSTRY: 'Сфера деятельности', DEAL_TYPE: 'Тип сделки', HONORIFIC: 'Обращения',
  };
  const out: EntityInfo[] = [
    { id: 'STATUS', name: 'Стадии лида', prefix: '', categoryId: null, entityTypeId: 1, pipeline: 'lead' },
    ...REFERENCE_ENTITY_IDS.map((id) => ({ id, name: names[id] ?? id, prefix: '', categoryId: null, entityTypeId: null, pipeline: null })),
  ];
  for (const c of store.categories.all().sort((a, b) => a.id - b.id)) {
    if (c.entityTypeId === 2) {
      out.push(
        c.id === 0
          ? { id: 'DEAL_STAGE', name: 'Стадии сделки', prefix: '', categoryId: 0, entityTypeId: 2, pipeline: 'deal' }
          : { id: `DEAL_STAGE_${c.id}`, name: `Стадии сделки (${c.name})`, prefix: `C${c.id}:`, categoryId: c.id, entityTypeId: 2, pipeline: 'deal' },
      );
    } else {
      const type = store.types.find((t) => t.entityTypeId === c.entityTypeId);
      out.push({
        id: `DYNAMIC_${c.entityTypeId}_STAGE_${c.id}`,
        name: `Стадии ${type?.title ?? c.entityTypeId} (${c.name})`,
        prefix: `DT${c.entityTypeId}_${c.id}:`,
        categoryId: c.id,
        entityTypeId: c.entityTypeId,
        pipeline: 'dynamic',
      });
    }
  }
  return out;
}

export function renderStatus(s: SStatus, withExtra = true): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ID: String(s.ID),
    ENTITY_ID: s.ENTITY_ID,
    STATUS_ID: s.STATUS_ID,
    NAME: s.NAME,
    NAME_INIT: s.NAME_INIT,
    SORT: String(s.SORT),
    SYSTEM: s.SYSTEM,
    CATEGORY_ID: s.CATEGORY_ID === null ? null : String(s.CATEGORY_ID),
    COLOR: s.COLOR,
    SEMANTICS: s.SEMANTICS,
  };
  if (withExtra && (s.ENTITY_ID === 'STATUS' || /STAGE/.test(s.ENTITY_ID))) out.EXTRA = { SEMANTICS: extraSemantics(s), COLOR: s.COLOR };
  return out;
}

function statusById(call: MethodCall): SStatus {
  const id = toIntOrNull(call.params.id);
  if (id === null || id <= 0) throw fail('Invalid identifier.');
  const s = call.rt.store.statuses.get(id);
  if (!s) throw fail('Status is not found.');
  return s;
}

function requireAdmin(call: MethodCall): void {
  if (!call.auth.user.IS_ADMIN) throw fail('Access denied.');
}

const STATUS_FIELDS: Record<string, FilterField> = Object.fromEntries(
  (['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'NAME_INIT', 'SORT', 'SYSTEM', 'CATEGORY_ID', 'COLOR', 'SEMANTICS'] as const).map((k) => [
    k,
    { type: k === 'ID' || k === 'SORT' || k === 'CATEGORY_ID' ? 'int' : 'string', get: ((s: SStatus) => s[k]) as FilterField['get'] } as FilterField,
  ]),
);

export const crmStatusMethods: MethodDef[] = [
  {
    name: 'crm.status.add',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const fields = call.params.fields;
      if (!fields || typeof fields !== 'object') throw fail("Parameter 'fields' must be array.");
      const f = fields as Record<string, unknown>;
      const missing: string[] = [];
      if (!f.ENTITY_ID) missing.push('The field ENTITY_ID is required.');
      if (!f.STATUS_ID) missing.push('The field STATUS_ID is required.');
      if (missing.length) throw fail(missing.join(' '));
      requireAdmin(call);
      const entity = statusEntities(call.rt.store).find((e) => e.id === String(f.ENTITY_ID));
      if (!entity) throw fail('Specified entity type is not supported.');
      if (!f.NAME) throw fail('The field Title is required.');
      let statusId = String(f.STATUS_ID);
      if (entity.prefix && !statusId.startsWith(entity.prefix)) statusId = `${entity.prefix}${statusId}`;
      const existing = stagesOf(call.rt.store, entity.id);
      if (existing.some((s) => s.STATUS_ID === statusId)) throw new RestError('ERROR_CORE', 'The specified status ID already exists.', 400);
      const semantics = f.SEMANTICS === 'S' || f.SEMANTICS === 'F' ? f.SEMANTICS : null;
      const sort = toIntOrNull(f.SORT) ?? 10;
      // The docs state the rule for the DEAL_STAGE list itself (crm-status-add.md §Possible Error Codes).
      if (entity.id === 'DEAL_STAGE' && semantics === null) {
        const success = existing.find((s) => s.SEMANTICS === 'S');
        if (success && sort > success.SORT) {
          throw fail('Cannot create more stages after the final stage because the final successful stage already exists. Try using sort order values less than that of the final stage.');
        }
      }
      const row: SStatus = {
        ID: call.rt.store.nextId('status'),
        ENTITY_ID: entity.id,
        STATUS_ID: statusId,
        NAME: String(f.NAME),
        NAME_INIT: '',
        SORT: sort,
        SYSTEM: 'N',
        CATEGORY_ID: entity.categoryId,
        COLOR: typeof f.COLOR === 'string' ? f.COLOR : '',
        SEMANTICS: semantics,
      };
      call.rt.store.statuses.insert(row);
      return row.ID;
    },
  },
  {
    name: 'crm.status.update',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      requireAdmin(call);
      const s = statusById(call);
      const f = (call.params.fields ?? {}) as Record<string, unknown>;
      if (typeof f.NAME === 'string' && f.NAME !== '') s.NAME = f.NAME;
      if (f.SORT !== undefined) s.SORT = toIntOrNull(f.SORT) ?? s.SORT;
      if (typeof f.COLOR === 'string') s.COLOR = f.COLOR;
      if (f.SEMANTICS !== undefined && s.SYSTEM !== 'Y') s.SEMANTICS = f.SEMANTICS === 'S' || f.SEMANTICS === 'F' ? f.SEMANTICS : null;
      call.rt.store.statuses.touch();
      return true;
    },
  },
  {
    name: 'crm.status.delete',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      requireAdmin(call);
      const s = statusById(call);
      const params = (call.params.params ?? {}) as Record<string, unknown>;
      if (s.SYSTEM === 'Y' && String(params.FORCED ?? 'N').toUpperCase() !== 'Y') {
        throw fail('CRM System Status can be deleted only if parameter FORCED is specified and equal to "Y".');
      }
      if (call.rt.store.items.find((i) => i.fields.stageId === s.STATUS_ID)) throw fail('There are active items in this status.');
      call.rt.store.statuses.delete(s.ID);
      return true;
    },
  },
  {
    name: 'crm.status.get',
    scope: 'crm',
    intranetOnly: true,
    handler: (call) => renderStatus(statusById(call), false),
  },
  {
    name: 'crm.status.list',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const resolve = (n: string) => STATUS_FIELDS[n.toUpperCase()] ?? null;
      const bad = (n: string) => fail(`Invalid field ${n}`);
      const pred = compileFilter<SStatus>(call.params.filter, resolve, { allowLogic: false, unknownField: bad });
      const order = compileOrder<SStatus>(call.params.order, resolve, { unknownField: bad, badDirection: bad }, (a, b) => a.SORT - b.SORT || a.ID - b.ID);
      const rows = call.rt.store.statuses.filter(pred).sort(order);
      return pageOf(rows, call.start, (page) => page.map((s) => renderStatus(s)));
    },
  },
  {
    name: 'crm.status.entity.items',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const entityId = String(call.params.entityId ?? call.params.ENTITY_ID ?? '');
      if (!entityId || !statusEntities(call.rt.store).some((e) => e.id === entityId)) throw fail('The parameter entityId is not defined or invalid.');
      return stagesOf(call.rt.store, entityId).map((s) => ({ NAME: s.NAME, SORT: s.SORT, STATUS_ID: s.STATUS_ID }));
    },
  },
  {
    name: 'crm.status.entity.types',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      return statusEntities(call.rt.store).map((e) => {
        const out: Record<string, unknown> = { ID: e.id, NAME: e.name };
        if (e.pipeline) {
          const stages = stagesOf(call.rt.store, e.id);
          out.SEMANTIC_INFO = {
            START_FIELD: stages[0]?.STATUS_ID ?? '',
            FINAL_SUCCESS_FIELD: stages.find((s) => s.SEMANTICS === 'S')?.STATUS_ID ?? '',
            FINAL_UNSUCCESS_FIELD: stages.find((s) => s.SEMANTICS === 'F')?.STATUS_ID ?? '',
            FINAL_SORT: 0,
          };
          if (e.prefix) out.PREFIX = e.prefix.replace(/:$/, '');
          if (e.pipeline !== 'lead') out.FIELD_ATTRIBUTE_SCOPE = e.categoryId ? `category_${e.categoryId}` : '';
          out.ENTITY_TYPE_ID = e.entityTypeId;
          if (e.pipeline !== 'lead') out.CATEGORY_ID = e.categoryId;
        }
        return out;
      });
    },
  },
  {
    name: 'crm.status.fields',
    scope: 'crm',
    intranetOnly: true,
    handler() {
      const d = (type: string, title: string, ro = false, req = false) => ({ type, isRequired: req, isReadOnly: ro, isImmutable: false, isMultiple: false, isDynamic: false, title });
      return {
        ID: d('integer', 'ID', true),
        ENTITY_ID: d('string', 'ENTITY_ID', false, true),
        STATUS_ID: d('string', 'STATUS_ID', false, true),
        SORT: d('integer', 'SORT'),
        NAME: d('string', 'NAME', false, true),
        NAME_INIT: d('string', 'NAME_INIT', true),
        SYSTEM: d('char', 'SYSTEM', true),
        CATEGORY_ID: d('integer', 'CATEGORY_ID', true),
        COLOR: d('string', 'COLOR'),
        SEMANTICS: d('string', 'SEMANTICS'),
        EXTRA: d('crm_status_extra', 'EXTRA'),
      };
    },
  },
];
