import { copyFile, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { extensionOf, isImageType, sniffContentType } from '../file-type.js';
import { ErpError, type ErpFile } from '../port.js';
import { ExchangeFileNameError, resolveExchangeFile } from './exchange-file-name.js';
import { replaceFileAtomically } from '../../lib/atomic-file.js';

/**
 * Product pictures 1C sends with the catalog: files under `import_files/` (separate `mode=file` uploads or entries of
 * the zip archive), named by `<Картинка>import_files/…</Картинка>` in import.xml. A session's directory is temporary
 * (init clears it, the sweep removes idle ones), so the pictures are moved into a store per portal,
 * `<storageDir>/pictures/<portalId>/import_files/…`, under the same relative path: that path is the key
 * ErpProduct.pictures carries, and `read` resolves it.
 */

export const PICTURES_FOLDER = 'import_files';
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp']);
/** Larger "pictures" are not product photos; they would also be read whole into memory when served. */
const MAX_PICTURE_BYTES = 32 * 1024 * 1024;
/** Temporary files of a part being received (exchange-upload.ts) or an entry being unpacked (zip-entries.ts). */
const IN_FLIGHT = /\.(part-[0-9a-f]+|unzip-\d+)$/;

export interface PictureStoreOptions {
  storageDir: string;
  logger: Logger;
}

/** The image type the bytes prove, or null. The extension must name an image too. */
function imageTypeOf(name: string, head: Uint8Array): string | null {
  if (!IMAGE_EXTENSIONS.has(extensionOf(name))) return null;
  const type = sniffContentType(head);
  return type && isImageType(type) ? type : null;
}

async function readHead(path: string): Promise<{ head: Buffer; size: number }> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size: (await fh.stat()).size };
  } finally {
    await fh.close();
  }
}

/** Regular files under `dir`, as paths relative to `dir`'s parent with `/` (so they start with `prefix/`). */
async function filesUnder(dir: string, prefix: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), rel)));
    else if (e.isFile() && !IN_FLIGHT.test(e.name)) out.push(rel);
  }
  return out;
}

export function createPictureStore(options: PictureStoreOptions) {
  const { logger } = options;
  const root = join(options.storageDir, 'pictures');
  const portalDir = (portalId: number) => {
    if (!Number.isSafeInteger(portalId) || portalId <= 0) throw new ErpError('validation', `CommerceML pictures: bad portal id ${String(portalId)}`);
    return join(root, String(portalId));
  };

  /** Moves one picture into the store, replacing an older file of that name atomically; false when refused. */
  async function store(portalId: number, catalogDir: string, name: string): Promise<boolean> {
    const source = resolveExchangeFile(catalogDir, name).absolute;
    try {
      const { head, size } = await readHead(source);
      if (size > MAX_PICTURE_BYTES || !imageTypeOf(name, head)) {
        logger.warn({ portalId, file: name, size }, 'CommerceML: a file under import_files is not a picture we keep (jpg, png, gif, webp); skipped');
        return false;
      }
      const target = resolveExchangeFile(portalDir(portalId), name).absolute;
      await mkdir(dirname(target), { recursive: true });
      // Copy, not rename: the session and the store may sit on different file systems (a shared volume).
      await replaceFileAtomically(target, (tmp) => copyFile(source, tmp));
      return true;
    } catch (err) {
      logger.warn({ err, portalId, file: name }, 'CommerceML: picture not stored');
      return false;
    } finally {
      // Stored, refused or failed: it leaves the session either way, so the next call does not meet it again.
      await rm(source, { force: true });
    }
  }

  return {
    /**
     * Moves the pictures now in a session's catalog directory into the portal's store, until `deadline` (epoch ms)
     * so an exchange call keeps answering in time. Returns how many are left for the next call.
     */
    async collect(portalId: number, catalogDir: string, deadline = Infinity): Promise<{ stored: number; left: number }> {
      const names = await filesUnder(join(catalogDir, PICTURES_FOLDER), PICTURES_FOLDER);
      let stored = 0;
      let done = 0;
      for (const name of names) {
        if (done > 0 && Date.now() > deadline) break; // at least one per call, so a slow disk still gets through
        if (await store(portalId, catalogDir, name)) stored += 1;
        done += 1;
      }
      if (stored > 0) logger.info({ portalId, stored, left: names.length - done }, 'CommerceML: product pictures stored');
      return { stored, left: names.length - done };
    },

    /** A stored picture by its key from ErpProduct.pictures (`import_files/…`). */
    async read(portalId: number, key: string, signal?: AbortSignal): Promise<ErpFile> {
      signal?.throwIfAborted();
      let target: { relative: string; absolute: string };
      try {
        target = resolveExchangeFile(portalDir(portalId), key);
      } catch (err) {
        if (err instanceof ExchangeFileNameError) throw new ErpError('validation', `CommerceML: "${key.slice(0, 120)}" is not a picture key`, { cause: err });
        throw err;
      }
      if (!target.relative.startsWith(`${PICTURES_FOLDER}/`)) throw new ErpError('validation', `CommerceML: "${key.slice(0, 120)}" is not under ${PICTURES_FOLDER}/`);
      const missing = () => new ErpError('not-found', `CommerceML: no picture "${target.relative}" came from 1C for this portal`);
      let bytes: Buffer;
      try {
        bytes = await readFile(target.absolute, { signal });
      } catch (err) {
        if (signal?.aborted) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw missing();
        throw new ErpError('transient', `CommerceML: cannot read the picture "${target.relative}"`, { cause: err });
      }
      const contentType = imageTypeOf(target.relative, bytes);
      if (!contentType) throw missing(); // never stored by collect (a temporary file, another extension)
      return { contentType, fileName: basename(target.relative), bytes };
    },
  };
}

export type PictureStore = ReturnType<typeof createPictureStore>;
