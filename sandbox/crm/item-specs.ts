import type { SType } from '../store/types.js';

/**
 * Field descriptions of crm.item.* types (api-reference/crm/universal/object-fields.md, crm-item-fields.md). The same
 * table drives crm.item.fields, what crm.item.get/list render, and how crm.item.add/update read input.
 */
export interface FieldSpec {
  name: string;
  upperName: string;
  type: string;
  title: string;
  isRequired?: boolean;
  isReadOnly?: boolean;
  isImmutable?: boolean;
  isMultiple?: boolean;
  isDynamic?: boolean;
  isDeprecated?: boolean;
  settings?: Record<string, unknown>;
  statusType?: string;
  /** SPA flag that enables the field (crm.type.add). Disabled fields are left out of crm.item.fields and answer null. */
  flag?: string;
  /** Rendered by get/list but not listed by crm.item.fields (computed or legacy columns). */
  hiddenInFields?: boolean;
  /** Enumeration items of a UF (crm.item.fields `items`). */
  items?: { ID: number; VALUE: string }[];
}

type Opt = Omit<FieldSpec, 'name' | 'upperName' | 'type' | 'title'>;
const f = (name: string, upperName: string, type: string, title: string, opt: Opt = {}): FieldSpec => ({ name, upperName, type, title, ...opt });
const RO = { isReadOnly: true };

/** Smart-process standard fields, in the order crm.item.fields lists them. */
export function dynamicSpecs(type: SType, categoryId: number | null): FieldSpec[] {
  const stageType = `DYNAMIC_${type.entityTypeId}_STAGE_${categoryId ?? 0}`;
  return [
    f('id', 'ID', 'integer', 'ID', RO),
    f('xmlId', 'XML_ID', 'string', 'Внешний код'),
    f('title', 'TITLE', 'string', 'Название'),
    f('createdBy', 'CREATED_BY', 'user', 'Кем создан', RO),
    f('updatedBy', 'UPDATED_BY', 'user', 'Кем изменён', RO),
    f('movedBy', 'MOVED_BY', 'user', 'Кем перемещён', RO),
    f('createdTime', 'CREATED_TIME', 'datetime', 'Создан', RO),
    f('updatedTime', 'UPDATED_TIME', 'datetime', 'Изменён', RO),
    f('movedTime', 'MOVED_TIME', 'datetime', 'Перемещён', RO),
    f('categoryId', 'CATEGORY_ID', 'crm_category', 'Воронка'),
    f('opened', 'OPENED', 'boolean', 'Доступен для всех', { isRequired: true }),
    f('stageId', 'STAGE_ID', 'crm_status', 'Стадия', { statusType: stageType, flag: 'isStagesEnabled' }),
    f('previousStageId', 'PREVIOUS_STAGE_ID', 'crm_status', 'Предыдущая стадия', { ...RO, statusType: stageType, flag: 'isStagesEnabled' }),
    f('begindate', 'BEGINDATE', 'date', 'Дата начала', { flag: 'isBeginCloseDatesEnabled' }),
    f('closedate', 'CLOSEDATE', 'date', 'Дата завершения', { flag: 'isBeginCloseDatesEnabled' }),
    f('companyId', 'COMPANY_ID', 'crm_company', 'Компания', { flag: 'isClientEnabled', settings: { parentEntityTypeId: 4 } }),
    f('contactId', 'CONTACT_ID', 'crm_contact', 'Контакт', { flag: 'isClientEnabled', isDeprecated: true }),
    f('opportunity', 'OPPORTUNITY', 'double', 'Сумма', { flag: 'isLinkWithProductsEnabled' }),
    f('isManualOpportunity', 'IS_MANUAL_OPPORTUNITY', 'boolean', 'Режим расчёта суммы', { flag: 'isLinkWithProductsEnabled' }),
    f('taxValue', 'TAX_VALUE', 'double', 'Сумма налога', { flag: 'isLinkWithProductsEnabled' }),
    f('currencyId', 'CURRENCY_ID', 'crm_currency', 'Валюта', { flag: 'isLinkWithProductsEnabled' }),
    f('mycompanyId', 'MYCOMPANY_ID', 'crm_company', 'Реквизиты вашей компании', {
      flag: 'isMycompanyEnabled',
      settings: { isMyCompany: true, parentEntityTypeId: 4, isEmbeddedEditorEnabled: true },
    }),
    f('sourceId', 'SOURCE_ID', 'crm_status', 'Источник', { flag: 'isSourceEnabled', statusType: 'SOURCE' }),
    f('sourceDescription', 'SOURCE_DESCRIPTION', 'text', 'Дополнительно об источнике', { flag: 'isSourceEnabled' }),
    f('webformId', 'WEBFORM_ID', 'integer', 'Создано CRM-формой'),
    f('assignedById', 'ASSIGNED_BY_ID', 'user', 'Ответственный'),
    f('lastActivityBy', 'LAST_ACTIVITY_BY', 'user', 'Автор последней активности', RO),
    f('lastActivityTime', 'LAST_ACTIVITY_TIME', 'datetime', 'Последняя активность', RO),
    f('observers', 'OBSERVERS', 'user', 'Наблюдатели', { isMultiple: true, flag: 'isObserversEnabled' }),
    f('contactIds', 'CONTACT_IDS', 'crm_contact', 'CONTACT_IDS', { isMultiple: true, flag: 'isClientEnabled' }),
  ];
}

