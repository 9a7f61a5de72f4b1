import type { ClassicEntity, ClassicField } from './classic.js';

/** Field sets of crm.company.fields, crm.contact.fields and crm.requisite.fields (their doc examples). */

const f = (name: string, type: string, title: string, o: Partial<ClassicField> = {}): ClassicField => ({ name, type, title, ...o });
const RO = { isReadOnly: true };

const address = (prefix: string, title: string): ClassicField[] =>
  ['', '_2', '_CITY', '_POSTAL_CODE', '_REGION', '_PROVINCE', '_COUNTRY', '_COUNTRY_CODE'].map((s) => f(`${prefix}${s}`, 'string', `${title}${s}`));

const utm = (): ClassicField[] => ['UTM_SOURCE', 'UTM_MEDIUM', 'UTM_CAMPAIGN', 'UTM_CONTENT', 'UTM_TERM'].map((n) => f(n, 'string', n));

const multi = (): ClassicField[] => [
  f('PHONE', 'crm_multifield', 'Телефон', { isMultiple: true }),
  f('EMAIL', 'crm_multifield', 'E-mail', { isMultiple: true }),
  f('WEB', 'crm_multifield', 'Сайт', { isMultiple: true }),
  f('IM', 'crm_multifield', 'Мессенджер', { isMultiple: true }),
  f('LINK', 'crm_multifield', 'LINK', { isMultiple: true }),
];

const common = (): ClassicField[] => [
  f('ASSIGNED_BY_ID', 'user', 'Ответственный'),
  f('CREATED_BY_ID', 'user', 'Кем создан', RO),
  f('MODIFY_BY_ID', 'user', 'Кем изменён', RO),
  f('DATE_CREATE', 'datetime', 'Дата создания', RO),
  f('DATE_MODIFY', 'datetime', 'Дата изменения', RO),
];

const firstStatus = (rt: Parameters<ClassicEntity['defaults']>[0], entityId: string) =>
  rt.store.statuses.filter((s) => s.ENTITY_ID === entityId).sort((a, b) => a.SORT - b.SORT)[0]?.STATUS_ID ?? null;

export const COMPANY: ClassicEntity = {
  key: 'company',
  entityTypeId: 4,
  ufEntityId: 'CRM_COMPANY',
  table: (s) => s.companies,
  notFound: 'Not found',
  deleteNotFound: 'Company is not found',
  multi: ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'],
  fields: [
    f('ID', 'integer', 'ID', RO),
    f('TITLE', 'string', 'Название компании', { isRequired: true }),
    f('COMPANY_TYPE', 'crm_status', 'Тип компании', { statusType: 'COMPANY_TYPE' }),
    f('LOGO', 'file', 'Логотип'),
    ...address('ADDRESS', 'Фактический адрес'),
    f('ADDRESS_LEGAL', 'string', 'Юридический адрес'),
    ...address('REG_ADDRESS', 'Юридический адрес'),
    f('BANKING_DETAILS', 'string', 'Банковские реквизиты'),
    f('INDUSTRY', 'crm_status', 'Сфера деятельности', { statusType: 'INDUSTRY' }),
    f('EMPLOYEES', 'crm_status', 'Кол-во сотрудников', { statusType: 'EMPLOYEES' }),
    f('CURRENCY_ID', 'crm_currency', 'Валюта'),
    f('REVENUE', 'double', 'Годовой оборот'),
    f('OPENED', 'char', 'Доступна для всех'),
    f('COMMENTS', 'string', 'Комментарий'),
    f('HAS_PHONE', 'char', 'Задан телефон', RO),
    f('HAS_EMAIL', 'char', 'Задан e-mail', RO),
    f('HAS_IMOL', 'char', 'Задана открытая линия', RO),
    f('IS_MY_COMPANY', 'char', 'Моя компания'),
    ...common(),
    f('CONTACT_ID', 'crm_contact', 'Контакт', { isMultiple: true }),
    f('LEAD_ID', 'crm_lead', 'Лид', { ...RO, settings: { parentEntityTypeId: 1 } }),
    f('ORIGINATOR_ID', 'string', 'Внешний источник'),
    f('ORIGIN_ID', 'string', 'Идентификатор элемента во внешнем источнике'),
    f('ORIGIN_VERSION', 'string', 'Оригинальная версия'),
    ...utm(),
    f('LAST_ACTIVITY_TIME', 'datetime', 'Последняя активность'),
    f('LAST_ACTIVITY_BY', 'user', 'Автор последней активности'),
    ...multi(),
  ],
  defaults: (rt, userId) => ({
    COMPANY_TYPE: firstStatus(rt, 'COMPANY_TYPE'),
    INDUSTRY: firstStatus(rt, 'INDUSTRY'),
    EMPLOYEES: firstStatus(rt, 'EMPLOYEES'),
    CURRENCY_ID: 'RUB',
    REVENUE: 0,
    OPENED: 'Y',
    COMMENTS: '',
    HAS_PHONE: 'N',
    HAS_EMAIL: 'N',
    HAS_IMOL: 'N',
    IS_MY_COMPANY: 'N',
    ASSIGNED_BY_ID: userId,
    LAST_ACTIVITY_TIME: rt.clock.now(),
    LAST_ACTIVITY_BY: userId,
  }),
};

