/**
 * Everything DealerHub adds to a Bitrix24 portal, as data (DESIGN.md §3). The reconciler (installer/reconcile/)
 * reads the portal, diffs it against this and applies the difference; it records the ids and the REST field names
 * it got back in the tenant's settings (`settings.installer`), which is how every module finds "the Orders smart
 * process" or "the ERP number field" on a given portal.
 *
 * Keys (`orders`, `erpNumber`) are ours and never change; codes sent to Bitrix24 (`UF_CRM_<typeId>_ERP_NUMBER`) are
 * letters only after the type id, so their REST names are predictable (`ufCrm<typeId>ErpNumber`,
 * api-reference/crm/universal/index.md §Field Naming Conventions).
 * Bump `version` whenever this file changes; the reconciler upgrades installed portals in place.
 */

import { ROBOT_DEFINITIONS } from '../robots/definitions.js';

export type LangText = { ru: string; en: string };

export type FieldType = 'string' | 'integer' | 'double' | 'boolean' | 'date' | 'datetime' | 'enumeration' | 'money' | 'employee' | 'crm' | 'url' | 'file';

export interface FieldSpec {
  /** Our key; the UF code is `UF_CRM_<typeId>_<code>`. */
  key: string;
  code: string;
  type: FieldType;
  label: LangText;
  multiple?: boolean;
  mandatory?: boolean;
  showFilter?: boolean;
  /** enumeration options: stable xmlId + labels. */
  options?: Array<{ xmlId: string; label: LangText; def?: boolean }>;
  /** crm links: which entities the field may point to (`COMPANY`, `CONTACT`, or a smart process key). */
  links?: Array<'COMPANY' | 'CONTACT' | 'DEAL' | SmartProcessKey>;
  settings?: Record<string, unknown>;
  help?: LangText;
}

/** P = in progress, S = success (final), F = failure (final); order within the list is the pipeline order. */
export interface StageSpec {
  key: string;
  code: string;
  name: LangText;
  semantics: 'P' | 'S' | 'F';
  color: string;
}

export type SmartProcessKey = 'dealers' | 'orders' | 'claims' | 'discounts' | 'offers';

export interface SmartProcessSpec {
  key: SmartProcessKey;
  title: LangText;
  flags: {
    isStagesEnabled: boolean;
    isClientEnabled: boolean;
    isLinkWithProductsEnabled: boolean;
    isAutomationEnabled: boolean;
    isBizProcEnabled: boolean;
    isObserversEnabled: boolean;
    isBeginCloseDatesEnabled: boolean;
    isDocumentsEnabled: boolean;
    isRecyclebinEnabled: boolean;
    isUseInUserfieldEnabled: boolean;
  };
  /** Parents this process is a child of (the item carries parentId<parentETI>). */
  parents: SmartProcessKey[];
  stages: StageSpec[];
  fields: FieldSpec[];
}

export const DEALER_GROUPS: FieldSpec['options'] = [
  { xmlId: 'A', label: { ru: 'Категория A', en: 'Category A' } },
  { xmlId: 'B', label: { ru: 'Категория B', en: 'Category B' }, def: true },
  { xmlId: 'C', label: { ru: 'Категория C', en: 'Category C' } },
  { xmlId: 'PARTNER', label: { ru: 'Партнёр', en: 'Partner' } },
];

const AUDIENCE: FieldSpec['options'] = [
  { xmlId: 'all', label: { ru: 'Все дилеры', en: 'All dealers' }, def: true },
  { xmlId: 'dealer', label: { ru: 'Дилер', en: 'Dealer' } },
  { xmlId: 'dealer_group', label: { ru: 'Группа дилеров', en: 'Dealer group' } },
];

