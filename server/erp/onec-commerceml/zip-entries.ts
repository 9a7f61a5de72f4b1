import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { resolveExchangeFile } from './exchange-file-name.js';
import { replaceFileAtomically } from '../../lib/atomic-file.js';

/**
 * Reading zip archives 1C sends when the site answers `zip=yes` (one archive with import.xml, offers.xml and the
 * pictures). Entries are streamed, never loaded whole; sizes are checked against caps so an archive bomb stops early.
 */

export interface ZipEntryInfo {
  fileName: string;
  uncompressedSize: number;
  isDirectory: boolean;
}

export interface ZipLimits {
  maxEntries?: number;
  maxTotalBytes?: number;
}

export class ZipLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipLimitError';
  }
}

export const isZip = (head: Buffer) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, decodeStrings: true }, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open zip')) : resolve(zip)));
  });
}

/** Calls `fn` for each entry in order; `open()` gives the entry's bytes as a stream (consume it before returning). */
export async function forEachZipEntry(
  path: string,
  fn: (entry: ZipEntryInfo, open: () => Promise<Readable>) => Promise<void>,
  limits: ZipLimits = {},
): Promise<void> {
  const maxEntries = limits.maxEntries ?? 100_000;
  const maxTotal = limits.maxTotalBytes ?? 8 * 1024 ** 3;
  const zip = await openZip(path);
  let entries = 0;
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => {
      zip.close();
      reject(err);
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      entries += 1;
      total += entry.uncompressedSize;
      if (entries > maxEntries) return fail(new ZipLimitError(`the archive has more than ${maxEntries} entries`));
      if (total > maxTotal) return fail(new ZipLimitError(`the archive unpacks to more than ${maxTotal} bytes`));
      const info = { fileName: entry.fileName, uncompressedSize: entry.uncompressedSize, isDirectory: entry.fileName.endsWith('/') };
      const open = () =>
        new Promise<Readable>((res, rej) => zip.openReadStream(entry, (err, stream) => (err || !stream ? rej(err ?? new Error('cannot read entry')) : res(stream))));
      fn(info, open).then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

/** Unpacks an archive into `dir` (entry names resolved like uploaded file names: no traversal). Returns the files written. */
export async function unzipToDir(zipPath: string, dir: string, limits: ZipLimits = {}): Promise<string[]> {
  const written: string[] = [];
  await forEachZipEntry(
    zipPath,
    async (entry, open) => {
      if (entry.isDirectory) return;
      const target = resolveExchangeFile(dir, entry.fileName);
      await mkdir(dirname(target.absolute), { recursive: true });
      await replaceFileAtomically(target.absolute, async (tmp) => pipeline(await open(), createWriteStream(tmp)), `${target.absolute}.unzip-${process.pid}`);
      written.push(target.relative);
    },
    limits,
  );
  return written;
}
