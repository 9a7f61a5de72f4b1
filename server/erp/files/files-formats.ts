import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PayloadFormat } from '../payload-format.js';
import type { InboundBatches } from '../port.js';
import { entityOfFile, REQUIRED_COLUMNS, type FileEntity } from './file-entities.js';
import { readEntityFile } from './read-entity-file.js';
import { decodeText } from './read-text.js';
import { FILES_XML_NS } from './read-products-xml.js';

/** Drop-folder files (FORMAT.md) for the inspect CLI: the kind comes from the file name, else from the header row. */

/** Columns that tell apart the kinds whose required columns are the same (id, name). */
const DISTINCT: Array<[FileEntity, string[]]> = [
  ['orderStates', ['erp_id', 'status']],
  ['documents', ['kind', 'number', 'customer_id']],
  ['stock', ['warehouse_id', 'on_hand']],
  ['prices', ['price_type_id', 'price']],
  ['finance', ['customer_id', 'debt']],
  ['products', ['sku']],
  ['products', ['barcodes']],
  ['products', ['group_id']],
  ['groups', ['parent_id']],
  ['priceTypes', ['vat_included']],
  ['customers', ['inn']],
  ['customers', ['price_type_id']],
  ['warehouses', ['address']],
  ['warehouses', ['city']],
];

export function entityOfCsv(head: Buffer, fileName: string): FileEntity | undefined {
  const byName = entityOfFile(basename(fileName));
  if (byName) return byName;
  const first = decodeText(head).text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].map((d) => [d, first.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
  const cols = first.split(delimiter).map((c) => c.replace(/^"|"$/g, '').trim().toLowerCase());
  if (cols.length < 2) return undefined;
  const has = (names: string[]) => names.every((n) => cols.includes(n));
  const found = DISTINCT.find(([entity, names]) => has(names) && has(REQUIRED_COLUMNS[entity]));
  return found?.[0];
}

const ENTITY_KEY: Record<FileEntity, string> = {
  groups: 'groups', products: 'products', priceTypes: 'priceTypes', prices: 'prices', warehouses: 'warehouses', stock: 'stock',
  customers: 'customers', finance: 'finance', documents: 'documents', orderStates: 'orderStates',
};

export class FilesFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilesFormatError';
  }
}

async function readAs(filePath: string, entity: FileEntity, xml = false): Promise<Partial<InboundBatches> & Record<string, unknown>> {
  const result = await readEntityFile(entity, basename(filePath), await readFile(filePath), { xml });
  const first = result.errors[0];
  if (first) throw new FilesFormatError(`invalid ${entity} file at ${first.message}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : ''}`);
  return { [ENTITY_KEY[entity]]: result.items };
}

export const filesFormats: PayloadFormat[] = [
  {
    id: 'files-csv',
    detect(head, fileName) {
      if (head.subarray(0, 64).toString('latin1').trimStart().startsWith('<')) return null;
      return entityOfCsv(head, fileName) ? 'files-csv' : null;
    },
    async read(filePath) {
      const head = (await readFile(filePath)).subarray(0, 64 * 1024);
      const entity = entityOfCsv(head, filePath);
      if (!entity) throw new FilesFormatError('not a drop-folder CSV file (unknown file name and header)');
      return readAs(filePath, entity);
    },
  },
  {
    id: 'files-xml',
    detect(head) {
      const text = decodeText(head).text;
      return /<products\b[^>]*/.test(text) && text.includes(FILES_XML_NS) ? 'files-xml' : null;
    },
    read: (filePath) => readAs(filePath, 'products', true),
  },
];
