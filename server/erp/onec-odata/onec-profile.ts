/**
 * Where our data lives in a given 1C configuration (erp-integration.md §1, table «Where our data lives»). Names differ
 * between configurations and releases, so a customer can override any of them; the connector checks the final map
 * against the base's `$metadata` before its first call and names whatever is missing.
 *
 * - ut11 / erp2: УТ 11 and ERP 2 share these names (Партнеры + Контрагенты, СоглашенияСКлиентами, registers
 *   СвободныеОстатки / РасчетыСКлиентамиПоСрокам, Document_ЗаказКлиента with Статус).
 * - bp30: БП 3.0 has no partners, agreements or order statuses: customers are Контрагенты with ДоговорыКонтрагентов,
 *   stock and debts come from AccountingRegister_Хозрасчетный (41.xx, 62.xx), orders are Document_СчетНаОплатуПокупателю.
 */

export type OnecFlavor = 'ut' | 'bp';

export interface OnecProfile {
  id: string;
  flavor: OnecFlavor;
  products: {
    set: string;
    sku: string;
    fullName: string;
    unit: string;
    brand: string | null;
    kind: string | null;
    vat: string;
    description: string | null;
    /** Inline tabular section with additional attributes (Свойство_Key, Значение), or null. */
    properties: string | null;
  };
  units: { set: string };
  packs: { set: string; owner: string; numerator: string; denominator: string } | null;
  barcodes: { set: string; product: string; barcode: string } | null;
  /** Attached files of products (БСП «ПрисоединенныеФайлы»); `main` is the product's own main-picture field. */
  pictures: { set: string; owner: string; extension: string; main: string | null } | null;
  /**
   * Where БСП keeps attached files' bytes when they live in the infobase: an information register keyed by the file
   * (a composite ref, so `Файл` + `Файл_Type`) whose value storage OData gives as `<data>_Base64Data`. Files kept in
   * volumes on disk (`storage` = «ВТомахНаДиске») are out of OData's reach.
   */
  fileData: { register: string; file: string; data: string; storage: string | null } | null;
  /** Attached-file catalogs of the documents dealers read: document set → its «…ПрисоединенныеФайлы» catalog. */
  documentFiles: Record<string, string> | null;
  analogs: { set: string; product: string; analog: string } | null;
  propertyNames: { set: string; title: string } | null;
  brands: { set: string } | null;
  warehouses: { set: string; contactTable: string | null };
  currencies: { set: string };
  priceTypes: { set: string; currency: string; vatIncluded: string; hierarchical: boolean };
  prices: { register: string; product: string; priceType: string; price: string; pack: string | null };
  /** ut: accumulation registers; bp: the accounting register with account codes. */
  stock:
    | { mode: 'registers'; free: string; product: string; warehouse: string; onHand: string; reserved: string; incoming: { register: string; qty: string } | null }
    | { mode: 'accounting'; register: string; chart: string; accounts: string[]; productDim: string; warehouseDim: string; qty: string };
  customers:
    | { mode: 'partners'; partners: string; isClient: string | null; counterparties: string; counterpartyPartner: string }
    | { mode: 'counterparties'; counterparties: string; isBuyer: string | null };
  agreements: {
    set: string;
    /** Field that points at the customer (Партнер_Key in УТ; Owner_Key of a БП contract). */
    customer: string;
    priceType: string;
    creditLimit: string;
    enforced: string;
    paymentTerm: string | null;
    status: string | null;
  };
  finance:
    | { mode: 'registers'; keys: string; keyPartner: string; byTerms: string; dimension: string; dueDate: string; debt: string }
    | { mode: 'accounting'; register: string; chart: string; accounts: string[]; customerDim: string; documentDim: string; amount: string };
  orders: {
    set: string;
    lines: string;
    customer: string;
    counterparty: string;
    agreement: string | null;
    status: string | null;
    comment: string;
    clientNumber: string | null;
    amount: string;
  };
  sales: { set: string; customer: string; order: string; orderType: string | null; variant: string | null; amount: string };
  invoices: { set: string; customer: string; order: string; orderType: string | null; amount: string } | null;
}

