import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { PriceListRow } from './catalog.service.js';

export interface PriceListMeta {
  dealer: { id: number; title: string } | null;
  priceType: { id: number; name: string; currency: string } | null;
  date: string;
  generatedAt: string;
}

/** Rows are written in chunks; a chunk waits for the socket to drain before the next, so memory stays flat. */
const CHUNK = 2_000;

async function write(out: Writable, text: string): Promise<void> {
  if (out.write(text) || out.destroyed) return;
  const ac = new AbortController();
  try {
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}

/** `{"meta": {...}, "items": [ {...}, ... ]}`, streamed. */
export async function writePriceListJson(out: Writable, meta: PriceListMeta, rows: Iterable<PriceListRow>): Promise<number> {
  await write(out, `{"meta":${JSON.stringify(meta)},"items":[`);
  let n = 0;
  let chunk: string[] = [];
  for (const row of rows) {
    chunk.push(JSON.stringify(row));
    n++;
    if (chunk.length === CHUNK) {
      await write(out, (n > CHUNK ? ',' : '') + chunk.join(','));
      chunk = [];
      if (out.destroyed) return n;
    }
  }
  if (chunk.length) await write(out, (n > chunk.length ? ',' : '') + chunk.join(','));
  await write(out, ']}');
  return n;
}

const CSV_COLUMNS: Array<[keyof PriceListRow, string]> = [
  ['sku', 'sku'],
  ['code', 'code'],
  ['name', 'name'],
  ['brand', 'brand'],
  ['group', 'group'],
  ['unit', 'unit'],
  ['unitPrice', 'price'],
  ['basePrice', 'base_price'],
  ['discountPercent', 'discount_percent'],
  ['currency', 'currency'],
  ['available', 'available'],
  ['id', 'product_id'],
];

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV (comma, CRLF, dot decimals) with a UTF-8 BOM so spreadsheet programs read the Cyrillic right. */
export async function writePriceListCsv(out: Writable, rows: Iterable<PriceListRow>): Promise<number> {
  await write(out, `\ufeff${CSV_COLUMNS.map(([, h]) => h).join(',')}\r\n`);
  let n = 0;
  let chunk: string[] = [];
  for (const row of rows) {
    chunk.push(CSV_COLUMNS.map(([k]) => csvCell(row[k])).join(','));
    n++;
    if (chunk.length === CHUNK) {
      await write(out, `${chunk.join('\r\n')}\r\n`);
      chunk = [];
      if (out.destroyed) return n;
    }
  }
  if (chunk.length) await write(out, `${chunk.join('\r\n')}\r\n`);
  return n;
}

/**
 * XLSX through exceljs's streaming writer (rows are committed and flushed as they go, never a whole workbook in
 * memory). Prices are numeric cells with a two-place format, so the dealer can calculate with them.
 */
export async function writePriceListXlsx(out: Writable, meta: PriceListMeta, rows: Iterable<PriceListRow>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'DealerHub';
  const sheet = workbook.addWorksheet('Прайс-лист', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Артикул', key: 'sku', width: 16 },
    { header: 'Код', key: 'code', width: 14 },
    { header: 'Наименование', key: 'name', width: 60 },
    { header: 'Бренд', key: 'brand', width: 16 },
    { header: 'Группа', key: 'group', width: 28 },
    { header: 'Ед.', key: 'unit', width: 6 },
    { header: `Цена${meta.priceType ? `, ${meta.priceType.currency}` : ''}`, key: 'price', width: 12, style: { numFmt: '0.00' } },
    { header: 'Базовая цена', key: 'basePrice', width: 12, style: { numFmt: '0.00' } },
    { header: 'Скидка, %', key: 'discount', width: 10, style: { numFmt: '0.00' } },
    { header: 'Остаток', key: 'available', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let n = 0;
  const num = (v: string | null) => (v === null ? null : Number(v));
  for (const row of rows) {
    sheet
      .addRow({
        sku: row.sku,
        code: row.code,
        name: row.name,
        brand: row.brand,
        group: row.group,
        unit: row.unit,
        price: num(row.unitPrice),
        basePrice: num(row.basePrice),
        discount: num(row.discountPercent),
        available: num(row.available),
      })
      .commit();
    n++;
    if (n % CHUNK === 0) {
      if (out.destroyed) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  sheet.commit();
  await workbook.commit();
  return n;
}
