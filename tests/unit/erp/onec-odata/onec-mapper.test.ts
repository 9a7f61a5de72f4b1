import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCatalog, toErpProduct } from '../../../../sandbox/erp/catalog/index.js';
import { buildOnecSources } from '../../../../sandbox/erp/onec-odata/onec-sources.js';
import { createOnecState } from '../../../../sandbox/erp/onec-odata/onec-state.js';
import { onecMapper as m, UT11_PROFILE, BP30_PROFILE } from '../../../../server/erp/onec-odata/index.js';
import type { SubmitOrder } from '../../../../server/erp/port.js';

const FIXTURES = '/work/shared/fixtures/erp';
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown> & { value?: Array<Record<string, unknown>> };

describe('1C OData mapper on the real fixtures', () => {
  it('when the service document is read, then its 70 entity sets are listed by name', () => {
    const doc = fixture('1c-odata_service-document.json');
    const sets = m.serviceDocumentSets(doc);
    expect(sets).toHaveLength(70);
    expect(sets).toContain('Catalog_Номенклатура');
    expect(sets).toContain('Document_ПриходныйОрдер_Товары');
    expect(sets).toContain('AccumulationRegister_ТоварыНаСкладах_RecordType');
    expect(sets.filter((s) => s.startsWith('Catalog_'))).toHaveLength(20);
    expect(m.entitySetOf(doc['odata.metadata'])).toEqual({ set: null, element: false });
  });

  it('when the Номенклатура element is mapped with its subordinate units, then every field lands in the product', () => {
    const el = fixture('1c-odata_Catalog_Nomenklatura_element.json');
    expect(m.entitySetOf(el['odata.metadata'])).toEqual({ set: 'Catalog_Номенклатура', element: true });
    const units = (fixture('1c-odata_Catalog_EdinicyIzmereniya_list.json').value ?? []).map(m.mapUnit);
    const own = units.filter((u) => u.ownerRef?.erpId === el.Ref_Key).map(({ ownerRef: _o, ...u }) => u);
    const p = m.mapProduct(el, UT11_PROFILE, { units: new Map(), packs: own });
    expect(p).toMatchObject({
      ref: { erpId: 'f8c956ea-cdad-11e6-aede-5404a6b4b8ed', code: '00000000005' },
      sku: '412',
      name: 'НеЖенскаяНеСумка',
      groupRef: { erpId: 'f8c956e9-cdad-11e6-aede-5404a6b4b8ed' },
      deleted: false,
      version: 'AAAADAAAAAA=',
      baseUnit: { name: '', ratio: '1' },
    });
    expect(p.packUnits?.map((u) => [u.name, u.ratio])).toEqual([['асу', '2'], ['Нога', '2'], ['ййу32', '1']]);
    expect(p.fullName).toBeUndefined();
    expect(p.properties).toEqual([]);
  });

  it('when the ЕдиницыИзмерения list is mapped, then names, ratios (Коэффициент) and owners come through', () => {
    const doc = fixture('1c-odata_Catalog_EdinicyIzmereniya_list.json');
    expect(m.entitySetOf(doc['odata.metadata'])).toEqual({ set: 'Catalog_ЕдиницыИзмерения', element: false });
    const units = (doc.value ?? []).map(m.mapUnit);
    expect(units.map((u) => u.name)).toEqual(['шт', 'Бета', 'прпро', 'асу', 'Нога', 'ййу32']);
    expect(units.map((u) => u.ratio)).toEqual(['1', '10', '5', '2', '2', '1']);
    expect(units.map((u) => u.ownerRef?.erpId.slice(0, 8))).toEqual(['68c21ae9', '68c21ae9', '68c21ae9', 'f8c956ea', 'f8c956ea', 'f8c956ea']);
    expect(units.every((u) => u.code === undefined)).toBe(true);
    expect(units[0]?.ref?.erpId).toBe('68c21aea-cd73-11e6-aede-5404a6b4b8ed');
  });

  it('when the ПриходныйОрдер list is mapped, then each document keeps number, date, flags and its Товары rows', () => {
    const doc = fixture('1c-odata_Document_PrihodnyOrder_list.json');
    expect(m.entitySetOf(doc['odata.metadata']).set).toBe('Document_ПриходныйОрдер');
    const docs = (doc.value ?? []).map((r) => m.mapGenericDocument(r, 'Document_ПриходныйОрдер'));
    expect(docs.map((d) => d.number)).toEqual(['000000001', '000000002', '000000003', '000000004']);
    expect(docs.map((d) => d.date)).toEqual(['2016-12-26T16:00:52', '2016-12-29T13:03:29', '2016-12-29T13:10:49', '2016-12-29T14:37:27']);
    expect(docs.every((d) => d.posted === false && d.deleted === false)).toBe(true);
    expect(docs.map((d) => d.lines.length)).toEqual([1, 3, 1, 2]);
    expect(docs[0]?.lines[0]).toEqual({ lineNo: 1, productRef: null, qty: '0', unitRef: null });
    expect(docs[1]?.counterpartyRef).toBeNull();
    expect(docs[1]?.lines.map((l) => [l.productRef?.erpId ?? null, l.qty])).toEqual([
      ['68c21ae9-cd73-11e6-aede-5404a6b4b8ed', '2'], ['68c21ae9-cd73-11e6-aede-5404a6b4b8ed', '2'], [null, '0'],
    ]);
    expect(docs[2]?.lines[0]).toMatchObject({ qty: '234', unitRef: { erpId: '201f925e-cd74-11e6-aede-5404a6b4b8ed' } });
    expect(docs[3]).toMatchObject({ comment: 'к', counterpartyRef: { erpId: 'b1c89d93-cb6a-11e6-aede-5404a6b4b8ed' }, warehouseRef: { erpId: 'f8c956ee-cdad-11e6-aede-5404a6b4b8ed' } });
    expect(docs[3]?.lines.map((l) => l.qty)).toEqual(['52', '1']);
  });
});