/** Deal fields as crm.item.get answers them (the doc example of crm-item-add.md for entityTypeId 2). */
export function dealSpecs(categoryId: number | null): FieldSpec[] {
  const stageType = categoryId ? `DEAL_STAGE_${categoryId}` : 'DEAL_STAGE';
  return [
    f('id', 'ID', 'integer', 'ID', RO),
    f('createdTime', 'DATE_CREATE', 'datetime', 'Дата создания', RO),
    f('dateCreateShort', 'DATE_CREATE_SHORT', 'date', 'Дата создания', { ...RO, hiddenInFields: true }),
    f('updatedTime', 'DATE_MODIFY', 'datetime', 'Дата изменения', RO),
    f('dateModifyShort', 'DATE_MODIFY_SHORT', 'date', 'Дата изменения', { ...RO, hiddenInFields: true }),
    f('createdBy', 'CREATED_BY_ID', 'user', 'Кем создана', RO),
    f('updatedBy', 'MODIFY_BY_ID', 'user', 'Кем изменена', RO),
    f('assignedById', 'ASSIGNED_BY_ID', 'user', 'Ответственный'),
    f('opened', 'OPENED', 'boolean', 'Доступна для всех', { isRequired: true }),
    f('leadId', 'LEAD_ID', 'crm_lead', 'Лид'),
    f('companyId', 'COMPANY_ID', 'crm_company', 'Компания', { settings: { parentEntityTypeId: 4 } }),
    f('contactId', 'CONTACT_ID', 'crm_contact', 'Контакт', { isDeprecated: true }),
    f('quoteId', 'QUOTE_ID', 'crm_quote', 'Предложение'),
    f('title', 'TITLE', 'string', 'Название'),
    f('productId', 'PRODUCT_ID', 'integer', 'Товар', { hiddenInFields: true }),
    f('categoryId', 'CATEGORY_ID', 'crm_category', 'Воронка'),
    f('stageId', 'STAGE_ID', 'crm_status', 'Стадия сделки', { statusType: stageType }),
    f('stageSemanticId', 'STAGE_SEMANTIC_ID', 'string', 'Группа стадии', RO),
    f('isNew', 'IS_NEW', 'boolean', 'Новая сделка', RO),
    f('isRecurring', 'IS_RECURRING', 'boolean', 'Регулярная сделка'),
    f('isReturnCustomer', 'IS_RETURN_CUSTOMER', 'boolean', 'Повторная сделка', RO),
    f('isRepeatedApproach', 'IS_REPEATED_APPROACH', 'boolean', 'Повторное обращение', RO),
    f('closed', 'CLOSED', 'boolean', 'Сделка закрыта'),
    f('typeId', 'TYPE_ID', 'crm_status', 'Тип', { statusType: 'DEAL_TYPE' }),
    f('opportunity', 'OPPORTUNITY', 'double', 'Сумма'),
    f('isManualOpportunity', 'IS_MANUAL_OPPORTUNITY', 'boolean', 'Режим расчёта суммы'),
    f('taxValue', 'TAX_VALUE', 'double', 'Сумма налога'),
    f('currencyId', 'CURRENCY_ID', 'crm_currency', 'Валюта'),
    f('probability', 'PROBABILITY', 'integer', 'Вероятность'),
    f('comments', 'COMMENTS', 'text', 'Комментарий'),
    f('begindate', 'BEGINDATE', 'date', 'Дата начала'),
    f('begindateShort', 'BEGINDATE_SHORT', 'date', 'Дата начала', { ...RO, hiddenInFields: true }),
    f('closedate', 'CLOSEDATE', 'date', 'Предполагаемая дата закрытия'),
    f('closedateShort', 'CLOSEDATE_SHORT', 'date', 'Дата закрытия', { ...RO, hiddenInFields: true }),
    f('eventDate', 'EVENT_DATE', 'date', 'Дата события', { hiddenInFields: true }),
    f('eventDateShort', 'EVENT_DATE_SHORT', 'date', 'Дата события', { ...RO, hiddenInFields: true }),
    f('eventId', 'EVENT_ID', 'crm_status', 'Тип события', { hiddenInFields: true }),
    f('eventDescription', 'EVENT_DESCRIPTION', 'text', 'Описание события', { hiddenInFields: true }),
    f('locationId', 'LOCATION_ID', 'location', 'Местоположение'),
    f('webformId', 'WEBFORM_ID', 'integer', 'Создано CRM-формой'),
    f('sourceId', 'SOURCE_ID', 'crm_status', 'Источник', { statusType: 'SOURCE' }),
    f('sourceDescription', 'SOURCE_DESCRIPTION', 'text', 'Дополнительно об источнике'),
    f('originatorId', 'ORIGINATOR_ID', 'string', 'Внешний источник'),
    f('originId', 'ORIGIN_ID', 'string', 'Идентификатор элемента во внешнем источнике'),
    f('additionalInfo', 'ADDITIONAL_INFO', 'string', 'Дополнительная информация'),
    f('searchContent', 'SEARCH_CONTENT', 'string', 'Поисковый индекс', { ...RO, hiddenInFields: true }),
    f('orderStage', 'ORDER_STAGE', 'crm_status', 'Статус оплаты', RO),
    f('movedBy', 'MOVED_BY_ID', 'user', 'Кем перемещена', RO),
    f('movedTime', 'MOVED_TIME', 'datetime', 'Дата перемещения', RO),
    f('lastActivityBy', 'LAST_ACTIVITY_BY', 'user', 'Автор последней активности', RO),
    f('lastActivityTime', 'LAST_ACTIVITY_TIME', 'datetime', 'Последняя активность', RO),
    f('isWork', 'IS_WORK', 'boolean', 'В работе', { ...RO, hiddenInFields: true }),
    f('isWon', 'IS_WON', 'boolean', 'Успешна', { ...RO, hiddenInFields: true }),
    f('isLose', 'IS_LOSE', 'boolean', 'Проиграна', { ...RO, hiddenInFields: true }),
    f('receivedAmount', 'RECEIVED_AMOUNT', 'double', 'Получено', { ...RO, hiddenInFields: true }),
    f('lostAmount', 'LOST_AMOUNT', 'double', 'Потеряно', { ...RO, hiddenInFields: true }),
    f('hasProducts', 'HAS_PRODUCTS', 'boolean', 'Есть товары', { ...RO, hiddenInFields: true }),
    ...utmSpecs(),
    f('observers', 'OBSERVERS', 'user', 'Наблюдатели', { isMultiple: true }),
    f('contactIds', 'CONTACT_IDS', 'crm_contact', 'CONTACT_IDS', { isMultiple: true }),
  ];
}