const TARGET: FieldSpec['options'] = [
  { xmlId: 'all', label: { ru: 'Все товары', en: 'All goods' }, def: true },
  { xmlId: 'group', label: { ru: 'Группа товаров', en: 'Product group' } },
  { xmlId: 'brand', label: { ru: 'Бренд', en: 'Brand' } },
  { xmlId: 'product', label: { ru: 'Товар', en: 'Product' } },
];

const flags = (f: Partial<SmartProcessSpec['flags']>): SmartProcessSpec['flags'] => ({
  isStagesEnabled: false,
  isClientEnabled: false,
  isLinkWithProductsEnabled: false,
  isAutomationEnabled: false,
  isBizProcEnabled: false,
  isObserversEnabled: false,
  isBeginCloseDatesEnabled: false,
  isDocumentsEnabled: false,
  isRecyclebinEnabled: true,
  isUseInUserfieldEnabled: true,
  ...f,
});

const ru = (ruText: string, en: string): LangText => ({ ru: ruText, en });

export const SMART_PROCESSES: SmartProcessSpec[] = [
  {
    key: 'dealers',
    title: ru('Дилеры', 'Dealers'),
    flags: flags({ isStagesEnabled: true, isClientEnabled: true, isAutomationEnabled: true, isObserversEnabled: true }),
    parents: [],
    stages: [
      { key: 'onboarding', code: 'ONBOARDING', name: ru('Подключение', 'Onboarding'), semantics: 'P', color: '#39A8EF' },
      { key: 'active', code: 'ACTIVE', name: ru('Работает', 'Active'), semantics: 'P', color: '#9DCF00' },
      { key: 'paused', code: 'PAUSED', name: ru('Приостановлен', 'Paused'), semantics: 'P', color: '#FFA900' },
      { key: 'closed', code: 'CLOSED', name: ru('Сотрудничество завершено', 'Closed'), semantics: 'F', color: '#FF5752' },
    ],
    fields: [
      { key: 'legalEntities', code: 'LEGAL_ENTITIES', type: 'crm', multiple: true, links: ['COMPANY'], label: ru('Юрлица холдинга', 'Holding legal entities') },
      { key: 'erpCustomerId', code: 'ERP_CUSTOMER', type: 'string', showFilter: true, label: ru('ID клиента в ERP', 'ERP customer id') },
      { key: 'priceType', code: 'PRICE_TYPE', type: 'string', label: ru('Вид цен ERP', 'ERP price type') },
      { key: 'dealerGroup', code: 'DEALER_GROUP', type: 'enumeration', options: DEALER_GROUPS, showFilter: true, label: ru('Группа дилера', 'Dealer group') },
      { key: 'city', code: 'CITY', type: 'string', showFilter: true, label: ru('Город', 'City') },
      { key: 'region', code: 'REGION', type: 'string', showFilter: true, label: ru('Регион', 'Region') },
      { key: 'creditLimit', code: 'CREDIT_LIMIT', type: 'money', label: ru('Кредитный лимит', 'Credit limit') },
      { key: 'paymentTermDays', code: 'PAYMENT_TERM', type: 'integer', label: ru('Отсрочка, дней', 'Payment term, days') },
      { key: 'blockOverLimit', code: 'BLOCK_OVER_LIMIT', type: 'boolean', label: ru('Блокировать при превышении лимита', 'Block when over the limit') },
      { key: 'blockOverdueDays', code: 'BLOCK_OVERDUE_DAYS', type: 'integer', label: ru('Блокировать при просрочке более, дней', 'Block when overdue more than, days') },
      { key: 'personalManager', code: 'MANAGER', type: 'employee', label: ru('Персональный менеджер', 'Personal manager') },
    ],
  },
  {
    key: 'orders',
    title: ru('Заказы дилеров', 'Dealer orders'),
    flags: flags({ isStagesEnabled: true, isClientEnabled: true, isLinkWithProductsEnabled: true, isAutomationEnabled: true, isBizProcEnabled: true, isObserversEnabled: true, isDocumentsEnabled: true }),
    parents: ['dealers'],
    stages: [
      { key: 'new', code: 'NEW', name: ru('Новый', 'New'), semantics: 'P', color: '#39A8EF' },
      { key: 'approval', code: 'APPROVAL', name: ru('На согласовании', 'Approval'), semantics: 'P', color: '#2FC6F6' },
      { key: 'agreed', code: 'AGREED', name: ru('Согласован', 'Agreed'), semantics: 'P', color: '#55D0E0' },
      { key: 'sentToErp', code: 'SENT_TO_ERP', name: ru('Передан в ERP', 'Sent to ERP'), semantics: 'P', color: '#47E4C2' },
      { key: 'confirmed', code: 'CONFIRMED', name: ru('Подтверждён', 'Confirmed'), semantics: 'P', color: '#FFA900' },
      { key: 'invoiced', code: 'INVOICED', name: ru('Выставлен счёт', 'Invoiced'), semantics: 'P', color: '#FFD400' },
      { key: 'paid', code: 'PAID', name: ru('Оплачен', 'Paid'), semantics: 'P', color: '#C6D100' },
      { key: 'shipped', code: 'SHIPPED', name: ru('Отгружен', 'Shipped'), semantics: 'P', color: '#A5DE00' },
      { key: 'delivered', code: 'DELIVERED', name: ru('Доставлен', 'Delivered'), semantics: 'S', color: '#7BD500' },
      { key: 'cancelled', code: 'CANCELLED', name: ru('Отменён', 'Cancelled'), semantics: 'F', color: '#FF5752' },
    ],
    fields: [
      { key: 'externalId', code: 'EXTERNAL_ID', type: 'string', label: ru('Внешний ID (DealerHub)', 'External id (DealerHub)') },
      { key: 'orderNumber', code: 'ORDER_NUMBER', type: 'string', showFilter: true, label: ru('Номер заказа', 'Order number') },
      { key: 'erpNumber', code: 'ERP_NUMBER', type: 'string', showFilter: true, label: ru('Номер в ERP', 'ERP number') },
      { key: 'erpStatus', code: 'ERP_STATUS', type: 'string', label: ru('Статус в ERP', 'ERP status') },
      {
        key: 'deliveryMethod',
        code: 'DELIVERY_METHOD',
        type: 'enumeration',
        label: ru('Способ доставки', 'Delivery method'),
        options: [
          { xmlId: 'pickup', label: ru('Самовывоз со склада', 'Pick-up at the warehouse'), def: true },
          { xmlId: 'our_transport', label: ru('Доставка нашим транспортом', 'Delivery by our transport') },
          { xmlId: 'carrier', label: ru('Транспортная компания', 'Carrier') },
        ],
      },
      { key: 'deliveryAddress', code: 'DELIVERY_ADDRESS', type: 'string', label: ru('Адрес доставки', 'Delivery address') },
      { key: 'desiredDate', code: 'DESIRED_DATE', type: 'date', label: ru('Желаемая дата', 'Desired date') },
      { key: 'dealerComment', code: 'DEALER_COMMENT', type: 'string', label: ru('Комментарий дилера', 'Dealer comment'), settings: { ROWS: 3 } },
      { key: 'warehouse', code: 'WAREHOUSE', type: 'string', label: ru('Склад отгрузки', 'Shipping warehouse') },
      { key: 'changesPending', code: 'CHANGES_PENDING', type: 'boolean', label: ru('Изменения ждут согласования дилером', 'Changes await the dealer') },
      { key: 'creditCheck', code: 'CREDIT_CHECK', type: 'string', label: ru('Проверка кредита', 'Credit check') },
      { key: 'submittedBy', code: 'SUBMITTED_BY', type: 'integer', label: ru('Оформил (пользователь)', 'Submitted by (user)') },
      {
        key: 'source',
        code: 'SOURCE',
        type: 'enumeration',
        label: ru('Источник', 'Source'),
        options: [
          { xmlId: 'cabinet', label: ru('Кабинет дилера', 'Dealer cabinet'), def: true },
          { xmlId: 'manager', label: ru('Менеджер от имени дилера', 'Manager on behalf of the dealer') },
          { xmlId: 'erp', label: ru('ERP', 'ERP') },
        ],
      },
    ],
  },
  {
    key: 'claims',
    title: ru('Рекламации', 'Claims'),
    flags: flags({ isStagesEnabled: true, isClientEnabled: true, isLinkWithProductsEnabled: true, isAutomationEnabled: true, isObserversEnabled: true }),
    parents: ['dealers', 'orders'],
    stages: [
      { key: 'new', code: 'NEW', name: ru('Новая', 'New'), semantics: 'P', color: '#39A8EF' },
      { key: 'review', code: 'REVIEW', name: ru('На рассмотрении', 'Under review'), semantics: 'P', color: '#2FC6F6' },
      { key: 'approved', code: 'APPROVED', name: ru('Одобрена', 'Approved'), semantics: 'P', color: '#9DCF00' },
      { key: 'partsShipped', code: 'PARTS_SHIPPED', name: ru('Запчасти отправлены', 'Parts shipped'), semantics: 'P', color: '#FFA900' },
      { key: 'closed', code: 'CLOSED', name: ru('Закрыта', 'Closed'), semantics: 'S', color: '#7BD500' },
      { key: 'rejected', code: 'REJECTED', name: ru('Отклонена', 'Rejected'), semantics: 'F', color: '#FF5752' },
    ],
    fields: [
      { key: 'externalId', code: 'EXTERNAL_ID', type: 'string', label: ru('Внешний ID (DealerHub)', 'External id (DealerHub)') },
      { key: 'claimNumber', code: 'CLAIM_NUMBER', type: 'string', showFilter: true, label: ru('Номер рекламации', 'Claim number') },
      { key: 'productSku', code: 'PRODUCT_SKU', type: 'string', showFilter: true, label: ru('Артикул товара', 'Product SKU') },
      { key: 'productName', code: 'PRODUCT_NAME', type: 'string', label: ru('Товар', 'Product') },
      { key: 'serialNumber', code: 'SERIAL', type: 'string', showFilter: true, label: ru('Серийный номер', 'Serial number') },
      { key: 'purchaseDocument', code: 'PURCHASE_DOC', type: 'string', label: ru('Документ покупки', 'Purchase document') },
      { key: 'purchaseDate', code: 'PURCHASE_DATE', type: 'date', label: ru('Дата покупки', 'Purchase date') },
      { key: 'defect', code: 'DEFECT', type: 'string', mandatory: false, label: ru('Описание дефекта', 'Defect'), settings: { ROWS: 4 } },
      { key: 'photos', code: 'PHOTOS', type: 'file', multiple: true, label: ru('Фото', 'Photos') },
      {
        key: 'resolution',
        code: 'RESOLUTION',
        type: 'enumeration',
        label: ru('Решение', 'Resolution'),
        options: [
          { xmlId: 'repair', label: ru('Ремонт', 'Repair') },
          { xmlId: 'parts', label: ru('Замена запчастей', 'Replace parts') },
          { xmlId: 'replace', label: ru('Замена товара', 'Replace the product') },
          { xmlId: 'refund', label: ru('Возврат денег', 'Refund') },
          { xmlId: 'reject', label: ru('Отказ', 'Rejected') },
        ],
      },
      { key: 'erpNumber', code: 'ERP_NUMBER', type: 'string', label: ru('Номер в ERP', 'ERP number') },
    ],
  },
  {
    key: 'discounts',
    title: ru('Справочник скидок', 'Discount book'),
    flags: flags({}),
    parents: [],
    stages: [],
    fields: [
      { key: 'audience', code: 'AUDIENCE', type: 'enumeration', options: AUDIENCE, mandatory: true, label: ru('Для кого', 'Audience') },
      { key: 'dealer', code: 'DEALER', type: 'crm', links: ['dealers'], label: ru('Дилер', 'Dealer') },
      { key: 'dealerGroup', code: 'DEALER_GROUP', type: 'enumeration', options: DEALER_GROUPS, label: ru('Группа дилеров', 'Dealer group') },
      { key: 'target', code: 'TARGET', type: 'enumeration', options: TARGET, mandatory: true, label: ru('На что', 'Applies to') },
      { key: 'targetRef', code: 'TARGET_REF', type: 'string', label: ru('Группа / бренд / артикул', 'Group / brand / SKU') },
      {
        key: 'kind',
        code: 'KIND',
        type: 'enumeration',
        mandatory: true,
        label: ru('Вид скидки', 'Kind'),
        options: [
          { xmlId: 'percent', label: ru('Процент', 'Percent'), def: true },
          { xmlId: 'fixed_price', label: ru('Фиксированная цена', 'Fixed price') },
          { xmlId: 'amount_off', label: ru('Скидка суммой', 'Amount off') },
        ],
      },
      { key: 'value', code: 'VALUE', type: 'double', mandatory: true, label: ru('Значение', 'Value'), settings: { PRECISION: 4 } },
      { key: 'priority', code: 'PRIORITY', type: 'integer', label: ru('Приоритет', 'Priority') },
      { key: 'validFrom', code: 'VALID_FROM', type: 'date', label: ru('Действует с', 'Valid from') },
      { key: 'validTo', code: 'VALID_TO', type: 'date', label: ru('Действует по', 'Valid to') },
      { key: 'minQty', code: 'MIN_QTY', type: 'double', label: ru('От количества', 'Minimum quantity') },
      { key: 'active', code: 'ACTIVE', type: 'boolean', label: ru('Активна', 'Active'), settings: { DEFAULT_VALUE: 1 } },
    ],
  },
  {
    key: 'offers',
    title: ru('Спецпредложения', 'Special offers'),
    flags: flags({}),
    parents: [],
    stages: [],
    fields: [
      { key: 'audience', code: 'AUDIENCE', type: 'enumeration', options: AUDIENCE, mandatory: true, label: ru('Для кого', 'Audience') },
      { key: 'dealer', code: 'DEALER', type: 'crm', links: ['dealers'], label: ru('Дилер', 'Dealer') },
      { key: 'dealerGroup', code: 'DEALER_GROUP', type: 'enumeration', options: DEALER_GROUPS, label: ru('Группа дилеров', 'Dealer group') },
      { key: 'target', code: 'TARGET', type: 'enumeration', options: TARGET, mandatory: true, label: ru('На что', 'Applies to') },
      { key: 'targetRef', code: 'TARGET_REF', type: 'string', label: ru('Группа / бренд / артикул', 'Group / brand / SKU') },
      {
        key: 'kind',
        code: 'KIND',
        type: 'enumeration',
        mandatory: true,
        label: ru('Вид', 'Kind'),
        options: [
          { xmlId: 'percent', label: ru('Процент', 'Percent'), def: true },
          { xmlId: 'fixed_price', label: ru('Фиксированная цена', 'Fixed price') },
        ],
      },
      { key: 'value', code: 'VALUE', type: 'double', mandatory: true, label: ru('Значение', 'Value'), settings: { PRECISION: 4 } },
      { key: 'validFrom', code: 'VALID_FROM', type: 'date', label: ru('Действует с', 'Valid from') },
      { key: 'validTo', code: 'VALID_TO', type: 'date', label: ru('Действует по', 'Valid to') },
      { key: 'minQty', code: 'MIN_QTY', type: 'double', label: ru('От количества', 'Minimum quantity') },
      { key: 'conditions', code: 'CONDITIONS', type: 'string', label: ru('Условия', 'Conditions'), settings: { ROWS: 3 } },
      { key: 'banner', code: 'BANNER', type: 'string', label: ru('Текст баннера', 'Banner text') },
      { key: 'active', code: 'ACTIVE', type: 'boolean', label: ru('Активно', 'Active'), settings: { DEFAULT_VALUE: 1 } },
    ],
  },
];

