import type {
  ErpCustomer, ErpOrderLineState, ErpOrderState, ErpPrice, ErpPriceType, ErpProduct, ErpProductGroup, ErpProductProperty,
  ErpRef, ErpStock, ErpUnit, ErpWarehouse,
} from '../port.js';
import { compareDecimals, type DecimalString } from '../../lib/decimal.js';
import { OKEI_NAMES, cmlDateTime, cmlDecimal, normalizeCurrency, splitOfferId } from './cml-values.js';
import { statusFromCmlId, statusIdFromText } from './order-status-map.js';
import { all, child, isTrue, text, type XNode } from './xml-node.js';

/**
 * Pure mappers from CommerceML 2.x/3.x elements to the port's normalized types. Element names follow the CML 2.10
 * schema (dobromyslov/commerceml-parser doc/commerceml-2.10.xsd) and the Bitrix module 6.5 CML 3.1 files
 * (irpsv/commerceml tests/assets/bitrix-module-6/); the sample files are in ../shared/fixtures/erp/.
 */

/** Dictionaries the classifier defines and later records refer to (units, property values, price type currencies). */
export interface CmlContext {
  units: Map<string, string>;
  properties: Map<string, { name: string; values: Map<string, string> }>;
  priceTypeCurrency: Map<string, string>;
  /** Set once a Склады list was seen: offers then carry per-warehouse stock, and a missing row means zero. */
  warehousesDeclared: boolean;
}

export const createCmlContext = (): CmlContext => ({ units: new Map(), properties: new Map(), priceTypeCurrency: new Map(), warehousesDeclared: false });

/**
 * Stock rows of offers that give only a total (Количество) and no breakdown by warehouse are reported against this
 * pseudo-warehouse id, so they are not lost; the sync can map it to the portal's default warehouse.
 */
export const CML_TOTAL_WAREHOUSE_ID = '*';

const ref = (erpId: string, code?: string): ErpRef => (code ? { erpId, code } : { erpId });

function required(node: XNode, name: string): string {
  const v = text(node, name);
  if (v === undefined) throw new Error(`<${name}> is missing`);
  return v;
}

/** ЗначенияРеквизитов/ЗначениеРеквизита{Наименование, Значение} (or ЗначениеРеквизита directly, as in ДополнительныеДанные). */
function requisites(node: XNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of [...all(node, 'ЗначенияРеквизитов', 'ЗначениеРеквизита'), ...all(node, 'ЗначениеРеквизита')]) {
    const name = text(r, 'Наименование');
    if (name && !out.has(name)) out.set(name, text(r, 'Значение') ?? '');
  }
  return out;
}

const deletedMark = (node: XNode) =>
  isTrue(text(node, 'ПометкаУдаления')) || /^удал/i.test(node.attrs['Статус'] ?? '') || /^удал/i.test(text(node, 'Статус') ?? '');

/** Классификатор/Группы/Группа, flattened with parents (nested Группы in 2.x, ИдРодителя in some 3.x writers). */
export function mapGroupTree(node: XNode, parentId: string | null, out: ErpProductGroup[] = []): ErpProductGroup[] {
  const id = required(node, 'Ид');
  const parent = parentId ?? text(node, 'ИдРодителя') ?? null;
  out.push({ ref: ref(id, text(node, 'Код')), name: text(node, 'Наименование') ?? id, parentRef: parent ? ref(parent) : null });
  for (const sub of all(node, 'Группы', 'Группа')) mapGroupTree(sub, id, out);
  return out;
}

/** Классификатор/Свойства/Свойство with its Справочник values, remembered to resolve product property values. */
export function rememberProperty(node: XNode, ctx: CmlContext): void {
  const id = text(node, 'Ид');
  if (!id) return;
  const values = new Map<string, string>();
  for (const v of all(node, 'ВариантыЗначений', 'Справочник')) {
    const vid = text(v, 'ИдЗначения');
    if (vid) values.set(vid, text(v, 'Значение') ?? '');
  }
  ctx.properties.set(id, { name: text(node, 'Наименование') ?? id, values });
}

