import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../server/erp/files/parse-csv.js';
import { decodeText } from '../../../../server/erp/files/read-text.js';

describe('drop-folder CSV', () => {
  it('when the delimiter is a comma, a semicolon or a tab, then it is detected and the header is case-insensitive', () => {
    for (const d of [',', ';', '\t']) {
      const t = parseCsv(`ID${d}Name${d}Price\r\np-1${d}Пила${d}"1 299,50"\r\n`);
      expect(t.delimiter).toBe(d);
      expect(t.header).toEqual(['id', 'name', 'price']);
      expect(t.rows.map((r) => [r.get('id'), r.get('name'), r.get('price')])).toEqual([['p-1', 'Пила', '1 299,50']]);
      expect(t.errors).toEqual([]);
    }
  });

  it('when a quoted value spans lines, then the next rows keep their real line numbers', () => {
    const t = parseCsv('id;name;description\np-1;A;"first line\nsecond; line"\n\np-2;B;ok\np-3;C;"quote ""x"""\n');
    expect(t.rows.map((r) => [r.line, r.get('id'), r.get('description')])).toEqual([
      [2, 'p-1', 'first line\nsecond; line'], [5, 'p-2', 'ok'], [6, 'p-3', 'quote "x"'],
    ]);
    expect(t.rows[1]?.error('name', 'bad').message).toBe('line 5, column 2 (name): bad');
  });

  it('when rows have more fields than the header or the header repeats a column, then errors name the lines', () => {
    const t = parseCsv('id,name,id\np-1,A,B,extra\n');
    expect(t.errors.map((e) => e.message)).toEqual(['line 1, column 3 (id): column appears twice in the header', 'line 2: 4 fields, the header has 3']);
  });

  it('when bytes are UTF-8 with BOM, UTF-8 or windows-1251, then the text is the same', () => {
    const text = 'id;name\np-1;Газонокосилка «Садко»\n';
    for (const bytes of [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), Buffer.from(text), iconv.encode(text, 'windows-1251')]) {
      expect(decodeText(bytes).text).toBe(text);
    }
    expect(decodeText(iconv.encode(text, 'windows-1251')).encoding).toBe('windows-1251');
  });
});