export const CONTACT: ClassicEntity = {
  key: 'contact',
  entityTypeId: 3,
  ufEntityId: 'CRM_CONTACT',
  table: (s) => s.contacts,
  notFound: 'Not found',
  deleteNotFound: 'Contact is not found',
  multi: ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'],
  fields: [
    f('ID', 'integer', 'ID', RO),
    f('HONORIFIC', 'crm_status', 'Обращение', { statusType: 'HONORIFIC' }),
    f('NAME', 'string', 'Имя'),
    f('SECOND_NAME', 'string', 'Отчество'),
    f('LAST_NAME', 'string', 'Фамилия'),
    f('PHOTO', 'file', 'Фотография'),
    f('BIRTHDATE', 'date', 'Дата рождения'),
    f('TYPE_ID', 'crm_status', 'Тип контакта', { statusType: 'CONTACT_TYPE' }),
    f('SOURCE_ID', 'crm_status', 'Источник', { statusType: 'SOURCE' }),
    f('SOURCE_DESCRIPTION', 'string', 'Дополнительно об источнике'),
    f('POST', 'string', 'Должность'),
    f('COMMENTS', 'string', 'Комментарий'),
    f('OPENED', 'char', 'Доступен для всех'),
    f('EXPORT', 'char', 'Участвует в экспорте контактов'),
    f('HAS_PHONE', 'char', 'Задан телефон', RO),
    f('HAS_EMAIL', 'char', 'Задан e-mail', RO),
    f('HAS_IMOL', 'char', 'Задана открытая линия', RO),
    ...common(),
    f('COMPANY_ID', 'crm_company', 'Компания'),
    f('COMPANY_IDS', 'crm_company', 'COMPANY_IDS', { isMultiple: true }),
    f('LEAD_ID', 'crm_lead', 'Лид', { ...RO, settings: { parentEntityTypeId: 1 } }),
    f('ORIGINATOR_ID', 'string', 'Внешний источник'),
    f('ORIGIN_ID', 'string', 'Идентификатор элемента во внешнем источнике'),
    f('ORIGIN_VERSION', 'string', 'Оригинальная версия'),
    f('FACE_ID', 'integer', 'FACE_ID', RO),
    f('LAST_ACTIVITY_TIME', 'datetime', 'Последняя активность', RO),
    f('LAST_ACTIVITY_BY', 'user', 'Автор последней активности', RO),
    ...address('ADDRESS', 'Адрес').filter((x) => x.name !== 'ADDRESS_COUNTRY_CODE'),
    ...utm(),
    ...multi(),
  ],
  defaults: (rt, userId) => ({
    TYPE_ID: firstStatus(rt, 'CONTACT_TYPE'),
    SOURCE_ID: firstStatus(rt, 'SOURCE'),
    OPENED: 'Y',
    EXPORT: 'Y',
    HAS_PHONE: 'N',
    HAS_EMAIL: 'N',
    HAS_IMOL: 'N',
    ASSIGNED_BY_ID: userId,
    COMPANY_IDS: [],
    LAST_ACTIVITY_TIME: rt.clock.now(),
    LAST_ACTIVITY_BY: userId,
  }),
};

const RQ_FIELDS = [
  'RQ_NAME', 'RQ_FIRST_NAME', 'RQ_LAST_NAME', 'RQ_SECOND_NAME', 'RQ_COMPANY_ID', 'RQ_COMPANY_NAME', 'RQ_COMPANY_FULL_NAME',
  'RQ_COMPANY_REG_DATE', 'RQ_DIRECTOR', 'RQ_ACCOUNTANT', 'RQ_CEO_NAME', 'RQ_CEO_WORK_POS', 'RQ_CONTACT', 'RQ_EMAIL',
  'RQ_PHONE', 'RQ_FAX', 'RQ_IDENT_DOC', 'RQ_IDENT_DOC_SER', 'RQ_IDENT_DOC_NUM', 'RQ_IDENT_DOC_DATE', 'RQ_IDENT_DOC_ISSUED_BY',
  'RQ_IDENT_DOC_DEP_CODE', 'RQ_INN', 'RQ_KPP', 'RQ_IFNS', 'RQ_OGRN', 'RQ_OGRNIP', 'RQ_OKPO', 'RQ_OKTMO', 'RQ_OKVED',
  'RQ_ST_CERT_SER', 'RQ_ST_CERT_NUM', 'RQ_ST_CERT_DATE', 'RQ_VAT_ID', 'RQ_BASE_DOC',
];

export const REQUISITE: ClassicEntity = {
  key: 'requisite',
  entityTypeId: 8,
  ufEntityId: 'CRM_REQUISITE',
  table: (s) => s.requisites,
  notFound: 'The Requisite with ID is not found',
  deleteNotFound: 'The Requisite with ID is not found',
  multi: [],
  fields: [
    f('ID', 'integer', 'ID', RO),
    f('ENTITY_TYPE_ID', 'integer', 'Тип родительской сущности', { isRequired: true }),
    f('ENTITY_ID', 'integer', 'ID родительской сущности', { isRequired: true }),
    f('PRESET_ID', 'integer', 'ID шаблона', { isRequired: true }),
    f('DATE_CREATE', 'datetime', 'Дата создания', RO),
    f('DATE_MODIFY', 'datetime', 'Дата изменения', RO),
    f('CREATED_BY_ID', 'user', 'Кем создан', RO),
    f('MODIFY_BY_ID', 'user', 'Кем изменён', RO),
    f('NAME', 'string', 'Название', { isRequired: true }),
    f('CODE', 'string', 'Символьный код'),
    f('XML_ID', 'string', 'Внешний ключ'),
    f('ORIGINATOR_ID', 'string', 'Внешний источник'),
    f('ACTIVE', 'char', 'Активен'),
    f('ADDRESS_ONLY', 'char', 'Только адрес'),
    f('SORT', 'integer', 'Сортировка'),
    ...RQ_FIELDS.map((n) => f(n, 'string', n)),
  ],
  defaults: () => ({ ACTIVE: 'Y', ADDRESS_ONLY: 'N', SORT: 500, CODE: null, XML_ID: null, ORIGINATOR_ID: null }),
};
