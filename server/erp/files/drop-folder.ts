import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../lib/atomic-file.js';

/**
 * The folder shared with an ERP that has no API: `in/` (the ERP drops its exports), `processed/` and `failed/` (what
 * we did with them), `out/` (our orders for the ERP to import), `state/` (our merged view of order states). Access goes
 * through this small interface so a network share or another store can stand in; errors are classified here once.
 */

export type DropArea = 'in' | 'processed' | 'failed' | 'out' | 'state' | 'pictures' | 'documents';
export const DROP_AREAS: readonly DropArea[] = ['in', 'processed', 'failed', 'out', 'state', 'pictures', 'documents'];

export type DropFolderErrorCode = 'unavailable' | 'denied' | 'busy' | 'rejected' | 'io';

export class DropFolderError extends Error {
  constructor(
    readonly code: DropFolderErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DropFolderError';
  }
}

export interface DropEntry {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface DropFolder {
  readonly root: string;
  list(area: DropArea): Promise<DropEntry[]>;
  read(area: DropArea, name: string): Promise<Buffer>;
  /** Atomic: a temporary name first, then a rename, so a reader never sees half a file. */
  write(area: DropArea, name: string, data: Buffer): Promise<void>;
  move(from: DropArea, name: string, to: DropArea, newName: string): Promise<void>;
  exists(area: DropArea, name: string): Promise<boolean>;
  /** Cheap reachability check (health). */
  probe(): Promise<void>;
}

/** errno → what it means for a sync: the share is gone (retry later), we may not touch it (fix rights), it is busy. */
export function classifyFsError(err: unknown, what: string): DropFolderError {
  if (err instanceof DropFolderError) return err;
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const message = `${what}: ${(err as Error)?.message ?? String(err)}`;
  if (['ENOENT', 'ENOTDIR', 'EHOSTDOWN', 'EHOSTUNREACH', 'ESTALE', 'ENOTCONN', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'ENETUNREACH'].includes(code)) {
    return new DropFolderError('unavailable', message, undefined, { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new DropFolderError('denied', message, undefined, { cause: err });
  if (code === 'EBUSY' || code === 'EAGAIN' || code === 'EMFILE' || code === 'ENFILE') return new DropFolderError('busy', message, 5000, { cause: err });
  return new DropFolderError('io', message, undefined, { cause: err });
}

const safeName = (name: string) => {
  if (!name || name.includes('/') || name.includes('\\') || name === '.' || name === '..' || name.includes('\0')) throw new DropFolderError('io', `bad file name "${name}"`);
  return name;
};

export function createLocalDropFolder(root: string): DropFolder {
  const path = (area: DropArea, name?: string) => (name === undefined ? join(root, area) : join(root, area, safeName(name)));
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw classifyFsError(err, what);
    }
  };
  let ensured = false;
  const ensure = async () => {
    if (ensured) return;
    // The root must exist (an unmounted share must not be recreated as an empty local folder); areas are created.
    await stat(root);
    for (const a of DROP_AREAS) await mkdir(join(root, a), { recursive: true });
    ensured = true;
  };
  return {
    root,
    list: (area) => wrap(`list ${area}/`, async () => {
      await ensure();
      const names = await readdir(path(area));
      const out: DropEntry[] = [];
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const st = await stat(join(path(area), name)).catch(() => null);
        if (st?.isFile()) out.push({ name, size: st.size, mtimeMs: st.mtimeMs });
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    }),
    read: (area, name) => wrap(`read ${area}/${name}`, () => readFile(path(area, name))),
    write: (area, name, data) => wrap(`write ${area}/${name}`, async () => {
      await ensure();
      // A hidden temporary name: the ERP watching the folder must not take a half-written file.
      await writeFileAtomically(path(area, name), data, join(path(area), `.${safeName(name)}.${randomBytes(4).toString('hex')}.tmp`));
    }),
    move: (from, name, to, newName) => wrap(`move ${from}/${name}`, async () => {
      await ensure();
      await rename(path(from, name), path(to, newName));
    }),
    exists: (area, name) => wrap(`stat ${area}/${name}`, async () => (await stat(path(area, name)).catch(() => null))?.isFile() ?? false),
    probe: () => wrap('reach the drop folder', async () => {
      await ensure();
      await readdir(root);
    }),
  };
}
