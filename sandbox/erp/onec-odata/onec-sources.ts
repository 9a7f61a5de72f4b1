import { EMPTY_GUID, dataVersionOf, makeGuid, type CatProduct, type GeneratedCatalog } from '../catalog/index.js';
import { FILE_DATA_REGISTER, IN_INFOBASE, PICTURES_SET, buildAttachedFiles } from './onec-attached-files.js';
import { arraySource, type Row, type RowSource } from './query-engine.js';
import { externalIdOf, type EmDocument, type EmOrder, type OnecState } from './onec-state.js';

/**
 * The entity sets of the emulated УТ 11 infobase, with the real 1C names and field shapes (fixtures in
 * ../shared/fixtures/erp/1c-odata_*: Ref_Key, DataVersion, DeletionMark, `<Field>_Key`, `<Field>@navigationLinkUrl`,
 * inline tabular sections whose rows carry LineNumber as text). Each set is a RowSource for the query engine plus a
 * property list for `$metadata`. Register virtual tables (Balance, SliceLast) are described separately.
 */

export type EdmType = 'Edm.Guid' | 'Edm.String' | 'Edm.Boolean' | 'Edm.DateTime' | 'Edm.Double' | 'Edm.Int64' | 'Edm.Binary';

export interface EntitySetDef {
  name: string;
  props: Array<[string, EdmType]>;
  /** Inline tabular sections: name → row properties. */
  tables?: Record<string, Array<[string, EdmType]>>;
  source: RowSource;
  /** Addressable as `Set(guid'…')`. */
  keyed: boolean;
}

/** ref: output `X_Key`; composite: `X` + `X_Type`; value (dates, strings): `X`. */
export type DimKind = 'ref' | 'composite' | 'value';

export interface RegisterDef {
  /** e.g. AccumulationRegister_СвободныеОстатки */
  name: string;
  kind: 'accumulation' | 'information' | 'accounting';
  dims: Array<{ name: string; kind: DimKind }>;
  resources: string[];
  /** Extra (non-dimension) attributes of information-register records. */
  attrs?: Array<[string, EdmType]>;
  /** Base rows with every dimension (and, for information registers, attrs and Period/Recorder). */
  rows: RowSource;
  /** Dimensions that are empty in every row (no characteristics in use): leaving them out needs no grouping. */
  emptyDims?: string[];
  /** One record by its dimensions (`Register(Dim='…', Dim_Type='…')`), for information registers that allow it. */
  record?: (key: Record<string, string>) => Row | null;
}

const G: EdmType = 'Edm.Guid';
const S: EdmType = 'Edm.String';
const B: EdmType = 'Edm.Boolean';
const D: EdmType = 'Edm.DateTime';
const N: EdmType = 'Edm.Double';

const nav = (set: string, ref: string, fields: string[]) =>
  Object.fromEntries(fields.map((f) => [`${f}@navigationLinkUrl`, `${set}(guid'${ref}')/${f}`]));

const CATALOG_BASE: Array<[string, EdmType]> = [['Ref_Key', G], ['DataVersion', S], ['DeletionMark', B], ['Code', S], ['Description', S], ['Predefined', B], ['PredefinedDataName', S]];
const HIER: Array<[string, EdmType]> = [['Parent_Key', G], ['IsFolder', B]];
const DOC_BASE: Array<[string, EdmType]> = [['Ref_Key', G], ['DataVersion', S], ['DeletionMark', B], ['Number', S], ['Date', D], ['Posted', B]];
const catalogCommon = (ref: string, code: string, description: string, versionNo = 1) => ({
  Ref_Key: ref, DataVersion: dataVersionOf(versionNo), DeletionMark: false, Code: code, Description: description, Predefined: false, PredefinedDataName: '',
});

