import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

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
