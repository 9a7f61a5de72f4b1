import sqlite3 from 'sqlite3';
import type { SandboxStore } from './store.js';

/**
 * Keeps a demo portal across restarts: each table is one JSON row in a small SQLite file, rewritten (debounced) when
 * the table changes and on close. The sandbox is a single process, so whole-table snapshots are simple and safe.
 */
export interface StorePersistence {
  /** True when the file already held a portal (the caller then skips seeding). */
  readonly restored: boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const run = (db: sqlite3.Database, sql: string, params: unknown[] = []) =>
  new Promise<void>((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));

export async function attachPersistence(store: SandboxStore, file: string, debounceMs = 50): Promise<StorePersistence> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  await run(db, 'CREATE TABLE IF NOT EXISTS sandbox_tables (name TEXT PRIMARY KEY, json TEXT NOT NULL)');
  const rows = await all<{ name: string; json: string }>(db, 'SELECT name, json FROM sandbox_tables');
  const byName = new Map(rows.map((r) => [r.name, r.json]));
  const restored = byName.size > 0;
  if (restored) {
    for (const table of store.tables()) {
      const json = byName.get(table.name);
      if (json) table.load(JSON.parse(json) as unknown[]);
    }
    const seq = byName.get('sequences');
    if (seq) store.loadSequences(JSON.parse(seq) as Record<string, number>);
  }

  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const writeDirty = async () => {
    const names = [...dirty];
    dirty.clear();
    if (names.length === 0) return;
    const tables = new Map(store.tables().map((t) => [t.name, t]));
    await run(db, 'BEGIN');
    try {
      for (const name of names) {
        const json = name === 'sequences' ? JSON.stringify(store.dumpSequences()) : JSON.stringify(tables.get(name)?.dump() ?? []);
        await run(db, 'INSERT INTO sandbox_tables (name, json) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json', [name, json]);
      }
      await run(db, 'COMMIT');
    } catch (err) {
      await run(db, 'ROLLBACK').catch(() => undefined);
      throw err;
    }
  };

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    writing = writing.then(writeDirty, writeDirty);
    return writing;
  };

  store.onChange((table) => {
    if (closed) return;
    dirty.add(table);
    if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        void flush().catch(() => undefined);
      }, debounceMs);
    }
  });

  if (!restored) {
    for (const t of store.tables()) dirty.add(t.name);
    dirty.add('sequences');
  }

  return {
    restored,
    flush,
    async close() {
      await flush();
      closed = true;
      await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
