import type { CategoryRow, EnumRow, EventRow, FieldRow, PlacementRow, RelationRow, StageRow, TypeRow, YN } from './portal-state.types.js';

/**
 * Pure mappers from REST answers to the reconciler's rows. Bitrix24 answers numbers as strings in some methods
 * (crm.status.*, userfieldconfig.*), PHP-empty maps as `[]`, and labels as a map or a string; these read all of them.
 */
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v as Obj) : []);
const int = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
};
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const yn = (v: unknown): YN => (v === true || v === 'Y' || v === 'y' || v === 1 || v === '1' || v === 'true' ? 'Y' : 'N');

const TYPE_META = new Set(['id', 'entityTypeId', 'title', 'code', 'createdBy', 'updatedBy', 'createdTime', 'updatedTime', 'customSectionId', 'relations', 'linkedUserFields', 'customSections']);

function relation(r: unknown): RelationRow {
  const o = obj(r);
  return { entityTypeId: int(o.entityTypeId), isChildrenListEnabled: yn(o.isChildrenListEnabled), isPredefined: yn(o.isPredefined) };
}

export function parseType(raw: unknown): TypeRow {
  const o = obj(raw);
  const flags: Record<string, YN> = {};
  for (const [k, v] of Object.entries(o)) if (/^is[A-Z]/.test(k) && !TYPE_META.has(k)) flags[k] = yn(v);
  const rel = o.relations === undefined ? null : obj(o.relations);
  return {
    id: int(o.id),
    entityTypeId: int(o.entityTypeId),
    title: str(o.title),
    code: str(o.code),
    flags,
    relations: rel ? { parent: list(rel.parent).map(relation), child: list(rel.child).map(relation) } : null,
  };
}

/** A lang map (`{ru: 'x', en: 'y'}`), or a plain string that applies to `lang`. */
export function langMap(v: unknown, lang?: string): Record<string, string> {
  if (typeof v === 'string') return lang ? { [lang]: v } : {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (x !== null && x !== undefined && x !== '') out[k] = String(x);
  return out;
}

export function parseEnum(raw: unknown): EnumRow {
  const o = obj(raw);
  return { id: int(o.id ?? o.ID), value: str(o.value ?? o.VALUE), def: yn(o.def ?? o.DEF), sort: int(o.sort ?? o.SORT), xmlId: str(o.xmlId ?? o.XML_ID) };
}

/** `lang` names the language a `select.language` list asked for, for answers that carry labels as strings. */
export function parseField(raw: unknown, lang?: string): FieldRow {
  const o = obj(raw);
  return {
    id: int(o.id),
    entityId: str(o.entityId),
    fieldName: str(o.fieldName),
    userTypeId: str(o.userTypeId),
    multiple: yn(o.multiple),
    mandatory: yn(o.mandatory),
    showFilter: str(o.showFilter || 'N'),
    settings: obj(o.settings),
    editFormLabel: langMap(o.editFormLabel, lang),
    helpMessage: langMap(o.helpMessage, lang),
    enum: o.enum === undefined ? null : list(o.enum).map(parseEnum),
  };
}

export function parseCategory(raw: unknown): CategoryRow {
  const o = obj(raw);
  return { id: int(o.id), entityTypeId: int(o.entityTypeId), name: str(o.name), isDefault: yn(o.isDefault) === 'Y' };
}

export function parseStage(raw: unknown): StageRow {
  const o = obj(raw);
  const sem = str(o.SEMANTICS);
  return {
    id: int(o.ID),
    entityId: str(o.ENTITY_ID),
    statusId: str(o.STATUS_ID),
    name: str(o.NAME),
    sort: int(o.SORT),
    color: str(o.COLOR),
    semantics: sem === 'S' ? 'S' : sem === 'F' ? 'F' : 'P',
    system: yn(o.SYSTEM) === 'Y',
  };
}

export function parsePlacement(raw: unknown): PlacementRow {
  const o = obj(raw);
  const langAll: PlacementRow['langAll'] = {};
  for (const [lang, v] of Object.entries(obj(o.langAll))) {
    const l = obj(v);
    langAll[lang] = { TITLE: str(l.TITLE), DESCRIPTION: str(l.DESCRIPTION), GROUP_NAME: str(l.GROUP_NAME) };
  }
  return { placement: str(o.placement).toUpperCase(), handler: str(o.handler), title: str(o.title), options: obj(o.options), langAll };
}

export function parseEvent(raw: unknown): EventRow {
  const o = obj(raw);
  return { event: str(o.event).toUpperCase(), handler: str(o.handler), authType: int(o.auth_type), offline: int(o.offline) === 1 };
}

/** Rows of a list answer: `{types:[…]}`, `{fields:[…]}`, `{categories:[…]}` or a bare array. */
export function rowsOf(result: unknown, key?: string): unknown[] {
  if (Array.isArray(result)) return result;
  const o = obj(result);
  if (key && key in o) return list(o[key]);
  const arrays = Object.values(o).filter(Array.isArray);
  return arrays.length === 1 ? (arrays[0] as unknown[]) : [];
}

export { obj as asObject, int as asInt, str as asString };
