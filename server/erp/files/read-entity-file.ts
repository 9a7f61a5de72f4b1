import type { FileEntities, FileEntity } from './file-entities.js';
import { FILE_ROW_MAPPERS, REQUIRED_COLUMNS } from './file-entities.js';
import { FileRowError, parseCsv } from './parse-csv.js';
import { decodeText } from './read-text.js';
import { readProductsXml } from './read-products-xml.js';
import { Readable } from 'node:stream';
import type { ErpProduct } from '../port.js';
import { XmlDataError, XmlSyntaxError } from '../onec-commerceml/xml-stream.js';

/**
 * Reads one drop-folder file of a known kind completely and validates every row: either all items, or the list of
 * errors (line and column each) and nothing else, so a half-good file never becomes a half-applied snapshot.
 */

export interface EntityFileResult<E extends FileEntity> {
  items: Array<FileEntities[E]>;
  errors: FileRowError[];
  encoding: string;
  delimiter?: string;
}

const MAX_ERRORS = 200;

export async function readEntityFile<E extends FileEntity>(entity: E, fileName: string, bytes: Buffer, options: { xml?: boolean } = {}): Promise<EntityFileResult<E>> {
  if (entity === 'products' && (options.xml ?? /\.xml$/i.test(fileName))) {
    const items: ErpProduct[] = [];
    try {
      await readProductsXml(Readable.from([bytes]), (p) => items.push(p), fileName);
      return { items: items as Array<FileEntities[E]>, errors: [], encoding: 'xml' };
    } catch (err) {
      const line = err instanceof XmlSyntaxError || err instanceof XmlDataError ? err.line : 1;
      const column = err instanceof XmlSyntaxError ? err.column : undefined;
      return { items: [], errors: [new FileRowError(line, column === undefined ? undefined : `char ${column}`, column, (err as Error).message)], encoding: 'xml' };
    }
  }
  const { text, encoding } = decodeText(bytes);
  const table = parseCsv(text);
  const errors = [...table.errors];
  for (const col of REQUIRED_COLUMNS[entity]) {
    if (!table.header.includes(col)) errors.push(new FileRowError(1, col, undefined, `required column "${col}" is missing from the header`));
  }
  const items: Array<FileEntities[E]> = [];
  if (errors.length === 0) {
    const map = FILE_ROW_MAPPERS[entity] as (row: (typeof table.rows)[number]) => FileEntities[E];
    for (const row of table.rows) {
      try {
        items.push(map(row));
      } catch (err) {
        if (!(err instanceof FileRowError)) throw err;
        errors.push(err);
        if (errors.length >= MAX_ERRORS) break;
      }
    }
  }
  return { items: errors.length ? [] : items, errors, encoding, delimiter: table.delimiter };
}

export function errorReport(fileName: string, errors: FileRowError[]): string {
  return [`${fileName}: ${errors.length}${errors.length >= MAX_ERRORS ? '+' : ''} error(s); the file was not applied.`, ...errors.map((e) => `  ${e.message}`)].join('\n') + '\n';
}
