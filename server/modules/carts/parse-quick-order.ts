import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { decodeText } from './decode-text.js';

/**
 * Quick order input: pasted "SKU qty" lines, or an uploaded CSV / XLSX. Every line that cannot be used is reported
 * with its number and the reason, in the dealer's words; nothing is silently dropped.
 */
export type QuickOrderUnit = 'base' | 'pack';

export interface QuickOrderLine {
  lineNo: number;
  sku: string;
  qty: string;
  unit: QuickOrderUnit;
  /** True when the line had no quantity and 1 was assumed. */
  qtyAssumed: boolean;
}

export type QuickOrderProblemCode = 'EMPTY_SKU' | 'BAD_QTY' | 'ZERO_QTY' | 'TOO_MANY_LINES' | 'UNREADABLE_FILE';

export interface QuickOrderProblem {
  lineNo: number;
  raw: string;
  code: QuickOrderProblemCode;
}

export interface ParsedQuickOrder {
  lines: QuickOrderLine[];
  problems: QuickOrderProblem[];
  format: 'paste' | 'csv' | 'xlsx';
  encoding?: string;
  delimiter?: string;
  headerSkipped: boolean;
}

export const MAX_QUICK_ORDER_LINES = 5000;

const HEADER_SKU = /^(артикул|арт\.?|код|sku|article|item|товар|номенклатура|код товара|part ?(no|number)?)$/i;
const HEADER_QTY = /^(кол-?во|количество|qty|quantity|шт|count|amount)$/i;
const PACK_UNITS = /^(уп|упак|упаковк[аи]?|pack|packs|pk|кор|короб(ка|ки)?)\.?$/i;
const BASE_UNITS = /^(шт|штук[аи]?|pcs|pc|ea|ед)\.?$/i;

/** "1 000", "2,5", "3шт", "2 уп" → { qty: "2.5", unit }. Null when it is not a positive-or-zero number. */
export function parseQuantity(raw: string): { qty: string; unit: QuickOrderUnit } | null {
  const text = raw.replace(/[\u00a0\u202f]/g, ' ').trim();
  const m = /^(\d{1,3}(?:[ ]\d{3})+|\d+)(?:[.,](\d+))?\s*([\p{L}.]*)$/u.exec(text);
  if (!m) return null;
  const unitWord = m[3] ?? '';
  let unit: QuickOrderUnit = 'base';
  if (unitWord) {
    if (PACK_UNITS.test(unitWord)) unit = 'pack';
    else if (!BASE_UNITS.test(unitWord)) return null;
  }
  const int = m[1]!.replace(/ /g, '').replace(/^0+(?=\d)/, '');
  return { qty: m[2] ? `${int}.${m[2]}` : int, unit };
}