/** Lead fields as crm.item.get answers them (crm-item-get.md example, entityTypeId 1). */
export function leadSpecs(): FieldSpec[] {
  return [
    f('id', 'ID', 'integer', 'ID', RO),
    f('createdTime', 'DATE_CREATE', 'datetime', 'Дата создания', RO),
    f('dateCreateShort', 'DATE_CREATE_SHORT', 'date', 'Дата создания', { ...RO, hiddenInFields: true }),
    f('updatedTime', 'DATE_MODIFY', 'datetime', 'Дата изменения', RO),
    f('dateModifyShort', 'DATE_MODIFY_SHORT', 'date', 'Дата изменения', { ...RO, hiddenInFields: true }),
    f('createdBy', 'CREATED_BY_ID', 'user', 'Кем создан', RO),
    f('updatedBy', 'MODIFY_BY_ID', 'user', 'Кем изменён', RO),
    f('assignedById', 'ASSIGNED_BY_ID', 'user', 'Ответственный'),
    f('opened', 'OPENED', 'boolean', 'Доступен для всех', { isRequired: true }),
    f('companyId', 'COMPANY_ID', 'crm_company', 'Компания', { settings: { parentEntityTypeId: 4 } }),
    f('contactId', 'CONTACT_ID', 'crm_contact', 'Контакт', { isDeprecated: true }),
    f('stageId', 'STATUS_ID', 'crm_status', 'Стадия', { statusType: 'STATUS' }),
    f('isConvert', 'IS_CONVERT', 'boolean', 'Сконвертирован', { ...RO, hiddenInFields: true }),
    f('statusDescription', 'STATUS_DESCRIPTION', 'text', 'Дополнительно о статусе'),
    f('stageSemanticId', 'STATUS_SEMANTIC_ID', 'string', 'Группа стадии', RO),
    f('productId', 'PRODUCT_ID', 'integer', 'Товар', { hiddenInFields: true }),
    f('opportunity', 'OPPORTUNITY', 'double', 'Сумма'),
    f('currencyId', 'CURRENCY_ID', 'crm_currency', 'Валюта'),
    f('sourceId', 'SOURCE_ID', 'crm_status', 'Источник', { statusType: 'SOURCE' }),
    f('sourceDescription', 'SOURCE_DESCRIPTION', 'text', 'Дополнительно об источнике'),
    f('title', 'TITLE', 'string', 'Название лида'),
    f('name', 'NAME', 'string', 'Имя'),
    f('lastName', 'LAST_NAME', 'string', 'Фамилия'),
    f('secondName', 'SECOND_NAME', 'string', 'Отчество'),
    f('shortName', 'SHORT_NAME', 'string', 'Краткое имя', { ...RO, hiddenInFields: true }),
    f('companyTitle', 'COMPANY_TITLE', 'string', 'Название компании'),
    f('post', 'POST', 'string', 'Должность'),
    f('address', 'ADDRESS', 'string', 'Адрес', { hiddenInFields: true }),
    f('comments', 'COMMENTS', 'text', 'Комментарий'),
    f('webformId', 'WEBFORM_ID', 'integer', 'Создано CRM-формой'),
    f('originatorId', 'ORIGINATOR_ID', 'string', 'Внешний источник'),
    f('originId', 'ORIGIN_ID', 'string', 'Идентификатор элемента во внешнем источнике'),
    f('dateClosed', 'DATE_CLOSED', 'datetime', 'Дата закрытия', RO),
    f('birthdate', 'BIRTHDATE', 'date', 'Дата рождения'),
    f('honorific', 'HONORIFIC', 'crm_status', 'Обращение', { statusType: 'HONORIFIC' }),
    f('hasPhone', 'HAS_PHONE', 'boolean', 'Есть телефон', RO),
    f('hasEmail', 'HAS_EMAIL', 'boolean', 'Есть e-mail', RO),
    f('hasImol', 'HAS_IMOL', 'boolean', 'Есть открытая линия', RO),
    f('login', 'LOGIN', 'string', 'Логин', { hiddenInFields: true }),
    f('isReturnCustomer', 'IS_RETURN_CUSTOMER', 'boolean', 'Повторный лид', RO),
    f('searchContent', 'SEARCH_CONTENT', 'string', 'Поисковый индекс', { ...RO, hiddenInFields: true }),
    f('isManualOpportunity', 'IS_MANUAL_OPPORTUNITY', 'boolean', 'Режим расчёта суммы'),
    f('movedBy', 'MOVED_BY_ID', 'user', 'Кем перемещён', RO),
    f('movedTime', 'MOVED_TIME', 'datetime', 'Дата перемещения', RO),
    f('lastActivityBy', 'LAST_ACTIVITY_BY', 'user', 'Автор последней активности', RO),
    f('lastActivityTime', 'LAST_ACTIVITY_TIME', 'datetime', 'Последняя активность', RO),
    ...['phoneMobile', 'phoneWork', 'phoneMailing', 'emailHome', 'emailWork', 'emailMailing', 'skype', 'icq', 'imol', 'email', 'phone'].map(
      (n) => f(n, n.replace(/([A-Z])/g, '_$1').toUpperCase(), 'string', n, { ...RO, hiddenInFields: true }),
    ),
    f('fm', 'FM', 'crm_multifield', 'Мультиполя', { isMultiple: true, hiddenInFields: true }),
    ...utmSpecs(),
    f('observers', 'OBSERVERS', 'user', 'Наблюдатели', { isMultiple: true }),
    f('contactIds', 'CONTACT_IDS', 'crm_contact', 'CONTACT_IDS', { isMultiple: true }),
  ];
}

function utmSpecs(): FieldSpec[] {
  return [
    f('utmSource', 'UTM_SOURCE', 'string', 'Рекламная система'),
    f('utmMedium', 'UTM_MEDIUM', 'string', 'Тип трафика'),
    f('utmCampaign', 'UTM_CAMPAIGN', 'string', 'Обозначение рекламной кампании'),
    f('utmContent', 'UTM_CONTENT', 'string', 'Содержание кампании'),
    f('utmTerm', 'UTM_TERM', 'string', 'Условие поиска кампании'),
  ];
}
