import type { RobotDefinition, RobotProperty } from '../../robots/definitions.js';
import type { FieldSpec, LangText, Manifest, PlacementSpec, SmartProcessKey, SmartProcessSpec } from '../manifest.js';
import { ufUpperName } from './uf-names.js';

/**
 * What the manifest asks for, in the shapes the REST methods take. Pure: ids of the portal's types come in as
 * arguments (null while a type does not exist yet).
 */
export type Lang = 'ru' | 'en';
export type EntityTypeIds = Partial<Record<SmartProcessKey, number>>;

export const pick = (t: LangText, lang: Lang): string => t[lang];

/** Our symbolic code on a type we create (crm.type.fields: `code`, "Symbolic Code"): finds it again after a crash. */
export const typeCode = (key: SmartProcessKey): string => `dealerhub_${key}`;

/** Document type of a smart process in business processes (bizproc-robot-add.md §DOCUMENT_TYPE). */
export const dynamicDocumentType = (entityTypeId: number): [string, string, string] => [
  'crm',
  'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic',
  `DYNAMIC_${entityTypeId}`,
];

export const FLAG_KEYS = [
  'isStagesEnabled', 'isClientEnabled', 'isLinkWithProductsEnabled', 'isAutomationEnabled', 'isBizProcEnabled',
  'isObserversEnabled', 'isBeginCloseDatesEnabled', 'isDocumentsEnabled', 'isRecyclebinEnabled', 'isUseInUserfieldEnabled',
] as const;

export function desiredFlags(spec: SmartProcessSpec): Record<string, 'Y' | 'N'> {
  return Object.fromEntries(FLAG_KEYS.map((k) => [k, spec.flags[k] ? 'Y' : 'N']));
}

/**
 * crm.type.add fields (crm-type-add.md). Parents are `relations.parent` with isChildrenListEnabled "true" ("Y/N do
 * not work"); a parent created in the same batch is passed as a `$result[…]` reference.
 */
export function typeAddFields(spec: SmartProcessSpec, lang: Lang, parentIds: Array<number | string>): Record<string, unknown> {
  const fields: Record<string, unknown> = { title: pick(spec.title, lang), code: typeCode(spec.key), ...desiredFlags(spec) };
  if (parentIds.length) fields.relations = { parent: parentIds.map((entityTypeId) => ({ entityTypeId, isChildrenListEnabled: 'true' })), child: [] };
  return fields;
}

const USER_TYPE: Record<FieldSpec['type'], string> = {
  string: 'string', integer: 'integer', double: 'double', boolean: 'boolean', date: 'date', datetime: 'datetime',
  enumeration: 'enumeration', money: 'money', employee: 'employee', crm: 'crm', url: 'url', file: 'file',
};

export interface DesiredEnumOption {
  xmlId: string;
  value: string;
  def: 'Y' | 'N';
  sort: number;
}

export interface DesiredField {
  key: string;
  fieldName: string;
  userTypeId: string;
  multiple: 'Y' | 'N';
  /** Settings DealerHub relies on (e.g. which entities a CRM link may point to): always enforced. */
  settings: Record<string, unknown>;
  /** Texts and presentation: applied on create and when the manifest changes them (see fingerprints). */
  cosmetic: {
    mandatory: 'Y' | 'N';
    showFilter: 'Y' | 'N';
    editFormLabel: Record<Lang, string>;
    helpMessage: Record<Lang, string> | null;
    enumValues: Record<string, { value: string; def: 'Y' | 'N'; sort: number }>;
  };
  options: DesiredEnumOption[];
  /** null while a linked smart process does not exist yet. */
  pending: boolean;
}

/**
 * CRM link settings (userfieldconfig-add.md §crm): `COMPANY`, `CONTACT`, `DEAL` and `DYNAMIC_{entityTypeId}` for a smart
 * process (the owner-type name CCrmOwnerType gives a dynamic type).
 */
