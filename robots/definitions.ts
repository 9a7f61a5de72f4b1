import type { LangText, SmartProcessKey } from '../installer/manifest.js';

/**
 * Robots as data (STYLE.md §6): what `bizproc.robot.add` registers and what the robot endpoint accepts. Handlers live
 * in robots/<code>/handler.ts and are looked up by code (robots/registry.ts).
 * api-reference/bizproc/bizproc-robot/bizproc-robot-add.md
 */
export type RobotPropertyType = 'bool' | 'date' | 'datetime' | 'double' | 'int' | 'select' | 'string' | 'text' | 'user';

export interface RobotProperty {
  name: LangText;
  description?: LangText;
  type: RobotPropertyType;
  required?: boolean;
  multiple?: boolean;
  default?: unknown;
  options?: Record<string, string>;
}

export interface RobotDefinition {
  /** [A-Za-z0-9._-], unique per app. */
  code: string;
  name: LangText;
  description: LangText;
  /** The smart processes it can be attached to. */
  documentTypes: SmartProcessKey[];
  /** false → USE_SUBSCRIPTION 'N': the workflow does not wait for the answer. */
  waitsForAnswer: boolean;
  properties: Record<string, RobotProperty>;
  returnProperties: Record<string, RobotProperty>;
}

/**
 * Every robot returns `dhResult` so a workflow can branch on it: `ok`, `blocked` (a business rule said no — e.g.
 * credit), `error` (it could not do its job; `dhMessage` says why). A robot never reports `ok` for work it did not do.
 */
const RESULT: Record<string, RobotProperty> = {
  dhResult: {
    name: { ru: 'Результат', en: 'Result' },
    type: 'select',
    options: { ok: 'ok', blocked: 'blocked', error: 'error' },
  },
  dhMessage: { name: { ru: 'Сообщение', en: 'Message' }, type: 'text' },
};

const ru = (r: string, en: string): LangText => ({ ru: r, en });

export const ROBOT_DEFINITIONS: RobotDefinition[] = [
  {
    code: 'dh_check_dealer_credit',
    name: ru('DealerHub: проверить кредит дилера', 'DealerHub: check dealer credit'),
    description: ru('Сверяет сумму заказа с лимитом, долгом и просрочкой дилера по данным ERP', 'Checks the order total against the dealer limit, debt and overdue from the ERP'),
    documentTypes: ['orders'],
    waitsForAnswer: true,
    properties: {},
    returnProperties: { ...RESULT, availableCredit: { name: ru('Доступный кредит', 'Available credit'), type: 'double' } },
  },
  {
    code: 'dh_request_manager_approval',
    name: ru('DealerHub: запросить согласование менеджера', 'DealerHub: request manager approval'),
    description: ru('Уведомляет персонального менеджера дилера, что заказ ждёт согласования', "Tells the dealer's personal manager the order awaits approval"),
    documentTypes: ['orders', 'claims'],
    waitsForAnswer: true,
    properties: {
      comment: { name: ru('Комментарий', 'Comment'), type: 'text' },
    },
    returnProperties: { ...RESULT, managerId: { name: ru('Менеджер', 'Manager'), type: 'user' } },
  },
  {
    code: 'dh_send_order_to_erp',
    name: ru('DealerHub: передать заказ в ERP', 'DealerHub: send the order to the ERP'),
    description: ru('Ставит заказ в очередь передачи в ERP (1С, Dynamics); повторная передача не создаёт дубль', 'Queues the order for the ERP (1C, Dynamics); a repeat never creates a duplicate'),
    documentTypes: ['orders'],
    waitsForAnswer: true,
    properties: { post: { name: ru('Провести документ', 'Post the document'), type: 'bool', default: 'Y' } },
    returnProperties: { ...RESULT, erpNumber: { name: ru('Номер в ERP', 'ERP number'), type: 'string' } },
  },
  {
    code: 'dh_reserve_stock',
    name: ru('DealerHub: зарезервировать товар', 'DealerHub: reserve stock'),
    description: ru('Резервирует товар в ERP, недостающее ставит в лист ожидания', 'Reserves the goods in the ERP; what is missing goes to the waiting list'),
    documentTypes: ['orders'],
    waitsForAnswer: true,
    properties: {},
    returnProperties: { ...RESULT, waitingLines: { name: ru('Строк в листе ожидания', 'Lines on the waiting list'), type: 'int' } },
  },
  {
    code: 'dh_notify_dealer',
    name: ru('DealerHub: уведомить дилера', 'DealerHub: notify the dealer'),
    description: ru('Отправляет уведомление пользователям дилера (Битрикс24 и e-mail) с учётом их настроек', "Notifies the dealer's users (Bitrix24 and e-mail) as they chose"),
    documentTypes: ['orders', 'claims'],
    waitsForAnswer: false,
    properties: {
      message: { name: ru('Текст уведомления', 'Message'), type: 'text', required: true },
      kind: {
        name: ru('Тип уведомления', 'Kind'),
        type: 'select',
        options: { order_status: 'Статус заказа', order_changed: 'Изменение заказа', claim_status: 'Статус рекламации', other: 'Другое' },
        default: 'order_status',
      },
    },
    returnProperties: { ...RESULT, notified: { name: ru('Уведомлено пользователей', 'Users notified'), type: 'int' } },
  },
  {
    code: 'dh_recalculate_order_prices',
    name: ru('DealerHub: пересчитать цены заказа', 'DealerHub: recalculate order prices'),
    description: ru('Пересчитывает строки заказа по индивидуальным ценам дилера на сегодня', "Reprices the order lines with the dealer's individual prices of today"),
    documentTypes: ['orders'],
    waitsForAnswer: true,
    properties: {},
    returnProperties: { ...RESULT, total: { name: ru('Сумма', 'Total'), type: 'double' } },
  },
  {
    code: 'dh_send_claim_to_erp',
    name: ru('DealerHub: передать рекламацию в ERP', 'DealerHub: send the claim to the ERP'),
    description: ru('Создаёт документ рекламации в ERP; повтор не создаёт дубль', 'Creates the claim document in the ERP; a repeat never creates a duplicate'),
    documentTypes: ['claims'],
    waitsForAnswer: true,
    properties: {},
    returnProperties: { ...RESULT, erpNumber: { name: ru('Номер в ERP', 'ERP number'), type: 'string' } },
  },
];

export function robotDefinition(code: string): RobotDefinition | undefined {
  return ROBOT_DEFINITIONS.find((r) => r.code === code);
}
