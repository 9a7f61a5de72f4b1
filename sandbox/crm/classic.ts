import { formatAtom, formatDateOnly, parseDateInput } from '../core/dates.js';
import type { PortalRuntime } from '../core/runtime.js';
import { RestError } from '../rest/rest-error.js';
import type { SandboxStore, Table } from '../store/store.js';
import type { SClassicRow, SMultiField } from '../store/types.js';
import { parentEntityTypeIds, userFieldsOf } from './type-model.js';
import { asList, toIntOrNull } from './values.js';

/**
 * The classic CRM entities with UPPER_CASE fields: crm.company.*, crm.contact.*, crm.requisite.*
 * (api-reference/crm/companies/, contacts/, requisites/universal/). Their answers carry every value as a string
 * (`"ID": "2909"`), dates as ISO strings, multi-fields as `[{ID, VALUE_TYPE, VALUE, TYPE_ID}]`, and their errors an
 * empty `error` code (crm-company-add.md).
 */
export interface ClassicField {
  name: string;
  type: string;
  title: string;
  isRequired?: boolean;
  isReadOnly?: boolean;
  isMultiple?: boolean;
  statusType?: string;
  settings?: Record<string, unknown>;
}

export interface ClassicEntity {
  key: 'company' | 'contact' | 'requisite';
  entityTypeId: number;
  ufEntityId: string;
  table: (store: SandboxStore) => Table<number, SClassicRow>;
  fields: ClassicField[];
  notFound: string;
  deleteNotFound: string;
  defaults: (rt: PortalRuntime, userId: number) => Record<string, unknown>;
  /** Fields left out of get/list unless selected (multi-fields). */
  multi: string[];
}

export const MULTI_FIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'] as const;

const fail = (msg: string) => new RestError('', msg, 400);

/** All fields of the entity incl. parent links and UFs, as crm.*.fields describes them. */
export function classicFields(store: SandboxStore, entity: ClassicEntity): ClassicField[] {
  const parents = entity.key === 'requisite' ? [] : parentEntityTypeIds(store, entity.entityTypeId).map((p) => ({
    name: `PARENT_ID_${p}`,
    type: 'crm_entity',
    title: store.types.find((t) => t.entityTypeId === p)?.title ?? `PARENT_ID_${p}`,
    settings: { parentEntityTypeId: p },
  }));
  const ufs = userFieldsOf(store, entity.ufEntityId).map((u) => ({
    name: u.fieldName,
    type: u.userTypeId,
    title: u.editFormLabel.ru ?? u.editFormLabel.en ?? u.fieldName,
    isMultiple: u.multiple === 'Y',
    isRequired: u.mandatory === 'Y',
    settings: u.settings,
  }));
  return [...entity.fields, ...parents, ...ufs];
}

function stringify(field: ClassicField, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (field.type === 'datetime') return typeof v === 'number' ? formatAtom(v) : v;
  if (field.type === 'date') return typeof v === 'string' ? formatDateOnly(v) : v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? String(x) : x));
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  return v;
}

function renderMulti(list: SMultiField[]): Record<string, unknown>[] {
  return list.map((m) => ({ ID: String(m.ID), VALUE_TYPE: m.VALUE_TYPE, VALUE: m.VALUE, TYPE_ID: m.TYPE_ID }));
}

/** A row as get (all scalar fields + present multi-fields) or list (`select`, `*`, `UF_*`, explicit names) answer it. */
export function renderClassic(store: SandboxStore, entity: ClassicEntity, row: SClassicRow, select?: string[]): Record<string, unknown> {
  const fields = classicFields(store, entity);
  const sel = select && select.length ? select : null;
  const all = !sel || sel.includes('*');
  const uf = !sel || sel.includes('UF_*');
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if ((MULTI_FIELDS as readonly string[]).includes(f.name)) continue;
    const isUf = f.name.startsWith('UF_');
    const picked = f.name === 'ID' || (sel ? sel.includes(f.name) || (isUf ? uf : all) : true);
    if (!picked) continue;
    if (f.name === 'ID') out.ID = String(row.ID);
    else out[f.name] = stringify(f, row.fields[f.name] ?? (f.isMultiple ? [] : null));
  }
  for (const m of MULTI_FIELDS) {
    const values = row.fm.filter((x) => x.TYPE_ID === m);
    const wanted = sel ? sel.includes(m) : values.length > 0;
    if (wanted && (values.length > 0 || sel)) out[m] = renderMulti(values);
  }
  return out;
}

