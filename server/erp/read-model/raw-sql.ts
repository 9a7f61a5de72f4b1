import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { execute, selectRows } from '../../jobs/sql.js';

/**
 * The bulk path talks to mysql2 directly on the connection sequelize pooled (the transaction's own connection when
 * there is one). Sequelize's query pipeline runs several regular expressions over every statement and builds an
 * object per result row; on megabyte-sized multi-row INSERTs and 100k-row snapshot reads that was a third of the
 * ingest time. SQLite (not the throughput target) stays on sequelize.
 */
interface MysqlConnection {
  query(options: { sql: string; rowsAsArray?: boolean }, cb: (err: Error | null, result: unknown) => void): void;
  config?: { queryFormat?: unknown };
}

interface ConnectionManager {
  getConnection(options: { type: 'read' | 'write'; useMaster?: boolean }): Promise<MysqlConnection>;
  releaseConnection(connection: MysqlConnection): Promise<void> | void;
}

async function onConnection<T>(db: Database, transaction: Transaction | null | undefined, fn: (c: MysqlConnection) => Promise<T>): Promise<T> {
  const own = (transaction as unknown as { connection?: MysqlConnection } | null | undefined)?.connection;
  if (own) return fn(own);
  const manager = (db.sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  const connection = await manager.getConnection({ type: 'write', useMaster: true });
  try {
    return await fn(connection);
  } finally {
    await manager.releaseConnection(connection);
  }
}

const asIs = (sql: string) => sql;

/**
 * mysql2 scans every statement for `?` placeholders even when there are no values, which on a multi-megabyte INSERT
 * costs as much as building it. Our statements carry only literals, so the connection's formatter is swapped for
 * the identity for the duration of the synchronous query() call (formatting happens inside it), then restored.
 */
function run(c: MysqlConnection, sql: string, rowsAsArray = false): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const config = c.config;
    const previous = config?.queryFormat;
    if (config) config.queryFormat = asIs;
    try {
      c.query({ sql, rowsAsArray }, (err, result) => (err ? reject(err) : resolve(result)));
    } finally {
      if (config) config.queryFormat = previous;
    }
  });
}

/** Executes a statement that carries no placeholders (values are already literals); returns affected rows. */
export async function rawExecute(db: Database, sql: string, transaction?: Transaction | null): Promise<number> {
  if (db.dialect !== 'mysql') return execute(db, sql, undefined, transaction);
  return onConnection(db, transaction, async (c) => Number(((await run(c, sql)) as { affectedRows?: number } | null)?.affectedRows ?? 0));
}

/** SELECT returning rows as arrays in column order. */
export async function rawSelectArrays(db: Database, sql: string, transaction?: Transaction | null): Promise<unknown[][]> {
  if (db.dialect !== 'mysql') return (await selectRows<Record<string, unknown>>(db, sql, undefined, transaction)).map((r) => Object.values(r));
  return onConnection(db, transaction, async (c) => (await run(c, sql, true)) as unknown[][]);
}
