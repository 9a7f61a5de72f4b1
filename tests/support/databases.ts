import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, tuneSqlite, type Database } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';

/** Where the MariaDB of the storage battery lives; CI starts it on 127.0.0.1:3306 (root, empty password). */
export const MARIADB_ADMIN_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDatabase {
  kind: 'sqlite' | 'mariadb';
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty MariaDB database for one test file; dropped afterwards. */
export async function createMariaDbDatabase(): Promise<TestDatabase> {
  const admin = new URL(MARIADB_ADMIN_URL);
  const name = `dh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const conn = await mysql.createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username || 'root'), password: decodeURIComponent(admin.password) });
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const url = new URL(MARIADB_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'mariadb',
    url: url.toString(),
    async drop() {
      const c = await mysql.createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username || 'root'), password: decodeURIComponent(admin.password) });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export function createSqliteMemoryDatabase(): TestDatabase {
  return { kind: 'sqlite', url: 'sqlite::memory:', drop: async () => {} };
}

/** The two storage backends every storage test runs on (STYLE.md: one battery, every adapter). */
export const STORAGE_BACKENDS: Array<{ name: 'sqlite' | 'mariadb'; create: () => Promise<TestDatabase> }> = [
  { name: 'sqlite', create: async () => createSqliteMemoryDatabase() },
  { name: 'mariadb', create: createMariaDbDatabase },
];

/**
 * A migrated database for one describe block: created before its tests, closed and dropped after them.
 * Returns a getter because the database exists only once beforeAll has run.
 */
export function useMigratedDatabase(create: () => Promise<TestDatabase>): () => Database {
  let testDb: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    testDb = await create();
    db = createDatabase({ url: testDb.url });
    await tuneSqlite(db);
    await migrateUp(db);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });
  return () => {
    if (!db) throw new Error('the database is not ready: use it inside a test or hook');
    return db;
  };
}
