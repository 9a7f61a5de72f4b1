import { compileFilter, compileOrder, type FilterField } from '../../crm/filter.js';
import { asList, toIntOrNull, toYN } from '../../crm/values.js';
import { randomHex } from '../../core/random.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SUserField, SUserFieldEnum } from '../../store/types.js';

/**
 * userfieldconfig.* for moduleId `crm` (api-reference/crm/universal/userfieldconfig/). Quirk kept on purpose: this
 * family answers errors with an empty `error` code and the reason in `error_description` (userfieldconfig-add.md).
 */

const fail = (msg: string) => new RestError('', msg, 400);

const TYPE_DEFAULT_SETTINGS: Record<string, Record<string, unknown>> = {
  string: { SIZE: 20, ROWS: 1, REGEXP: '', MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: '' },
  integer: { SIZE: 20, MIN_VALUE: 0, MAX_VALUE: 0, DEFAULT_VALUE: null },
  double: { PRECISION: 2, SIZE: 20, MIN_VALUE: 0, MAX_VALUE: 0, DEFAULT_VALUE: null },
  boolean: { DEFAULT_VALUE: 0, DISPLAY: 'CHECKBOX', LABEL: ['', ''], LABEL_CHECKBOX: '' },
  date: { DEFAULT_VALUE: { TYPE: 'NONE', VALUE: '' }, USE_SECOND: 'Y', USE_TIMEZONE: 'N' },
  datetime: { DEFAULT_VALUE: { TYPE: 'NONE', VALUE: '' }, USE_SECOND: 'Y', USE_TIMEZONE: 'N' },
  enumeration: { DISPLAY: 'LIST', LIST_HEIGHT: 1, CAPTION_NO_VALUE: '', SHOW_NO_VALUE: 'Y' },
  money: { DEFAULT_VALUE: '' },
  url: { POPUP: 'Y', SIZE: 20, MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: '', ROWS: 1 },
  file: { SIZE: 20, LIST_WIDTH: 0, LIST_HEIGHT: 0, MAX_SHOW_SIZE: 0, MAX_ALLOWED_SIZE: 0, EXTENSIONS: [], TARGET_BLANK: 'Y' },
  crm: { LEAD: 'N', CONTACT: 'N', COMPANY: 'N', DEAL: 'N' },
  employee: {},
  address: { SHOW_MAP: 'Y' },
  crm_status: { ENTITY_TYPE: '' },
  iblock_element: { DISPLAY: 'LIST', LIST_HEIGHT: 5, IBLOCK_ID: 0, DEFAULT_VALUE: '', ACTIVE_FILTER: 'N' },
  iblock_section: { DISPLAY: 'LIST', LIST_HEIGHT: 5, IBLOCK_ID: 0, DEFAULT_VALUE: '', ACTIVE_FILTER: 'N' },
};

const LANGS = ['ru', 'en'];

function requireModule(call: MethodCall): void {
  if (String(call.params.moduleId ?? '') !== 'crm') throw fail('No settings for UserFieldAccess');
  if (call.auth.scope !== null && !call.auth.scope.includes('crm')) throw fail('The current method required more scopes. (crm)');
}

/** entityId of an existing CRM object and the UF prefix it imposes (`CRM_7` → `UF_CRM_7_`, `CRM_DEAL` → `UF_CRM_`). */
function entityPrefix(call: MethodCall, entityId: string): string | null {
  if (['CRM_DEAL', 'CRM_LEAD', 'CRM_COMPANY', 'CRM_CONTACT', 'CRM_QUOTE', 'CRM_SMART_INVOICE'].includes(entityId)) return 'UF_CRM_';
  const m = /^CRM_(\d+)$/.exec(entityId);
  if (m && call.rt.store.types.get(Number(m[1]))) return `UF_CRM_${m[1]}_`;
  return null;
}

function langMap(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') return Object.fromEntries(LANGS.map((l) => [l, v]));
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x ?? '')]));
}

function readEnum(call: MethodCall, raw: unknown, previous: SUserFieldEnum[] = []): SUserFieldEnum[] {
  return asList(raw).map((e, i) => {
    const row = (e ?? {}) as Record<string, unknown>;
    const id = toIntOrNull(row.id ?? row.ID);
    const known = id !== null ? previous.find((p) => p.ID === id) : undefined;
    return {
      ID: known?.ID ?? call.rt.store.nextId('ufEnum'),
      VALUE: String(row.value ?? row.VALUE ?? known?.VALUE ?? ''),
      DEF: toYN(row.def ?? row.DEF ?? known?.DEF, 'N'),
      SORT: toIntOrNull(row.sort ?? row.SORT) ?? known?.SORT ?? (i + 1) * 100,
      XML_ID: String(row.xmlId ?? row.XML_ID ?? known?.XML_ID ?? randomHex(16)),
    };
  });
}