function coerce(field: ClassicField, v: unknown): unknown {
  if (v === '' || v === null || v === undefined) return field.isMultiple ? [] : null;
  switch (field.type) {
    case 'integer':
    case 'user':
    case 'crm_company':
    case 'crm_contact':
    case 'crm_lead':
    case 'crm_entity':
    case 'employee':
      return field.isMultiple ? asList(v).map(toIntOrNull).filter((x) => x !== null) : toIntOrNull(v);
    case 'double':
      return Number.parseFloat(String(v)) || 0;
    case 'char':
    case 'boolean':
      return ['Y', '1', 'true', true, 1].includes(v as string) ? 'Y' : 'N';
    case 'datetime':
      return parseDateInput(v);
    case 'date': {
      const ms = parseDateInput(v);
      if (ms === null) return null;
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    }
    default:
      return field.isMultiple ? asList(v).map(String) : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Applies multi-field input. On update an entry with ID changes that value (empty VALUE deletes it), an entry
 * without ID adds one (api-reference/crm/data-types.md#crm_multifield).
 */
function applyMulti(rt: PortalRuntime, row: SClassicRow, input: Record<string, unknown>): void {
  for (const type of MULTI_FIELDS) {
    if (!(type in input)) continue;
    for (const raw of asList(input[type])) {
      const e = (raw ?? {}) as Record<string, unknown>;
      const value = String(e.VALUE ?? '');
      const id = toIntOrNull(e.ID);
      if (type === 'EMAIL' && value && !EMAIL_RE.test(value)) throw new RestError('ERROR_CORE', 'The E-mail field contains an invalid address', 400);
      if (id !== null) {
        const existing = row.fm.find((m) => m.ID === id);
        if (!existing) continue;
        if (value === '' || e.DELETE === 'Y') row.fm = row.fm.filter((m) => m.ID !== id);
        else Object.assign(existing, { VALUE: value, VALUE_TYPE: String(e.VALUE_TYPE ?? existing.VALUE_TYPE) });
      } else if (value !== '') {
        row.fm.push({ ID: rt.store.nextId('multifield'), TYPE_ID: type, VALUE_TYPE: String(e.VALUE_TYPE ?? 'WORK'), VALUE: value });
      }
    }
  }
  if (row.fields.HAS_PHONE !== undefined || row.fields.HAS_EMAIL !== undefined) {
    row.fields.HAS_PHONE = row.fm.some((m) => m.TYPE_ID === 'PHONE') ? 'Y' : 'N';
    row.fields.HAS_EMAIL = row.fm.some((m) => m.TYPE_ID === 'EMAIL') ? 'Y' : 'N';
  }
}

function readFields(store: SandboxStore, entity: ClassicEntity, input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw fail("Parameter 'fields' must be array.");
  const out: Record<string, unknown> = {};
  const byName = new Map(classicFields(store, entity).map((f) => [f.name, f]));
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const f = byName.get(k.toUpperCase());
    if (!f || f.isReadOnly || (MULTI_FIELDS as readonly string[]).includes(f.name) || f.name === 'ID') continue;
    out[f.name] = coerce(f, v);
  }
  return out;
}

function checkRequired(store: SandboxStore, entity: ClassicEntity, row: SClassicRow): void {
  for (const f of classicFields(store, entity)) {
    if (!f.isRequired) continue;
    const v = row.fields[f.name];
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) throw fail(`Field "${f.title}" is required.`);
  }
}

export function addClassic(rt: PortalRuntime, entity: ClassicEntity, input: unknown, userId: number): SClassicRow {
  const fields = readFields(rt.store, entity, input);
  const now = rt.clock.now();
  const id = rt.store.nextId(entity.key);
  const row: SClassicRow = {
    ID: id,
    fields: { ...entity.defaults(rt, userId), DATE_CREATE: now, DATE_MODIFY: now, CREATED_BY_ID: userId, MODIFY_BY_ID: userId, ...fields },
    fm: [],
  };
  applyMulti(rt, row, input as Record<string, unknown>);
  entityHooks[entity.key]?.(row, fields);
  checkRequired(rt.store, entity, row);
  entity.table(rt.store).insert(row);
  return row;
}

export function updateClassic(rt: PortalRuntime, entity: ClassicEntity, row: SClassicRow, input: unknown, userId: number): void {
  const fields = readFields(rt.store, entity, input);
  const next: SClassicRow = { ...row, fields: { ...row.fields, ...fields }, fm: row.fm.map((m) => ({ ...m })) };
  applyMulti(rt, next, input as Record<string, unknown>);
  entityHooks[entity.key]?.(next, fields);
  checkRequired(rt.store, entity, next);
  next.fields.DATE_MODIFY = rt.clock.now();
  next.fields.MODIFY_BY_ID = userId;
  row.fields = next.fields;
  row.fm = next.fm;
  entity.table(rt.store).touch();
}

/** Keeps the contact's legacy COMPANY_ID and COMPANY_IDS in step (crm-contact-fields.md marks COMPANY_ID deprecated). */
const entityHooks: Partial<Record<ClassicEntity['key'], (row: SClassicRow, input: Record<string, unknown>) => void>> = {
  contact(row, input) {
    if ('COMPANY_IDS' in input) row.fields.COMPANY_ID = asList(row.fields.COMPANY_IDS)[0] ?? null;
    else if ('COMPANY_ID' in input) row.fields.COMPANY_IDS = row.fields.COMPANY_ID ? [row.fields.COMPANY_ID] : [];
  },
};

export function classicById(rt: PortalRuntime, entity: ClassicEntity, id: unknown, message: string): SClassicRow {
  const n = toIntOrNull(id);
  if (n === null || n <= 0) throw fail('ID is not defined or invalid.');
  const row = entity.table(rt.store).get(n);
  if (!row) throw fail(message);
  return row;
}
