import { join } from 'node:path';
import type { CatGroup, CatProduct, GeneratedCatalog } from '../catalog/index.js';
import { esc, openXmlFile, tag, xmlDeclaration } from './xml-file-writer.js';

/**
 * What 1C writes for «обмен с сайтом», rendered from the generated catalog: CommerceML 2.10 import.xml + offers.xml
 * (prices and per-warehouse stock inside offers), or the CommerceML 3.1 split of the Bitrix module 6.5 exchange
 * (import.xml with price types and warehouses in the classifier; offers.xml, prices.xml, rests.xml). Element names follow
 * the CML 2.10 schema and the 3.1 samples in ../shared/fixtures/erp/. Files are streamed to disk, so 100 000 SKUs are fine.
 */

export type CmlVersion = '2.10' | '3.1';
export type CmlEncoding = 'utf-8' | 'windows-1251';

export interface RenderCmlOptions {
  version: CmlVersion;
  encoding: CmlEncoding;
  /** A delta package (СодержитТолькоИзменения="true") with only these products (default: every tenth). */
  delta?: boolean | { productIndexes: number[] };
  /** Product index range (default: the whole catalog). */
  from?: number;
  to?: number;
  /** Offers only (prices and stock; for 2.10 a single offers.xml), e.g. for big stock files. */
  offersOnly?: boolean;
}

export interface RenderedFile {
  /** Name 1C sends in `filename=` (may contain sub folders, as the Bitrix module's goods/1/…). */
  name: string;
  path: string;
}

export const CLASSIFIER_ID = (cat: GeneratedCatalog) => cat.organization.ref.replace(/^.{8}/, 'c1a55f1e');

function productIndexes(cat: GeneratedCatalog, o: RenderCmlOptions): Iterable<number> {
  const from = Math.max(0, o.from ?? 0);
  const to = Math.min(cat.productCount, o.to ?? cat.productCount);
  if (o.delta && typeof o.delta === 'object') return o.delta.productIndexes.filter((i) => i >= from && i < to);
  return (function* () {
    for (let i = from; i < to; i++) if (!o.delta || i % 10 === 0) yield i;
  })();
}

/** A picture `<Картинка>` names in import.xml; 1C sends the file under the same name. */
export interface RenderedPicture {
  /** `import_files/<file>`, as in `<Картинка>` and in `filename=` / the archive. */
  name: string;
  sku: string;
  kind: CatProduct['kind'];
  /** The picture's index in the product's pictures (renderProductPicture draws a different view per index). */
  index: number;
}

const pictureName = (file: string) => `import_files/${file}`;

/** The pictures of the products renderCommerceMl writes with the same options (none for offers only). */
export function* renderedPictures(cat: GeneratedCatalog, o: RenderCmlOptions): Generator<RenderedPicture> {
  if (o.offersOnly) return;
  for (const i of productIndexes(cat, o)) {
    const p = cat.product(i);
    for (const [index, file] of p.pictures.entries()) yield { name: pictureName(file), sku: p.sku, kind: p.kind, index };
  }
}

function groupXml(cat: GeneratedCatalog, g: CatGroup, v3: boolean): string {
  const kids = cat.groups.filter((x) => x.parentRef === g.ref);
  return `<Группа>${tag('Ид', g.ref)}${v3 ? tag('НомерВерсии', 'AAAAAQAAAAA=') + tag('ПометкаУдаления', 'false') : ''}${tag('Наименование', g.name)}`
    + (kids.length ? `<Группы>${kids.map((k) => groupXml(cat, k, v3)).join('')}</Группы>` : '') + '</Группа>';
}

const requisite = (name: string, value: string) => `<ЗначениеРеквизита>${tag('Наименование', name)}${tag('Значение', value)}</ЗначениеРеквизита>`;