export function renderUserField(uf: SUserField, opts: { withEnum?: boolean; brief?: boolean } = {}): Record<string, unknown> {
  const nullMap = (m: Record<string, string>) => (Object.keys(m).length ? m : opts.brief ? null : Object.fromEntries(LANGS.map((l) => [l, null])));
  const out: Record<string, unknown> = {
    id: String(uf.id),
    entityId: uf.entityId,
    fieldName: uf.fieldName,
    userTypeId: uf.userTypeId,
    xmlId: uf.xmlId || null,
    sort: String(uf.sort),
    multiple: uf.multiple,
    mandatory: uf.mandatory,
    showFilter: uf.showFilter,
    showInList: uf.showInList,
    editInList: uf.editInList,
    isSearchable: uf.isSearchable,
    settings: uf.settings,
    languageId: Object.fromEntries(LANGS.map((l) => [l, l])),
    editFormLabel: nullMap(uf.editFormLabel),
    listColumnLabel: nullMap(uf.listColumnLabel),
    listFilterLabel: nullMap(uf.listFilterLabel),
    errorMessage: nullMap(uf.errorMessage),
    helpMessage: nullMap(uf.helpMessage),
  };
  if (opts.withEnum && uf.userTypeId === 'enumeration') {
    out.enum = uf.enum.map((e) => ({ id: String(e.ID), userFieldId: String(uf.id), value: e.VALUE, def: e.DEF, sort: String(e.SORT), xmlId: e.XML_ID }));
  }
  return out;
}

function fieldById(call: MethodCall, denied: string): SUserField {
  const id = toIntOrNull(call.params.id);
  const uf = id === null ? undefined : call.rt.store.userFields.get(id);
  if (!uf || !uf.entityId.startsWith('CRM_')) throw fail(denied);
  return uf;
}

const FILTER_FIELDS: Record<string, FilterField> = {
  id: { type: 'int', get: ((u: SUserField) => u.id) as FilterField['get'] },
  entityId: { type: 'string', get: ((u: SUserField) => u.entityId) as FilterField['get'] },
  fieldName: { type: 'string', get: ((u: SUserField) => u.fieldName) as FilterField['get'] },
  userTypeId: { type: 'string', get: ((u: SUserField) => u.userTypeId) as FilterField['get'] },
  xmlId: { type: 'string', get: ((u: SUserField) => u.xmlId) as FilterField['get'] },
  sort: { type: 'int', get: ((u: SUserField) => u.sort) as FilterField['get'] },
  multiple: { type: 'boolean', get: ((u: SUserField) => u.multiple) as FilterField['get'] },
  mandatory: { type: 'boolean', get: ((u: SUserField) => u.mandatory) as FilterField['get'] },
  showFilter: { type: 'string', get: ((u: SUserField) => u.showFilter) as FilterField['get'] },
  showInList: { type: 'boolean', get: ((u: SUserField) => u.showInList) as FilterField['get'] },
  editInList: { type: 'boolean', get: ((u: SUserField) => u.editInList) as FilterField['get'] },
  isSearchable: { type: 'boolean', get: ((u: SUserField) => u.isSearchable) as FilterField['get'] },
};