function crmLinkSettings(field: FieldSpec, etis: EntityTypeIds): { settings: Record<string, unknown>; pending: boolean } {
  const settings: Record<string, unknown> = {};
  let pending = false;
  for (const link of field.links ?? []) {
    if (link === 'COMPANY' || link === 'CONTACT' || link === 'DEAL') settings[link] = 'Y';
    else if (etis[link] !== undefined) settings[`DYNAMIC_${etis[link]}`] = 'Y';
    else pending = true;
  }
  return { settings, pending };
}

export function desiredField(field: FieldSpec, typeId: number | null, etis: EntityTypeIds, lang: Lang): DesiredField {
  const link = field.type === 'crm' ? crmLinkSettings(field, etis) : { settings: {}, pending: false };
  const options = (field.options ?? []).map((o, i) => ({ xmlId: o.xmlId, value: pick(o.label, lang), def: o.def ? ('Y' as const) : ('N' as const), sort: (i + 1) * 100 }));
  return {
    key: field.key,
    fieldName: ufUpperName(typeId, field.code),
    userTypeId: USER_TYPE[field.type],
    multiple: field.multiple ? 'Y' : 'N',
    settings: { ...(field.settings ?? {}), ...link.settings },
    cosmetic: {
      mandatory: field.mandatory ? 'Y' : 'N',
      showFilter: field.showFilter ? 'Y' : 'N',
      editFormLabel: { ru: field.label.ru, en: field.label.en },
      helpMessage: field.help ? { ru: field.help.ru, en: field.help.en } : null,
      enumValues: Object.fromEntries(options.map((o) => [o.xmlId, { value: o.value, def: o.def, sort: o.sort }])),
    },
    options,
    pending: typeId === null || link.pending,
  };
}

/** userfieldconfig.add `field` (userfieldconfig-add.md). */
export function fieldAddParams(entityId: string, d: DesiredField): Record<string, unknown> {
  const field: Record<string, unknown> = {
    entityId,
    fieldName: d.fieldName,
    userTypeId: d.userTypeId,
    multiple: d.multiple,
    mandatory: d.cosmetic.mandatory,
    showFilter: d.cosmetic.showFilter,
    editFormLabel: d.cosmetic.editFormLabel,
    settings: d.settings,
  };
  if (d.cosmetic.helpMessage) field.helpMessage = d.cosmetic.helpMessage;
  if (d.userTypeId === 'enumeration') field.enum = d.options.map((o) => ({ value: o.value, def: o.def, sort: o.sort, xmlId: o.xmlId }));
  return { moduleId: 'crm', field };
}

export interface DesiredStage {
  key: string;
  code: string;
  name: string;
  color: string;
  semantics: 'P' | 'S' | 'F';
  /** In progress first, then success, then failure (crm-status-add.md §Restrictions for SORT). */
  sort: number;
}

export function desiredStages(spec: SmartProcessSpec, lang: Lang): DesiredStage[] {
  const rank = { P: 0, S: 1, F: 2 } as const;
  const ordered = spec.stages.map((s, i) => ({ s, i })).sort((a, b) => rank[a.s.semantics] - rank[b.s.semantics] || a.i - b.i);
  return ordered.map(({ s }, i) => ({ key: s.key, code: s.code, name: pick(s.name, lang), color: s.color, semantics: s.semantics, sort: (i + 1) * 10 }));
}

export interface DesiredPlacement {
  key: string;
  placement: string;
  handler: string;
  title: string;
  langAll: Record<Lang, { TITLE: string }>;
  options: Record<string, unknown>;
  /** The code needs a smart process that does not exist yet. */
  pending: boolean;
  /** Depends on a smart process's entityTypeId (bound after the types). */
  dynamic: boolean;
}

