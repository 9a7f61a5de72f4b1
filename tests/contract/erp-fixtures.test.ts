import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectPayload, InspectError, type InspectResult } from '../../server/erp/cli.js';

/**
 * Every file in ../shared/fixtures/erp goes through the inspect CLI's code path (inspectPayload): it must be recognised
 * as the right format and mapped to the values a person verified by reading the file. A fixture added without an
 * expectation here fails the suite.
 */

const DIR = process.env.ERP_FIXTURES_DIR ?? resolve(import.meta.dirname, '../../../shared/fixtures/erp');

type Check = (r: InspectResult) => void;
const zero = { products: 0, groups: 0, priceTypes: 0, prices: 0, warehouses: 0, stock: 0, customers: 0, orders: 0, orderLines: 0, documents: 0 };

const EXPECTED: Record<string, { format: string; counts: Partial<typeof zero>; check: Check } | { error: RegExp }> = {
  'SOURCES.md': { error: /^unknown format/ },

  '1c-odata_service-document.json': {
    format: '1c-odata/service-document',
    counts: {},
    check: (r) => expect(r.samples['entitySets']).toBe('AccumulationRegister_ТоварыВЭлементахХранения'),
  },
  '1c-odata_Catalog_Nomenklatura_element.json': {
    format: '1c-odata/Catalog_Номенклатура/@Element',
    counts: { products: 1 },
    check: (r) => expect(r.samples['products']).toMatchObject({
      ref: { erpId: 'f8c956ea-cdad-11e6-aede-5404a6b4b8ed', code: '00000000005' },
      name: 'НеЖенскаяНеСумка',
      sku: '412',
      groupRef: { erpId: 'f8c956e9-cdad-11e6-aede-5404a6b4b8ed' },
      deleted: false,
      version: 'AAAADAAAAAA=',
    }),
  },
  '1c-odata_Catalog_EdinicyIzmereniya_list.json': {
    format: '1c-odata/Catalog_ЕдиницыИзмерения',
    counts: {},
    check: (r) => expect(r.samples['units']).toMatchObject({ ref: { erpId: '68c21aea-cd73-11e6-aede-5404a6b4b8ed' }, name: 'шт', ratio: '1' }),
  },
  '1c-odata_Document_PrihodnyOrder_list.json': {
    format: '1c-odata/Document_ПриходныйОрдер',
    counts: { documents: 4 },
    check: (r) => expect(r.samples['documents']).toMatchObject({
      ref: { erpId: 'b1c89d94-cb6a-11e6-aede-5404a6b4b8ed' }, number: '000000001', date: '2016-12-26T16:00:52', posted: false,
    }),
  },

  'ax2012-aif_CustomerService-read_response.xml': {
    format: 'ax2012-aif',
    counts: { customers: 1 },
    check: (r) => expect(r.samples['customers']).toEqual({ ref: { erpId: '4507' }, name: '3 Company', priceTypeRef: null }),
  },
  'ax2012-aif_SalesOrderService-create_request-and-response.xml': {
    format: 'ax2012-aif',
    counts: { orders: 1, orderLines: 1 },
    check: (r) => {
      // The request (PurchOrderFormNum PO2, one line ESB-009 × 1.00) joined with its answer's EntityKey SalesId 00018_036.
      expect(r.samples['orders']).toMatchObject({ externalId: 'PO2', erpRef: { erpId: '00018_036' }, number: '00018_036', status: 'draft', posted: false });
      expect(r.samples['orderLines']).toMatchObject({ lineNo: 1, productRef: { erpId: 'ESB-009' }, qty: '1' });
    },
  },

  'commerceml-2.07_offers_with-warehouses.xml': {
    format: 'commerceml-2.07',
    counts: { priceTypes: 1, prices: 44, warehouses: 3, stock: 132 },
    check: (r) => {
      expect(r.samples['priceTypes']).toEqual({ ref: { erpId: '279b6812-740b-11e8-80c8-0cc47ab29cd1' }, name: 'BASE', currency: 'RUB', vatIncluded: true });
      expect(r.samples['warehouses']).toEqual({ ref: { erpId: '6abdb0b5-18fd-11e7-80c2-0cc47ab29cd1' }, name: 'Владивосток' });
      expect(r.samples['prices']).toEqual({ productRef: { erpId: 'bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1' }, priceTypeRef: { erpId: '279b6812-740b-11e8-80c8-0cc47ab29cd1' }, price: '100', currency: 'RUB' });
      // First offer PM-421-WP: Склад ИдСклада=6abdb0b5… КоличествоНаСкладе="1".
      expect(r.samples['stock']).toEqual({ productRef: { erpId: 'bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1' }, warehouseRef: { erpId: '6abdb0b5-18fd-11e7-80c2-0cc47ab29cd1' }, onHand: '1', reserved: '0', available: '1' });
    },
  },
  'commerceml-3.1_bitrix-module_import_classifier.xml': {
    format: 'commerceml-3.1',
    counts: { groups: 1, priceTypes: 8, warehouses: 12 },
    check: (r) => {
      expect(r.samples['groups']).toEqual({ ref: { erpId: '94dcb60e-616e-498e-9332-e9991143bbf6' }, name: 'OSki', parentRef: null });
      expect(r.samples['priceTypes']).toEqual({ ref: { erpId: 'a8aa0577-1862-11de-9d9d-001a4d4b12d9' }, name: 'Основная цена', currency: 'RUB', vatIncluded: false });
      expect(r.samples['warehouses']).toEqual({ ref: { erpId: 'be3dfd89-0ac5-11e1-84f0-00241d886595' }, name: 'Свещинская А.А.' });
    },
  },
  'commerceml-3.1_bitrix-module_prices.xml': {
    format: 'commerceml-3.1',
    counts: { prices: 86 },
    check: (r) => expect(r.samples['prices']).toEqual({
      productRef: { erpId: '235ccc6d-ab81-11e4-944a-00155d020201' }, variantRef: { erpId: 'a5abd77f-93f6-11e5-9468-00155d020201' },
      priceTypeRef: { erpId: 'aef2c177-1862-11de-9d9d-001a4d4b12d9' }, price: '2042.66', currency: 'RUB',
    }),
  },
};

