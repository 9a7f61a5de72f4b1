import { EMPTY_GUID, dataVersionOf, makeGuid } from '../catalog/index.js';
import { arraySource, type Row, type RowSource } from './query-engine.js';
import { buildOnecSources, type EdmType, type EntitySetDef, type OnecSources, type RegisterDef } from './onec-sources.js';
import type { EmDocument, EmOrder, OnecState } from './onec-state.js';

/**
 * The same infobase seen as «Бухгалтерия предприятия 3.0» (erp-integration.md §1, BP column): no partners,
 * agreements or order statuses; customers are Контрагенты with ДоговорыКонтрагентов (ТипЦен, credit limit, payment
 * term); prices in InformationRegister_ЦеныНоменклатуры by ТипЦен; stock and receivables only in the accounting
 * register Хозрасчетный (41.01 by Номенклатура/Склад, 62.01 by Контрагент/Договор/document: the shape observed in
 * public clients: Account_Key, ExtDimension1…3 with _Type, КоличествоBalance, СуммаBalance); orders are
 * Document_СчетНаОплатуПокупателю and sales point at them through СчетНаОплатуПокупателю_Key.
 */

const G: EdmType = 'Edm.Guid';
const S: EdmType = 'Edm.String';
const B: EdmType = 'Edm.Boolean';
const D: EdmType = 'Edm.DateTime';
const N: EdmType = 'Edm.Double';

/** A source whose rows are another source's rows reshaped; lookups go through a field-name translation. */
function mapped(base: RowSource, name: string, map: (r: Row) => Row, fields: Record<string, string> = {}): RowSource {
  const src: RowSource = {
    name,
    size: () => base.size(),
    row: (i) => map(base.row(i)),
    version: () => base.version(),
  };
  if (base.lookup && base.indexedFields) {
    const reverse = Object.fromEntries(Object.entries(fields).map(([bp, ut]) => [bp, ut]));
    src.indexedFields = base.indexedFields.map((f) => Object.entries(reverse).find(([, ut]) => ut === f)?.[0] ?? f);
    src.lookup = (field, values) => base.lookup?.(reverse[field] ?? field, values);
  }
  if (base.light && base.lightFields) {
    const light = base.light;
    src.light = (i) => map(light(i));
    src.lightFields = new Set([...base.lightFields].map((f) => Object.entries(fields).find(([, ut]) => ut === f)?.[0] ?? f));
  }
  return src;
}

const pick = (r: Row, keys: string[]) => Object.fromEntries(keys.filter((k) => k in r).map((k) => [k, r[k]]));
const VAT_KIND: Record<string, string> = { НДС20: 'Общая', НДС10: 'Пониженная', НДС0: 'Нулевая', БезНДС: 'БезНДС' };

