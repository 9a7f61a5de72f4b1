/**
 * Rows the sandbox portal keeps. Shapes follow what the REST methods answer (UPPER_CASE for the classic CRM and user
 * methods, camelCase for crm.item / crm.type), so rendering an answer is mostly picking keys. Times are epoch ms.
 */

export type YN = 'Y' | 'N';

export interface SUser {
  ID: number;
  ACTIVE: boolean;
  NAME: string;
  LAST_NAME: string;
  SECOND_NAME: string;
  EMAIL: string;
  LOGIN: string;
  /** `employee` (intranet), `extranet` (external), `email` (mail-only) — user.get FILTER USER_TYPE. */
  USER_TYPE: 'employee' | 'extranet' | 'email';
  IS_ADMIN: boolean;
  UF_DEPARTMENT: number[];
  WORK_POSITION: string;
  WORK_PHONE: string;
  PERSONAL_MOBILE: string;
  PERSONAL_GENDER: 'M' | 'F' | '';
  PERSONAL_BIRTHDAY: string;
  DATE_REGISTER: number;
  LAST_LOGIN: number | null;
  TIME_ZONE: string;
  /** Sandbox-only: what the demo uses this user for (admin, manager, service, dealer). */
  role: 'admin' | 'manager' | 'service' | 'dealer' | 'other';
  /** Sandbox-only: CRM permission of an employee on items (default full); lets tests meet ACCESS_DENIED. */
  crmAccess?: 'full' | 'read' | 'none';
  /** Sandbox-only: CRM company of an extranet dealer user (the demo links it through a contact with the same e-mail). */
  companyId?: number | null;
}

export interface SApp {
  id: number;
  clientId: string;
  clientSecret: string;
  code: string;
  appUrl: string;
  installUrl: string;
  redirectUrl: string | null;
  installEventHandlerUrl: string | null;
  scope: string[];
  version: number;
  status: 'L' | 'F' | 'D' | 'T' | 'P' | 'S';
  /** The app is present on the portal (installed by an admin, not removed). */
  active: boolean;
  /** `INSTALLED` in app.info: the install page called installFinish (settings/app-installation/installation-finish.md). */
  installed: boolean;
  applicationToken: string | null;
  installedBy: number | null;
  /** Users allowed to open the app; null = everyone (user_access_error otherwise). */
  accessUserIds: number[] | null;
  /** Protocol face the admin installed it through, which decides DOMAIN / client_endpoint in what the portal sends. */
  face: 'http' | 'https';
  languageId: string;
}

export interface SWebhook {
  id: number;
  userId: number;
  secret: string;
  /** null = every scope. */
  scope: string[] | null;
  title: string;
}

export interface SAccessToken {
  token: string;
  clientId: string;
  userId: number;
  scope: string[];
  expiresAt: number;
  face: 'http' | 'https';
}

export interface SRefreshToken {
  token: string;
  clientId: string;
  userId: number;
  scope: string[];
  expiresAt: number;
  face: 'http' | 'https';
}

export interface SAuthCode {
  code: string;
  clientId: string;
  userId: number;
  expiresAt: number;
  face: 'http' | 'https';
  used: boolean;
}

export interface SRelation {
  entityTypeId: number;
  isChildrenListEnabled: YN;
  isPredefined: YN;
}

export interface SType {
  id: number;
  entityTypeId: number;
  title: string;
  code: string;
  createdBy: number;
  updatedBy: number;
  createdTime: number;
  updatedTime: number;
  flags: Record<string, YN>;
  relations: { parent: SRelation[]; child: SRelation[] };
  linkedUserFields: Record<string, YN>;
  customSectionId: number | null;
}

export interface SCategory {
  id: number;
  entityTypeId: number;
  name: string;
  sort: number;
  isDefault: boolean;
  code: string | null;
  createdDate: number;
  isSystem: boolean;
}

export interface SStatus {
  ID: number;
  ENTITY_ID: string;
  STATUS_ID: string;
  NAME: string;
  NAME_INIT: string;
  SORT: number;
  SYSTEM: YN;
  CATEGORY_ID: number | null;
  COLOR: string;
  SEMANTICS: 'S' | 'F' | null;
}

export interface SUserFieldEnum {
  ID: number;
  VALUE: string;
  DEF: YN;
  SORT: number;
  XML_ID: string;
}

