/**
 * The sandbox portal with DealerHub installed (tests/http/placements-fixture.ts) on a fresh MariaDB database, for the
 * benchmarks that go through Bitrix24 (order submit, card tabs). The database is dropped when the portal closes.
 */
import mysql from 'mysql2/promise';
import { startHarness, type Harness } from '../../http/placements-fixture.js';
import { MARIADB_ADMIN_URL } from '../../support/databases.js';

async function adminQuery(sql: string): Promise<void> {
  const admin = new URL(MARIADB_ADMIN_URL);
  const conn = await mysql.createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username || 'root'), password: decodeURIComponent(admin.password) });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** `name` becomes the database dh_bench_<name>_<pid> (recreated empty, dropped on close). */
export async function startBenchPortal(name: string): Promise<Harness> {
  const db = `dh_bench_${name}_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS \`${db}\``);
  await adminQuery(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(MARIADB_ADMIN_URL);
  url.pathname = `/${db}`;
  const h = await startHarness({ env: { DATABASE_URL: url.toString() } });
  const close = h.close.bind(h);
  h.close = async () => {
    try {
      await close();
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS \`${db}\``);
    }
  };
  return h;
}
