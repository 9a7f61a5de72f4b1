import type { PortalRuntime } from '../core/runtime.js';
import { RestError } from '../rest/rest-error.js';
import type { SItem, SStatus } from '../store/types.js';
import { fieldByName, itemFields, storedValue, type ItemField } from './item-fields.js';
import { semanticOf, stagesOf } from './stages.js';
import { categoriesOf, defaultCategory, type ItemTypeModel } from './type-model.js';
import { asList, coerceInput, renderValue, toIntOrNull } from './values.js';

/**
 * crm.item.add / update / delete semantics (api-reference/crm/universal/crm-item-add.md, crm-item-update.md):
 * unknown fields are ignored, defaults are filled, the stage must belong to the item's pipeline, mandatory user
 * fields are checked on add and when the stage moves, automation runs after the save.
 */

export function findItem(rt: PortalRuntime, entityTypeId: number, id: unknown): SItem {
  const n = toIntOrNull(id);
  const item = n === null ? undefined : rt.store.items.get(`${entityTypeId}:${n}`);
  if (!item) throw new RestError('NOT_FOUND', 'Element not found', 400);
  return item;
}

const fileUrl = (rt: PortalRuntime) => (id: number) => `${rt.addresses().httpUrl}/bitrix/tools/crm_show_file.php?fileId=${id}`;

/** An item as crm.item.get/add/update/list answer it; `select` narrows the keys for list. */
export function renderItem(rt: PortalRuntime, model: ItemTypeModel, item: SItem, opts: { original?: boolean; select?: string[] } = {}): Record<string, unknown> {
  const categoryId = toIntOrNull(item.fields.categoryId);
  const fields = itemFields(rt.store, model, categoryId, opts.original);
  const select = opts.select && opts.select.length > 0 ? opts.select : ['*'];
  const all = select.includes('*');
  const wantsUf = all || select.some((s) => /^uf\*$/i.test(s) || s === 'UF_*');
  const explicit = new Set(select.filter((s) => s !== '*'));
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.hiddenInFields && field.name === 'fm' && !all) continue;
    // The item id is always selected: list paging by id cursor relies on it (list-methods-pecularities.md).
    const picked =
      field.name === 'id' ||
      (all && field.source === 'std') ||
      (wantsUf && field.source === 'uf') ||
      explicit.has(field.name) ||
      explicit.has(field.upperName) ||
      [...explicit].some((s) => s.endsWith('*') && s.length > 1 && field.name.toLowerCase().startsWith(s.slice(0, -1).toLowerCase()));
    if (!picked) continue;
    out[field.name] = field.enabled ? renderValue(field, storedValue(item, field), fileUrl(rt)) : field.isMultiple ? [] : null;
  }
  if (all || explicit.has('entityTypeId')) out.entityTypeId = model.entityTypeId;
  return out;
}

function stageById(rt: PortalRuntime, model: ItemTypeModel, categoryId: number, stageId: string): SStatus | undefined {
  return stagesOf(rt.store, model.stageEntityId(categoryId)).find((s) => s.STATUS_ID === stageId);
}

/** The pipeline a stage id names (`DT156_7:NEW` → 7, `C3:WON` → 3, `NEW` → default). */
function categoryOfStage(rt: PortalRuntime, model: ItemTypeModel, stageId: string): number | null {
  for (const c of categoriesOf(rt.store, model.entityTypeId)) if (stageById(rt, model, c.id, stageId)) return c.id;
  return null;
}

function invalid(field: ItemField | { title: string }): RestError {
  return new RestError('CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${field.title}"`, 400);
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

interface WriteContext {
  rt: PortalRuntime;
  model: ItemTypeModel;
  userId: number;
  clientId: string | null;
  original: boolean;
}

/** Reads `fields` into a patch of stored values; read-only, disabled and unknown keys are ignored. */
function readInput(ctx: WriteContext, fields: ItemField[], input: Record<string, unknown>): { std: Record<string, unknown>; uf: Record<string, unknown> } {
  const std: Record<string, unknown> = {};
  const uf: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = fieldByName(fields, key);
    if (!field || !field.enabled || field.isReadOnly || field.name === 'fm') continue;
    if (field.source === 'uf') {
      const ufRow = ctx.rt.store.userFields.find((u) => u.entityId === ctx.model.ufEntityId && u.fieldName === field.upperName);
      const v = coerceInput(field, value);
      if (ufRow?.userTypeId === 'enumeration') {
        for (const id of asList(v)) if (id !== null && !ufRow.enum.some((e) => e.ID === id)) throw invalid(field);
      }
      uf[field.upperName] = v;
    } else {
      std[field.name] = coerceInput(field, value);
    }
  }
  return { std, uf };
}

function checkMandatory(ctx: WriteContext, fields: ItemField[], item: { uf: Record<string, unknown> }): void {
  for (const field of fields) {
    if (field.source === 'uf' && field.isRequired && isEmptyValue(item.uf[field.upperName])) {
      throw new RestError('CRM_FIELD_ERROR_REQUIRED', `The "${field.title}" field is required`, 400);
    }
  }
}

function ufDefaults(ctx: WriteContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const uf of ctx.rt.store.userFields.filter((u) => u.entityId === ctx.model.ufEntityId)) {
    const def = uf.settings.DEFAULT_VALUE;
    if (uf.userTypeId === 'enumeration') {
      const defs = uf.enum.filter((e) => e.DEF === 'Y').map((e) => e.ID);
      if (defs.length) out[uf.fieldName] = uf.multiple === 'Y' ? defs : defs[0];
    } else if (uf.userTypeId === 'boolean') {
      out[uf.fieldName] = String(def ?? '0') === '1' ? 'Y' : 'N';
    } else if (def !== undefined && def !== null && def !== '' && typeof def !== 'object') {
      out[uf.fieldName] = uf.multiple === 'Y' ? [def] : def;
    }
  }
  return out;
}

