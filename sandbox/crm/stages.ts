import type { SandboxStore } from '../store/store.js';
import type { SStatus } from '../store/types.js';

/**
 * Stages and reference lists live in crm.status (api-reference/crm/status/index.md). Pipelines of deals use
 * `DEAL_STAGE` / `DEAL_STAGE_{cat}` with the `C{cat}:` prefix, smart processes `DYNAMIC_{eTI}_STAGE_{cat}` with
 * `DT{eTI}_{cat}:` (crm-status-get.md example `DT1038_37:SUCCESS`).
 */
type Seed = [statusId: string, name: string, semantics: 'S' | 'F' | null, color: string, system?: boolean];

const DYNAMIC_STAGES: Seed[] = [
  ['NEW', 'Начало', null, '#22B9FF', true],
  ['PREPARATION', 'Подготовка', null, '#FFA900'],
  ['CLIENT', 'Согласование', null, '#2FC6F6'],
  ['SUCCESS', 'Успех', 'S', '#7BD500', true],
  ['FAIL', 'Провал', 'F', '#FF5752', true],
];

const DEAL_STAGES: Seed[] = [
  ['NEW', 'Новая', null, '#39A8EF', true],
  ['PREPARATION', 'Подготовка документов', null, '#2FC6F6'],
  ['PREPAYMENT_INVOICE', 'Счёт на предоплату', null, '#55D0E0'],
  ['EXECUTING', 'В работе', null, '#47E4C2'],
  ['FINAL_INVOICE', 'Финальный счёт', null, '#FFA900'],
  ['WON', 'Сделка успешна', 'S', '#7BD500', true],
  ['LOSE', 'Сделка провалена', 'F', '#FF5752', true],
  ['APOLOGY', 'Анализ причины провала', 'F', '#FF5752'],
];

const LEAD_STAGES: Seed[] = [
  ['NEW', 'Не обработан', null, '#2FC6F6', true],
  ['IN_PROCESS', 'В работе', null, '#39A8EF'],
  ['PROCESSED', 'Обработан', null, '#55D0E0'],
  ['CONVERTED', 'Качественный лид', 'S', '#7BD500', true],
  ['JUNK', 'Некачественный лид', 'F', '#FF5752', true],
];

const REFERENCE_LISTS: Record<string, [string, string][]> = {
  SOURCE: [
    ['CALL', 'Звонок'], ['EMAIL', 'Электронная почта'], ['WEB', 'Веб-сайт'], ['ADVERTISING', 'Реклама'],
    ['PARTNER', 'Существующий клиент'], ['RECOMMENDATION', 'По рекомендации'], ['TRADE_SHOW', 'Выставка'],
    ['WEBFORM', 'CRM-форма'], ['CALLBACK', 'Обратный звонок'], ['STORE', 'Интернет-магазин'], ['OTHER', 'Другое'],
  ],
  DEAL_TYPE: [['SALE', 'Продажа'], ['COMPLEX', 'Комплексная продажа'], ['GOODS', 'Продажа товара'], ['SERVICES', 'Продажа услуги'], ['SERVICE', 'Сервисное обслуживание']],
  COMPANY_TYPE: [['CUSTOMER', 'Клиент'], ['SUPPLIER', 'Поставщик'], ['COMPETITOR', 'Конкурент'], ['PARTNER', 'Партнёр'], ['OTHER', 'Другое']],
  CONTACT_TYPE: [['CLIENT', 'Клиенты'], ['SUPPLIER', 'Поставщики'], ['PARTNER', 'Партнёры'], ['OTHER', 'Другое']],
  INDUSTRY: [['IT', 'Информационные технологии'], ['TELECOM', 'Телекоммуникации и связь'], ['MANUFACTURING', 'Производство'], ['BANKING', 'Банковские услуги'], ['CONSULTING', 'Консалтинг'], ['FINANCE', 'Финансы'], ['GOVERNMENT', 'Правительство'], ['DELIVERY', 'Доставка'], ['ENTERTAINMENT', 'Развлечения'], ['NOTPROFIT', 'Не для получения прибыли'], ['OTHER', 'Другое']],
  EMPLOYEES: [['EMPLOYEES_1', 'менее 50'], ['EMPLOYEES_2', '50-250'], ['EMPLOYEES_3', '250-500'], ['EMPLOYEES_4', 'более 500']],
  HONORIFIC: [['HNR_RU_1', 'г-н'], ['HNR_RU_2', 'г-жа']],
};

/** Lists crm.status knows besides pipelines (crm.status.entity.types). */
export const REFERENCE_ENTITY_IDS = Object.keys(REFERENCE_LISTS);

function insertSeeds(store: SandboxStore, entityId: string, prefix: string, categoryId: number | null, seeds: Seed[]): void {
  seeds.forEach(([statusId, name, semantics, color, system], i) => {
    store.statuses.insert({
      ID: store.nextId('status'),
      ENTITY_ID: entityId,
      STATUS_ID: `${prefix}${statusId}`,
      NAME: name,
      NAME_INIT: system ? name : '',
      SORT: (i + 1) * 10,
      SYSTEM: system ? 'Y' : 'N',
      CATEGORY_ID: categoryId,
      COLOR: color,
      SEMANTICS: semantics,
    });
  });
}

/** Reference lists, lead statuses and the default deal pipeline every portal starts with. */
export function seedBaseStatuses(store: SandboxStore): void {
  for (const [entityId, rows] of Object.entries(REFERENCE_LISTS)) {
    insertSeeds(store, entityId, '', null, rows.map(([id, name], i) => [id, name, null, '', i === 0] as Seed));
  }
  insertSeeds(store, 'STATUS', '', null, LEAD_STAGES);
  insertSeeds(store, 'DEAL_STAGE', '', null, DEAL_STAGES);
}

/** The stages a new pipeline starts with. */
export function seedPipelineStages(store: SandboxStore, kind: 'dynamic' | 'deal', entityTypeId: number, categoryId: number): void {
  if (kind === 'dynamic') insertSeeds(store, `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`, `DT${entityTypeId}_${categoryId}:`, categoryId, DYNAMIC_STAGES);
  else insertSeeds(store, `DEAL_STAGE_${categoryId}`, `C${categoryId}:`, categoryId, DEAL_STAGES);
}

export function stagesOf(store: SandboxStore, entityId: string): SStatus[] {
  return store.statuses.filter((s) => s.ENTITY_ID === entityId).sort((a, b) => a.SORT - b.SORT || a.ID - b.ID);
}

/** Semantic group of a stage: P (in progress), S (success), F (failure). */
export function semanticOf(status: SStatus | undefined): 'P' | 'S' | 'F' {
  return status?.SEMANTICS === 'S' ? 'S' : status?.SEMANTICS === 'F' ? 'F' : 'P';
}

/** `EXTRA.SEMANTICS` of crm.status.list: process / success / failure (the first extra failure stage is apology). */
export function extraSemantics(status: SStatus): string {
  if (status.SEMANTICS === 'S') return 'success';
  if (status.SEMANTICS === 'F') return /APOLOGY$/.test(status.STATUS_ID) ? 'apology' : 'failure';
  return 'process';
}
