import { dec, multiplyDecimals, toDecimal, type DecimalString } from '../../lib/decimal.js';
import type {
  ErpCustomer, ErpDocument, ErpDocumentKind, ErpOrderLineState, ErpOrderState, ErpOrderStatus, ErpPrice, ErpPriceType, ErpProduct,
  ErpProductGroup, ErpProductProperty, ErpRef, ErpStock, ErpUnit, ErpWarehouse, SubmitOrder,
} from '../port.js';
import { EMPTY_REF, isGuid } from './odata-query.js';
import type { OnecProfile } from './onec-profile.js';

/**
 * Pure mapping between 1C standard OData JSON (field shapes in ../shared/fixtures/erp/1c-odata_*) and the port's
 * normalized types. No I/O: the connector fetches, this file translates, and the unit tests feed it real payloads.
 */

export type OnecRow = Record<string, unknown>;

export const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** A reference field: null for the empty reference 00000000-…. */
export function refOf(v: unknown, code?: unknown): ErpRef | null {
  if (!isGuid(v) || v === EMPTY_REF) return null;
  const c = str(code);
  return c ? { erpId: v.toLowerCase(), code: c } : { erpId: v.toLowerCase() };
}

/** 1C's empty date is 0001-01-01T00:00:00. */
export function dateOf(v: unknown): string | null {
  const s = str(v);
  return s === '' || s.startsWith('0001-01-01') ? null : s;
}

/** 1C answers numbers as JSON numbers (sometimes as text, e.g. "Коэффициент": "1"): always a decimal string here. */
export function decimalOf(v: unknown, scale?: number): DecimalString {
  if (v === null || v === undefined || v === '') return toDecimal(0, scale);
  return toDecimal(v as string | number, scale);
}

/** ISO 4217 letters for the 1C currency code (ОКВ digits): 643 → RUB. */
const OKV: Record<string, string> = { '643': 'RUB', '810': 'RUB', '840': 'USD', '978': 'EUR', '398': 'KZT', '933': 'BYN', '156': 'CNY', '417': 'KGS', '051': 'AMD', '860': 'UZS' };
export function currencyOf(code: unknown, description?: unknown): string {
  const c = str(code).trim();
  if (OKV[c]) return OKV[c] as string;
  if (/^[A-Z]{3}$/.test(c)) return c;
  const d = str(description).trim().toLowerCase();
  return d.startsWith('руб') ? 'RUB' : c || d.toUpperCase();
}

/** УТ «СтавкиНДС» enum values (НДС20, НДС10, БезНДС, НДС0) and БП «ВидыСтавокНДС» (Общая, Пониженная, …) → percent. */
export function vatRateOf(v: unknown): DecimalString | undefined {
  const s = str(v).replace(/\s/g, '');
  const m = /^НДС(\d+)(?:_\d+)?$/.exec(s);
  if (m) return m[1] as DecimalString;
  const named: Record<string, string> = { БезНДС: '0', Общая: '20', Пониженная: '10', Нулевая: '0', '': '' };
  const r = named[s];
  return r ? (r as DecimalString) : undefined;
}

/** The entity set a saved answer describes, from "odata.metadata": ".../$metadata#Catalog_X" or "#Catalog_X/@Element". */
export function entitySetOf(odataMetadata: unknown): { set: string | null; element: boolean } {
  const m = /\$metadata#([^/&?]+)(\/@Element)?/.exec(str(odataMetadata));
  return { set: m?.[1] ?? null, element: !!m?.[2] };
}

/** Entity set names from the service document (`GET …/standard.odata/?$format=json`). */
export function serviceDocumentSets(doc: unknown): string[] {
  const value = (doc as { value?: Array<{ name?: unknown; url?: unknown }> })?.value;
  return Array.isArray(value) ? value.map((v) => str(v.name ?? v.url)).filter(Boolean) : [];
}

export function mapGroup(row: OnecRow): ErpProductGroup {
  return { ref: refOf(row.Ref_Key, row.Code) as ErpRef, name: str(row.Description), parentRef: refOf(row.Parent_Key) };
}

