import type { SmartProcessKey } from '../manifest.js';

/**
 * What the reconciler knows about a portal: rows as the REST methods answer them, normalised (numbers as numbers,
 * flags as 'Y'/'N'). Built by read-portal-state.ts, changed in memory by every applied operation, and turned into the
 * tenant's `settings.installer` record by build-record.ts.
 */
export type YN = 'Y' | 'N';

export interface RelationRow {
  entityTypeId: number;
  isChildrenListEnabled: YN;
  isPredefined: YN;
}

/** crm.type.list / crm.type.get (api-reference/crm/data-types.md#type). `relations` only from crm.type.get. */
export interface TypeRow {
  id: number;
  entityTypeId: number;
  title: string;
  code: string;
  flags: Record<string, YN>;
  relations: { parent: RelationRow[]; child: RelationRow[] } | null;
}

/** userfieldconfig.list/get (api-reference/crm/universal/userfieldconfig/). Labels merged over the languages read. */
export interface FieldRow {
  id: number;
  entityId: string;
  fieldName: string;
  userTypeId: string;
  multiple: YN;
  mandatory: YN;
  showFilter: string;
  settings: Record<string, unknown>;
  editFormLabel: Record<string, string>;
  helpMessage: Record<string, string>;
  /** Options of an enumeration field; null until userfieldconfig.get was read (list does not return them). */
  enum: EnumRow[] | null;
}

export interface EnumRow {
  id: number;
  value: string;
  def: YN;
  sort: number;
  xmlId: string;
}

export interface CategoryRow {
  id: number;
  entityTypeId: number;
  name: string;
  isDefault: boolean;
}

/** crm.status.list rows of one pipeline (`DYNAMIC_{eTI}_STAGE_{cat}`), api-reference/crm/status/crm-status-list.md. */
export interface StageRow {
  id: number;
  entityId: string;
  statusId: string;
  name: string;
  sort: number;
  color: string;
  semantics: 'P' | 'S' | 'F';
  system: boolean;
}

/** placement.get (api-reference/widgets/placement-get.md). */
export interface PlacementRow {
  placement: string;
  handler: string;
  title: string;
  options: Record<string, unknown>;
  langAll: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>;
}

/** event.get (api-reference/events/event-get.md). */
export interface EventRow {
  event: string;
  handler: string;
  authType: number;
  offline: boolean;
}

/** Everything read about one smart-process type the manifest cares about. */
export interface TypeDetails {
  type: TypeRow;
  fields: FieldRow[];
  categories: CategoryRow[];
  /** Stages per category id, in pipeline order. */
  stages: Map<number, StageRow[]>;
  /** Items of the type (read for uninstall only: crm.type.delete refuses a type that has items). */
  itemCount: number | null;
}

export interface PortalState {
  types: TypeRow[];
  /** Details of the types bound to manifest keys, by type id. */
  details: Map<number, TypeDetails>;
  placements: PlacementRow[];
  /** bizproc.robot.list answers codes only (bizproc-robot-list.md). */
  robots: string[];
  events: EventRow[];
  /** The installing administrator (robots run with this user's token: AUTH_USER_ID). */
  adminUserId: number | null;
}

/** Which portal type stands for a manifest smart process, and whether DealerHub created it. */
export interface TypeBinding {
  key: SmartProcessKey;
  typeId: number;
  entityTypeId: number;
  createdByUs: boolean;
}