/** Классификатор/ЕдиницыИзмерения/ЕдиницаИзмерения (3.x): code → short name. */
export function rememberUnit(node: XNode, ctx: CmlContext): void {
  const code = text(node, 'Код') ?? text(node, 'Ид');
  const name = text(node, 'НаименованиеКраткое') ?? text(node, 'НаименованиеПолное');
  if (code && name) ctx.units.set(code, name);
}

export function mapPriceType(node: XNode, ctx: CmlContext): ErpPriceType {
  const id = required(node, 'Ид');
  const currency = normalizeCurrency(text(node, 'Валюта'));
  ctx.priceTypeCurrency.set(id, currency);
  const vat = text(node, 'Налог', 'УчтеноВСумме');
  // A price type without a tax element: 1C's default is prices with VAT, which is also what Russian B2B lists use.
  return { ref: ref(id, text(node, 'Код')), name: text(node, 'Наименование') ?? id, currency, vatIncluded: vat === undefined ? true : isTrue(vat) };
}

export function mapWarehouse(node: XNode, ctx: CmlContext): ErpWarehouse {
  const id = required(node, 'Ид');
  ctx.warehousesDeclared = true;
  const w: ErpWarehouse = { ref: ref(id, text(node, 'Код')), name: text(node, 'Наименование') ?? id };
  const address = text(node, 'Адрес', 'Представление');
  if (address) w.address = address;
  const city = all(node, 'Адрес', 'АдресноеПоле').find((f) => /город|населенный/i.test(text(f, 'Тип') ?? ''));
  const cityName = text(city, 'Значение');
  if (cityName) w.city = cityName;
  return w;
}

function unitName(code: string | undefined, label: string | undefined, ctx: CmlContext): string {
  if (label && !/^\d+$/.test(label)) return label;
  const c = (code ?? label ?? '').trim();
  return ctx.units.get(c) ?? OKEI_NAMES[c] ?? (c || 'шт');
}

function mapUnits(node: XNode, ctx: CmlContext): { base: ErpUnit; packs: ErpUnit[] } {
  const b = child(node, 'БазоваяЕдиница');
  const code = (b?.attrs['Код'] ?? '').trim() || (b && /^\d+$/.test(b.text.trim()) ? b.text.trim() : undefined);
  const label = b?.text.trim() || undefined;
  const base: ErpUnit = { name: unitName(code, label, ctx), ratio: '1' as DecimalString };
  if (code) base.code = code;
  const packs: ErpUnit[] = [];
  for (const p of all(b, 'Пересчет')) {
    const ratio = cmlDecimal(text(p, 'Коэффициент') ?? '1', 'Пересчет/Коэффициент');
    const unitCode = text(p, 'Единица');
    if (compareDecimals(ratio, '1') === 0 && (!unitCode || unitCode === code)) continue;
    const extra = requisites(child(p, 'ДополнительныеДанные') ?? { name: '', attrs: {}, children: [], text: '' });
    const pack: ErpUnit = { name: extra.get('Наименование') ?? unitName(unitCode, undefined, ctx), ratio };
    if (unitCode) pack.code = unitCode;
    const packId = extra.get('Ид');
    if (packId) pack.ref = ref(packId);
    packs.push(pack);
  }
  return { base, packs };
}

function mapProperties(node: XNode, ctx: CmlContext): ErpProductProperty[] {
  const values = [...all(node, 'ЗначенияСвойств', 'ЗначенияСвойства'), ...all(node, 'ЗначенияСвойств', 'ЗначениеСвойства')];
  const out: ErpProductProperty[] = [];
  for (const v of values) {
    const id = text(v, 'Ид');
    if (!id) continue;
    const def = ctx.properties.get(id);
    for (const raw of all(v, 'Значение')) {
      const value = raw.text.trim();
      if (value === '') continue;
      out.push({ id, name: text(v, 'Наименование') ?? def?.name ?? id, value: def?.values.get(value) ?? value });
    }
  }
  return out;
}

function vatRateOf(node: XNode): DecimalString | undefined {
  const vat = all(node, 'СтавкиНалогов', 'СтавкаНалога').find((s) => /ндс|vat/i.test(text(s, 'Наименование') ?? ''));
  const rate = text(vat, 'Ставка')?.replace('%', '').trim();
  if (!rate || !/^\d+([.,]\d+)?$/.test(rate)) return undefined;
  return cmlDecimal(rate, 'СтавкаНалога/Ставка');
}