function productXml(cat: GeneratedCatalog, p: CatProduct, v3: boolean): string {
  const piece = cat.units.piece;
  const packs = p.packs
    .map((k) => `<Пересчет>${tag('Единица', cat.units.pack.okei)}${tag('Коэффициент', k.ratio)}<ДополнительныеДанные>${requisite('Наименование', k.name)}${requisite('Ид', k.ref)}</ДополнительныеДанные></Пересчет>`)
    .join('');
  const unit = v3
    ? `<БазоваяЕдиница>${piece.okei}${packs}</БазоваяЕдиница>`
    : `<БазоваяЕдиница Код="${piece.okei}" НаименованиеПолное="${esc(piece.fullName)}" МеждународноеСокращение="PCE">${esc(piece.name)}${packs}</БазоваяЕдиница>`;
  return `<Товар${!v3 && p.deleted ? ' Статус="Удален"' : ''}>`
    + tag('Ид', p.ref)
    + (v3 ? tag('НомерВерсии', Buffer.from(`v${p.versionNo}`).toString('base64')) + tag('ПометкаУдаления', String(p.deleted)) : '')
    + p.barcodes.map((b) => tag('Штрихкод', b)).join('')
    + tag('Артикул', p.sku) + tag('Наименование', p.name) + unit
    + `<Группы>${tag('Ид', p.groupRef)}</Группы>`
    + tag('Описание', p.description)
    + p.pictures.map((x) => tag('Картинка', pictureName(x))).join('')
    + `<Изготовитель>${tag('Ид', p.brandRef)}${tag('Наименование', p.brand)}</Изготовитель>`
    + (p.properties.length ? `<ЗначенияСвойств>${p.properties.map((x) => `<ЗначенияСвойства>${tag('Ид', x.propertyRef)}${tag('Значение', x.value)}</ЗначенияСвойства>`).join('')}</ЗначенияСвойств>` : '')
    + `<СтавкиНалогов><СтавкаНалога>${tag('Наименование', 'НДС')}${tag('Ставка', p.vatRate)}</СтавкаНалога></СтавкиНалогов>`
    + `<ЗначенияРеквизитов>${requisite('ВидНоменклатуры', cat.productKinds.find((k) => k.kind === p.kind)?.name ?? 'Товар')}${requisite('ТипНоменклатуры', 'Товар')}${requisite('Полное наименование', p.fullName)}${requisite('Код', p.code)}</ЗначенияРеквизитов>`
    + '</Товар>\n';
}

function priceTypesXml(cat: GeneratedCatalog, v3: boolean): string {
  return `<ТипыЦен>${cat.priceTypes.map((t) => `<ТипЦены>${tag('Ид', t.ref)}${v3 ? tag('НомерВерсии', 'AAAAAQAAAAA=') + tag('ПометкаУдаления', 'false') : ''}${tag('Наименование', t.name)}${tag('Валюта', t.currency === 'RUB' ? 'руб' : t.currency)}<Налог>${tag('Наименование', 'НДС')}${tag('УчтеноВСумме', String(t.vatIncluded))}</Налог></ТипЦены>`).join('')}</ТипыЦен>`;
}

function warehousesXml(cat: GeneratedCatalog, v3: boolean): string {
  return `<Склады>${cat.warehouses.map((w) => `<Склад>${tag('Ид', w.ref)}${v3 ? tag('НомерВерсии', 'AAAAAQAAAAA=') + tag('ПометкаУдаления', 'false') : ''}${tag('Наименование', w.name)}<Адрес>${tag('Представление', w.address)}<АдресноеПоле>${tag('Тип', 'Город')}${tag('Значение', w.city)}</АдресноеПоле></Адрес></Склад>`).join('')}</Склады>`;
}

const root = (v: CmlVersion, now: string) =>
  `<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_${v === '3.1' ? '3' : '2'}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ВерсияСхемы="${v}" ДатаФормирования="${now}">\n`;

