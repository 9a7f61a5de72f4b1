import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { InboundBatches, InboundEvent } from '../../../../server/erp/port.js';
import { CML_TOTAL_WAREHOUSE_ID } from '../../../../server/erp/onec-commerceml/cml-mappers.js';
import { NotCommerceMlError, parseCommerceMl, type CmlParseSummary } from '../../../../server/erp/onec-commerceml/parse-commerceml.js';
import { EmptyPayloadError, XmlDataError, XmlEncodingError, XmlSyntaxError } from '../../../../server/erp/onec-commerceml/xml-stream.js';
import { DOCUMENTS_3X, IMPORT_2X, RESTS_31 } from './samples.js';

type Got = { [E in InboundEvent]: InboundBatches[E] } & { meta: Array<{ event: InboundEvent; fullSnapshot: boolean; size: number }>; customers: unknown[] };

async function parse(bytes: Buffer | string, batchSize = 1000, chunk = 64 * 1024): Promise<{ got: Got; summary: CmlParseSummary }> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const chunks = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const got = { groups: [], products: [], priceTypes: [], prices: [], warehouses: [], stock: [], orderStates: [], meta: [], customers: [] } as unknown as Got;
  const summary = await parseCommerceMl(Readable.from(chunks), async (event, items, meta) => {
    (got[event] as unknown[]).push(...items);
    got.meta.push({ event, fullSnapshot: meta.fullSnapshot, size: items.length });
  }, { batchSize, onCustomers: (c) => got.customers.push(...c) });
  return { got, summary };
}

describe('CommerceML 2.x import.xml', () => {
  it('when a classifier with nested groups and a catalog are read, then groups keep their parents and products every field', async () => {
    const { got, summary } = await parse(IMPORT_2X);
    expect(summary).toMatchObject({ formatId: 'commerceml-2.08', namespace: 'urn:1C.ru:commerceml_2', encoding: 'utf-8', fullSnapshot: true, sections: ['classifier', 'catalog'] });
    expect(got.groups.map((g) => [g.ref.erpId, g.name, g.parentRef?.erpId ?? null])).toEqual([
      ['g-root', 'Садовая техника', null], ['g-mid', 'Газонокосилки', 'g-root'], ['g-leaf', 'Бензиновые', 'g-mid'], ['g-parts', 'Запчасти', null],
    ]);
    expect(got.products[0]).toEqual({
      ref: { erpId: 'p-1', code: '00000000042' },
      sku: 'LM-42',
      name: 'Газонокосилка «Садко» LM-42 & мульчирование',
      fullName: 'Газонокосилка бензиновая Садко LM-42',
      groupRef: { erpId: 'g-leaf' },
      brand: 'Садко',
      barcodes: ['4601234567893'],
      baseUnit: { code: '796', name: 'шт', ratio: '1' },
      packUnits: [{ code: '778', name: 'упак', ratio: '6' }],
      properties: [{ id: 'prop-color', name: 'Цвет', value: 'Зелёный' }, { id: 'prop-power', name: 'Мощность, л.с.', value: '4.2' }],
      pictures: ['import_files/p1/a.jpg', 'import_files/p1/b.jpg'],
      description: 'Двигатель <b>4.2</b> л.с.',
      vatRate: '20',
      deleted: false,
    });
    expect(got.products[1]).toMatchObject({ ref: { erpId: 'p-2' }, deleted: true, groupRef: { erpId: 'g-parts' } });
    expect(got.products[1]?.vatRate).toBeUndefined();
  });

  it('when the same file comes in windows-1251, then the result is identical', async () => {
    const utf = await parse(IMPORT_2X);
    const cp = await parse(iconv.encode(IMPORT_2X.replace('encoding="UTF-8"', 'encoding="windows-1251"'), 'windows-1251'), 1000, 97);
    expect(cp.summary.encoding).toBe('windows-1251');
    expect(cp.got.products).toEqual(utf.got.products);
    expect(cp.got.groups).toEqual(utf.got.groups);
  });

  it('when the sink is slow, then batches never exceed the batch size and are delivered one at a time in file order', async () => {
    const items = Array.from({ length: 45 }, (_, i) => `<Товар><Ид>p-${i}</Ид><Наименование>Товар ${i}</Наименование></Товар>`).join('\n');
    const xml = `<?xml version="1.0"?><КоммерческаяИнформация ВерсияСхемы="2.10"><Каталог><Товары>${items}</Товары></Каталог></КоммерческаяИнформация>`;
    let inFlight = 0;
    let maxInFlight = 0;
    const sizes: number[] = [];
    const ids: string[] = [];
    await parseCommerceMl(Readable.from([Buffer.from(xml)]), async (_e, batch) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      sizes.push(batch.length);
      ids.push(...(batch as InboundBatches['products']).map((p) => p.ref.erpId));
      inFlight -= 1;
    }, { batchSize: 7 });
    expect(maxInFlight).toBe(1);
    expect(sizes).toEqual([7, 7, 7, 7, 7, 7, 3]);
    expect(ids).toEqual(Array.from({ length: 45 }, (_, i) => `p-${i}`));
  });
});