describe('1C OData mapper on emulator output', () => {
  const cat = generateCatalog({ seed: 'mapper', skus: 120 });
  const sources = buildOnecSources(createOnecState(cat));
  const units = new Map([[cat.units.piece.ref, { code: '796', name: 'шт', ratio: '1' }]]);
  const brands = new Map(cat.brands.map((b) => [b.ref, b.name]));
  const names = new Map(cat.properties.map((p) => [p.ref, p.name]));

  it('when a Номенклатура row of the emulator is mapped, then it equals the catalog product normalized', () => {
    const set = sources.set('Catalog_Номенклатура');
    for (const i of [0, 57, 119]) {
      const product = cat.product(i);
      const row = set?.source.row(cat.groups.length + i) ?? {};
      const mapped = m.mapProduct(row, UT11_PROFILE, {
        units, brands, propertyNames: names,
        packs: product.packs.map((k) => ({ ref: { erpId: k.ref }, name: k.name, ratio: k.ratio })),
        barcodes: product.barcodes, pictures: product.pictures, analogs: product.analogRefs.map((erpId) => ({ erpId })),
      });
      const expected = toErpProduct(cat, product);
      expect(mapped).toMatchObject({
        ref: expected.ref, sku: expected.sku, name: expected.name, fullName: expected.fullName, groupRef: expected.groupRef, brand: expected.brand,
        description: expected.description, vatRate: expected.vatRate, deleted: expected.deleted, version: expected.version,
      });
      expect(mapped.properties).toEqual(expected.properties);
    }
  });

  it('when price, stock and dealer rows of the emulator are mapped, then amounts are decimal strings equal to the catalog', () => {
    const prices = sources.register('InformationRegister_ЦеныНоменклатуры');
    const row = prices?.rows.row(3) ?? {};
    const price = m.mapPrice(row, UT11_PROFILE, new Map());
    const expected = cat.pricesOf(0)[3];
    expect(price.price).toBe(expected?.price);
    expect(price.productRef.erpId).toBe(cat.productRef(0));
    const stock = m.mapStockBalance({ Номенклатура_Key: cat.productRef(1), Склад_Key: cat.warehouses[0]?.ref, ВНаличииBalance: 12, ВРезервеСоСкладаBalance: 5 },
      { product: 'Номенклатура', warehouse: 'Склад', onHand: 'ВНаличии', reserved: 'ВРезервеСоСклада' });
    expect(stock).toMatchObject({ onHand: '12', reserved: '5', available: '7' });
    const overReserved = m.mapStockBalance({ ВНаличииBalance: 1, ВРезервеСоСкладаBalance: 3 }, { product: 'Н', warehouse: 'С', onHand: 'ВНаличии', reserved: 'ВРезервеСоСклада' });
    expect(overReserved.available).toBe('0');
    const c = cat.customers[0];
    const partner = sources.set('Catalog_Партнеры')?.source.row(0) ?? {};
    const party = sources.set('Catalog_Контрагенты')?.source.row(0) ?? {};
    const agreement = sources.set('Catalog_СоглашенияСКлиентами')?.source.row(0) ?? {};
    expect(m.mapCustomer(partner, party, agreement, UT11_PROFILE)).toEqual({
      ref: { erpId: c?.ref, code: c?.code }, name: c?.name, inn: c?.inn, ...(c?.kpp ? { kpp: c.kpp } : {}), priceTypeRef: { erpId: c?.priceTypeRef },
    });
  });
});