export const UT11_PROFILE: OnecProfile = {
  id: 'ut11',
  flavor: 'ut',
  products: {
    set: 'Catalog_Номенклатура', sku: 'Артикул', fullName: 'НаименованиеПолное', unit: 'ЕдиницаИзмерения_Key', brand: 'Марка_Key',
    kind: 'ВидНоменклатуры_Key', vat: 'СтавкаНДС', description: 'Описание', properties: 'ДополнительныеРеквизиты',
  },
  units: { set: 'Catalog_ЕдиницыИзмерения' },
  packs: { set: 'Catalog_УпаковкиЕдиницыИзмерения', owner: 'Owner', numerator: 'Числитель', denominator: 'Знаменатель' },
  barcodes: { set: 'InformationRegister_ШтрихкодыНоменклатуры', product: 'Номенклатура_Key', barcode: 'Штрихкод' },
  pictures: { set: 'Catalog_НоменклатураПрисоединенныеФайлы', owner: 'ВладелецФайла_Key', extension: 'Расширение', main: 'ФайлКартинки_Key' },
  fileData: { register: 'InformationRegister_ДвоичныеДанныеФайлов', file: 'Файл', data: 'ДвоичныеДанныеФайла', storage: 'ТипХраненияФайла' },
  documentFiles: {
    Document_РеализацияТоваровУслуг: 'Catalog_РеализацияТоваровУслугПрисоединенныеФайлы',
    Document_СчетНаОплатуКлиенту: 'Catalog_СчетНаОплатуКлиентуПрисоединенныеФайлы',
  },
  analogs: { set: 'InformationRegister_АналогиНоменклатуры', product: 'Номенклатура_Key', analog: 'Аналог_Key' },
  propertyNames: { set: 'ChartOfCharacteristicTypes_ДополнительныеРеквизитыИСведения', title: 'Заголовок' },
  brands: { set: 'Catalog_Марки' },
  warehouses: { set: 'Catalog_Склады', contactTable: 'КонтактнаяИнформация' },
  currencies: { set: 'Catalog_Валюты' },
  priceTypes: { set: 'Catalog_ВидыЦен', currency: 'ВалютаЦены_Key', vatIncluded: 'ЦенаВключаетНДС', hierarchical: true },
  prices: { register: 'InformationRegister_ЦеныНоменклатуры', product: 'Номенклатура_Key', priceType: 'ВидЦены_Key', price: 'Цена', pack: 'Упаковка_Key' },
  stock: {
    mode: 'registers', free: 'AccumulationRegister_СвободныеОстатки', product: 'Номенклатура', warehouse: 'Склад', onHand: 'ВНаличии', reserved: 'ВРезервеСоСклада',
    incoming: { register: 'AccumulationRegister_ТоварыКПоступлению', qty: 'КПоступлению' },
  },
  customers: { mode: 'partners', partners: 'Catalog_Партнеры', isClient: 'Клиент', counterparties: 'Catalog_Контрагенты', counterpartyPartner: 'Партнер_Key' },
  agreements: {
    set: 'Catalog_СоглашенияСКлиентами', customer: 'Партнер_Key', priceType: 'ВидЦен_Key', creditLimit: 'ДопустимаяСуммаЗадолженности',
    enforced: 'КонтролироватьСуммуЗадолженности', paymentTerm: 'СрокОплаты', status: 'Статус',
  },
  finance: {
    mode: 'registers', keys: 'Catalog_КлючиАналитикиУчетаПоПартнерам', keyPartner: 'Партнер_Key', byTerms: 'AccumulationRegister_РасчетыСКлиентамиПоСрокам',
    dimension: 'АналитикаУчетаПоПартнерам', dueDate: 'ДатаПлановогоПогашения', debt: 'Долг',
  },
  orders: {
    set: 'Document_ЗаказКлиента', lines: 'Товары', customer: 'Партнер_Key', counterparty: 'Контрагент_Key', agreement: 'Соглашение_Key', status: 'Статус',
    comment: 'Комментарий', clientNumber: 'НомерПоДаннымКлиента', amount: 'СуммаДокумента',
  },
  sales: { set: 'Document_РеализацияТоваровУслуг', customer: 'Партнер_Key', order: 'ЗаказКлиента', orderType: 'ЗаказКлиента_Type', variant: 'ВариантОформленияПродажи', amount: 'СуммаДокумента' },
  invoices: { set: 'Document_СчетНаОплатуКлиенту', customer: 'Партнер_Key', order: 'ДокументОснование', orderType: 'ДокументОснование_Type', amount: 'СуммаДокумента' },
};