describe('ERP fixtures through the inspect CLI', () => {
  const files = readdirSync(DIR).sort();

  it('when the fixtures folder is listed, then every file has an expectation here', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
  });

  for (const file of files) {
    const e = EXPECTED[file];
    if (!e) continue;
    if ('error' in e) {
      it(`when ${file} is inspected, then it is refused with a reason`, async () => {
        const err = await inspectPayload(join(DIR, file)).then(() => null, (x: unknown) => x);
        expect(err).toBeInstanceOf(InspectError);
        expect((err as Error).message).toMatch(e.error);
      });
      continue;
    }
    it(`when ${file} is inspected, then it is ${e.format} with the verified content`, async () => {
      const r = await inspectPayload(join(DIR, file));
      expect(r.format).toBe(e.format);
      expect(r.counts).toEqual({ ...zero, ...e.counts });
      for (const [k, n] of Object.entries(r.counts)) expect(k in r.samples, k).toBe(n > 0);
      e.check(r);
    });
  }

  it('when the CommerceML 3.1 classifier and the 2.07 offers are read in full, then every price type, warehouse and offer maps', async () => {
    const { readCommerceMlFile } = await import('../../server/erp/onec-commerceml/commerceml-formats.js');
    const classifier = await readCommerceMlFile(join(DIR, 'commerceml-3.1_bitrix-module_import_classifier.xml'));
    expect(classifier.priceTypes?.map((t) => [t.name, t.currency, t.vatIncluded])).toEqual([
      ['Основная цена', 'RUB', false], ['Основная цена приобретени', 'RUB', false], ['Перенос из бухг. (ред. 4.', 'RUB', false],
      ['Учетная (покупная) цена', 'RUB', true], ['Отпускная цена', 'RUB', true], ['Плановая себестоимость', 'RUB', false],
      ['Отпускная, евро', 'EUR', false], ['Отпускная, вал', 'USD', false],
    ]);
    expect(classifier.warehouses?.at(-1)?.name).toBe('Торговый  Зал');
    const offers = await readCommerceMlFile(join(DIR, 'commerceml-2.07_offers_with-warehouses.xml'));
    expect(offers.warehouses?.map((w) => w.name)).toEqual(['Владивосток', 'Новосибирск', 'Москва']);
    // Every offer lists the three warehouses, and their quantities add up to its Количество (377 = 1 + 0 + 376).
    const first = offers.stock?.filter((s) => s.productRef.erpId === 'bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1').map((s) => s.onHand);
    expect(first).toEqual(['1', '0', '376']);
    const last = offers.stock?.slice(-3).map((s) => s.onHand);
    expect(last).toEqual(['0', '0', '11']);
    const prices = await readCommerceMlFile(join(DIR, 'commerceml-3.1_bitrix-module_prices.xml'));
    expect(prices.prices?.at(-1)).toMatchObject({ productRef: { erpId: 'afc7eb78-8172-11e7-948c-00155d020201' }, variantRef: { erpId: 'afc7eb9f-8172-11e7-948c-00155d020201' }, price: '4990' });
    expect(new Set(prices.prices?.map((p) => p.priceTypeRef.erpId))).toEqual(new Set(['aef2c177-1862-11de-9d9d-001a4d4b12d9']));
  });
});
