import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Sequelize, type Options } from 'sequelize';
import type { Logger } from '../lib/logger.js';

export type Dialect = 'sqlite' | 'mysql';

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  /** True when the server answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  logger?: Logger;
}

/**
 * SQLite is the zero-set-up default; MariaDB/MySQL (mysql:// or mariadb://) is the production path.
 * Both go through the same models and migrations, and the storage battery runs on both (tests/db).
 */
export function createDatabase({ url, poolMax = 10, logger }: DatabaseOptions): Database {
  const logging: Options['logging'] = logger ? (sql: string) => logger.trace({ sql }, 'sql') : false;
  let sequelize: Sequelize;
  let dialect: Dialect;
  if (url.startsWith('sqlite:')) {
    dialect = 'sqlite';
    const storage = url.slice('sqlite:'.length) || ':memory:';
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging,
      // One connection: SQLite serialises writers anyway, and a single handle keeps :memory: databases whole.
      pool: { max: 1, min: 1, idle: 60_000 },
      retry: { max: 5, match: [/SQLITE_BUSY/] },
      // A file database opens one more connection per transaction. IMMEDIATE takes the write lock at BEGIN, where
      // busy_timeout can wait for it, instead of failing later when a read-then-write transaction upgrades its lock.
      transactionType: 'IMMEDIATE' as Options['transactionType'],
    });
    // Every connection (the default one and each transaction's) waits for the lock instead of failing at once.
    sequelize.addHook('afterConnect', async (connection: unknown) => {
      const run = (sql: string) => new Promise<void>((resolve, reject) => (connection as { run(s: string, cb: (e: Error | null) => void): void }).run(sql, (e) => (e ? reject(e) : resolve())));
      await run('PRAGMA busy_timeout = 5000');
      await run('PRAGMA foreign_keys = ON');
    });
  } else {
    dialect = 'mysql';
    const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
    sequelize = new Sequelize(decodeURIComponent(u.pathname.slice(1)), decodeURIComponent(u.username), decodeURIComponent(u.password), {
      dialect: 'mysql',
      host: u.hostname,
      port: Number(u.port || 3306),
      logging,
      pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
      dialectOptions: { charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false },
      define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
      timezone: '+00:00',
    });
  }
  if (dialect === 'sqlite') serializeTransactions(sequelize);
  return {
    sequelize,
    dialect,
    async ping() {
      try {
        await sequelize.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await sequelize.close();
    },
  };
}

/** SQLite pragmas that make the embedded default safe for a small production: WAL, FK checks, busy wait. */
export async function tuneSqlite(db: Database): Promise<void> {
  if (db.dialect !== 'sqlite') return;
  await db.sequelize.query('PRAGMA journal_mode = WAL');
  await db.sequelize.query('PRAGMA foreign_keys = ON');
  await db.sequelize.query('PRAGMA busy_timeout = 5000');
  await db.sequelize.query('PRAGMA synchronous = NORMAL');
}

/**
 * SQLite has one connection here (and one writer in any case): two overlapping BEGINs on it fail with "cannot start
 * a transaction within a transaction". Managed transactions are therefore queued in-process, so repositories can use
 * `sequelize.transaction(cb)` the same way on SQLite and on MariaDB. A transaction must not start another one inside
 * its callback (it would wait for itself); pass the transaction down instead, as the repositories do.
 */
function serializeTransactions(sequelize: Sequelize): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  let chain: Promise<unknown> = Promise.resolve();
  (sequelize as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    const managed = args.some((a) => typeof a === 'function');
    if (!managed) return original(...args);
    const run = chain.then(() => original(...args));
    chain = run.catch(() => undefined);
    return run;
  };
}