function rowsToLines(rows: string[][], format: ParsedQuickOrder['format']): Omit<ParsedQuickOrder, 'format'> {
  const lines: QuickOrderLine[] = [];
  const problems: QuickOrderProblem[] = [];
  let skuCol = 0;
  let qtyCol = 1;
  let headerSkipped = false;
  let unitCol = -1;

  const first = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (first >= 0) {
    const header = rows[first]!.map((c) => c.trim());
    const s = header.findIndex((c) => HEADER_SKU.test(c));
    const q = header.findIndex((c) => HEADER_QTY.test(c));
    if (s >= 0 || (q >= 0 && !parseQuantity(header[q] ?? ''))) {
      headerSkipped = true;
      if (s >= 0) skuCol = s;
      if (q >= 0) qtyCol = q;
      else qtyCol = skuCol === 0 ? 1 : 0;
      unitCol = header.findIndex((c) => /^(ед\.?|единица|unit|ед\. изм\.?)$/i.test(c));
    }
  }

  rows.forEach((row, index) => {
    const lineNo = index + 1;
    if (headerSkipped && index === first) return;
    const cells = row.map((c) => (c ?? '').toString().trim());
    if (cells.every((c) => c === '')) return;
    const raw = cells.filter(Boolean).join(format === 'paste' ? ' ' : '; ');
    if (lines.length >= MAX_QUICK_ORDER_LINES) {
      if (problems.at(-1)?.code !== 'TOO_MANY_LINES') problems.push({ lineNo, raw, code: 'TOO_MANY_LINES' });
      return;
    }
    const sku = cells[skuCol] ?? '';
    if (!sku) return void problems.push({ lineNo, raw, code: 'EMPTY_SKU' });
    const qtyText = [cells[qtyCol] ?? '', unitCol >= 0 ? (cells[unitCol] ?? '') : ''].join(' ').trim();
    if (!qtyText) return void lines.push({ lineNo, sku, qty: '1', unit: 'base', qtyAssumed: true });
    const parsed = parseQuantity(qtyText);
    if (!parsed) return void problems.push({ lineNo, raw, code: 'BAD_QTY' });
    if (/^0+(\.0+)?$/.test(parsed.qty)) return void problems.push({ lineNo, raw, code: 'ZERO_QTY' });
    lines.push({ lineNo, sku, qty: parsed.qty, unit: parsed.unit, qtyAssumed: false });
  });
  return { lines, problems, headerSkipped };
}

/** Pasted text: one line per item, SKU then quantity, separated by tab, semicolon, comma or spaces. */
export function parsePastedLines(text: string): ParsedQuickOrder {
  const rows = text.split(/\r\n|\r|\n/).map((line) => {
    const t = line.trim();
    if (/[\t;]/.test(t)) return t.split(/[\t;]/);
    // "ST-48 3", "ST-48  2 уп", "ST-48, 5": the SKU is the first token, the quantity is the rest.
    const m = /^(\S+?)[,\s]+(.+)$/.exec(t);
    return m ? [m[1]!, m[2]!] : [t];
  });
  return { ...rowsToLines(rows, 'paste'), format: 'paste' };
}

export function parseCsv(bytes: Buffer): ParsedQuickOrder {
  const { text, encoding } = decodeText(bytes);
  const delimiter = guessDelimiter(text);
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const rows = parsed.data.filter((r) => Array.isArray(r));
  return { ...rowsToLines(rows, 'csv'), format: 'csv', encoding, delimiter };
}

/**
 * The delimiter present on most of the first non-empty lines (Papa's own guess needs equal field counts on every
 * line, which short files with a trailing blank line do not have). A decimal comma inside quotes does not count.
 */
function guessDelimiter(text: string): string {
  const sample = text.split(/\r\n|\r|\n/).filter((l) => l.trim()).slice(0, 20).map((l) => l.replace(/"[^"]*"/g, ''));
  let best = ',';
  let bestLines = 0;
  for (const d of [';', '\t', ',', '|']) {
    const lines = sample.filter((l) => l.includes(d)).length;
    if (lines > bestLines) {
      best = d;
      bestLines = lines;
    }
  }
  return best;
}

export async function parseXlsx(bytes: Buffer): Promise<ParsedQuickOrder> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { lines: [], problems: [{ lineNo: 0, raw: '', code: 'UNREADABLE_FILE' }], format: 'xlsx', headerSkipped: false };
  }
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values = (row.values as unknown[]).slice(1).map(cellText);
    rows[rowNumber - 1] = values;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return { ...rowsToLines(rows, 'xlsx'), format: 'xlsx' };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { text?: string; result?: unknown; richText?: Array<{ text: string }> };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return String(o.result);
    if (o.text !== undefined) return String(o.text);
  }
  return String(v);
}

/** Picks the parser from the file name / type; unknown binary files are reported, not guessed. */
export async function parseQuickOrderFile(bytes: Buffer, fileName: string): Promise<ParsedQuickOrder> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx') || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return parseXlsx(bytes);
  return parseCsv(bytes);
}