/** Widgets the app places into the portal (placements/registry.ts maps each to its widget and who may open it). */
export interface PlacementSpec {
  key: string;
  /** A code, or a function of the installed smart processes' entityTypeIds (CRM_DYNAMIC_<eTI>_DETAIL_TAB). */
  code: string | ((entityTypeIds: Record<SmartProcessKey, number>) => string);
  /** Path under PUBLIC_URL the portal POSTs to. */
  handlerPath: string;
  title: LangText;
  options?: Record<string, unknown>;
  /**
   * false: nothing to bind. `DEFAULT` is not a placement.bind code: the app's own page is the application URL of the
   * app card (api-reference/widgets/placements.md lists no DEFAULT); the portal POSTs it with PLACEMENT=DEFAULT.
   */
  bind?: boolean;
}

export const PLACEMENTS: PlacementSpec[] = [
  { key: 'orderTab', code: (e) => `CRM_DYNAMIC_${e.orders}_DETAIL_TAB`, handlerPath: '/placement/order-tab', title: ru('DealerHub: заказ', 'DealerHub: order') },
  { key: 'dealerTab', code: (e) => `CRM_DYNAMIC_${e.dealers}_DETAIL_TAB`, handlerPath: '/placement/dealer-tab', title: ru('DealerHub: дилер', 'DealerHub: dealer') },
  { key: 'claimTab', code: (e) => `CRM_DYNAMIC_${e.claims}_DETAIL_TAB`, handlerPath: '/placement/claim-tab', title: ru('DealerHub: рекламация', 'DealerHub: claim') },
  { key: 'companyTab', code: 'CRM_COMPANY_DETAIL_TAB', handlerPath: '/placement/company-tab', title: ru('DealerHub: дилер', 'DealerHub: dealer') },
  { key: 'cabinetMenu', code: 'LEFT_MENU', handlerPath: '/placement/cabinet', title: ru('Кабинет дилера', 'Dealer cabinet') },
  // Extranet users have no CRM and no left-menu apps; the messenger navigation is the documented way to reach them.
  { key: 'cabinetExtranet', code: 'IM_NAVIGATION', handlerPath: '/placement/cabinet', title: ru('Кабинет дилера', 'Dealer cabinet'), options: { iconName: 'fa-shopping-cart', extranet: 'Y', role: 'USER' } },
  { key: 'admin', code: 'DEFAULT', handlerPath: '/app', title: ru('DealerHub: настройки', 'DealerHub: settings'), bind: false },
];

/** Events the backend listens to (all go to /b24/events and are verified by application_token). */
export const EVENT_BINDINGS = [
  'ONAPPUNINSTALL',
  'ONAPPUPDATE',
  'ONCRMDYNAMICITEMADD',
  'ONCRMDYNAMICITEMUPDATE',
  'ONCRMDYNAMICITEMDELETE',
  'ONCRMCOMPANYUPDATE',
  'ONCRMCONTACTUPDATE',
] as const;

export interface Manifest {
  version: number;
  smartProcesses: SmartProcessSpec[];
  placements: PlacementSpec[];
  events: readonly string[];
  /** Robot codes from robots/registry.ts; the reconciler registers each for the document types it names. */
  robots: readonly string[];
}

/** Every robot in robots/definitions.ts; the installer registers each for the smart processes it names. */
export const ROBOT_CODES = ROBOT_DEFINITIONS.map((r) => r.code);

export const MANIFEST: Manifest = {
  version: 1,
  smartProcesses: SMART_PROCESSES,
  placements: PLACEMENTS,
  events: EVENT_BINDINGS,
  robots: ROBOT_CODES,
};