/** Каталог/Товары/Товар. */
export function mapProduct(node: XNode, ctx: CmlContext): ErpProduct {
  const id = required(node, 'Ид');
  const req = requisites(node);
  const { base, packs } = mapUnits(node, ctx);
  const code = text(node, 'Код') ?? req.get('Код');
  const p: ErpProduct = {
    ref: ref(id, code),
    name: text(node, 'Наименование') ?? req.get('Полное наименование') ?? id,
    groupRef: (() => {
      const g = text(node, 'Группы', 'Ид');
      return g ? ref(g) : null;
    })(),
    baseUnit: base,
    deleted: deletedMark(node),
  };
  const sku = text(node, 'Артикул');
  if (sku) p.sku = sku;
  const fullName = req.get('Полное наименование');
  if (fullName) p.fullName = fullName;
  const brand = text(node, 'Изготовитель', 'Наименование') ?? text(node, 'Производитель');
  if (brand) p.brand = brand;
  const barcodes = [...all(node, 'Штрихкод'), ...all(node, 'ШтрихКод')].map((b) => b.text.trim()).filter(Boolean);
  const reqBarcode = req.get('Штрихкод');
  if (reqBarcode && !barcodes.includes(reqBarcode)) barcodes.push(reqBarcode);
  if (barcodes.length) p.barcodes = barcodes;
  if (packs.length) p.packUnits = packs;
  const props = mapProperties(node, ctx);
  if (props.length) p.properties = props;
  const pictures = all(node, 'Картинка').map((c) => c.text.trim()).filter(Boolean);
  if (pictures.length) p.pictures = pictures;
  const description = text(node, 'Описание');
  if (description) p.description = description;
  const vat = vatRateOf(node);
  if (vat !== undefined) p.vatRate = vat;
  const version = text(node, 'НомерВерсии');
  if (version) p.version = version;
  const modified = cmlDateTime(req.get('ДатаИзменения') ?? req.get('Дата изменения'));
  if (modified) p.modifiedAt = modified;
  return p;
}

/** ПакетПредложений/Предложения/Предложение → its prices (Цены) and per-warehouse stock (Склад attributes or Остатки). */
export function mapOffer(node: XNode, ctx: CmlContext): { prices: ErpPrice[]; stock: ErpStock[] } {
  const id = required(node, 'Ид');
  const { productId, variantId } = splitOfferId(id);
  const productRef = ref(productId);
  const variant = variantId ? { variantRef: ref(variantId) } : {};
  const prices: ErpPrice[] = [];
  for (const c of all(node, 'Цены', 'Цена')) {
    const typeId = text(c, 'ИдТипаЦены');
    if (!typeId) throw new Error('Цена without ИдТипаЦены');
    const price: ErpPrice = {
      productRef,
      ...variant,
      priceTypeRef: ref(typeId),
      price: cmlDecimal(text(c, 'ЦенаЗаЕдиницу'), 'ЦенаЗаЕдиницу'),
      currency: normalizeCurrency(text(c, 'Валюта') ?? ctx.priceTypeCurrency.get(typeId)),
    };
    const ratio = text(c, 'Коэффициент');
    const unit = text(c, 'Единица');
    if (unit && ratio && compareDecimals(cmlDecimal(ratio, 'Цена/Коэффициент'), '1') !== 0) price.unit = unit;
    prices.push(price);
  }
  const stock: ErpStock[] = [];
  const row = (warehouseId: string, qty: DecimalString): ErpStock => ({ productRef, ...variant, warehouseRef: ref(warehouseId), onHand: qty, reserved: '0', available: qty });
  for (const s of node.children.filter((c) => c.name === 'Склад' && c.attrs['ИдСклада'] !== undefined)) {
    stock.push(row(s.attrs['ИдСклада'] as string, cmlDecimal(s.attrs['КоличествоНаСкладе'] ?? '0', 'Склад/@КоличествоНаСкладе')));
  }
  let totalOnly: DecimalString | undefined;
  for (const rest of all(node, 'Остатки', 'Остаток')) {
    const perWarehouse = all(rest, 'Склад');
    for (const s of perWarehouse) {
      const wid = text(s, 'Ид');
      if (wid) stock.push(row(wid, cmlDecimal(text(s, 'Количество') ?? '0', 'Остаток/Склад/Количество')));
    }
    if (perWarehouse.length === 0 && text(rest, 'Количество') !== undefined) totalOnly = cmlDecimal(text(rest, 'Количество'), 'Остаток/Количество');
  }
  if (stock.length === 0 && (!ctx.warehousesDeclared || totalOnly !== undefined)) {
    const total = totalOnly ?? (text(node, 'Количество') !== undefined ? cmlDecimal(text(node, 'Количество'), 'Количество') : undefined);
    if (total !== undefined) stock.push(row(CML_TOTAL_WAREHOUSE_ID, total));
  }
  return { prices, stock };
}

