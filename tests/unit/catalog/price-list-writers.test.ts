import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { PriceListRow } from '../../../server/modules/catalog/catalog.service.js';
import { writePriceListCsv, writePriceListJson, writePriceListXlsx } from '../../../server/modules/catalog/price-list-writers.js';

/** A socket that is slow to drain: every write reports a full buffer, so the writer must wait for 'drain'. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  waits = 0;
  constructor() {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    this.waits++;
    setImmediate(done);
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const row = (i: number): PriceListRow => ({
  id: i,
  sku: `SKU-${i}`,
  code: null,
  name: i === 1 ? 'Нож "Садовый", 48 см' : `Товар ${i}`,
  brand: 'MAY',
  group: 'Запчасти',
  unit: 'шт',
  unitPrice: i === 2 ? null : `${i}.50`,
  basePrice: i === 2 ? null : `${i + 1}.00`,
  discountPercent: '1.00',
  currency: 'RUB',
  available: '3',
});
const meta = { dealer: { id: 1, title: 'Дилер' }, priceType: { id: 1, name: 'Дилерская A', currency: 'RUB' }, date: '2026-11-23', generatedAt: '2026-11-23T10:00:00.000Z' };

describe('price list writers', () => {
  it('when thousands of rows stream as JSON through a slow socket, then the document is whole and valid', async () => {
    const sink = new SlowSink();
    const n = await writePriceListJson(sink, meta, Array.from({ length: 4_321 }, (_, i) => row(i)));
    sink.end();
    expect(n).toBe(4_321);
    const doc = JSON.parse(sink.text) as { meta: unknown; items: PriceListRow[] };
    expect(doc.meta).toEqual(meta);
    expect(doc.items).toHaveLength(4_321);
    expect(doc.items[4_320]).toEqual(row(4_320));
    expect(sink.waits).toBeGreaterThan(1);
  });

  it('when rows are written as CSV, then quotes and commas are escaped and empty prices stay empty', async () => {
    const sink = new SlowSink();
    await writePriceListCsv(sink, [row(1), row(2)]);
    sink.end();
    const lines = sink.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('sku,code,name,brand,group,unit,price,base_price,discount_percent,currency,available,product_id');
    expect(lines[1]).toBe('SKU-1,,"Нож ""Садовый"", 48 см",MAY,Запчасти,шт,1.50,2.00,1.00,RUB,3,1');
    expect(lines[2]).toBe('SKU-2,,Товар 2,MAY,Запчасти,шт,,,1.00,RUB,3,2');
  });

  it('when rows are written as XLSX, then a spreadsheet opens with a header and numeric prices', async () => {
    const sink = new SlowSink();
    const done = new Promise((resolve) => sink.on('finish', resolve));
    await writePriceListXlsx(sink, meta, [row(1), row(3)]);
    await done;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(Buffer.concat(sink.chunks)).buffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(3).value).toBe('Наименование');
    expect(sheet.getRow(2).getCell(3).value).toBe('Нож "Садовый", 48 см');
    expect(sheet.getRow(3).getCell(7).value).toBe(3.5);
    expect(sheet.rowCount).toBe(3);
  });
});