/**
 * A unit. Two shapes occur: УТ «ЕдиницыИзмерения» (Code = ОКЕИ, e.g. 796 шт) and configurations where units are
 * subordinate to a product (Owner_Key + Коэффициент, the fixture 1c-odata_Catalog_EdinicyIzmereniya_list.json).
 */
export function mapUnit(row: OnecRow): ErpUnit & { ownerRef: ErpRef | null } {
  const code = str(row.Code).trim();
  return {
    ref: refOf(row.Ref_Key) ?? undefined,
    ...(/^\d{3}$/.test(code) ? { code } : {}),
    name: str(row.Description),
    ratio: decimalOf(row.Коэффициент ?? 1),
    ownerRef: refOf(row.Owner_Key ?? row.Owner),
  };
}

/** A pack of УТ «УпаковкиЕдиницыИзмерения»: Числитель / Знаменатель base units. */
export function mapPack(row: OnecRow, p: OnecProfile): ErpUnit & { ownerRef: ErpRef | null } {
  const num = decimalOf(row[p.packs?.numerator ?? 'Числитель'] ?? 1);
  const den = decimalOf(row[p.packs?.denominator ?? 'Знаменатель'] ?? 1);
  const ratio = den === '0' || den === '1' ? num : toDecimal(Number(num) / Number(den), 6);
  return { ref: refOf(row.Ref_Key) ?? undefined, name: str(row.Description), ratio, ownerRef: refOf(row[p.packs?.owner ?? 'Owner']) };
}

export interface ProductContext {
  units: Map<string, ErpUnit>;
  brands?: Map<string, string>;
  propertyNames?: Map<string, string>;
  packs?: ErpUnit[];
  barcodes?: string[];
  pictures?: string[];
  analogs?: ErpRef[];
}

export function mapProperties(rows: unknown, names?: Map<string, string>): ErpProductProperty[] {
  if (!Array.isArray(rows)) return [];
  return (rows as OnecRow[])
    .map((r) => ({ id: str(r.Свойство_Key).toLowerCase(), name: names?.get(str(r.Свойство_Key).toLowerCase()) ?? str(r.Свойство_Key), value: str(r.Значение ?? r.ТекстоваяСтрока) }))
    .filter((x) => x.id !== '' && x.value !== '');
}

export function mapProduct(row: OnecRow, p: OnecProfile, ctx: ProductContext): ErpProduct {
  const f = p.products;
  const unitRef = str(row[f.unit]).toLowerCase();
  const unit = ctx.units.get(unitRef);
  const brandRef = f.brand ? str(row[f.brand]).toLowerCase() : '';
  const brand = brandRef && brandRef !== EMPTY_REF ? ctx.brands?.get(brandRef) : undefined;
  const sku = str(row[f.sku]).trim();
  const fullName = str(row[f.fullName]).trim();
  const description = f.description ? str(row[f.description]).trim() : '';
  const vatRate = vatRateOf(row[f.vat]);
  const product: ErpProduct = {
    ref: refOf(row.Ref_Key, row.Code) as ErpRef,
    name: str(row.Description),
    groupRef: refOf(row.Parent_Key),
    baseUnit: unit ? { ...unit, ratio: '1' } : { ...(refOf(row[f.unit]) ? { ref: refOf(row[f.unit]) as ErpRef } : {}), name: '', ratio: '1' },
    deleted: row.DeletionMark === true,
  };
  if (sku) product.sku = sku;
  if (fullName) product.fullName = fullName;
  if (brand) product.brand = brand;
  if (description) product.description = description;
  if (vatRate !== undefined) product.vatRate = vatRate;
  if (typeof row.DataVersion === 'string') product.version = row.DataVersion;
  if (f.properties) product.properties = mapProperties(row[f.properties], ctx.propertyNames);
  if (ctx.packs) product.packUnits = ctx.packs;
  if (ctx.barcodes) product.barcodes = ctx.barcodes;
  if (ctx.pictures) product.pictures = ctx.pictures;
  if (ctx.analogs) product.analogRefs = ctx.analogs;
  return product;
}