/** Документ (documents.xml, 1C → site; also our own sale query answer) → order state, its lines and its buyer. */
export function mapDocument(node: XNode): { state: ErpOrderState; customers: ErpCustomer[] } {
  const id = required(node, 'Ид');
  const req = requisites(node);
  const statusText = req.get('Статус заказа');
  const statusId = req.get('Статуса заказа ИД') ?? req.get('Статус заказа ИД') ?? statusIdFromText(statusText);
  const cancelled = isTrue(req.get('Отменен')) || isTrue(req.get('ПометкаУдаления')) || deletedMark(node);
  const posted = isTrue(req.get('Проведен'));
  const paid = isTrue(req.get('Заказ оплачен')) || req.has('Дата оплаты по 1С');
  const shipped = req.has('Дата отгрузки по 1С') || req.has('Номер отгрузки по 1С');
  const status = cancelled
    ? 'cancelled'
    : (statusFromCmlId(statusId) ?? (isTrue(req.get('Финальный статус')) ? 'closed' : shipped ? 'shipped' : paid ? 'paid' : posted ? 'confirmed' : 'draft'));
  const oneCNumber = req.get('Номер по 1С');
  const number = oneCNumber ?? text(node, 'Номер') ?? id;
  const lines: ErpOrderLineState[] = [];
  for (const item of all(node, 'Товары', 'Товар')) {
    const itemId = text(item, 'Ид');
    const itemReq = requisites(item);
    if (!itemId || itemId === 'ORDER_DELIVERY' || (itemReq.get('ТипНоменклатуры') === 'Услуга' && /доставк/i.test(text(item, 'Наименование') ?? ''))) continue;
    const { productId } = splitOfferId(itemId);
    lines.push({
      lineNo: lines.length + 1,
      productRef: ref(productId),
      qty: cmlDecimal(text(item, 'Количество'), 'Товар/Количество'),
      price: cmlDecimal(text(item, 'ЦенаЗаЕдиницу') ?? '0', 'Товар/ЦенаЗаЕдиницу'),
      reserved: '0',
      waiting: '0',
      cancelled,
    });
  }
  const state: ErpOrderState = {
    externalId: id,
    erpRef: ref(oneCNumber ?? id, number),
    number,
    status,
    rawStatus: statusText ?? statusId ?? (cancelled ? 'Отменен' : posted ? 'Проведен' : 'Не проведен'),
    posted,
    lines,
  };
  const total = text(node, 'Сумма');
  if (total !== undefined) state.total = cmlDecimal(total, 'Документ/Сумма');
  const updatedAt = cmlDateTime(req.get('Дата изменения')) ?? cmlDateTime(req.get('Дата по 1С')) ?? cmlDateTime(text(node, 'Дата'), text(node, 'Время'));
  if (updatedAt) state.updatedAt = updatedAt;
  const customers: ErpCustomer[] = [];
  for (const c of all(node, 'Контрагенты', 'Контрагент')) {
    const role = text(c, 'Роль');
    const cid = text(c, 'Ид');
    if (!cid || (role && !/покупател/i.test(role))) continue;
    const customer: ErpCustomer = { ref: ref(cid), name: text(c, 'Наименование') ?? text(c, 'ПолноеНаименование') ?? cid };
    const inn = text(c, 'ИНН');
    const kpp = text(c, 'КПП');
    if (inn) customer.inn = inn;
    if (kpp) customer.kpp = kpp;
    customers.push(customer);
  }
  return { state, customers };
}