export const userfieldconfigMethods: MethodDef[] = [
  {
    name: 'userfieldconfig.add',
    scope: 'basic',
    handler(call) {
      requireModule(call);
      if (!call.auth.user.IS_ADMIN) throw fail('Access denied');
      const field = (call.params.field ?? {}) as Record<string, unknown>;
      const entityId = String(field.entityId ?? '');
      const fieldName = String(field.fieldName ?? '');
      const userTypeId = String(field.userTypeId ?? '');
      if (!userTypeId) throw fail("The 'USER_TYPE_ID' field is not found.");
      if (!fieldName) throw fail("The 'FIELD_NAME' field is not found.");
      const prefix = entityPrefix(call, entityId);
      if (!prefix || !fieldName.startsWith(prefix) || !/^[A-Z0-9_]{1,50}$/.test(fieldName)) throw fail('You cannot create custom fields');
      if (call.rt.store.userFields.find((u) => u.entityId === entityId && u.fieldName === fieldName)) throw fail(`Field ${fieldName} already exists`);
      if (!TYPE_DEFAULT_SETTINGS[userTypeId] && !userTypeId.startsWith('rest_')) throw fail('Fail to create new user field');
      const uf: SUserField = {
        id: call.rt.store.nextId('userField'),
        entityId,
        fieldName,
        userTypeId,
        xmlId: typeof field.xmlId === 'string' ? field.xmlId : '',
        sort: toIntOrNull(field.sort) ?? 100,
        multiple: toYN(field.multiple, 'N'),
        mandatory: toYN(field.mandatory, 'N'),
        showFilter: String(field.showFilter ?? 'N'),
        showInList: 'Y',
        editInList: toYN(field.editInList, 'Y'),
        isSearchable: toYN(field.isSearchable, 'N'),
        settings: { ...(TYPE_DEFAULT_SETTINGS[userTypeId] ?? {}), ...((field.settings ?? {}) as Record<string, unknown>) },
        editFormLabel: langMap(field.editFormLabel),
        listColumnLabel: {},
        listFilterLabel: {},
        errorMessage: {},
        helpMessage: langMap(field.helpMessage),
        enum: [],
      };
      if (userTypeId === 'enumeration') uf.enum = readEnum(call, field.enum);
      call.rt.store.userFields.insert(uf);
      return { field: renderUserField(uf, { withEnum: true }) };
    },
  },
  {
    name: 'userfieldconfig.update',
    scope: 'basic',
    handler(call) {
      requireModule(call);
      if (!call.auth.user.IS_ADMIN) throw fail('Access denied');
      const uf = fieldById(call, 'You do not have permission to view user field settings');
      const field = (call.params.field ?? {}) as Record<string, unknown>;
      if (typeof field.xmlId === 'string') uf.xmlId = field.xmlId;
      if (field.sort !== undefined) uf.sort = toIntOrNull(field.sort) ?? uf.sort;
      if (field.mandatory !== undefined) uf.mandatory = toYN(field.mandatory, uf.mandatory);
      if (field.showFilter !== undefined) uf.showFilter = String(field.showFilter);
      if (field.isSearchable !== undefined) uf.isSearchable = toYN(field.isSearchable, uf.isSearchable);
      if (field.editFormLabel !== undefined) uf.editFormLabel = { ...uf.editFormLabel, ...langMap(field.editFormLabel) };
      if (field.helpMessage !== undefined) uf.helpMessage = { ...uf.helpMessage, ...langMap(field.helpMessage) };
      if (field.settings && typeof field.settings === 'object') uf.settings = { ...uf.settings, ...(field.settings as Record<string, unknown>) };
      if (field.enum !== undefined && uf.userTypeId === 'enumeration' && field.userTypeId === 'enumeration') uf.enum = readEnum(call, field.enum, uf.enum);
      call.rt.store.userFields.touch();
      return { field: renderUserField(uf, { withEnum: true }) };
    },
  },
  {
    name: 'userfieldconfig.get',
    scope: 'basic',
    handler(call) {
      requireModule(call);
      return { field: renderUserField(fieldById(call, 'You do not have permission to view user field settings'), { withEnum: true }) };
    },
  },
  {
    name: 'userfieldconfig.delete',
    scope: 'basic',
    handler(call) {
      requireModule(call);
      if (!call.auth.user.IS_ADMIN) throw fail('You cannot delete the user field');
      const uf = fieldById(call, 'You cannot delete the user field');
      call.rt.store.userFields.delete(uf.id);
      for (const item of call.rt.store.items.all()) delete item.uf[uf.fieldName];
      call.rt.store.items.touch();
      return null;
    },
  },
  {
    name: 'userfieldconfig.list',
    scope: 'basic',
    handler(call) {
      requireModule(call);
      const resolve = (n: string) => FILTER_FIELDS[n] ?? null;
      const bad = (n: string) => fail(`Unknown field ${n}`);
      const pred = compileFilter<SUserField>(call.params.filter, resolve, { allowLogic: false, unknownField: bad });
      const order = compileOrder<SUserField>(call.params.order ?? { sort: 'ASC', id: 'ASC' }, resolve, { unknownField: bad, badDirection: bad }, (a, b) => a.id - b.id);
      const rows = call.rt.store.userFields.filter((u) => u.entityId.startsWith('CRM_') && pred(u)).sort(order);
      return pageOf(rows, call.start, (page) => ({ fields: page.map((u) => renderUserField(u, { brief: true })) }));
    },
  },
  {
    name: 'userfieldconfig.getTypes',
    scope: 'basic',
    handler(call) {
      requireModule(call);
      return { types: Object.keys(TYPE_DEFAULT_SETTINGS).map((userTypeId) => ({ userTypeId, title: userTypeId, description: userTypeId })) };
    },
  },
];
