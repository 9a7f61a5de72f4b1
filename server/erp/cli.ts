import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { PayloadFormat } from './payload-format.js';
import { payloadFormats } from './formats.js';
import { AifFileError } from './ax2012-aif/read-aif-file.js';
import { FilesFormatError } from './files/files-formats.js';
import { NotCommerceMlError } from './onec-commerceml/parse-commerceml.js';
import { EmptyPayloadError, XmlDataError, XmlEncodingError, XmlSyntaxError, detectXmlEncoding } from './onec-commerceml/xml-stream.js';
import { forEachZipEntry, isZip } from './onec-commerceml/zip-entries.js';

/**
 * `npm run erp -- inspect <file>`: recognises any payload file an ERP adapter reads (1C OData JSON, CommerceML 2.x/3.x
 * in UTF-8 or windows-1251, also zipped, AX 2012 AIF XML, drop-folder CSV/XML) and prints ONE JSON object on stdout:
 * `{"format":…,"counts":{…},"samples":{…}}`. A file it cannot read: exit code 1 and one line on stderr saying why.
 */

export const COUNT_KEYS = ['products', 'groups', 'priceTypes', 'prices', 'warehouses', 'stock', 'customers', 'orders', 'orderLines', 'documents'] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export interface InspectResult {
  format: string;
  counts: Record<CountKey, number>;
  samples: Record<string, unknown>;
}

export class InspectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InspectError';
  }
}

type ReadResult = Awaited<ReturnType<PayloadFormat['read']>> & Record<string, unknown>;

const HEAD_BYTES = 64 * 1024;

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function explain(err: unknown): string {
  if (err instanceof XmlSyntaxError) return `malformed XML at line ${err.line}:${err.column}: ${err.message.replace(/^malformed XML at \d+:\d+( in .*?)?: /, '')}`;
  if (err instanceof AifFileError && err.line !== undefined) return `malformed XML at line ${err.line}:${err.column ?? 0}: ${err.message.replace(/^malformed XML at \d+:\d+: /, '')}`;
  if (err instanceof XmlEncodingError) return `unsupported encoding "${err.encoding}"`;
  if (err instanceof EmptyPayloadError) return 'empty file';
  if (err instanceof XmlDataError || err instanceof FilesFormatError || err instanceof NotCommerceMlError || err instanceof AifFileError) return err.message;
  if (err instanceof SyntaxError) return `malformed JSON: ${err.message}`;
  return (err as Error)?.message ?? String(err);
}

/** The format that recognises a file, or a reason why none does (empty, unsupported encoding, unknown). */
function detect(head: Buffer, fileName: string, formats: PayloadFormat[]): { format: PayloadFormat; id: string } {
  if (head.length === 0 || head.toString('latin1').trim() === '') throw new InspectError('empty file');
  const text = head.subarray(0, 256).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (text.startsWith('<?xml')) {
    try {
      detectXmlEncoding(head);
    } catch (err) {
      throw new InspectError(explain(err), { cause: err });
    }
  }
  for (const format of formats) {
    const id = format.detect(head, fileName);
    if (id) return { format, id };
  }
  throw new InspectError(`unknown format (not CommerceML, AX AIF, 1C or D365 OData JSON, or a drop-folder file): ${basename(fileName)}`);
}

function merge(into: ReadResult, add: ReadResult): void {
  for (const [k, v] of Object.entries(add)) {
    if (!Array.isArray(v)) continue;
    const cur = into[k];
    into[k] = Array.isArray(cur) ? [...cur, ...v] : [...v];
  }
}

const len = (v: unknown) => (Array.isArray(v) ? v.length : 0);

function summarize(format: string, data: ReadResult): InspectResult {
  const orders = (data.orderStates ?? []) as Array<{ lines?: unknown[] }>;
  const orderLines = Array.isArray(data['orderLines']) ? (data['orderLines'] as unknown[]) : orders.flatMap((o) => o.lines ?? []);
  const lists: Record<CountKey, unknown[]> = {
    products: (data.products ?? []) as unknown[],
    groups: (data.groups ?? []) as unknown[],
    priceTypes: (data.priceTypes ?? []) as unknown[],
    prices: (data.prices ?? []) as unknown[],
    warehouses: (data.warehouses ?? []) as unknown[],
    stock: (data.stock ?? []) as unknown[],
    customers: (data['customers'] ?? []) as unknown[],
    orders,
    orderLines,
    documents: (data['documents'] ?? []) as unknown[],
  };
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, lists[k].length])) as Record<CountKey, number>;
  const samples: Record<string, unknown> = {};
  for (const k of COUNT_KEYS) if (lists[k].length) samples[k] = lists[k][0];
  // Kinds the counts have no slot for (drop-folder finance, 1C units…) still get a sample, so nothing read is invisible.
  for (const [k, v] of Object.entries(data)) if (!(k in samples) && k !== 'orderStates' && len(v)) samples[k] = (v as unknown[])[0];
  return { format, counts, samples };
}

/** Reads one payload file (or every entry of a zip archive) through the registered formats. */
export async function inspectPayload(filePath: string, formats: PayloadFormat[] = payloadFormats): Promise<InspectResult> {
  let size: number;
  try {
    const st = await stat(filePath);
    if (!st.isFile()) throw new InspectError(`not a file: ${filePath}`);
    size = st.size;
  } catch (err) {
    if (err instanceof InspectError) throw err;
    throw new InspectError(`cannot read ${filePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (size === 0) throw new InspectError('empty file');
  const head = await readHead(filePath);
  if (isZip(head)) return inspectZip(filePath, formats);
  const { format, id } = detect(head, filePath, formats);
  try {
    return summarize(id, (await format.read(filePath)) as ReadResult);
  } catch (err) {
    throw new InspectError(explain(err), { cause: err });
  }
}

async function inspectZip(filePath: string, formats: PayloadFormat[]): Promise<InspectResult> {
  const dir = await mkdtemp(join(tmpdir(), 'dh-inspect-'));
  const data: ReadResult = {};
  let formatId: string | undefined;
  try {
    await forEachZipEntry(filePath, async (entry, openEntry) => {
      if (entry.isDirectory) return;
      const tmp = join(dir, `${randomBytes(6).toString('hex')}-${basename(entry.fileName)}`);
      await pipeline(await openEntry(), createWriteStream(tmp));
      const head = await readHead(tmp);
      let found: { format: PayloadFormat; id: string };
      try {
        found = detect(head, entry.fileName, formats);
      } catch (err) {
        // Pictures and other companions of an exchange archive are skipped; a broken XML entry is an error.
        if (/\.xml$/i.test(entry.fileName) && err instanceof InspectError && !err.message.startsWith('unknown format')) throw new InspectError(`${entry.fileName}: ${err.message}`);
        return;
      }
      formatId ??= found.id;
      try {
        merge(data, (await found.format.read(tmp)) as ReadResult);
      } catch (err) {
        throw new InspectError(`${entry.fileName}: ${explain(err)}`, { cause: err });
      }
      await rm(tmp, { force: true });
    });
  } catch (err) {
    if (err instanceof InspectError) throw err;
    throw new InspectError(`cannot read the zip archive: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!formatId) throw new InspectError(`unknown format: the archive ${basename(filePath)} holds no file DealerHub can read`);
  return summarize(formatId, data);
}

const USAGE = 'usage: npm run erp -- inspect <file>';

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command !== 'inspect' || !file || rest.length) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const result = await inspectPayload(file);
    out.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    const message = e instanceof InspectError ? e.message : explain(e);
    err.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
