import iconv from 'iconv-lite';
import type { ErpRef, SubmitOrderLine } from '../port.js';
import { addDecimals, multiplyDecimals, type DecimalString } from '../../lib/decimal.js';
import { cmlStatusOf } from './order-status-map.js';
import type { ErpOrderStatus } from '../port.js';
import { el, escapeXml } from './xml-text.js';

/**
 * The answer to `type=sale&mode=query`: our orders as CommerceML 2.x Документ elements (ХозОперация «Заказ товара»,
 * Контрагенты, Товары, ЗначенияРеквизитов), encoded in windows-1251 as the 1C-Bitrix exchange sends them
 * (https://hmarketing.ru/blog/bitrix/zaprosy-obmena; cscart/docs ru/developer_guide/1c/orders.rst). 1C creates or
 * updates a «Заказ клиента» per document, keyed by Ид, which is our order's external id.
 */

export interface CmlExportLine extends SubmitOrderLine {
  name: string;
  sku?: string;
  /** OKEI code of the unit (796 = шт). */
  unitCode?: string;
  vatRate?: DecimalString;
}

export interface CmlExportOrder {
  /** Our idempotency key; becomes Документ/Ид. */
  externalId: string;
  number: string;
  /** Local date-time "2026-11-20T12:30:00". */
  createdAt: string;
  currency: string;
  customer: { ref: ErpRef; name: string; fullName?: string; inn?: string; kpp?: string; address?: string };
  lines: CmlExportLine[];
  status?: ErpOrderStatus;
  warehouseRef?: ErpRef;
  priceTypeRef?: ErpRef;
  agreementRef?: ErpRef;
  desiredDate?: string;
  deliveryAddress?: string;
  comment?: string;
}

export interface RenderOrdersOptions {
  /** ВерсияСхемы written on the root (2.08 is what 1C's site exchange expects for orders). */
  schemaVersion?: string;
  encoding?: 'windows-1251' | 'utf-8';
  now?: Date;
}

const CML_CURRENCY: Record<string, string> = { RUB: 'руб' };

function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function requisite(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : `<ЗначениеРеквизита>${el('Наименование', name)}${el('Значение', value)}</ЗначениеРеквизита>`;
}

function renderOrder(o: CmlExportOrder): string {
  const [date, time = '00:00:00'] = o.createdAt.split('T');
  const total = addDecimals(o.lines.map((l) => multiplyDecimals(l.qty, l.price)));
  const status = cmlStatusOf(o.status ?? 'confirmed');
  const c = o.customer;
  const lines = o.lines
    .map((l) => {
      const id = l.variantRef ? `${l.productRef.erpId}#${l.variantRef.erpId}` : l.productRef.erpId;
      const unitCode = l.unitCode ?? '796';
      return `<Товар>${el('Ид', id)}${el('Артикул', l.sku)}${el('Наименование', l.name)}`
        + `<БазоваяЕдиница Код="${escapeXml(unitCode)}" НаименованиеПолное="${escapeXml(l.unit ?? 'Штука')}" МеждународноеСокращение="PCE">${escapeXml(l.unit ?? 'шт')}</БазоваяЕдиница>`
        + `${el('ЦенаЗаЕдиницу', l.price)}${el('Количество', l.qty)}${el('Сумма', multiplyDecimals(l.qty, l.price))}`
        + (l.vatRate ? `<СтавкиНалогов><СтавкаНалога>${el('Наименование', 'НДС')}${el('Ставка', l.vatRate)}</СтавкаНалога></СтавкиНалогов>` : '')
        + `<ЗначенияРеквизитов>${requisite('ВидНоменклатуры', 'Товар')}${requisite('ТипНоменклатуры', 'Товар')}</ЗначенияРеквизитов></Товар>`;
    })
    .join('');
  return '<Документ>'
    + el('Ид', o.externalId) + el('Номер', o.number) + el('Дата', date) + el('ХозОперация', 'Заказ товара') + el('Роль', 'Продавец')
    + el('Валюта', CML_CURRENCY[o.currency] ?? o.currency) + el('Курс', '1') + el('Сумма', total)
    + '<Контрагенты><Контрагент>' + el('Ид', c.ref.erpId) + el('Наименование', c.name) + el('ПолноеНаименование', c.fullName ?? c.name)
    + el('Роль', 'Покупатель') + el('ИНН', c.inn) + el('КПП', c.kpp)
    + (c.address ? `<АдресРегистрации>${el('Представление', c.address)}</АдресРегистрации>` : '')
    + '</Контрагент></Контрагенты>'
    + el('Время', time.slice(0, 8)) + el('Комментарий', o.comment)
    + `<Товары>${lines}</Товары>`
    + '<ЗначенияРеквизитов>'
    + requisite('Дата изменения', o.createdAt.replace('T', ' '))
    + requisite('Статус заказа', `[${status.id}] ${status.name}`)
    + requisite('Статуса заказа ИД', status.id)
    + requisite('Заказ оплачен', 'false')
    + requisite('Отменен', o.status === 'cancelled' ? 'true' : 'false')
    + requisite('Финальный статус', 'false')
    + requisite('Адрес доставки', o.deliveryAddress)
    + requisite('Желаемая дата отгрузки', o.desiredDate)
    + requisite('Склад ИД', o.warehouseRef?.erpId)
    + requisite('Тип цен ИД', o.priceTypeRef?.erpId)
    + requisite('Соглашение ИД', o.agreementRef?.erpId)
    + '</ЗначенияРеквизитов>'
    + '</Документ>';
}

/** The whole answer, as bytes in the requested encoding (windows-1251 by default). */
export function renderOrdersXml(orders: CmlExportOrder[], options: RenderOrdersOptions = {}): Buffer {
  const encoding = options.encoding ?? 'windows-1251';
  const version = options.schemaVersion ?? '2.08';
  const now = localDateTime(options.now ?? new Date());
  const xml = `<?xml version="1.0" encoding="${encoding}"?>\n`
    + `<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="${escapeXml(version)}" ДатаФормирования="${now}">\n`
    + orders.map((o) => `${renderOrder(o)}\n`).join('')
    + '</КоммерческаяИнформация>\n';
  return encoding === 'utf-8' ? Buffer.from(xml, 'utf8') : iconv.encode(xml, encoding);
}

/** Sum of the lines as the document states it (for callers that show what was exported). */
export const exportOrderTotal = (o: CmlExportOrder): DecimalString => addDecimals(o.lines.map((l) => multiplyDecimals(l.qty, l.price)));