function syncContacts(std: Record<string, unknown>, previous?: Record<string, unknown>): void {
  if ('contactIds' in std) std.contactId = asList(std.contactIds)[0] ?? null;
  else if ('contactId' in std) std.contactIds = std.contactId ? [std.contactId] : [];
  else if (previous && !('contactIds' in previous)) std.contactIds = [];
}

/** The full-text index the portal keeps for deals and leads: the item's words in one string. */
function searchContent(item: SItem): string {
  const f = item.fields;
  const money = typeof f.opportunity === 'number' ? `${f.opportunity.toFixed(2)} ${String(f.currencyId ?? '')}` : '';
  const fm = (asList(f.fm) as Record<string, unknown>[]).map((m) => String(m.value ?? ''));
  return [item.id, f.title, f.lastName, f.name, f.secondName, f.companyTitle, money, ...fm, f.post, f.comments]
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map(String)
    .join(' ');
}

/**
 * Multi-fields of a lead (`fm`, crm/data-types.md#crm_multifield): entries with an id change or (empty value) drop,
 * new ones get an id; the flat helpers (email, phone, emailWork…) follow.
 */
function applyLeadFm(ctx: WriteContext, item: SItem, raw: unknown): void {
  if (ctx.model.kind !== 'lead' || raw === undefined) return;
  const current = (asList(item.fields.fm) as Record<string, unknown>[]).map((m) => ({ ...m }));
  for (const entry of asList(raw)) {
    const e = (entry ?? {}) as Record<string, unknown>;
    const id = toIntOrNull(e.id ?? e.ID);
    const value = String(e.value ?? e.VALUE ?? '');
    const typeId = String(e.typeId ?? e.TYPE_ID ?? 'PHONE').toUpperCase();
    const valueType = String(e.valueType ?? e.VALUE_TYPE ?? 'WORK').toUpperCase();
    const existing = id === null ? undefined : current.find((m) => m.id === id);
    if (existing) {
      if (!value) current.splice(current.indexOf(existing), 1);
      else Object.assign(existing, { value, valueType });
    } else if (value) {
      current.push({ id: ctx.rt.store.nextId('multifield'), valueType, value, typeId });
    }
  }
  const f = item.fields;
  f.fm = current;
  const pick = (type: string, vt?: string) => (current.find((m) => m.typeId === type && (!vt || m.valueType === vt))?.value as string | undefined) ?? '';
  Object.assign(f, {
    hasPhone: current.some((m) => m.typeId === 'PHONE') ? 'Y' : 'N',
    hasEmail: current.some((m) => m.typeId === 'EMAIL') ? 'Y' : 'N',
    hasImol: current.some((m) => m.typeId === 'IM') ? 'Y' : 'N',
    phone: pick('PHONE'),
    email: pick('EMAIL'),
    phoneMobile: pick('PHONE', 'MOBILE'),
    phoneWork: pick('PHONE', 'WORK'),
    phoneMailing: pick('PHONE', 'MAILING'),
    emailHome: pick('EMAIL', 'HOME'),
    emailWork: pick('EMAIL', 'WORK'),
    emailMailing: pick('EMAIL', 'MAILING'),
    imol: pick('IM', 'IMOL'),
  });
}