export function mapWarehouse(row: OnecRow, p: OnecProfile): ErpWarehouse {
  const w: ErpWarehouse = { ref: refOf(row.Ref_Key, row.Code) as ErpRef, name: str(row.Description) };
  const table = p.warehouses.contactTable ? row[p.warehouses.contactTable] : null;
  const address = Array.isArray(table) ? (table as OnecRow[]).find((r) => str(r.Тип) === 'Адрес') : undefined;
  if (address) {
    if (str(address.Город)) w.city = str(address.Город);
    if (str(address.Представление)) w.address = str(address.Представление);
  }
  return w;
}

export function mapPriceType(row: OnecRow, p: OnecProfile, currencies: Map<string, string>): ErpPriceType {
  return {
    ref: refOf(row.Ref_Key, row.Code) as ErpRef,
    name: str(row.Description),
    currency: currencies.get(str(row[p.priceTypes.currency]).toLowerCase()) ?? 'RUB',
    vatIncluded: row[p.priceTypes.vatIncluded] === true,
  };
}

export function mapPrice(row: OnecRow, p: OnecProfile, typeCurrency: Map<string, string>): ErpPrice {
  const typeRef = refOf(row[p.prices.priceType]) as ErpRef;
  const price: ErpPrice = {
    productRef: refOf(row[p.prices.product]) as ErpRef,
    priceTypeRef: typeRef,
    price: decimalOf(row[p.prices.price], 2),
    currency: typeCurrency.get(typeRef?.erpId ?? '') ?? 'RUB',
  };
  const pack = p.prices.pack ? refOf(row[p.prices.pack]) : null;
  if (pack) price.unit = `pack:${pack.erpId}`;
  const period = dateOf(row.Period);
  if (period) price.validFrom = period;
  return price;
}

/** A free-stock balance row (ВНаличииBalance, ВРезервеСоСкладаBalance) → on hand, reserved, available (never below 0). */
export function mapStockBalance(row: OnecRow, s: { product: string; warehouse: string; onHand: string; reserved: string }): ErpStock {
  const onHand = decimalOf(row[`${s.onHand}Balance`]);
  const reserved = decimalOf(row[`${s.reserved}Balance`]);
  const free = dec(onHand).minus(reserved);
  return {
    productRef: refOf(row[`${s.product}_Key`]) as ErpRef,
    warehouseRef: refOf(row[`${s.warehouse}_Key`]) as ErpRef,
    onHand,
    reserved,
    available: toDecimal(free.isNegative() ? 0 : free),
  };
}

export function mapCustomer(partner: OnecRow, counterparty: OnecRow | undefined, agreement: OnecRow | undefined, p: OnecProfile): ErpCustomer {
  const c: ErpCustomer = { ref: refOf(partner.Ref_Key, partner.Code) as ErpRef, name: str(partner.Description) };
  const inn = str(counterparty?.ИНН).trim();
  const kpp = str(counterparty?.КПП).trim();
  if (inn) c.inn = inn;
  if (kpp) c.kpp = kpp;
  const priceType = agreement ? refOf(agreement[p.agreements.priceType]) : null;
  c.priceTypeRef = priceType;
  return c;
}

/** Picks the agreement in force (Статус = Действует) among a customer's, else the first. */
export function pickAgreement(rows: OnecRow[], p: OnecProfile): OnecRow | undefined {
  const live = rows.filter((r) => r.DeletionMark !== true);
  const status = p.agreements.status;
  return (status ? live.find((r) => str(r[status]) === 'Действует') : undefined) ?? live[0];
}