export interface SUserField {
  id: number;
  entityId: string;
  fieldName: string;
  userTypeId: string;
  xmlId: string;
  sort: number;
  multiple: YN;
  mandatory: YN;
  showFilter: string;
  showInList: YN;
  editInList: YN;
  isSearchable: YN;
  settings: Record<string, unknown>;
  editFormLabel: Record<string, string>;
  listColumnLabel: Record<string, string>;
  listFilterLabel: Record<string, string>;
  errorMessage: Record<string, string>;
  helpMessage: Record<string, string>;
  enum: SUserFieldEnum[];
}

/** A crm.item row: system fields in camelCase, user fields under their UF_CRM_ names. */
export interface SItem {
  entityTypeId: number;
  id: number;
  fields: Record<string, unknown>;
  uf: Record<string, unknown>;
}

export interface SMultiField {
  ID: number;
  TYPE_ID: 'PHONE' | 'EMAIL' | 'WEB' | 'IM' | 'LINK';
  VALUE_TYPE: string;
  VALUE: string;
}

/** crm.company / crm.contact / crm.requisite rows: UPPER_CASE fields as their methods answer them. */
export interface SClassicRow {
  ID: number;
  fields: Record<string, unknown>;
  fm: SMultiField[];
}

export interface SProductRow {
  id: number;
  ownerId: number;
  ownerType: string;
  productId: number;
  productName: string;
  price: number;
  priceAccount: number;
  priceExclusive: number;
  priceNetto: number;
  priceBrutto: number;
  quantity: number;
  discountTypeId: number;
  discountRate: number;
  discountSum: number;
  taxRate: number | null;
  taxIncluded: YN;
  customized: YN;
  measureCode: number;
  measureName: string;
  sort: number;
  xmlId: string | null;
  type: number;
  storeId: number | null;
}

export interface STimelineComment {
  id: number;
  entityId: number;
  entityType: string;
  comment: string;
  authorId: number;
  created: number;
  files: unknown[];
}

export interface SPlacement {
  id: number;
  clientId: string;
  placement: string;
  handler: string;
  title: string;
  description: string;
  groupName: string;
  langAll: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>;
  options: Record<string, unknown>;
  userId: number;
}

export interface SRobot {
  id: number;
  clientId: string;
  code: string;
  handler: string;
  authUserId: number;
  useSubscription: string;
  name: unknown;
  description: unknown;
  properties: Record<string, unknown>;
  returnProperties: Record<string, unknown>;
  documentType: string[] | null;
  filter: Record<string, unknown> | null;
  usePlacement: YN;
  placementHandler: string | null;
}

export interface SEventBinding {
  id: number;
  clientId: string;
  event: string;
  handler: string;
  authType: number;
  offline: 0 | 1;
  authConnector: string;
  options: Record<string, unknown>;
}

export interface SNotification {
  id: number;
  kind: 'system' | 'personal';
  toUserId: number;
  fromUserId: number | null;
  message: string;
  messageOut: string;
  tag: string;
  subTag: string;
  attach: unknown;
  clientId: string | null;
  createdAt: number;
}

export interface SAutomationRobot {
  clientId: string;
  code: string;
  properties: Record<string, unknown>;
  title?: string;
}

export interface SAutomationRule {
  id: number;
  entityTypeId: number;
  categoryId: number;
  stageId: string;
  robots: SAutomationRobot[];
}

export interface SWorkflowStep {
  robotCode: string;
  clientId: string;
  eventToken: string;
  sentAt: number | null;
  status: 'pending' | 'sent' | 'waiting' | 'done' | 'failed' | 'skipped';
  httpStatus: number | null;
  returnValues: Record<string, unknown> | null;
  logMessage: string | null;
  completedAt: number | null;
  error: string | null;
}

export interface SWorkflow {
  id: string;
  entityTypeId: number;
  itemId: number;
  categoryId: number;
  stageId: string;
  status: 'running' | 'waiting' | 'completed' | 'failed' | 'terminated';
  startedAt: number;
  steps: SWorkflowStep[];
}

export interface SDelivery {
  id: number;
  kind: 'event' | 'robot' | 'install';
  event: string;
  url: string;
  body: Record<string, unknown>;
  createdAt: number;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  httpStatus: number | null;
  error: string | null;
}