function applyComputed(ctx: WriteContext, item: SItem): void {
  if (ctx.model.kind === 'dynamic') return;
  // Deals and leads answer 0, not null, for an empty client link (crm-item-get.md, crm-item-update.md examples).
  for (const key of ['companyId', 'contactId']) if (item.fields[key] === null || item.fields[key] === undefined) item.fields[key] = 0;
  item.fields.searchContent = searchContent(item);
  const categoryId = toIntOrNull(item.fields.categoryId) ?? 0;
  const stage = stageById(ctx.rt, ctx.model, categoryId, String(item.fields.stageId ?? ''));
  const sem = semanticOf(stage);
  item.fields.stageSemanticId = sem;
  if (ctx.model.kind === 'deal') {
    item.fields.closed = sem === 'P' ? 'N' : 'Y';
    item.fields.isWork = sem === 'P' ? 'Y' : 'N';
    item.fields.isWon = sem === 'S' ? 'Y' : 'N';
    item.fields.isLose = sem === 'F' ? 'Y' : 'N';
  }
}

export function addItem(ctx: WriteContext, input: Record<string, unknown>): SItem {
  const { rt, model } = ctx;
  if (!input || typeof input !== 'object') throw new RestError('100', 'Could not find value for parameter {fields}', 400);
  const requestedCategory = toIntOrNull(input.categoryId);
  const requestedStage = typeof input.stageId === 'string' && input.stageId !== '' ? input.stageId : null;
  let categoryId = model.hasCategories ? (defaultCategory(rt.store, model.entityTypeId)?.id ?? 0) : null;
  if (model.hasCategories && requestedCategory !== null) {
    if (!categoriesOf(rt.store, model.entityTypeId).some((c) => c.id === requestedCategory)) throw invalid({ title: 'Воронка' });
    categoryId = requestedCategory;
  } else if (model.hasCategories && requestedStage) {
    categoryId = categoryOfStage(rt, model, requestedStage) ?? categoryId;
  }
  const fields = itemFields(rt.store, model, categoryId, ctx.original);
  const { std, uf } = readInput(ctx, fields, input);
  const now = rt.clock.now();
  const id = 0;
  const stages = stagesOf(rt.store, model.stageEntityId(categoryId ?? 0));
  const stageEnabled = fields.find((f) => f.name === 'stageId')?.enabled ?? false;
  let stageId: string | null = null;
  if (stageEnabled) {
    stageId = requestedStage ?? stages[0]?.STATUS_ID ?? null;
    if (requestedStage && !stages.some((s) => s.STATUS_ID === requestedStage)) throw invalid(fields.find((f) => f.name === 'stageId')!);
  }
  const enabled = (name: string) => fields.find((f) => f.name === name)?.enabled ?? false;
  const base: Record<string, unknown> = {
    id,
    xmlId: null,
    createdBy: ctx.userId,
    updatedBy: ctx.userId,
    movedBy: ctx.userId,
    createdTime: now,
    updatedTime: now,
    movedTime: now,
    opened: 'Y',
    assignedById: ctx.userId,
    webformId: null,
    lastActivityBy: ctx.userId,
    lastActivityTime: now,
    observers: [],
    contactIds: [],
    contactId: null,
  };
  if (model.hasCategories) base.categoryId = categoryId;
  if (stageEnabled) {
    base.stageId = stageId;
    base.previousStageId = null;
  }
  if (enabled('currencyId')) Object.assign(base, { currencyId: 'RUB', opportunity: 0, taxValue: 0, isManualOpportunity: 'N' });
  if (enabled('sourceId')) base.sourceId = stagesOf(rt.store, 'SOURCE')[0]?.STATUS_ID ?? null;
  if (enabled('begindate')) {
    const today = new Date(now);
    const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    base.begindate = iso(today);
    base.closedate = iso(new Date(now + 7 * 86_400_000));
  }
  if (enabled('mycompanyId')) {
    base.mycompanyId = rt.store.companies.find((c) => c.fields.IS_MY_COMPANY === 'Y')?.ID ?? null;
  }
  // Deal and lead defaults as their doc examples show them for fields nobody set.
  const classicDefaults = { companyId: 0, contactId: 0, webformId: 0, comments: '', sourceDescription: '', currencyId: 'RUB', opportunity: 0, isManualOpportunity: 'N', taxValue: 0 };
  if (model.kind === 'deal') Object.assign(base, classicDefaults, { isNew: 'Y', isRecurring: 'N', isReturnCustomer: 'N', isRepeatedApproach: 'N', probability: null, typeId: 'SALE', sourceId: '' });
  if (model.kind === 'lead') {
    Object.assign(base, classicDefaults, { isReturnCustomer: 'N', hasPhone: 'N', hasEmail: 'N', hasImol: 'N', fm: [], sourceId: stagesOf(rt.store, 'SOURCE')[0]?.STATUS_ID ?? null });
  }
  syncContacts(std);
  const item: SItem = { entityTypeId: model.entityTypeId, id, fields: { ...base, ...std }, uf: { ...ufDefaults(ctx), ...uf } };
  if (stageEnabled && item.fields.stageId !== stageId) item.fields.stageId = stageId;
  applyLeadFm(ctx, item, input.fm);
  checkMandatory(ctx, fields, item);
  applyComputed(ctx, item);
  // The id is taken only once the item is valid, as an autoincrement would.
  item.id = rt.store.nextId(`item:${model.entityTypeId}`);
  item.fields.id = item.id;
  if (item.fields.title === null || item.fields.title === undefined || item.fields.title === '') {
    item.fields.title = `${model.title} #${item.id}`;
  }
  rt.store.items.insert(item);
  return item;
}