describe('CommerceML 3.1 rests.xml and documents.xml', () => {
  it('when rests come per warehouse and as a bare total, then stock rows carry variant and warehouse, the total goes to the pseudo-warehouse', async () => {
    const { got, summary } = await parse(RESTS_31);
    expect(summary.fullSnapshot).toBe(false);
    expect(got.stock).toEqual([
      { productRef: { erpId: 'p-1' }, variantRef: { erpId: 'char-red' }, warehouseRef: { erpId: 'wh-msk' }, onHand: '12', reserved: '0', available: '12' },
      { productRef: { erpId: 'p-1' }, variantRef: { erpId: 'char-red' }, warehouseRef: { erpId: 'wh-spb' }, onHand: '0.5', reserved: '0', available: '0.5' },
      { productRef: { erpId: 'p-3' }, warehouseRef: { erpId: CML_TOTAL_WAREHOUSE_ID }, onHand: '7', reserved: '0', available: '7' },
    ]);
    expect(got.meta.every((m) => m.fullSnapshot === false)).toBe(true);
  });

  it('when documents come back from 1C, then statuses, 1C numbers, lines (without delivery) and buyers are mapped', async () => {
    const { got, summary } = await parse(DOCUMENTS_3X);
    expect(summary.sections).toEqual(['documents']);
    expect(summary.counts).toMatchObject({ orderStates: 2, orderLines: 1, customers: 1 });
    expect(got.orderStates[0]).toEqual({
      externalId: '7b0f4c5e-2a51-4b8e-9d6a-1f2e3d4c5b6a',
      erpRef: { erpId: 'ЗК00-001122', code: 'ЗК00-001122' },
      number: 'ЗК00-001122',
      status: 'closed',
      rawStatus: '[F] Выполнен',
      posted: true,
      total: '15980',
      updatedAt: '2026-11-18T15:00:00',
      lines: [{ lineNo: 1, productRef: { erpId: 'p-1' }, qty: '2', price: '7990', reserved: '0', waiting: '0', cancelled: false }],
    });
    // No status requisite: the shipment date says it left the warehouse.
    expect(got.orderStates[1]).toMatchObject({ externalId: 'c0ffee00-0000-4000-8000-000000000001', number: 'DH-000124', status: 'shipped', posted: true, updatedAt: '2026-11-19T00:00:00' });
    expect(got.customers).toEqual([{ ref: { erpId: 'cust-1' }, name: 'ООО «Дилер Север»', inn: '7701234567', kpp: '770101001' }]);
  });
});

describe('CommerceML errors', () => {
  it('when a tag is broken, then the error names line and column', async () => {
    const xml = '<?xml version="1.0"?>\n<КоммерческаяИнформация ВерсияСхемы="2.10">\n<Каталог><Товары>\n  <Товар><Ид>1</Ид></Товар <Товар>\n</Товары></Каталог></КоммерческаяИнформация>';
    const err = await parse(xml).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(XmlSyntaxError);
    expect(err).toMatchObject({ line: 4 });
    expect((err as XmlSyntaxError).column).toBeGreaterThan(20);
    expect((err as Error).message).toMatch(/^malformed XML at 4:\d+/);
  });

  it('when a price is not a number, then a data error names the element and the line', async () => {
    const xml = '<?xml version="1.0"?>\n<КоммерческаяИнформация ВерсияСхемы="2.10"><ПакетПредложений><Предложения>\n<Предложение><Ид>p</Ид><Цены><Цена><ИдТипаЦены>t</ИдТипаЦены><ЦенаЗаЕдиницу>12,5x</ЦенаЗаЕдиницу></Цена></Цены></Предложение>\n</Предложения></ПакетПредложений></КоммерческаяИнформация>';
    const err = await parse(xml).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(XmlDataError);
    expect((err as Error).message).toBe('Предложение: ЦенаЗаЕдиницу is not a number: "12,5x" (line 3)');
  });

  it('when the root is not КоммерческаяИнформация, the encoding is unknown or the file is empty, then each says so', async () => {
    expect(await parse('<?xml version="1.0"?><Envelope/>').then(() => null, (e: unknown) => e)).toBeInstanceOf(NotCommerceMlError);
    expect(await parse('<?xml version="1.0" encoding="x-unknown-42"?><a/>').then(() => null, (e: unknown) => e)).toBeInstanceOf(XmlEncodingError);
    expect(await parse('   \n').then(() => null, (e: unknown) => e)).toBeInstanceOf(EmptyPayloadError);
  });
});
