import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { isErpError, type ErpFile } from '../../erp/port.js';
import { writeFileAtomically } from '../../lib/atomic-file.js';

/**
 * ERP files kept on local disk (DATA_DIR/media/<portal>/<kind>/…): a catalog page shows dozens of pictures and the
 * ERP should be asked for each once, not for every viewer. A file older than `ttlMs` is asked for again; when the
 * ERP cannot answer just then (down, busy) the old copy is served rather than a hole. Concurrent misses of one file
 * make one ERP call. Nothing is evicted: the set is bounded by what the ERP holds.
 */

export interface CachedFile {
  contentType: string;
  fileName: string;
  bytes: Buffer;
  fetchedAt: number;
}

interface Meta {
  contentType: string;
  fileName: string;
  fetchedAt: number;
}

export interface MediaCacheOptions {
  dir: string;
  ttlMs: number;
  /** Files above this size are refused (default 25 MB). */
  maxBytes?: number;
  logger?: Logger;
  now?: () => number;
}

export class FileTooLargeError extends Error {}

export function createMediaCache(opts: MediaCacheOptions) {
  const now = opts.now ?? Date.now;
  const maxBytes = opts.maxBytes ?? 25 * 1024 * 1024;
  const inflight = new Map<string, Promise<CachedFile>>();

  const pathOf = (portalId: number, kind: string, key: string) => {
    const h = createHash('sha256').update(key).digest('hex');
    return join(opts.dir, String(portalId), kind, h.slice(0, 2), h);
  };

  async function readCached(path: string): Promise<CachedFile | null> {
    try {
      const [meta, bytes] = await Promise.all([readFile(`${path}.json`, 'utf8'), readFile(path)]);
      const m = JSON.parse(meta) as Meta;
      return { ...m, bytes };
    } catch {
      return null;
    }
  }

  async function store(path: string, file: ErpFile): Promise<CachedFile> {
    const bytes = Buffer.from(file.bytes);
    if (bytes.length > maxBytes) throw new FileTooLargeError(`the file is ${bytes.length} bytes, more than ${maxBytes}`);
    const entry: CachedFile = { contentType: file.contentType, fileName: file.fileName, bytes, fetchedAt: now() };
    await mkdir(join(path, '..'), { recursive: true });
    // Bytes first, then the meta that makes them visible; each replaced whole, so a reader never sees half.
    await writeFileAtomically(path, bytes);
    await writeFileAtomically(`${path}.json`, JSON.stringify({ contentType: entry.contentType, fileName: entry.fileName, fetchedAt: entry.fetchedAt } satisfies Meta));
    return entry;
  }

  return {
    async get(portalId: number, kind: 'picture' | 'document', key: string, fetch: () => Promise<ErpFile>): Promise<CachedFile> {
      const path = pathOf(portalId, kind, key);
      const cached = await readCached(path);
      if (cached && now() - cached.fetchedAt < opts.ttlMs) return cached;
      let pending = inflight.get(path);
      if (!pending) {
        pending = (async () => {
          try {
            return await store(path, await fetch());
          } catch (err) {
            if (cached && isErpError(err) && err.retryable) {
              opts.logger?.warn({ err, portalId, kind }, 'ERP file not refreshed; the cached copy is served');
              return cached;
            }
            // A file the ERP no longer has must not live on here.
            if (cached && isErpError(err) && err.kind === 'not-found') await Promise.all([rm(path, { force: true }), rm(`${path}.json`, { force: true })]);
            throw err;
          }
        })().finally(() => inflight.delete(path));
        inflight.set(path, pending);
      }
      return pending;
    },
  };
}

export type MediaCache = ReturnType<typeof createMediaCache>;