/** УТ 11 «СтатусыЗаказовКлиентов» → normalized status; shipments make a КОтгрузке order shipped. */
export function orderStatusOf(row: OnecRow, p: OnecProfile, shipped: boolean): { status: ErpOrderStatus; raw: string } {
  const lines = Array.isArray(row[p.orders.lines]) ? (row[p.orders.lines] as OnecRow[]) : [];
  const allCancelled = lines.length > 0 && lines.every((l) => l.Отменено === true);
  const raw = p.orders.status ? str(row[p.orders.status]) : row.Posted === true ? 'Проведен' : 'НеПроведен';
  if (row.DeletionMark === true) return { status: 'cancelled', raw: `${raw} (помечен на удаление)` };
  if (!p.orders.status) return { status: shipped ? 'shipped' : row.Posted === true ? 'confirmed' : 'draft', raw };
  switch (raw) {
    case 'НеСогласован':
      return { status: 'draft', raw };
    case 'Согласован':
      return { status: 'confirmed', raw };
    case 'КОбеспечению':
      return { status: shipped ? 'shipped' : 'in_fulfilment', raw };
    case 'КОтгрузке':
      return { status: shipped ? 'shipped' : 'in_fulfilment', raw };
    case 'Закрыт':
      return { status: allCancelled ? 'cancelled' : 'closed', raw };
    default:
      return { status: row.Posted === true ? 'confirmed' : 'draft', raw };
  }
}

export function mapOrderState(row: OnecRow, p: OnecProfile, shipped: boolean, externalId: string | null): ErpOrderState {
  const { status, raw } = orderStatusOf(row, p, shipped);
  const lines: ErpOrderLineState[] = (Array.isArray(row[p.orders.lines]) ? (row[p.orders.lines] as OnecRow[]) : []).map((l) => ({
    lineNo: Number(l.LineNumber),
    productRef: refOf(l.Номенклатура_Key) ?? { erpId: EMPTY_REF },
    qty: decimalOf(l.Количество),
    price: decimalOf(l.Цена, 2),
    reserved: '0',
    waiting: '0',
    cancelled: l.Отменено === true,
  }));
  const state: ErpOrderState = {
    externalId,
    erpRef: refOf(row.Ref_Key, row.Number) as ErpRef,
    number: str(row.Number),
    status,
    rawStatus: raw,
    posted: row.Posted === true,
    lines,
  };
  if (row[p.orders.amount] !== undefined) state.total = decimalOf(row[p.orders.amount], 2);
  return state;
}

/** «ВариантОформленияПродажи» of a sale → document kind (verify the enum per release). */
export function saleKindOf(variant: unknown): ErpDocumentKind {
  const v = str(variant);
  if (/УПД|Универсальн/i.test(v)) return 'upd';
  if (/Акт/i.test(v)) return 'act';
  return 'waybill';
}

export function mapDocument(row: OnecRow, kind: ErpDocumentKind, fields: { customer: string; order: string; orderType: string | null; amount: string },
  currencies: Map<string, string>, orderExternalIds: Map<string, string | null>): ErpDocument {
  const orderType = fields.orderType ? str(row[fields.orderType]) : '';
  const orderRef = !fields.orderType || orderType === '' || orderType.endsWith('Document_ЗаказКлиента') || orderType.endsWith('Document_СчетНаОплатуПокупателю')
    ? refOf(row[fields.order]) : null;
  return {
    ref: refOf(row.Ref_Key, row.Number) as ErpRef,
    kind,
    number: str(row.Number),
    date: str(row.Date),
    customerRef: refOf(row[fields.customer]) as ErpRef,
    amount: decimalOf(row[fields.amount], 2),
    currency: currencies.get(str(row.Валюта_Key).toLowerCase()) ?? 'RUB',
    orderRef,
    orderExternalId: orderRef ? (orderExternalIds.get(orderRef.erpId) ?? null) : null,
    posted: row.Posted === true,
    hasFile: false,
  };
}

/** Any 1C document with inline rows (e.g. the fixture Document_ПриходныйОрдер): header and lines, refs normalized. */
export function mapGenericDocument(row: OnecRow, set: string) {
  const lines = Array.isArray(row.Товары) ? (row.Товары as OnecRow[]) : [];
  return {
    set,
    ref: refOf(row.Ref_Key),
    number: str(row.Number),
    date: dateOf(row.Date),
    posted: row.Posted === true,
    deleted: row.DeletionMark === true,
    warehouseRef: refOf(row.Склад_Key),
    counterpartyRef: refOf(row.Контрагент_Key),
    comment: str(row.Комментарий),
    lines: lines.map((l) => ({
      lineNo: Number(l.LineNumber),
      productRef: refOf(l.Номенклатура_Key),
      qty: decimalOf(l.Количество),
      unitRef: refOf(l.ЕдиницаИзмерения_Key),
    })),
  };
}