describe('1C OData mapper rules', () => {
  it('when numbers come as 1C writes them, then they become decimal strings without float noise', () => {
    expect(m.decimalOf(93067.5, 2)).toBe('93067.50');
    expect(m.decimalOf('1 234,50')).toBe('1234.5');
    expect(m.decimalOf(null)).toBe('0');
    expect(() => m.decimalOf('abc')).toThrow();
  });

  it('when VAT rates, currencies and sale variants are read, then they map to percent, ISO code and document kind', () => {
    expect(m.vatRateOf('НДС20')).toBe('20');
    expect(m.vatRateOf('НДС10')).toBe('10');
    expect(m.vatRateOf('БезНДС')).toBe('0');
    expect(m.vatRateOf('Общая')).toBe('20');
    expect(m.vatRateOf('')).toBeUndefined();
    expect(m.currencyOf('643')).toBe('RUB');
    expect(m.currencyOf('978')).toBe('EUR');
    expect(m.currencyOf('', 'руб.')).toBe('RUB');
    expect(m.saleKindOf('УниверсальныйПередаточныйДокумент')).toBe('upd');
    expect(m.saleKindOf('АктВыполненныхРабот')).toBe('act');
    expect(m.saleKindOf('ТоварнаяНакладная')).toBe('waybill');
  });

  it('when УТ 11 statuses are read, then they map to normalized statuses, shipments and cancelled lines included', () => {
    const st = (Статус: string, shipped = false, extra: Record<string, unknown> = {}) => m.orderStatusOf({ Статус, Posted: true, Товары: [{ Отменено: false }], ...extra }, UT11_PROFILE, shipped).status;
    expect(st('НеСогласован')).toBe('draft');
    expect(st('Согласован')).toBe('confirmed');
    expect(st('КОбеспечению')).toBe('in_fulfilment');
    expect(st('КОтгрузке')).toBe('in_fulfilment');
    expect(st('КОтгрузке', true)).toBe('shipped');
    expect(st('Закрыт')).toBe('closed');
    expect(st('Закрыт', false, { Товары: [{ Отменено: true }, { Отменено: true }] })).toBe('cancelled');
    expect(st('Согласован', false, { DeletionMark: true })).toBe('cancelled');
    expect(m.orderStatusOf({ Posted: true }, BP30_PROFILE, false).status).toBe('confirmed');
  });

  it('when an order body is built, then rows carry LineNumber, the marker holds the external id and decimals stay exact', () => {
    const cmd: SubmitOrder = {
      externalId: 'D268696E-C6AB-4962-9DCA-54BDBEA3F0DC', number: 'DH-000123', currency: 'RUB', post: true, comment: 'Срочно',
      customerRef: { erpId: 'f99a1834-684f-11e7-a59c-7c3f6dc46065' },
      lines: [
        { productRef: { erpId: '24c28004-d641-11e9-90fe-7c3f6dc46065' }, qty: '3', price: '1234567890123456.78' },
        { productRef: { erpId: '7e8ac0c5-38a6-11e6-b561-7c3f6dc46065' }, qty: '0.5', price: '0.10' },
      ],
    };
    const text = m.buildOrderBody(cmd, UT11_PROFILE, {
      date: '2026-11-23T10:00:00', organizationRef: null, counterpartyRef: 'd554288d-e9f8-11e7-8403-7c3f6dc46065', agreementRef: null,
      currencyRef: null, priceTypeRef: 'e9ed8a89-a14d-11e7-ac0e-7c3f6dc46065', warehouseRef: null,
    });
    expect(text).toContain('"Цена":1234567890123456.78');
    expect(text).toContain('"Сумма":3703703670370370.34');
    expect(text).toContain('"Количество":0.5');
    const body = JSON.parse(text) as Record<string, unknown> & { Товары: Array<Record<string, unknown>> };
    expect(body.Товары.map((r) => r.LineNumber)).toEqual(['1', '2']);
    expect(body.Комментарий).toBe('Срочно [DealerHub:d268696e-c6ab-4962-9dca-54bdbea3f0dc]');
    expect(m.externalIdFromComment(body.Комментарий)).toBe('d268696e-c6ab-4962-9dca-54bdbea3f0dc');
    expect(body).toMatchObject({ Партнер_Key: cmd.customerRef.erpId, Контрагент_Key: 'd554288d-e9f8-11e7-8403-7c3f6dc46065', Статус: 'НеСогласован', НомерПоДаннымКлиента: 'DH-000123' });
    expect(body.Товары[0]).toMatchObject({ ВидЦены_Key: 'e9ed8a89-a14d-11e7-ac0e-7c3f6dc46065', ВариантОбеспечения: 'Отгрузить' });
  });
});