/** Writes the exchange files into `dir`; returns them in the order 1C sends and imports them. */
export async function renderCommerceMl(cat: GeneratedCatalog, dir: string, o: RenderCmlOptions): Promise<RenderedFile[]> {
  const v3 = o.version === '3.1';
  const delta = o.delta ? 'true' : 'false';
  const classifierId = CLASSIFIER_ID(cat);
  const owner = `<Владелец>${tag('Ид', cat.organization.ref)}${tag('Наименование', cat.organization.name)}${tag('ОфициальноеНаименование', cat.organization.name)}${tag('ИНН', cat.organization.inn)}${tag('КПП', cat.organization.kpp)}</Владелец>`;
  const files: RenderedFile[] = [];
  const open = async (name: string) => {
    const file = { name, path: join(dir, ...name.split('/')) };
    files.push(file);
    const w = await openXmlFile(file.path, o.encoding);
    await w.write(xmlDeclaration(o.encoding) + root(o.version, cat.asOf));
    return w;
  };
  const suffix = v3 ? `___${classifierId}` : '';

  if (!o.offersOnly) {
    const w = await open(`import${suffix}.xml`);
    await w.write(`<Классификатор СодержитТолькоИзменения="${v3 ? delta : 'false'}">${tag('Ид', classifierId)}${tag('Наименование', 'Классификатор (Основной каталог товаров)')}${owner}`);
    await w.write(`<Группы>${cat.groups.filter((g) => !g.parentRef).map((g) => groupXml(cat, g, v3)).join('')}</Группы>`);
    await w.write(`<Свойства>${cat.properties.map((p) => `<Свойство>${tag('Ид', p.ref)}${tag('Наименование', p.name)}${tag('ТипЗначений', 'Строка')}</Свойство>`).join('')}</Свойства>`);
    if (v3) {
      await w.write(priceTypesXml(cat, true) + warehousesXml(cat, true));
      await w.write(`<ЕдиницыИзмерения><ЕдиницаИзмерения>${tag('Ид', cat.units.piece.okei)}${tag('НаименованиеКраткое', cat.units.piece.name)}${tag('Код', cat.units.piece.okei)}${tag('НаименованиеПолное', cat.units.piece.fullName)}</ЕдиницаИзмерения><ЕдиницаИзмерения>${tag('Ид', cat.units.pack.okei)}${tag('НаименованиеКраткое', cat.units.pack.name)}${tag('Код', cat.units.pack.okei)}${tag('НаименованиеПолное', cat.units.pack.fullName)}</ЕдиницаИзмерения></ЕдиницыИзмерения>`);
    }
    await w.write(`</Классификатор>\n<Каталог СодержитТолькоИзменения="${delta}">${tag('Ид', classifierId)}${tag('ИдКлассификатора', classifierId)}${tag('Наименование', 'Основной каталог товаров')}${owner}<Товары>\n`);
    for (const i of productIndexes(cat, o)) await w.write(productXml(cat, cat.product(i), v3));
    await w.write('</Товары></Каталог>\n</КоммерческаяИнформация>\n');
    await w.end();
  }

  const pkgHead = `<ПакетПредложений СодержитТолькоИзменения="${delta}">${tag('Ид', `${classifierId}#`)}${tag('Наименование', 'Пакет предложений (Основной каталог товаров)')}${tag('ИдКаталога', classifierId)}${tag('ИдКлассификатора', classifierId)}${owner}`;
  const pkgTail = '</Предложения></ПакетПредложений>\n</КоммерческаяИнформация>\n';
  const stockOf = (i: number) => cat.stockOf(i).map((s) => ({ ref: s.warehouseRef, qty: s.available }));

  if (!v3) {
    const w = await open('offers.xml');
    await w.write(`${pkgHead}${priceTypesXml(cat, false)}${warehousesXml(cat, false)}<Предложения>\n`);
    for (const i of productIndexes(cat, o)) {
      const p = cat.product(i);
      const rows = stockOf(i);
      const total = rows.reduce((a, r) => a + Number(r.qty), 0);
      await w.write(`<Предложение>${tag('Ид', p.ref)}${tag('Артикул', p.sku)}${tag('Наименование', p.name)}`
        + `<БазоваяЕдиница Код="${cat.units.piece.okei}" НаименованиеПолное="${esc(cat.units.piece.fullName)}" МеждународноеСокращение="PCE">${esc(cat.units.piece.name)}</БазоваяЕдиница>`
        + `<Цены>${cat.pricesOf(i).map((x) => `<Цена>${tag('Представление', `${x.price} руб. за шт`)}${tag('ИдТипаЦены', x.priceTypeRef)}${tag('ЦенаЗаЕдиницу', x.price)}${tag('Валюта', 'руб')}${tag('Единица', 'шт')}${tag('Коэффициент', '1')}</Цена>`).join('')}</Цены>`
        + `${tag('Количество', String(total))}${rows.map((r) => `<Склад ИдСклада="${r.ref}" КоличествоНаСкладе="${r.qty}"/>`).join('')}</Предложение>\n`);
    }
    await w.write(pkgTail);
    await w.end();
    return files;
  }

  const offers = await open(`goods/1/offers${suffix}.xml`);
  await offers.write(`${pkgHead}<Предложения>\n`);
  for (const i of productIndexes(cat, o)) {
    const p = cat.product(i);
    await offers.write(`<Предложение>${tag('Ид', p.ref)}${tag('НомерВерсии', 'AAAAAQAAAAA=')}${tag('ПометкаУдаления', String(p.deleted))}${tag('Артикул', p.sku)}${tag('Наименование', p.name)}<БазоваяЕдиница>${cat.units.piece.okei}</БазоваяЕдиница></Предложение>\n`);
  }
  await offers.write(pkgTail);
  await offers.end();

  const prices = await open(`goods/1/prices${suffix}.xml`);
  await prices.write(`${pkgHead}<Предложения>\n`);
  for (const i of productIndexes(cat, o)) {
    const ref = cat.productRef(i);
    await prices.write(`<Предложение>${tag('Ид', ref)}<Цены>${cat.pricesOf(i).map((x) => `<Цена>${tag('Представление', `${x.price} руб. за шт`)}${tag('ИдТипаЦены', x.priceTypeRef)}${tag('ЦенаЗаЕдиницу', x.price)}${tag('Валюта', 'руб')}<Налог>${tag('Наименование', 'НДС')}${tag('УчтеноВСумме', 'true')}</Налог></Цена>`).join('')}</Цены></Предложение>\n`);
  }
  await prices.write(pkgTail);
  await prices.end();

  const rests = await open(`goods/1/rests${suffix}.xml`);
  await rests.write(`${pkgHead}<Предложения>\n`);
  for (const i of productIndexes(cat, o)) {
    const rows = stockOf(i);
    await rests.write(`<Предложение>${tag('Ид', cat.productRef(i))}<Остатки>${rows.map((r) => `<Остаток><Склад>${tag('Ид', r.ref)}${tag('Количество', r.qty)}</Склад></Остаток>`).join('')}</Остатки></Предложение>\n`);
  }
  await rests.write(pkgTail);
  await rests.end();
  return files;
}