/** How our external id sits in «Комментарий»: a marker the connector can search with substringof. */
export const externalIdMarker = (id: string) => `[DealerHub:${id.toLowerCase()}]`;
const MARKER = /\[DealerHub:([0-9a-fA-F-]{36})\]/;
export const externalIdFromComment = (v: unknown): string | null => MARKER.exec(str(v))?.[1]?.toLowerCase() ?? null;

/** A decimal written into JSON as a number literal without passing through a float. */
class RawNumber {
  constructor(readonly text: string) {}
}
export const rawNumber = (v: DecimalString | string) => new RawNumber(toDecimal(v));

/** JSON.stringify, with RawNumber values emitted as exact number literals (1C reads Edm.Decimal from JSON numbers). */
export function stringifyWithDecimals(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof RawNumber) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)] as string);
}

export interface OrderBodyContext {
  date: string;
  organizationRef: string | null;
  counterpartyRef: string | null;
  agreementRef: string | null;
  contractRef?: string | null;
  currencyRef: string | null;
  priceTypeRef: string | null;
  warehouseRef: string | null;
}

/** The Document_ЗаказКлиента we POST: header, our marker in Комментарий and inline Товары with LineNumber. */
export function buildOrderBody(cmd: SubmitOrder, p: OnecProfile, ctx: OrderBodyContext): string {
  const o = p.orders;
  const body: Record<string, unknown> = {
    Date: ctx.date,
    [o.customer]: cmd.customerRef.erpId,
    [o.comment]: `${cmd.comment ? `${cmd.comment} ` : ''}${externalIdMarker(cmd.externalId)}`,
  };
  if (o.counterparty !== o.customer && ctx.counterpartyRef) body[o.counterparty] = ctx.counterpartyRef;
  if (o.agreement && ctx.agreementRef) body[o.agreement] = ctx.agreementRef;
  if (ctx.organizationRef) body.Организация_Key = ctx.organizationRef;
  if (ctx.warehouseRef) body.Склад_Key = ctx.warehouseRef;
  if (ctx.currencyRef) body.Валюта_Key = ctx.currencyRef;
  if (p.flavor === 'ut') {
    Object.assign(body, {
      ХозяйственнаяОперация: 'РеализацияКлиенту',
      [o.status ?? 'Статус']: 'НеСогласован',
      Согласован: false,
      ЦенаВключаетНДС: true,
      НалогообложениеНДС: 'ПродажаОблагаетсяНДС',
    });
    if (ctx.contractRef) body.Договор_Key = ctx.contractRef;
    if (o.clientNumber) body[o.clientNumber] = cmd.number;
    if (cmd.desiredDate) {
      body.ДатаОтгрузки = `${cmd.desiredDate.slice(0, 10)}T00:00:00`;
      body.ЖелаемаяДатаОтгрузки = `${cmd.desiredDate.slice(0, 10)}T00:00:00`;
    }
    if (cmd.deliveryAddress) body.АдресДоставки = cmd.deliveryAddress;
  } else if (ctx.contractRef) {
    body[o.agreement ?? 'ДоговорКонтрагента_Key'] = ctx.contractRef;
  }
  body[o.lines] = cmd.lines.map((l, k) => {
    const line: Record<string, unknown> = {
      LineNumber: String(k + 1),
      Номенклатура_Key: l.productRef.erpId,
      Количество: rawNumber(l.qty),
      Цена: rawNumber(l.price),
      Сумма: rawNumber(multiplyDecimals(l.qty, l.price, 2)),
      СтавкаНДС: p.flavor === 'ut' ? 'НДС20' : 'НДС20',
    };
    if (p.flavor === 'ut') {
      line.КоличествоУпаковок = rawNumber(l.qty);
      line.ВариантОбеспечения = 'Отгрузить';
      if (ctx.priceTypeRef) line.ВидЦены_Key = ctx.priceTypeRef;
      if (ctx.warehouseRef) line.Склад_Key = ctx.warehouseRef;
    }
    return line;
  });
  return stringifyWithDecimals(body);
}
