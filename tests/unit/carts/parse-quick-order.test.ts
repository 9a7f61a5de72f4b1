import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseCsv, parsePastedLines, parseQuantity, parseQuickOrderFile, parseXlsx } from '../../../server/modules/carts/parse-quick-order.js';

describe('quick order parsing', () => {
  it('when quantities are written the way people write them, then they become decimal strings with a unit', () => {
    expect(parseQuantity('1 000')).toEqual({ qty: '1000', unit: 'base' });
    expect(parseQuantity('2,5')).toEqual({ qty: '2.5', unit: 'base' });
    expect(parseQuantity('3 шт')).toEqual({ qty: '3', unit: 'base' });
    expect(parseQuantity('2 уп.')).toEqual({ qty: '2', unit: 'pack' });
    expect(parseQuantity('007')).toEqual({ qty: '7', unit: 'base' });
    expect(parseQuantity('три')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('5 кг')).toBeNull();
  });

  it('when lines are pasted with spaces, tabs or semicolons, then each becomes SKU + qty and bad ones are reported by line', () => {
    const r = parsePastedLines('ST-48 3\nKN-48\t2 уп\n\nTR-300; 1,5\n  \nXX-1 abc\nYY-2 0');
    expect(r.lines).toEqual([
      { lineNo: 1, sku: 'ST-48', qty: '3', unit: 'base', qtyAssumed: false },
      { lineNo: 2, sku: 'KN-48', qty: '2', unit: 'pack', qtyAssumed: false },
      { lineNo: 4, sku: 'TR-300', qty: '1.5', unit: 'base', qtyAssumed: false },
    ]);
    expect(r.problems).toEqual([
      { lineNo: 6, raw: 'XX-1 abc', code: 'BAD_QTY' },
      { lineNo: 7, raw: 'YY-2 0', code: 'ZERO_QTY' },
    ]);
  });

  it('when a line has only an SKU, then 1 is assumed and marked so', () => {
    expect(parsePastedLines('ST-48').lines[0]).toMatchObject({ sku: 'ST-48', qty: '1', qtyAssumed: true });
  });

  it('when a CSV is windows-1251 with semicolons and a Russian header, then it is decoded and the header skipped', () => {
    const csv = iconv.encode('Количество;Артикул;Наименование\r\n5;ST-48;Газонокосилка\r\n;KN-48;Нож\r\nмного;TR-1;Триммер\r\n', 'win1251');
    const r = parseCsv(csv);
    expect(r).toMatchObject({ encoding: 'windows-1251', delimiter: ';', headerSkipped: true });
    expect(r.lines.map((l) => [l.lineNo, l.sku, l.qty, l.qtyAssumed])).toEqual([[2, 'ST-48', '5', false], [3, 'KN-48', '1', true]]);
    expect(r.problems).toEqual([{ lineNo: 4, raw: 'много; TR-1; Триммер', code: 'BAD_QTY' }]);
  });

  it('when a CSV is UTF-8 with BOM, comma-separated, without a header, then columns are SKU then qty', () => {
    const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ST-48,2\nKN-48,"1,5"\n')]);
    const r = parseCsv(csv);
    expect(r).toMatchObject({ encoding: 'utf-8', delimiter: ',', headerSkipped: false });
    expect(r.lines.map((l) => [l.sku, l.qty])).toEqual([['ST-48', '2'], ['KN-48', '1.5']]);
  });

  it('when a CSV is tab-separated, then the tab is detected', () => {
    expect(parseCsv(Buffer.from('SKU\tQty\nA-1\t4\n')).lines).toEqual([{ lineNo: 2, sku: 'A-1', qty: '4', unit: 'base', qtyAssumed: false }]);
  });

  it('when an XLSX has a header, numbers and text cells, then rows become lines', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Заказ');
    ws.addRow(['Артикул', 'Кол-во']);
    ws.addRow(['ST-48', 3]);
    ws.addRow(['KN-48', '2 уп']);
    ws.addRow([]);
    ws.addRow(['TR-300', 'x']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await parseQuickOrderFile(bytes, 'order.xlsx');
    expect(r.format).toBe('xlsx');
    expect(r.lines.map((l) => [l.lineNo, l.sku, l.qty, l.unit])).toEqual([[2, 'ST-48', '3', 'base'], [3, 'KN-48', '2', 'pack']]);
    expect(r.problems).toEqual([{ lineNo: 5, raw: 'TR-300; x', code: 'BAD_QTY' }]);
  });

  it('when an XLSX is broken, then the whole file is reported unreadable', async () => {
    const r = await parseXlsx(Buffer.from('PK\u0003\u0004not really a zip'));
    expect(r.problems[0]?.code).toBe('UNREADABLE_FILE');
  });

  it('when 5,000+ lines are given, then the first 5,000 are used and the rest reported once', () => {
    const text = Array.from({ length: 5003 }, (_, i) => `SKU-${i} ${i + 1}`).join('\n');
    const r = parsePastedLines(text);
    expect(r.lines).toHaveLength(5000);
    expect(r.problems).toEqual([{ lineNo: 5001, raw: 'SKU-5000 5001', code: 'TOO_MANY_LINES' }]);
  });
});