/** ERP 2 keeps the УТ 11 names for everything we read and write. */
export const ERP2_PROFILE: OnecProfile = { ...UT11_PROFILE, id: 'erp2' };

export const BP30_PROFILE: OnecProfile = {
  id: 'bp30',
  flavor: 'bp',
  products: {
    set: 'Catalog_Номенклатура', sku: 'Артикул', fullName: 'НаименованиеПолное', unit: 'ЕдиницаИзмерения_Key', brand: null,
    kind: 'ВидНоменклатуры_Key', vat: 'ВидСтавкиНДС', description: 'Комментарий', properties: null,
  },
  units: { set: 'Catalog_КлассификаторЕдиницИзмерения' },
  packs: null,
  barcodes: null,
  pictures: null,
  fileData: null,
  documentFiles: null,
  analogs: null,
  propertyNames: null,
  brands: null,
  warehouses: { set: 'Catalog_Склады', contactTable: null },
  currencies: { set: 'Catalog_Валюты' },
  priceTypes: { set: 'Catalog_ТипыЦенНоменклатуры', currency: 'ВалютаЦены_Key', vatIncluded: 'ЦенаВключаетНДС', hierarchical: false },
  prices: { register: 'InformationRegister_ЦеныНоменклатуры', product: 'Номенклатура_Key', priceType: 'ТипЦен_Key', price: 'Цена', pack: null },
  stock: { mode: 'accounting', register: 'AccountingRegister_Хозрасчетный', chart: 'ChartOfAccounts_Хозрасчетный', accounts: ['41.01'], productDim: 'ExtDimension1', warehouseDim: 'ExtDimension3', qty: 'Количество' },
  customers: { mode: 'counterparties', counterparties: 'Catalog_Контрагенты', isBuyer: null },
  agreements: {
    set: 'Catalog_ДоговорыКонтрагентов', customer: 'Owner_Key', priceType: 'ТипЦен_Key', creditLimit: 'ДопустимаяСуммаЗадолженности',
    enforced: 'КонтролироватьСуммуЗадолженности', paymentTerm: 'СрокОплаты', status: null,
  },
  finance: { mode: 'accounting', register: 'AccountingRegister_Хозрасчетный', chart: 'ChartOfAccounts_Хозрасчетный', accounts: ['62.01'], customerDim: 'ExtDimension1', documentDim: 'ExtDimension3', amount: 'Сумма' },
  orders: {
    set: 'Document_СчетНаОплатуПокупателю', lines: 'Товары', customer: 'Контрагент_Key', counterparty: 'Контрагент_Key', agreement: 'ДоговорКонтрагента_Key', status: null,
    comment: 'Комментарий', clientNumber: null, amount: 'СуммаДокумента',
  },
  sales: { set: 'Document_РеализацияТоваровУслуг', customer: 'Контрагент_Key', order: 'СчетНаОплатуПокупателю_Key', orderType: null, variant: null, amount: 'СуммаДокумента' },
  invoices: null,
};

export const ONEC_PROFILES = { ut11: UT11_PROFILE, erp2: ERP2_PROFILE, bp30: BP30_PROFILE } as const;

export type OnecProfileName = keyof typeof ONEC_PROFILES;

/** A built-in profile by name, or a custom one: a base profile with any part overridden. */
export function resolveOnecProfile(p: OnecProfileName | (Partial<OnecProfile> & { base?: OnecProfileName })): OnecProfile {
  if (typeof p === 'string') {
    const found = ONEC_PROFILES[p];
    if (!found) throw new Error(`unknown 1C profile "${String(p)}" (expected ut11, erp2 or bp30)`);
    return found;
  }
  const { base = 'ut11', ...over } = p;
  return { ...ONEC_PROFILES[base], ...over, id: over.id ?? `custom-${base}` } as OnecProfile;
}

