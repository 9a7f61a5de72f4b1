import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { keyedHash, safeEqual } from '../../lib/crypto.js';
import { writeFileAtomically } from '../../lib/atomic-file.js';

/**
 * Exchange sessions of 1C's «обмен с сайтом». checkauth opens one and hands 1C a cookie; every later call of the
 * exchange carries it. State lives on disk next to the uploaded files (`<storageDir>/sessions/<hash>/session.json`),
 * not in process memory, so any instance that shares the storage directory can serve the next call; the directory
 * name is a keyed hash of the cookie, so the cookie itself is never stored.
 */

export type ExchangeType = 'catalog' | 'sale';

export interface ImportState {
  status: 'running' | 'done' | 'failed';
  owner: string;
  startedAt: string;
  heartbeatAt: string;
  bytesRead: number;
  totalBytes: number;
  message?: string;
}

export interface ExchangeSession {
  v: 1;
  portalKey: string;
  portalId: number;
  createdAt: string;
  lastSeenAt: string;
  /** Bytes received in this session (all files), for the size cap. */
  bytes: number;
  files: number;
  imports: Record<string, ImportState>;
  /** Ids of orders the last sale query handed out; mode=success marks them exported. */
  saleExported: string[];
  /** Archives already unpacked: archive name → the files it held. */
  unzipped: Record<string, string[]>;
}

export interface OpenedSession {
  id: string;
  dir: string;
  state: ExchangeSession;
}

export interface SessionStoreOptions {
  storageDir: string;
  secretKey: Buffer;
  idleTtlMs: number;
}

export function createSessionStore(options: SessionStoreOptions) {
  const root = join(options.storageDir, 'sessions');
  const idOf = (cookie: string) => keyedHash(options.secretKey, `cml-session:${cookie}`).slice(0, 40);
  const dirOf = (id: string) => join(root, id);
  const locks = new Map<string, Promise<unknown>>();

  async function readState(id: string): Promise<ExchangeSession | null> {
    try {
      return JSON.parse(await readFile(join(dirOf(id), 'session.json'), 'utf8')) as ExchangeSession;
    } catch {
      return null;
    }
  }

  async function writeState(id: string, state: ExchangeSession): Promise<void> {
    const file = join(dirOf(id), 'session.json');
    await writeFileAtomically(file, JSON.stringify(state));
  }

  const expired = (s: ExchangeSession, now: number) => now - Date.parse(s.lastSeenAt) > options.idleTtlMs;

  return {
    dirOf,

    /** A new session for a portal: the cookie value to give 1C and the session's id (directory name). */
    async open(portalKey: string, portalId: number, now = new Date()): Promise<{ cookie: string; session: OpenedSession }> {
      const cookie = randomBytes(24).toString('base64url');
      const id = idOf(cookie);
      const state: ExchangeSession = {
        v: 1, portalKey, portalId, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), bytes: 0, files: 0, imports: {}, saleExported: [], unzipped: {},
      };
      await mkdir(join(dirOf(id), 'catalog'), { recursive: true });
      await mkdir(join(dirOf(id), 'sale'), { recursive: true });
      await writeState(id, state);
      return { cookie, session: { id, dir: dirOf(id), state } };
    },

    /** The live session a cookie names for this portal, or null (unknown, other portal, expired). */
    async find(portalKey: string, cookie: string | undefined, now = Date.now()): Promise<OpenedSession | null> {
      if (!cookie || !/^[A-Za-z0-9_-]{16,128}$/.test(cookie)) return null;
      const id = idOf(cookie);
      const state = await readState(id);
      if (!state || !safeEqual(state.portalKey, portalKey) || expired(state, now)) return null;
      return { id, dir: dirOf(id), state };
    },

    /** `sessid` Bitrix hands out beside the cookie; derived, so nothing more is stored. */
    sessidOf(cookie: string): string {
      return keyedHash(options.secretKey, `cml-sessid:${cookie}`).slice(0, 32);
    },

    /** Read-modify-write of a session's state, serialized per session inside this process. */
    async update(id: string, change: (s: ExchangeSession) => void): Promise<ExchangeSession> {
      const prev = locks.get(id) ?? Promise.resolve();
      const next = prev.then(async () => {
        const state = await readState(id);
        if (!state) throw new Error('exchange session is gone');
        change(state);
        await writeState(id, state);
        return state;
      });
      const settled = next.catch(() => undefined);
      locks.set(id, settled);
      void settled.then(() => {
        if (locks.get(id) === settled) locks.delete(id);
      });
      return next;
    },

    async read(id: string): Promise<ExchangeSession | null> {
      return readState(id);
    },

    /** Removes sessions idle longer than the TTL (with their files). */
    async sweep(now = Date.now()): Promise<number> {
      let removed = 0;
      let ids: string[];
      try {
        ids = await readdir(root);
      } catch {
        return 0;
      }
      for (const id of ids) {
        const state = await readState(id);
        if (state && !expired(state, now)) continue;
        if (!state) {
          // A directory without state may be a session being created right now; leave young ones alone.
          continue;
        }
        await rm(dirOf(id), { recursive: true, force: true });
        removed += 1;
      }
      return removed;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