export interface UpdateOutcome {
  item: SItem;
  changed: boolean;
  previousStageId: string | null;
  stageChanged: boolean;
}

export function updateItem(ctx: WriteContext, item: SItem, input: Record<string, unknown>): UpdateOutcome {
  const { rt, model } = ctx;
  if (!input || typeof input !== 'object') throw new RestError('100', 'Could not find value for parameter {fields}', 400);
  let categoryId = toIntOrNull(item.fields.categoryId);
  const requestedCategory = toIntOrNull(input.categoryId);
  const requestedStage = typeof input.stageId === 'string' && input.stageId !== '' ? input.stageId : null;
  let forceFirstStage = false;
  if (model.hasCategories && requestedCategory !== null && requestedCategory !== categoryId) {
    if (!categoriesOf(rt.store, model.entityTypeId).some((c) => c.id === requestedCategory)) throw invalid({ title: 'Воронка' });
    categoryId = requestedCategory;
    forceFirstStage = requestedStage === null;
  }
  const fields = itemFields(rt.store, model, categoryId, ctx.original);
  const { std, uf } = readInput(ctx, fields, input);
  const stageField = fields.find((f) => f.name === 'stageId');
  const previousStageId = (item.fields.stageId as string | null | undefined) ?? null;
  if (stageField?.enabled) {
    const stages = stagesOf(rt.store, model.stageEntityId(categoryId ?? 0));
    if (requestedStage && !stages.some((s) => s.STATUS_ID === requestedStage)) throw invalid(stageField);
    if (forceFirstStage) std.stageId = stages[0]?.STATUS_ID ?? null;
  }
  if (model.hasCategories) std.categoryId = categoryId;
  syncContacts(std, item.fields);
  if (model.kind === 'lead' && input.fm !== undefined) {
    const probe: SItem = { ...item, fields: { ...item.fields } };
    applyLeadFm(ctx, probe, input.fm);
    for (const k of ['fm', 'hasPhone', 'hasEmail', 'hasImol', 'phone', 'email', 'phoneMobile', 'phoneWork', 'phoneMailing', 'emailHome', 'emailWork', 'emailMailing', 'imol']) std[k] = probe.fields[k];
  }
  const changedStd = Object.entries(std).filter(([k, v]) => JSON.stringify(item.fields[k] ?? null) !== JSON.stringify(v ?? null));
  const changedUf = Object.entries(uf).filter(([k, v]) => JSON.stringify(item.uf[k] ?? null) !== JSON.stringify(v ?? null));
  if (changedStd.length === 0 && changedUf.length === 0) return { item, changed: false, previousStageId, stageChanged: false };
  const stageChanged = stageField?.enabled === true && 'stageId' in std && std.stageId !== previousStageId;
  const candidate: SItem = { ...item, fields: { ...item.fields, ...std }, uf: { ...item.uf, ...uf } };
  const now = rt.clock.now();
  if (stageChanged) {
    checkMandatory(ctx, fields, candidate);
    candidate.fields.previousStageId = previousStageId;
    candidate.fields.movedTime = now;
    candidate.fields.movedBy = ctx.userId;
  } else {
    for (const [k, v] of changedUf) {
      const field = fields.find((f) => f.upperName === k);
      if (field?.isRequired && isEmptyValue(v)) throw new RestError('CRM_FIELD_ERROR_REQUIRED', `The "${field.title}" field is required`, 400);
    }
  }
  candidate.fields.updatedTime = now;
  candidate.fields.updatedBy = ctx.userId;
  if (candidate.fields.title === '' || candidate.fields.title === null) candidate.fields.title = `${model.title} #${item.id}`;
  applyComputed(ctx, candidate);
  item.fields = candidate.fields;
  item.uf = candidate.uf;
  rt.store.items.touch();
  return { item, changed: true, previousStageId, stageChanged };
}

export function deleteItem(rt: PortalRuntime, item: SItem): void {
  rt.store.items.delete(`${item.entityTypeId}:${item.id}`);
  const owner = item.entityTypeId;
  rt.store.productRows.deleteWhere((r) => r.ownerId === item.id && r.ownerType === ownerCodeFor(owner));
}

function ownerCodeFor(entityTypeId: number): string {
  const fixed: Record<number, string> = { 1: 'L', 2: 'D' };
  return fixed[entityTypeId] ?? `T${entityTypeId.toString(16)}`;
}

export type { WriteContext };