/** Placements bound with placement.bind; `bind: false` specs (the app's own page) are configured in the app card. */
export function desiredPlacements(manifest: Manifest, etis: EntityTypeIds, publicUrl: string, lang: Lang): DesiredPlacement[] {
  const out: DesiredPlacement[] = [];
  for (const spec of manifest.placements) {
    if (spec.bind === false) continue;
    const code = placementCode(spec, manifest, etis);
    out.push({
      key: spec.key,
      placement: code.placement,
      handler: `${publicUrl}${spec.handlerPath}`,
      title: pick(spec.title, lang),
      langAll: { ru: { TITLE: spec.title.ru }, en: { TITLE: spec.title.en } },
      options: spec.options ?? {},
      pending: code.pending,
      dynamic: typeof spec.code === 'function',
    });
  }
  return out;
}

/** A code computed from entityTypeIds; a type that does not exist yet shows as `<key>` and makes it pending. */
function placementCode(spec: PlacementSpec, manifest: Manifest, etis: EntityTypeIds): { placement: string; pending: boolean } {
  if (typeof spec.code === 'string') return { placement: spec.code, pending: false };
  const probe = Object.fromEntries(manifest.smartProcesses.map((sp) => [sp.key, etis[sp.key] ?? `<${sp.key}>`]));
  const placement = spec.code(probe as unknown as Record<SmartProcessKey, number>);
  return { placement, pending: placement.includes('<') };
}

/** placement.bind params (placement-bind.md): TITLE in the portal language, LANG_ALL ru/en. */
export function placementBindParams(p: DesiredPlacement): Record<string, unknown> {
  const params: Record<string, unknown> = { PLACEMENT: p.placement, HANDLER: p.handler, TITLE: p.title, LANG_ALL: p.langAll };
  if (Object.keys(p.options).length) params.OPTIONS = p.options;
  return params;
}

function robotProperty(p: RobotProperty): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Name: { ru: p.name.ru, en: p.name.en },
    Type: p.type,
    Required: p.required ? 'Y' : 'N',
    Multiple: p.multiple ? 'Y' : 'N',
  };
  if (p.description) out.Description = { ru: p.description.ru, en: p.description.en };
  if (p.options) out.Options = p.options;
  if (p.default !== undefined) out.Default = p.default;
  return out;
}

export interface DesiredRobot {
  code: string;
  entityTypeIds: number[];
  params: Record<string, unknown>;
  pending: boolean;
}

/**
 * bizproc.robot.add params (bizproc-robot-add.md). CODE is unique per app, so a robot is registered once: DOCUMENT_TYPE
 * (which types PROPERTIES are read with) is its first smart process, and FILTER.INCLUDE lists the document types of
 * every smart process it names, so the automation designer offers it exactly there.
 */
export function desiredRobot(def: RobotDefinition, etis: EntityTypeIds, publicUrl: string, adminUserId: number | null): DesiredRobot {
  const ids = def.documentTypes.map((k) => etis[k]).filter((x): x is number => x !== undefined);
  const pending = ids.length !== def.documentTypes.length;
  const params: Record<string, unknown> = {
    CODE: def.code,
    HANDLER: `${publicUrl}/robots/${def.code}`,
    NAME: { ru: def.name.ru, en: def.name.en },
    DESCRIPTION: { ru: def.description.ru, en: def.description.en },
    USE_SUBSCRIPTION: def.waitsForAnswer ? 'Y' : 'N',
    USE_PLACEMENT: 'N',
    PROPERTIES: Object.fromEntries(Object.entries(def.properties).map(([k, p]) => [k, robotProperty(p)])),
    RETURN_PROPERTIES: Object.fromEntries(Object.entries(def.returnProperties).map(([k, p]) => [k, robotProperty(p)])),
  };
  if (adminUserId) params.AUTH_USER_ID = adminUserId;
  if (ids.length) {
    params.DOCUMENT_TYPE = dynamicDocumentType(ids[0]!);
    params.FILTER = { INCLUDE: ids.map(dynamicDocumentType) };
  }
  return { code: def.code, entityTypeIds: ids, params, pending };
}

export const eventsHandler = (publicUrl: string): string => `${publicUrl}/b24/events`;