/** Lazily built per-product offsets into the side tables (packs, barcodes, pictures, analogs): one product pass. */
function productSideIndex(cat: GeneratedCatalog) {
  let built: null | { packs: Int32Array; barcodes: Int32Array; pictures: Int32Array; analogs: Int32Array } = null;
  let lastIndex = -1;
  let last: CatProduct | null = null;
  const product = (i: number) => {
    if (i !== lastIndex) {
      last = cat.product(i);
      lastIndex = i;
    }
    return last as CatProduct;
  };
  const ensure = () => {
    if (built) return built;
    const n = cat.productCount;
    const packs = new Int32Array(n + 1);
    const barcodes = new Int32Array(n + 1);
    const pictures = new Int32Array(n + 1);
    const analogs = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const p = cat.product(i);
      packs[i + 1] = (packs[i] as number) + p.packs.length;
      barcodes[i + 1] = (barcodes[i] as number) + p.barcodes.length;
      pictures[i + 1] = (pictures[i] as number) + p.pictures.length;
      analogs[i + 1] = (analogs[i] as number) + p.analogRefs.length;
    }
    built = { packs, barcodes, pictures, analogs };
    return built;
  };
  /** Product number owning side row #row (binary search in the offsets). */
  const ownerOf = (offsets: Int32Array, row: number) => {
    let lo = 0;
    let hi = offsets.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((offsets[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { ensure, ownerOf, product };
}

type Side = 'packs' | 'barcodes' | 'pictures' | 'analogs';

function sideSource(name: string, cat: GeneratedCatalog, side: ReturnType<typeof productSideIndex>, which: Side, ownerField: string,
  make: (p: CatProduct, k: number) => Row): RowSource {
  const offsets = () => side.ensure()[which];
  return {
    name,
    size: () => (offsets()[cat.productCount] as number),
    row: (i) => {
      const o = offsets();
      const p = side.ownerOf(o, i);
      return make(side.product(p), i - (o[p] as number));
    },
    version: () => 1,
    indexedFields: [ownerField],
    lookup(field, values) {
      if (field !== ownerField) return undefined;
      const o = offsets();
      const out: number[] = [];
      for (const v of values) {
        const p = cat.productIndexOf(v);
        if (p === undefined) continue;
        for (let r = o[p] as number; r < (o[p + 1] as number); r++) out.push(r);
      }
      return out;
    },
  };
}

export function buildOnecSources(state: OnecState) {
  const cat = state.cat;
  const guid = (kind: string, i: number) => makeGuid(cat.seed, kind, i);
  const side = productSideIndex(cat);
  const groupsCount = cat.groups.length;
  const groupIndex = new Map(cat.groups.map((g, i) => [g.ref, i]));
  const manufacturerRef = (brandIndex: number) => guid('manufacturer', brandIndex);
  const brandIndex = new Map(cat.brands.map((b, i) => [b.ref, i]));
  const pictureRef = (productIndex: number, k: number) => guid('picture', productIndex * 8 + k);

  // ---- Catalog_Номенклатура: folders (groups) first, then items.
  const ITEM_FIELDS = {
    Артикул: '', НаименованиеПолное: '', ВидНоменклатуры_Key: EMPTY_GUID, ЕдиницаИзмерения_Key: EMPTY_GUID, Производитель_Key: EMPTY_GUID,
    Марка_Key: EMPTY_GUID, СтавкаНДС: '', Описание: '', ВесЧислитель: 0, ВесИспользовать: false, ТипНоменклатуры: '',
    ИспользованиеХарактеристик: '', ФайлКартинки_Key: EMPTY_GUID, ДополнительныеРеквизиты: [] as Row[],
  };
  const NAV_FIELDS = ['Parent', 'ВидНоменклатуры', 'ЕдиницаИзмерения', 'Производитель', 'Марка', 'ФайлКартинки'];
  const groupRow = (i: number): Row => {
    const g = cat.groups[i];
    if (!g) throw new RangeError(`no group #${i}`);
    return {
      ...catalogCommon(g.ref, g.code, g.name),
      Parent_Key: g.parentRef ?? EMPTY_GUID,
      IsFolder: true,
      ...ITEM_FIELDS,
      ...nav('Catalog_Номенклатура', g.ref, ['Parent']),
    };
  };
  const productRow = (pi: number): Row => {
    const p = cat.product(pi);
    const patch = state.productPatches.get(pi);
    const bi = brandIndex.get(p.brandRef) ?? 0;
    return {
      ...catalogCommon(p.ref, p.code, patch?.name ?? p.name, p.versionNo + (patch?.versionBump ?? 0)),
      DeletionMark: patch?.deleted ?? p.deleted,
      Parent_Key: p.groupRef,
      IsFolder: false,
      Артикул: p.sku,
      НаименованиеПолное: p.fullName,
      ВидНоменклатуры_Key: p.kindRef,
      ЕдиницаИзмерения_Key: p.baseUnitRef,
      Производитель_Key: manufacturerRef(bi),
      Марка_Key: p.brandRef,
      СтавкаНДС: `НДС${p.vatRate}`,
      Описание: p.description,
      ВесЧислитель: p.weightKg === null ? 0 : Number(p.weightKg),
      ВесИспользовать: p.weightKg !== null,
      ТипНоменклатуры: 'Товар',
      ИспользованиеХарактеристик: 'НеИспользовать',
      ФайлКартинки_Key: p.pictures.length > 0 ? pictureRef(pi, 0) : EMPTY_GUID,
      ДополнительныеРеквизиты: p.properties.map((x, k) => ({
        Ref_Key: p.ref, LineNumber: String(k + 1), Свойство_Key: x.propertyRef, Значение: x.value, Значение_Type: 'Edm.String', ТекстоваяСтрока: '',
      })),
      ...nav('Catalog_Номенклатура', p.ref, NAV_FIELDS),
    };
  };
  const nomenclature: RowSource = {
    name: 'Catalog_Номенклатура',
    size: () => groupsCount + cat.productCount,
    row: (i) => (i < groupsCount ? groupRow(i) : productRow(i - groupsCount)),
    version: state.version,
    lightFields: new Set(['Ref_Key', 'IsFolder', 'DeletionMark', 'DataVersion', 'Parent_Key']),
    light: (i) => {
      if (i < groupsCount) return groupRow(i);
      const pi = i - groupsCount;
      const b = cat.productBrief(pi);
      const patch = state.productPatches.get(pi);
      return { Ref_Key: b.ref, IsFolder: false, DeletionMark: patch?.deleted ?? b.deleted, DataVersion: dataVersionOf(b.versionNo + (patch?.versionBump ?? 0)), Parent_Key: b.groupRef };
    },
    indexedFields: ['Ref_Key'],
    lookup(field, values) {
      if (field !== 'Ref_Key') return undefined;
      const out: number[] = [];
      for (const v of values) {
        const g = groupIndex.get(v);
        if (g !== undefined) out.push(g);
        const p = cat.productIndexOf(v);
        if (p !== undefined) out.push(groupsCount + p);
      }
      return out;
    },
  };

  const packs = sideSource('Catalog_УпаковкиЕдиницыИзмерения', cat, side, 'packs', 'Owner', (p, k) => {
    const pack = p.packs[k] as CatProduct['packs'][number];
    return {
      ...catalogCommon(pack.ref, `${p.code}-${k + 1}`, pack.name),
      Owner: p.ref,
      Owner_Type: 'StandardODATA.Catalog_Номенклатура',
      ЕдиницаИзмерения_Key: cat.units.pack.ref,
      Числитель: Number(pack.ratio),
      Знаменатель: 1,
      Вес: 0,
      ТипУпаковки: 'Конечная',
    };
  });
  const barcodes = sideSource('InformationRegister_ШтрихкодыНоменклатуры', cat, side, 'barcodes', 'Номенклатура_Key', (p, k) => ({
    Штрихкод: p.barcodes[k], Номенклатура_Key: p.ref, Характеристика_Key: EMPTY_GUID, Упаковка_Key: EMPTY_GUID,
  }));
  const files = buildAttachedFiles(state, pictureRef);
  const ATTACHED_FILE_PROPS: Array<[string, EdmType]> = [...CATALOG_BASE, ['ВладелецФайла_Key', G], ['Расширение', S], ['ПутьКФайлу', S], ['Размер', N], ['ТипХраненияФайла', S]];
  const pictures = sideSource(PICTURES_SET, cat, side, 'pictures', 'ВладелецФайла_Key', (p, k) => {
    const file = p.pictures[k] as string;
    const dot = file.lastIndexOf('.');
    return {
      ...catalogCommon(pictureRef(p.index, k), '', file.slice(0, dot)),
      ВладелецФайла_Key: p.ref,
      Расширение: file.slice(dot + 1),
      ПутьКФайлу: '',
      Размер: 120_000 + k,
      ТипХраненияФайла: IN_INFOBASE,
    };
  });
  const analogs = sideSource('InformationRegister_АналогиНоменклатуры', cat, side, 'analogs', 'Номенклатура_Key', (p, k) => ({
    Номенклатура_Key: p.ref, Аналог_Key: p.analogRefs[k], Приоритет: k + 1,
  }));

  // ---- small catalogs
  const constant = (rows: Row[]) => () => rows;
  const v1 = () => 1;
  const units: Row[] = [cat.units.piece, cat.units.pack].map((u) => ({ ...catalogCommon(u.ref, u.okei, u.name), НаименованиеПолное: u.fullName, МеждународноеСокращение: u.okei === '796' ? 'PCE' : 'NMP' }));
  const kinds: Row[] = cat.productKinds.map((k, i) => ({ ...catalogCommon(k.ref, String(i + 1).padStart(9, '0'), k.name), IsFolder: false, Parent_Key: EMPTY_GUID, ТипНоменклатуры: 'Товар' }));
  const brands: Row[] = cat.brands.map((b, i) => ({ ...catalogCommon(b.ref, String(i + 1).padStart(9, '0'), b.name) }));
  const manufacturers: Row[] = cat.brands.map((b, i) => ({ ...catalogCommon(manufacturerRef(i), String(i + 1).padStart(9, '0'), b.name), IsFolder: false, Parent_Key: EMPTY_GUID }));
  const properties: Row[] = cat.properties.map((p, i) => ({
    Ref_Key: p.ref, DataVersion: dataVersionOf(1), DeletionMark: false, Description: p.name, Заголовок: p.name, Имя: `${p.key}_${i}`,
    ТипЗначения: 'Edm.String', Predefined: false, PredefinedDataName: '',
  }));
  const warehouses: Row[] = cat.warehouses.map((w) => ({
    ...catalogCommon(w.ref, w.code, w.name), Parent_Key: EMPTY_GUID, IsFolder: false, ТипСклада: 'ОптовыйСклад',
    КонтактнаяИнформация: [{ Ref_Key: w.ref, LineNumber: '1', Тип: 'Адрес', Представление: w.address, Город: w.city, Регион: '', Страна: 'РОССИЯ' }],
  }));
  const currencies: Row[] = [{ ...catalogCommon(cat.currency.ref, cat.currency.code, cat.currency.name), НаименованиеПолное: 'Российский рубль' }];
  const priceTypes: Row[] = cat.priceTypes.map((t) => ({
    ...catalogCommon(t.ref, t.code, t.name), Parent_Key: EMPTY_GUID, IsFolder: false, Идентификатор: t.ident, ВалютаЦены_Key: cat.currency.ref,
    ЦенаВключаетНДС: t.vatIncluded, ИспользоватьПриПродаже: true, Статус: 'Действует',
  }));
  const organizations: Row[] = [{ ...catalogCommon(cat.organization.ref, '000000001', cat.organization.name), ИНН: cat.organization.inn, КПП: cat.organization.kpp }];
  const partners: Row[] = cat.customers.map((c) => ({
    ...catalogCommon(c.ref, c.code, c.name), Parent_Key: EMPTY_GUID, IsFolder: false, НаименованиеПолное: c.fullName, Клиент: true, Поставщик: false,
    ЮрФизЛицо: c.isPerson ? 'ЧастноеЛицо' : 'Компания', Комментарий: '',
  }));
  const counterparties: Row[] = cat.customers.map((c) => ({
    ...catalogCommon(c.counterpartyRef, c.code, c.name), Parent_Key: EMPTY_GUID, IsFolder: false, НаименованиеПолное: c.fullName, Партнер_Key: c.ref,
    ИНН: c.inn, КПП: c.kpp ?? '', ЮрФизЛицо: c.isPerson ? 'ИндивидуальныйПредприниматель' : 'ЮрЛицо',
    КонтактнаяИнформация: [
      { Ref_Key: c.counterpartyRef, LineNumber: '1', Тип: 'Адрес', Представление: c.address, Город: c.city },
      { Ref_Key: c.counterpartyRef, LineNumber: '2', Тип: 'АдресЭлектроннойПочты', Представление: c.email, Город: '' },
      { Ref_Key: c.counterpartyRef, LineNumber: '3', Тип: 'Телефон', Представление: c.phone, Город: '' },
    ],
  }));
  const agreements: Row[] = cat.customers.map((c) => ({
    ...catalogCommon(c.agreementRef, c.code, `Дилерское соглашение ${c.agreementNumber}`), Номер: c.agreementNumber, Дата: '2024-01-10T00:00:00',
    Партнер_Key: c.ref, Контрагент_Key: c.counterpartyRef, Организация_Key: cat.organization.ref, ВидЦен_Key: c.priceTypeRef, Валюта_Key: cat.currency.ref,
    Склад_Key: cat.warehouses[0]?.ref ?? EMPTY_GUID, ХозяйственнаяОперация: 'РеализацияКлиенту', Статус: 'Действует', Согласован: true,
    ДатаНачалаДействия: '2024-01-10T00:00:00', ДатаОкончанияДействия: '0001-01-01T00:00:00', ЦенаВключаетНДС: true,
    ДопустимаяСуммаЗадолженности: c.creditLimit === null ? 0 : Number(c.creditLimit), КонтролироватьСуммуЗадолженности: c.creditLimitEnforced,
    ДопустимоеЧислоДнейЗадолженности: c.creditLimitEnforced ? c.paymentTermDays + 15 : 0, КонтролироватьЧислоДнейЗадолженности: false,
    СрокОплаты: c.paymentTermDays,
  }));
  const contracts: Row[] = cat.customers.map((c) => ({
    ...catalogCommon(c.contractRef, c.code, `Договор поставки ${c.agreementNumber}`), Номер: c.agreementNumber, Дата: '2024-01-10T00:00:00',
    Контрагент_Key: c.counterpartyRef, Партнер_Key: c.ref, Организация_Key: cat.organization.ref, Соглашение_Key: c.agreementRef,
    ВалютаВзаиморасчетов_Key: cat.currency.ref, ДопустимаяСуммаЗадолженности: c.creditLimit === null ? 0 : Number(c.creditLimit),
    ОграничиватьСуммуЗадолженности: c.creditLimitEnforced, Статус: 'Действует',
  }));
  const settlementKeys: Row[] = cat.customers.map((c) => ({
    Ref_Key: c.settlementKeyRef, DataVersion: dataVersionOf(1), DeletionMark: false, Description: `${c.name} / ${cat.organization.name}`,
    Партнер_Key: c.ref, Контрагент_Key: c.counterpartyRef, Организация_Key: cat.organization.ref, Договор_Key: c.contractRef,
    Predefined: false, PredefinedDataName: '',
  }));
  const settlementKeyOf = new Map(cat.customers.map((c) => [c.ref, c.settlementKeyRef]));

  // ---- documents (mutable; rebuilt per state version)
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
  const orderRow = (o: EmOrder): Row => ({
    Ref_Key: o.ref, DataVersion: dataVersionOf(o.versionNo), DeletionMark: o.deletionMark, Number: o.number, Date: o.date, Posted: o.posted,
    Статус: o.status, Согласован: o.agreed, ...o.header,
    СуммаДокумента: Number(state.orderTotal(o)),
    Товары: o.lines.map((l) => ({ Ref_Key: o.ref, ...l, LineNumber: String(l.LineNumber) })),
    ...nav('Document_ЗаказКлиента', o.ref, ['Организация', 'Партнер', 'Контрагент', 'Соглашение', 'Склад', 'Валюта']),
  });
  const orderRows = memo(() => state.orders.map(orderRow));
  const orderLines = memo(() => orderRows().flatMap((o) => o.Товары as Row[]));
  const saleRow = (d: EmDocument): Row => {
    const order = state.orderByRef(d.orderRef);
    const shipLines = d.variant === 'АктВыполненныхРабот' || !order ? [] : order.lines.filter((l) => !l.Отменено);
    return {
      Ref_Key: d.ref, DataVersion: dataVersionOf(d.versionNo), DeletionMark: false, Number: d.number, Date: d.date, Posted: d.posted,
      Организация_Key: cat.organization.ref, Партнер_Key: d.partnerRef, Контрагент_Key: d.counterpartyRef, Соглашение_Key: d.agreementRef,
      Склад_Key: order?.header.Склад_Key ?? EMPTY_GUID, Валюта_Key: cat.currency.ref, ЗаказКлиента: d.orderRef,
      ЗаказКлиента_Type: 'StandardODATA.Document_ЗаказКлиента', ВариантОформленияПродажи: d.variant ?? '', ХозяйственнаяОперация: 'РеализацияКлиенту',
      СуммаДокумента: Number(d.amount), ЦенаВключаетНДС: true, ДатаПлатежа: d.dueDate ?? '0001-01-01T00:00:00', Комментарий: '',
      Товары: shipLines.map((l) => ({ Ref_Key: d.ref, ...l, LineNumber: String(l.LineNumber) })),
    };
  };
  const invoiceRow = (d: EmDocument): Row => ({
    Ref_Key: d.ref, DataVersion: dataVersionOf(d.versionNo), DeletionMark: false, Number: d.number, Date: d.date, Posted: d.posted,
    Организация_Key: cat.organization.ref, Партнер_Key: d.partnerRef, Контрагент_Key: d.counterpartyRef, Соглашение_Key: d.agreementRef,
    Валюта_Key: cat.currency.ref, ДокументОснование: d.orderRef, ДокументОснование_Type: 'StandardODATA.Document_ЗаказКлиента',
    СуммаДокумента: Number(d.amount), Комментарий: '',
  });
  const sales = memo(() => state.documents.filter((d) => d.set === 'Document_РеализацияТоваровУслуг').map(saleRow));
  const invoices = memo(() => state.documents.filter((d) => d.set === 'Document_СчетНаОплатуКлиенту').map(invoiceRow));

  const ORDER_HEADER: Array<[string, EdmType]> = [
    ['Статус', S], ['Согласован', B], ['Организация_Key', G], ['Партнер_Key', G], ['Контрагент_Key', G], ['Соглашение_Key', G], ['Договор_Key', G],
    ['Склад_Key', G], ['Валюта_Key', G], ['ХозяйственнаяОперация', S], ['ЦенаВключаетНДС', B], ['ДатаОтгрузки', D], ['ЖелаемаяДатаОтгрузки', D],
    ['НомерПоДаннымКлиента', S], ['Комментарий', S], ['АдресДоставки', S], ['СуммаДокумента', N],
  ];
  const ORDER_LINE: Array<[string, EdmType]> = [
    ['Ref_Key', G], ['LineNumber', 'Edm.Int64'], ['Номенклатура_Key', G], ['Количество', N], ['Цена', N], ['Сумма', N], ['СуммаНДС', N], ['ВидЦены_Key', G],
    ['Склад_Key', G], ['Отменено', B], ['ВариантОбеспечения', S], ['СтавкаНДС', S],
  ];

  const sets: EntitySetDef[] = [
    {
      name: 'Catalog_Номенклатура', keyed: true, source: nomenclature,
      props: [...CATALOG_BASE, ...HIER, ['Артикул', S], ['НаименованиеПолное', S], ['ВидНоменклатуры_Key', G], ['ЕдиницаИзмерения_Key', G], ['Производитель_Key', G],
        ['Марка_Key', G], ['СтавкаНДС', S], ['Описание', S], ['ВесЧислитель', N], ['ВесИспользовать', B], ['ТипНоменклатуры', S], ['ИспользованиеХарактеристик', S],
        ['ФайлКартинки_Key', G]],
      tables: { ДополнительныеРеквизиты: [['Ref_Key', G], ['LineNumber', 'Edm.Int64'], ['Свойство_Key', G], ['Значение', S], ['Значение_Type', S], ['ТекстоваяСтрока', S]] },
    },
    { name: 'Catalog_УпаковкиЕдиницыИзмерения', keyed: true, source: packs, props: [...CATALOG_BASE, ['Owner', G], ['Owner_Type', S], ['ЕдиницаИзмерения_Key', G], ['Числитель', N], ['Знаменатель', N], ['Вес', N], ['ТипУпаковки', S]] },
    { name: PICTURES_SET, keyed: true, source: pictures, props: ATTACHED_FILE_PROPS },
    ...files.documentFileSets.map(({ name, source }) => ({ name, keyed: true, source, props: ATTACHED_FILE_PROPS })),
    { name: 'Catalog_ЕдиницыИзмерения', keyed: true, source: arraySource('Catalog_ЕдиницыИзмерения', constant(units), v1), props: [...CATALOG_BASE, ['НаименованиеПолное', S], ['МеждународноеСокращение', S]] },
    { name: 'Catalog_ВидыНоменклатуры', keyed: true, source: arraySource('Catalog_ВидыНоменклатуры', constant(kinds), v1), props: [...CATALOG_BASE, ...HIER, ['ТипНоменклатуры', S]] },
    { name: 'Catalog_Марки', keyed: true, source: arraySource('Catalog_Марки', constant(brands), v1), props: CATALOG_BASE },
    { name: 'Catalog_Производители', keyed: true, source: arraySource('Catalog_Производители', constant(manufacturers), v1), props: [...CATALOG_BASE, ...HIER] },
    {
      name: 'ChartOfCharacteristicTypes_ДополнительныеРеквизитыИСведения', keyed: true, source: arraySource('ChartOfCharacteristicTypes_ДополнительныеРеквизитыИСведения', constant(properties), v1),
      props: [['Ref_Key', G], ['DataVersion', S], ['DeletionMark', B], ['Description', S], ['Заголовок', S], ['Имя', S], ['ТипЗначения', S], ['Predefined', B], ['PredefinedDataName', S]],
    },
    {
      name: 'Catalog_Склады', keyed: true, source: arraySource('Catalog_Склады', constant(warehouses), v1), props: [...CATALOG_BASE, ...HIER, ['ТипСклада', S]],
      tables: { КонтактнаяИнформация: [['Ref_Key', G], ['LineNumber', 'Edm.Int64'], ['Тип', S], ['Представление', S], ['Город', S], ['Регион', S], ['Страна', S]] },
    },
    { name: 'Catalog_Валюты', keyed: true, source: arraySource('Catalog_Валюты', constant(currencies), v1), props: [...CATALOG_BASE, ['НаименованиеПолное', S]] },
    {
      name: 'Catalog_ВидыЦен', keyed: true, source: arraySource('Catalog_ВидыЦен', constant(priceTypes), v1),
      props: [...CATALOG_BASE, ...HIER, ['Идентификатор', S], ['ВалютаЦены_Key', G], ['ЦенаВключаетНДС', B], ['ИспользоватьПриПродаже', B], ['Статус', S]],
    },
    { name: 'Catalog_Организации', keyed: true, source: arraySource('Catalog_Организации', constant(organizations), v1), props: [...CATALOG_BASE, ['ИНН', S], ['КПП', S]] },
    {
      name: 'Catalog_Партнеры', keyed: true, source: arraySource('Catalog_Партнеры', constant(partners), v1),
      props: [...CATALOG_BASE, ...HIER, ['НаименованиеПолное', S], ['Клиент', B], ['Поставщик', B], ['ЮрФизЛицо', S], ['Комментарий', S]],
    },
    {
      name: 'Catalog_Контрагенты', keyed: true, source: arraySource('Catalog_Контрагенты', constant(counterparties), v1, ['Ref_Key', 'Партнер_Key']),
      props: [...CATALOG_BASE, ...HIER, ['НаименованиеПолное', S], ['Партнер_Key', G], ['ИНН', S], ['КПП', S], ['ЮрФизЛицо', S]],
      tables: { КонтактнаяИнформация: [['Ref_Key', G], ['LineNumber', 'Edm.Int64'], ['Тип', S], ['Представление', S], ['Город', S]] },
    },
    {
      name: 'Catalog_СоглашенияСКлиентами', keyed: true, source: arraySource('Catalog_СоглашенияСКлиентами', constant(agreements), v1, ['Ref_Key', 'Партнер_Key']),
      props: [...CATALOG_BASE, ['Номер', S], ['Дата', D], ['Партнер_Key', G], ['Контрагент_Key', G], ['Организация_Key', G], ['ВидЦен_Key', G], ['Валюта_Key', G], ['Склад_Key', G],
        ['ХозяйственнаяОперация', S], ['Статус', S], ['Согласован', B], ['ДатаНачалаДействия', D], ['ДатаОкончанияДействия', D], ['ЦенаВключаетНДС', B],
        ['ДопустимаяСуммаЗадолженности', N], ['КонтролироватьСуммуЗадолженности', B], ['ДопустимоеЧислоДнейЗадолженности', N], ['КонтролироватьЧислоДнейЗадолженности', B], ['СрокОплаты', N]],
    },
    {
      name: 'Catalog_ДоговорыКонтрагентов', keyed: true, source: arraySource('Catalog_ДоговорыКонтрагентов', constant(contracts), v1, ['Ref_Key', 'Партнер_Key']),
      props: [...CATALOG_BASE, ['Номер', S], ['Дата', D], ['Контрагент_Key', G], ['Партнер_Key', G], ['Организация_Key', G], ['Соглашение_Key', G], ['ВалютаВзаиморасчетов_Key', G],
        ['ДопустимаяСуммаЗадолженности', N], ['ОграничиватьСуммуЗадолженности', B], ['Статус', S]],
    },
    {
      name: 'Catalog_КлючиАналитикиУчетаПоПартнерам', keyed: true, source: arraySource('Catalog_КлючиАналитикиУчетаПоПартнерам', constant(settlementKeys), v1, ['Ref_Key', 'Партнер_Key']),
      props: [['Ref_Key', G], ['DataVersion', S], ['DeletionMark', B], ['Description', S], ['Партнер_Key', G], ['Контрагент_Key', G], ['Организация_Key', G], ['Договор_Key', G], ['Predefined', B], ['PredefinedDataName', S]],
    },
    {
      name: 'Document_ЗаказКлиента', keyed: true, source: arraySource('Document_ЗаказКлиента', orderRows, state.version, ['Ref_Key', 'Партнер_Key']),
      props: [...DOC_BASE, ...ORDER_HEADER], tables: { Товары: ORDER_LINE },
    },
    { name: 'Document_ЗаказКлиента_Товары', keyed: false, source: arraySource('Document_ЗаказКлиента_Товары', orderLines, state.version, ['Ref_Key']), props: ORDER_LINE },
    {
      name: 'Document_РеализацияТоваровУслуг', keyed: true, source: arraySource('Document_РеализацияТоваровУслуг', sales, state.version, ['Ref_Key', 'Партнер_Key', 'ЗаказКлиента']),
      props: [...DOC_BASE, ['Организация_Key', G], ['Партнер_Key', G], ['Контрагент_Key', G], ['Соглашение_Key', G], ['Склад_Key', G], ['Валюта_Key', G], ['ЗаказКлиента', G],
        ['ЗаказКлиента_Type', S], ['ВариантОформленияПродажи', S], ['ХозяйственнаяОперация', S], ['СуммаДокумента', N], ['ЦенаВключаетНДС', B], ['ДатаПлатежа', D], ['Комментарий', S]],
      tables: { Товары: ORDER_LINE },
    },
    {
      name: 'Document_СчетНаОплатуКлиенту', keyed: true, source: arraySource('Document_СчетНаОплатуКлиенту', invoices, state.version, ['Ref_Key', 'Партнер_Key', 'ДокументОснование']),
      props: [...DOC_BASE, ['Организация_Key', G], ['Партнер_Key', G], ['Контрагент_Key', G], ['Соглашение_Key', G], ['Валюта_Key', G], ['ДокументОснование', G],
        ['ДокументОснование_Type', S], ['СуммаДокумента', N], ['Комментарий', S]],
    },
  ];

  // ---- registers
  const priceTypeCount = cat.priceTypes.length;
  let lastPriceProduct = -1;
  let lastPrices = cat.pricesOf(0);
  const pricesOf = (p: number) => {
    if (p !== lastPriceProduct) {
      lastPrices = cat.pricesOf(p);
      lastPriceProduct = p;
    }
    return lastPrices;
  };
  const priceRecorder = (p: number) => guid('price-doc', Math.floor(p / 500));
  const priceRows: RowSource = {
    name: 'InformationRegister_ЦеныНоменклатуры',
    size: () => cat.productCount * priceTypeCount,
    row: (i) => {
      const p = Math.floor(i / priceTypeCount);
      const pr = pricesOf(p)[i % priceTypeCount];
      if (!pr) throw new RangeError(`no price row #${i}`);
      return {
        Period: pr.validFrom, Recorder: priceRecorder(p), Recorder_Type: 'StandardODATA.Document_УстановкаЦенНоменклатуры', LineNumber: '1', Active: true,
        Номенклатура_Key: pr.productRef, Характеристика_Key: EMPTY_GUID, ВидЦены_Key: pr.priceTypeRef, Цена: Number(pr.price), Упаковка_Key: EMPTY_GUID, Валюта_Key: cat.currency.ref,
      };
    },
    version: v1,
    lightFields: new Set(['Номенклатура_Key', 'ВидЦены_Key']),
    light: (i) => ({ Номенклатура_Key: cat.productRef(Math.floor(i / priceTypeCount)), ВидЦены_Key: cat.priceTypes[i % priceTypeCount]?.ref }),
    indexedFields: ['Номенклатура_Key', 'ВидЦены_Key'],
    lookup(field, values) {
      const out: number[] = [];
      if (field === 'Номенклатура_Key') {
        for (const v of values) {
          const p = cat.productIndexOf(v);
          if (p !== undefined) for (let t = 0; t < priceTypeCount; t++) out.push(p * priceTypeCount + t);
        }
        return out;
      }
      if (field === 'ВидЦены_Key') {
        const types = cat.priceTypes.map((t, k) => (values.includes(t.ref) ? k : -1)).filter((k) => k >= 0);
        for (let p = 0; p < cat.productCount; p++) for (const t of types) out.push(p * priceTypeCount + t);
        return out;
      }
      return undefined;
    },
  };

  // Stock: free balance rows (on hand or reserved) and goods-to-receive rows, both over the catalog's stock.
  let stockIndex: null | { free: Int32Array; incoming: Int32Array } = null;
  const ensureStock = () => {
    if (stockIndex) return stockIndex;
    const n = cat.productCount;
    const free = new Int32Array(n + 1);
    const incoming = new Int32Array(n + 1);
    for (let p = 0; p < n; p++) {
      const rows = cat.stockOf(p);
      free[p + 1] = (free[p] as number) + rows.filter((r) => r.onHand !== '0' || r.reserved !== '0').length;
      incoming[p + 1] = (incoming[p] as number) + rows.filter((r) => r.expected).length;
    }
    stockIndex = { free, incoming };
    return stockIndex;
  };
  let lastStockProduct = -1;
  let lastStock = cat.stockOf(0);
  const stockOf = (p: number) => {
    if (p !== lastStockProduct) {
      lastStock = cat.stockOf(p);
      lastStockProduct = p;
    }
    return lastStock;
  };
  const stockSource = (name: string, which: 'free' | 'incoming', make: (r: ReturnType<GeneratedCatalog['stockOf']>[number]) => Row): RowSource => ({
    name,
    size: () => (ensureStock()[which][cat.productCount] as number),
    row: (i) => {
      const o = ensureStock()[which];
      const p = side.ownerOf(o, i);
      const rows = stockOf(p).filter((r) => (which === 'free' ? r.onHand !== '0' || r.reserved !== '0' : r.expected));
      return make(rows[i - (o[p] as number)] as ReturnType<GeneratedCatalog['stockOf']>[number]);
    },
    version: v1,
    indexedFields: ['Номенклатура_Key'],
    lookup(field, values) {
      if (field !== 'Номенклатура_Key') return undefined;
      const o = ensureStock()[which];
      const out: number[] = [];
      for (const v of values) {
        const p = cat.productIndexOf(v);
        if (p !== undefined) for (let r = o[p] as number; r < (o[p + 1] as number); r++) out.push(r);
      }
      return out;
    },
  });
  const freeStock = stockSource('AccumulationRegister_СвободныеОстатки', 'free', (r) => ({
    Номенклатура_Key: r.productRef, Характеристика_Key: EMPTY_GUID, Склад_Key: r.warehouseRef,
    ВНаличии: Number(r.onHand), ВРезервеСоСклада: Number(r.reserved), ВРезервеПодЗаказ: 0,
  }));
  const incomingStock = stockSource('AccumulationRegister_ТоварыКПоступлению', 'incoming', (r) => ({
    Номенклатура_Key: r.productRef, Характеристика_Key: EMPTY_GUID, Склад_Key: r.warehouseRef, КПоступлению: Number(r.expected?.qty ?? 0),
  }));

  const debtRows = memo(() => state.openDebts().map((d) => ({
    АналитикаУчетаПоПартнерам_Key: settlementKeyOf.get(d.partnerRef) ?? EMPTY_GUID,
    ЗаказКлиента: d.orderRef, ЗаказКлиента_Type: 'StandardODATA.Document_ЗаказКлиента',
    ДатаПлановогоПогашения: d.dueDate, Валюта_Key: cat.currency.ref, Долг: Number(d.amount), Предоплата: 0,
  })));
  const debtSource = (name: string) => arraySource(name, debtRows, state.version, ['АналитикаУчетаПоПартнерам_Key']);

  const STOCK_DIMS: RegisterDef['dims'] = [{ name: 'Номенклатура', kind: 'ref' }, { name: 'Характеристика', kind: 'ref' }, { name: 'Склад', kind: 'ref' }];
  const registers: RegisterDef[] = [
    { name: 'AccumulationRegister_СвободныеОстатки', kind: 'accumulation', dims: STOCK_DIMS, resources: ['ВНаличии', 'ВРезервеСоСклада', 'ВРезервеПодЗаказ'], rows: freeStock, emptyDims: ['Характеристика'] },
    {
      name: 'AccumulationRegister_ТоварыНаСкладах', kind: 'accumulation', dims: STOCK_DIMS, resources: ['ВНаличии', 'ВРезервеСоСклада', 'ВРезервеПодЗаказ'],
      rows: { ...freeStock, name: 'AccumulationRegister_ТоварыНаСкладах' }, emptyDims: ['Характеристика'],
    },
    { name: 'AccumulationRegister_ТоварыКПоступлению', kind: 'accumulation', dims: STOCK_DIMS, resources: ['КПоступлению'], rows: incomingStock, emptyDims: ['Характеристика'] },
    {
      name: 'AccumulationRegister_РасчетыСКлиентами', kind: 'accumulation',
      dims: [{ name: 'АналитикаУчетаПоПартнерам', kind: 'ref' }, { name: 'ЗаказКлиента', kind: 'composite' }, { name: 'Валюта', kind: 'ref' }],
      resources: ['Долг', 'Предоплата'], rows: debtSource('AccumulationRegister_РасчетыСКлиентами'),
    },
    {
      name: 'AccumulationRegister_РасчетыСКлиентамиПоСрокам', kind: 'accumulation',
      dims: [{ name: 'АналитикаУчетаПоПартнерам', kind: 'ref' }, { name: 'ЗаказКлиента', kind: 'composite' }, { name: 'ДатаПлановогоПогашения', kind: 'value' }],
      resources: ['Долг', 'Предоплата'], rows: debtSource('AccumulationRegister_РасчетыСКлиентамиПоСрокам'),
    },
    {
      name: 'AccumulationRegister_РасчетыСКлиентамиПоДокументам', kind: 'accumulation',
      dims: [{ name: 'АналитикаУчетаПоПартнерам', kind: 'ref' }, { name: 'ЗаказКлиента', kind: 'composite' }],
      resources: ['Долг', 'Предоплата'], rows: debtSource('AccumulationRegister_РасчетыСКлиентамиПоДокументам'),
    },
    {
      name: 'InformationRegister_ЦеныНоменклатуры', kind: 'information',
      dims: [{ name: 'Номенклатура', kind: 'ref' }, { name: 'Характеристика', kind: 'ref' }, { name: 'ВидЦены', kind: 'ref' }],
      resources: ['Цена'], attrs: [['Упаковка_Key', G], ['Валюта_Key', G]], rows: priceRows,
    },
    {
      name: 'InformationRegister_ШтрихкодыНоменклатуры', kind: 'information',
      dims: [{ name: 'Штрихкод', kind: 'value' }], resources: [], attrs: [['Номенклатура_Key', G], ['Характеристика_Key', G], ['Упаковка_Key', G]], rows: barcodes,
    },
    {
      name: 'InformationRegister_АналогиНоменклатуры', kind: 'information',
      dims: [{ name: 'Номенклатура', kind: 'ref' }, { name: 'Аналог', kind: 'ref' }], resources: ['Приоритет'], rows: analogs,
    },
    {
      name: FILE_DATA_REGISTER, kind: 'information', dims: [{ name: 'Файл', kind: 'composite' }], resources: [],
      attrs: [['ДвоичныеДанныеФайла_Type', S], ['ДвоичныеДанныеФайла_Base64Data', 'Edm.Binary']], rows: files.fileDataRows, record: files.fileDataRecord,
    },
  ];

  const setByName = new Map(sets.map((s) => [s.name, s]));
  const registerByName = new Map(registers.map((r) => [r.name, r]));
  return {
    configuration: 'ut11' as 'ut11' | 'bp30',
    sets,
    registers,
    set: (name: string) => setByName.get(name),
    register: (name: string) => registerByName.get(name),
    /** The document our orders are (УТ: ЗаказКлиента; БП: СчетНаОплатуПокупателю) and how 1C titles it in messages. */
    ordersSet: 'Document_ЗаказКлиента',
    orderTitle: 'Заказ клиента',
    orderRow,
    externalIdOf,
  };
}

export type OnecSources = ReturnType<typeof buildOnecSources>;