export function buildBp30Sources(state: OnecState): OnecSources {
  const ut = buildOnecSources(state);
  const cat = state.cat;
  const guid = (kind: string, i: number) => makeGuid(cat.seed, kind, i);
  const utSet = (name: string) => ut.set(name) as EntitySetDef;
  const customerByCounterparty = new Map(cat.customers.map((c) => [c.counterpartyRef, c]));
  const customerByPartner = new Map(cat.customers.map((c) => [c.ref, c]));
  const accounts = [
    { ref: guid('account', 41), code: '41.01', name: 'Товары на складах' },
    { ref: guid('account', 51), code: '51', name: 'Расчетные счета' },
    { ref: guid('account', 62), code: '62.01', name: 'Расчеты с покупателями и заказчиками' },
    { ref: guid('account', 63), code: '62.02', name: 'Расчеты по авансам полученным' },
  ];
  const account = (code: string) => accounts.find((a) => a.code === code) as (typeof accounts)[number];

  const BASE = ['Ref_Key', 'DataVersion', 'DeletionMark', 'Code', 'Description', 'Predefined', 'PredefinedDataName', 'Parent_Key', 'IsFolder'];
  const products = mapped(utSet('Catalog_Номенклатура').source, 'Catalog_Номенклатура', (r) => ({
    ...pick(r, BASE),
    ...(r.IsFolder === true ? {} : {
      Артикул: r.Артикул, НаименованиеПолное: r.НаименованиеПолное, ЕдиницаИзмерения_Key: r.ЕдиницаИзмерения_Key, ВидНоменклатуры_Key: r.ВидНоменклатуры_Key,
      ВидСтавкиНДС: VAT_KIND[String(r.СтавкаНДС)] ?? '', Комментарий: r.Описание, НоменклатурнаяГруппа_Key: r.ВидНоменклатуры_Key, Услуга: false,
    }),
  }));
  const units = mapped(utSet('Catalog_ЕдиницыИзмерения').source, 'Catalog_КлассификаторЕдиницИзмерения', (r) => r);
  const priceTypes = mapped(utSet('Catalog_ВидыЦен').source, 'Catalog_ТипыЦенНоменклатуры', (r) => ({
    ...pick(r, ['Ref_Key', 'DataVersion', 'DeletionMark', 'Code', 'Description', 'Predefined', 'PredefinedDataName']), ВалютаЦены_Key: r.ВалютаЦены_Key, ЦенаВключаетНДС: r.ЦенаВключаетНДС,
  }));
  const counterparties = mapped(utSet('Catalog_Контрагенты').source, 'Catalog_Контрагенты', (r) => {
    const { Партнер_Key: _p, ЮрФизЛицо, ...rest } = r;
    return { ...rest, ЮридическоеФизическоеЛицо: ЮрФизЛицо === 'ЮрЛицо' ? 'ЮридическоеЛицо' : 'ФизическоеЛицо' };
  });
  const contractRows: Row[] = cat.customers.map((c) => ({
    Ref_Key: c.contractRef, DataVersion: dataVersionOf(1), DeletionMark: false, Code: c.code, Description: `Договор поставки ${c.agreementNumber}`, Predefined: false, PredefinedDataName: '',
    Owner_Key: c.counterpartyRef, Номер: c.agreementNumber, Дата: '2024-01-10T00:00:00', ВидДоговора: 'СПокупателем', Организация_Key: cat.organization.ref,
    ВалютаВзаиморасчетов_Key: cat.currency.ref, ТипЦен_Key: c.priceTypeRef, ДопустимаяСуммаЗадолженности: c.creditLimit === null ? 0 : Number(c.creditLimit),
    КонтролироватьСуммуЗадолженности: c.creditLimitEnforced, УстановленСрокОплаты: true, СрокОплаты: c.paymentTermDays,
  }));
  const chartRows: Row[] = accounts.map((a) => ({ Ref_Key: a.ref, DataVersion: dataVersionOf(1), DeletionMark: false, Code: a.code, Description: a.name, Predefined: true, PredefinedDataName: `Счет${a.code.replace('.', '_')}` }));

  const memo = <T>(build: () => T) => {
    let at = -1;
    let value: T;
    return () => {
      if (at !== state.version()) {
        value = build();
        at = state.version();
      }
      return value;
    };
  };
  const customerOf = (o: EmOrder) => customerByCounterparty.get(String(o.header.Контрагент_Key ?? '')) ?? customerByPartner.get(String(o.header.Партнер_Key ?? ''));
  const orderRow = (o: EmOrder): Row => {
    const c = customerOf(o);
    return {
      Ref_Key: o.ref, DataVersion: dataVersionOf(o.versionNo), DeletionMark: o.deletionMark, Number: o.number, Date: o.date, Posted: o.posted,
      Организация_Key: o.header.Организация_Key ?? cat.organization.ref, Контрагент_Key: c?.counterpartyRef ?? o.header.Контрагент_Key ?? EMPTY_GUID,
      ДоговорКонтрагента_Key: o.header.ДоговорКонтрагента_Key ?? o.header.Договор_Key ?? c?.contractRef ?? EMPTY_GUID, Склад_Key: o.header.Склад_Key ?? EMPTY_GUID,
      Валюта_Key: cat.currency.ref, СуммаДокумента: Number(state.orderTotal(o)), Комментарий: o.header.Комментарий ?? '',
      Товары: o.lines.map((l) => ({
        Ref_Key: o.ref, LineNumber: String(l.LineNumber), Номенклатура_Key: l.Номенклатура_Key, Количество: l.Количество, Цена: l.Цена, Сумма: l.Сумма, СтавкаНДС: 'НДС20', СуммаНДС: l.СуммаНДС,
      })),
    };
  };
  const orderRows = memo(() => state.orders.map(orderRow));
  const orderLines = memo(() => orderRows().flatMap((r) => r.Товары as Row[]));
  const saleRow = (d: EmDocument): Row => {
    const c = customerByCounterparty.get(d.counterpartyRef) ?? customerByPartner.get(d.partnerRef);
    const order = state.orderByRef(d.orderRef);
    return {
      Ref_Key: d.ref, DataVersion: dataVersionOf(d.versionNo), DeletionMark: false, Number: d.number, Date: d.date, Posted: d.posted,
      ВидОперации: d.variant === 'АктВыполненныхРабот' ? 'Услуги' : 'Товары', Организация_Key: cat.organization.ref, Контрагент_Key: c?.counterpartyRef ?? d.counterpartyRef,
      ДоговорКонтрагента_Key: c?.contractRef ?? EMPTY_GUID, СчетНаОплатуПокупателю_Key: d.orderRef, Склад_Key: order?.header.Склад_Key ?? EMPTY_GUID,
      Валюта_Key: cat.currency.ref, СуммаДокумента: Number(d.amount), Комментарий: '',
    };
  };
  const sales = memo(() => state.documents.filter((d) => d.set === 'Document_РеализацияТоваровУслуг').map(saleRow));

  // Хозрасчетный: 41.01 rows lazily from the free stock, then the open 62.01 debts.
  const free = ut.register('AccumulationRegister_СвободныеОстатки') as RegisterDef;
  const acc41 = account('41.01');
  const acc62 = account('62.01');
  const debtRows = memo(() => state.openDebts().map((d) => {
    const c = customerByCounterparty.get(d.counterpartyRef) ?? customerByPartner.get(d.partnerRef);
    return {
      Account_Key: acc62.ref, Account: { Code: acc62.code },
      ExtDimension1: c?.counterpartyRef ?? d.counterpartyRef, ExtDimension1_Type: 'StandardODATA.Catalog_Контрагенты',
      ExtDimension2: c?.contractRef ?? EMPTY_GUID, ExtDimension2_Type: 'StandardODATA.Catalog_ДоговорыКонтрагентов',
      ExtDimension3: d.documentRef, ExtDimension3_Type: 'StandardODATA.Document_РеализацияТоваровУслуг',
      Организация_Key: cat.organization.ref, Валюта_Key: EMPTY_GUID, Сумма: Number(d.amount), Количество: 0,
    };
  }));
  const stockRow = (r: Row): Row => ({
    Account_Key: acc41.ref, Account: { Code: acc41.code },
    ExtDimension1: r.Номенклатура_Key, ExtDimension1_Type: 'StandardODATA.Catalog_Номенклатура',
    ExtDimension2: EMPTY_GUID, ExtDimension2_Type: '', ExtDimension3: r.Склад_Key, ExtDimension3_Type: 'StandardODATA.Catalog_Склады',
    Организация_Key: cat.organization.ref, Валюта_Key: EMPTY_GUID, Сумма: Math.round(Number(r.ВНаличии) * 100) * 50, Количество: r.ВНаличии,
  });
  const ledger: RowSource = {
    name: 'AccountingRegister_Хозрасчетный',
    size: () => free.rows.size() + debtRows().length,
    row: (i) => (i < free.rows.size() ? stockRow(free.rows.row(i)) : (debtRows()[i - free.rows.size()] as Row)),
    version: () => state.version(),
    indexedFields: ['ExtDimension1'],
    lookup(field, values) {
      if (field !== 'ExtDimension1') return undefined;
      const stock = free.rows.lookup?.('Номенклатура_Key', values) ?? [];
      const offset = free.rows.size();
      const debts = debtRows().flatMap((r, k) => (values.includes(String(r.ExtDimension1).toLowerCase()) ? [offset + k] : []));
      return [...stock, ...debts];
    },
  };

  const DOC: Array<[string, EdmType]> = [['Ref_Key', G], ['DataVersion', S], ['DeletionMark', B], ['Number', S], ['Date', D], ['Posted', B]];
  const CAT: Array<[string, EdmType]> = [['Ref_Key', G], ['DataVersion', S], ['DeletionMark', B], ['Code', S], ['Description', S], ['Predefined', B], ['PredefinedDataName', S]];
  const LINE: Array<[string, EdmType]> = [['Ref_Key', G], ['LineNumber', 'Edm.Int64'], ['Номенклатура_Key', G], ['Количество', N], ['Цена', N], ['Сумма', N], ['СтавкаНДС', S], ['СуммаНДС', N]];
  const sets: EntitySetDef[] = [
    {
      name: 'Catalog_Номенклатура', keyed: true, source: products,
      props: [...CAT, ['Parent_Key', G], ['IsFolder', B], ['Артикул', S], ['НаименованиеПолное', S], ['ЕдиницаИзмерения_Key', G], ['ВидНоменклатуры_Key', G], ['ВидСтавкиНДС', S],
        ['Комментарий', S], ['НоменклатурнаяГруппа_Key', G], ['Услуга', B]],
    },
    { name: 'Catalog_КлассификаторЕдиницИзмерения', keyed: true, source: units, props: [...CAT, ['НаименованиеПолное', S], ['МеждународноеСокращение', S]] },
    utSet('Catalog_ВидыНоменклатуры'),
    utSet('Catalog_Склады'),
    utSet('Catalog_Валюты'),
    utSet('Catalog_Организации'),
    { name: 'Catalog_ТипыЦенНоменклатуры', keyed: true, source: priceTypes, props: [...CAT, ['ВалютаЦены_Key', G], ['ЦенаВключаетНДС', B]] },
    {
      name: 'Catalog_Контрагенты', keyed: true, source: counterparties,
      props: [...CAT, ['Parent_Key', G], ['IsFolder', B], ['НаименованиеПолное', S], ['ИНН', S], ['КПП', S], ['ЮридическоеФизическоеЛицо', S]],
    },
    {
      name: 'Catalog_ДоговорыКонтрагентов', keyed: true, source: arraySource('Catalog_ДоговорыКонтрагентов', () => contractRows, () => 1, ['Ref_Key', 'Owner_Key']),
      props: [...CAT, ['Owner_Key', G], ['Номер', S], ['Дата', D], ['ВидДоговора', S], ['Организация_Key', G], ['ВалютаВзаиморасчетов_Key', G], ['ТипЦен_Key', G],
        ['ДопустимаяСуммаЗадолженности', N], ['КонтролироватьСуммуЗадолженности', B], ['УстановленСрокОплаты', B], ['СрокОплаты', N]],
    },
    { name: 'ChartOfAccounts_Хозрасчетный', keyed: true, source: arraySource('ChartOfAccounts_Хозрасчетный', () => chartRows, () => 1, ['Ref_Key', 'Code']), props: CAT },
    {
      name: 'Document_СчетНаОплатуПокупателю', keyed: true, source: arraySource('Document_СчетНаОплатуПокупателю', orderRows, state.version, ['Ref_Key', 'Контрагент_Key']),
      props: [...DOC, ['Организация_Key', G], ['Контрагент_Key', G], ['ДоговорКонтрагента_Key', G], ['Склад_Key', G], ['Валюта_Key', G], ['СуммаДокумента', N], ['Комментарий', S]],
      tables: { Товары: LINE },
    },
    { name: 'Document_СчетНаОплатуПокупателю_Товары', keyed: false, source: arraySource('Document_СчетНаОплатуПокупателю_Товары', orderLines, state.version, ['Ref_Key']), props: LINE },
    {
      name: 'Document_РеализацияТоваровУслуг', keyed: true, source: arraySource('Document_РеализацияТоваровУслуг', sales, state.version, ['Ref_Key', 'Контрагент_Key', 'СчетНаОплатуПокупателю_Key']),
      props: [...DOC, ['ВидОперации', S], ['Организация_Key', G], ['Контрагент_Key', G], ['ДоговорКонтрагента_Key', G], ['СчетНаОплатуПокупателю_Key', G], ['Склад_Key', G],
        ['Валюта_Key', G], ['СуммаДокумента', N], ['Комментарий', S]],
    },
  ];
  const prices = ut.register('InformationRegister_ЦеныНоменклатуры') as RegisterDef;
  const registers: RegisterDef[] = [
    {
      name: 'InformationRegister_ЦеныНоменклатуры', kind: 'information', dims: [{ name: 'Номенклатура', kind: 'ref' }, { name: 'ТипЦен', kind: 'ref' }], resources: ['Цена'],
      rows: mapped(prices.rows, 'InformationRegister_ЦеныНоменклатуры', (r) => {
        const { ВидЦены_Key, Упаковка_Key: _u, Характеристика_Key: _h, ...rest } = r;
        return { ...rest, ТипЦен_Key: ВидЦены_Key };
      }, { ТипЦен_Key: 'ВидЦены_Key' }),
    },
    { name: 'AccountingRegister_Хозрасчетный', kind: 'accounting', dims: [], resources: ['Сумма', 'Количество'], rows: ledger },
  ];
  const setByName = new Map(sets.map((x) => [x.name, x]));
  const registerByName = new Map(registers.map((x) => [x.name, x]));
  return {
    ...ut,
    configuration: 'bp30',
    sets,
    registers,
    set: (name: string) => setByName.get(name),
    register: (name: string) => registerByName.get(name),
    ordersSet: 'Document_СчетНаОплатуПокупателю',
    orderTitle: 'Счет на оплату покупателю',
    orderRow,
  };
}