/** Every entity set and the fields on it this profile reads or writes: what `$metadata` must have. */
export function requiredMetadata(p: OnecProfile): Array<{ set: string; fields: string[]; register?: boolean }> {
  const out: Array<{ set: string; fields: string[]; register?: boolean }> = [];
  const add = (set: string, fields: Array<string | null | undefined>, register = false) =>
    out.push({ set, fields: fields.filter((f): f is string => !!f), ...(register ? { register } : {}) });
  const pr = p.products;
  add(pr.set, ['Ref_Key', 'DataVersion', 'DeletionMark', 'IsFolder', 'Parent_Key', 'Code', 'Description', pr.sku, pr.fullName, pr.unit, pr.brand, pr.vat, pr.description, pr.properties]);
  add(p.units.set, ['Ref_Key', 'Code', 'Description']);
  if (p.packs) add(p.packs.set, ['Ref_Key', 'Description', p.packs.owner, p.packs.numerator, p.packs.denominator]);
  if (p.barcodes) add(p.barcodes.set, [p.barcodes.product, p.barcodes.barcode], true);
  if (p.pictures) add(p.pictures.set, ['Ref_Key', 'Description', p.pictures.owner, p.pictures.extension, p.fileData?.storage]);
  if (p.pictures?.main) add(pr.set, [p.pictures.main]);
  if (p.fileData) add(p.fileData.register, [p.fileData.file, `${p.fileData.file}_Type`, `${p.fileData.data}_Base64Data`], true);
  for (const set of Object.values(p.documentFiles ?? {})) add(set, ['Ref_Key', 'Description', 'DeletionMark', 'ВладелецФайла_Key', 'Расширение', p.fileData?.storage]);
  if (p.analogs) add(p.analogs.set, [p.analogs.product, p.analogs.analog], true);
  if (p.propertyNames) add(p.propertyNames.set, ['Ref_Key', p.propertyNames.title]);
  if (p.brands) add(p.brands.set, ['Ref_Key', 'Description']);
  add(p.warehouses.set, ['Ref_Key', 'Description', 'IsFolder', p.warehouses.contactTable]);
  add(p.currencies.set, ['Ref_Key', 'Code', 'Description']);
  add(p.priceTypes.set, ['Ref_Key', 'Description', p.priceTypes.currency, p.priceTypes.vatIncluded]);
  add(p.prices.register, [p.prices.product, p.prices.priceType, p.prices.price, p.prices.pack], true);
  if (p.stock.mode === 'registers') {
    add(p.stock.free, [`${p.stock.product}_Key`, `${p.stock.warehouse}_Key`, p.stock.onHand, p.stock.reserved], true);
    if (p.stock.incoming) add(p.stock.incoming.register, [`${p.stock.product}_Key`, `${p.stock.warehouse}_Key`, p.stock.incoming.qty], true);
  } else {
    add(p.stock.register, [], true);
    add(p.stock.chart, ['Ref_Key', 'Code']);
  }
  if (p.customers.mode === 'partners') {
    add(p.customers.partners, ['Ref_Key', 'Description', p.customers.isClient]);
    add(p.customers.counterparties, ['Ref_Key', 'ИНН', 'КПП', p.customers.counterpartyPartner]);
  } else {
    add(p.customers.counterparties, ['Ref_Key', 'Description', 'ИНН', 'КПП', p.customers.isBuyer]);
  }
  const a = p.agreements;
  add(a.set, ['Ref_Key', a.customer, a.priceType, a.creditLimit, a.enforced, a.paymentTerm, a.status]);
  if (p.finance.mode === 'registers') {
    add(p.finance.keys, ['Ref_Key', p.finance.keyPartner]);
    add(p.finance.byTerms, [`${p.finance.dimension}_Key`, p.finance.dueDate, p.finance.debt], true);
  } else {
    add(p.finance.register, [], true);
  }
  const o = p.orders;
  add(o.set, ['Ref_Key', 'Number', 'Date', 'Posted', o.lines, o.customer, o.counterparty, o.agreement, o.status, o.comment, o.clientNumber, o.amount]);
  add(p.sales.set, ['Ref_Key', 'Number', 'Date', 'Posted', p.sales.customer, p.sales.order, p.sales.variant, p.sales.amount]);
  if (p.invoices) add(p.invoices.set, ['Ref_Key', 'Number', 'Date', 'Posted', p.invoices.customer, p.invoices.order, p.invoices.amount]);
  return out;
}
