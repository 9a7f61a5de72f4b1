import Papa from 'papaparse';

/**
 * CSV as ERPs and Excel write it: comma, semicolon or tab (detected), a header row, quoted fields that may span lines.
 * Every row keeps the line it starts on, so an error names the line and the column a person has to fix.
 */

export class FileRowError extends Error {
  constructor(
    readonly line: number,
    readonly column: string | undefined,
    readonly columnIndex: number | undefined,
    readonly reason: string,
  ) {
    super(`line ${line}${column ? `, column ${columnIndex ?? '?'} (${column})` : ''}: ${reason}`);
    this.name = 'FileRowError';
  }
}

export interface CsvRow {
  line: number;
  /** Trimmed value of a column, undefined when the column is absent or the cell is empty. */
  get(column: string): string | undefined;
  /** A FileRowError about this row and column. */
  error(column: string | undefined, reason: string): FileRowError;
}

export interface CsvTable {
  header: string[];
  delimiter: string;
  rows: CsvRow[];
  errors: FileRowError[];
}

function lineIndex(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((breaks[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

export function parseCsv(text: string): CsvTable {
  const lineAt = lineIndex(text);
  const raw: Array<{ values: string[]; line: number }> = [];
  const errors: FileRowError[] = [];
  let prevCursor = 0;
  let delimiter = ',';
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [',', ';', '\t'],
    step(result) {
      let start = prevCursor;
      while (start < text.length && (text[start] === '\n' || text[start] === '\r')) start += 1;
      prevCursor = result.meta.cursor;
      delimiter = result.meta.delimiter;
      const line = lineAt(start);
      for (const e of result.errors) errors.push(new FileRowError(line, undefined, undefined, e.message));
      raw.push({ values: result.data, line });
    },
  });
  const headRow = raw.shift();
  if (!headRow) return { header: [], delimiter, rows: [], errors: [...errors, new FileRowError(1, undefined, undefined, 'no header row')] };
  const header = headRow.values.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!h) errors.push(new FileRowError(headRow.line, `#${i + 1}`, i + 1, 'empty column name in the header'));
    else if (seen.has(h)) errors.push(new FileRowError(headRow.line, h, i + 1, 'column appears twice in the header'));
    seen.add(h);
  });
  const index = new Map(header.map((h, i) => [h, i]));
  const rows: CsvRow[] = raw.map(({ values, line }) => {
    const extra = values.slice(header.length).some((v) => v.trim() !== '');
    if (extra) errors.push(new FileRowError(line, undefined, undefined, `${values.length} fields, the header has ${header.length}`));
    return {
      line,
      get(column) {
        const i = index.get(column);
        const v = i === undefined ? undefined : values[i]?.trim();
        return v === undefined || v === '' ? undefined : v;
      },
      error(column, reason) {
        const i = column === undefined ? undefined : index.get(column);
        return new FileRowError(line, column, i === undefined ? undefined : i + 1, reason);
      },
    };
  });
  return { header, delimiter, rows, errors };
}
