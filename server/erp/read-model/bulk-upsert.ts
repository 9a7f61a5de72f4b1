import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { execute } from '../../jobs/sql.js';
import { literalFor, type SqlValue } from './sql-literal.js';

/**
 * Batched upserts: one multi-row INSERT per chunk, `ON DUPLICATE KEY UPDATE` on MariaDB/MySQL and
 * `ON CONFLICT (...) DO UPDATE` on SQLite. The next chunk's SQL is built while the database executes the current one,
 * so on MariaDB the ingest runs close to LOAD DATA speed (tests/perf/erp-ingest.bench.ts).
 */
export interface UpsertSpec {
  table: string;
  columns: readonly string[];
  /** The unique key the conflict is detected on. */
  key: readonly string[];
  /** Columns overwritten on conflict; empty means "insert if absent, else leave the row alone". */
  update: readonly string[];
}

export const CHUNK_ROWS = { mysql: 2_000, sqlite: 400 } as const;

/** Backticks quote identifiers on MariaDB and SQLite alike (column names such as `lines` are reserved words). */
const q = (name: string) => `\`${name}\``;

export function upsertStatement(dialect: Database['dialect'], spec: UpsertSpec): (tuples: string[]) => string {
  const head = `INSERT INTO ${q(spec.table)} (${spec.columns.map(q).join(', ')}) VALUES `;
  let tail: string;
  if (dialect === 'sqlite') {
    tail = spec.update.length
      ? ` ON CONFLICT (${spec.key.map(q).join(', ')}) DO UPDATE SET ${spec.update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
      : ` ON CONFLICT (${spec.key.map(q).join(', ')}) DO NOTHING`;
  } else {
    // VALUES(col) is MariaDB's spelling (it has no MySQL 8 row alias); a no-op assignment keeps "insert if absent".
    tail = spec.update.length
      ? ` ON DUPLICATE KEY UPDATE ${spec.update.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ')}`
      : ` ON DUPLICATE KEY UPDATE ${q(spec.key[0]!)} = ${q(spec.key[0]!)}`;
  }
  return (tuples) => head + tuples.join(',') + tail;
}

export async function upsertRows(
  db: Database,
  spec: UpsertSpec,
  rows: ReadonlyArray<readonly SqlValue[]>,
  options: { transaction?: Transaction | null; chunkRows?: number } = {},
): Promise<void> {
  if (!rows.length) return;
  const lit = literalFor(db.dialect);
  const statement = upsertStatement(db.dialect, spec);
  const chunk = options.chunkRows ?? CHUNK_ROWS[db.dialect];
  let pending: Promise<number> | null = null;
  for (let i = 0; i < rows.length; i += chunk) {
    const tuples: string[] = new Array(Math.min(chunk, rows.length - i));
    for (let j = 0; j < tuples.length; j++) {
      const row = rows[i + j]!;
      let t = '(';
      for (let c = 0; c < row.length; c++) t += (c ? ',' : '') + lit(row[c]);
      tuples[j] = `${t})`;
    }
    const sql = statement(tuples);
    if (pending) await pending;
    pending = execute(db, sql, undefined, options.transaction);
  }
  if (pending) await pending;
}

/** DELETE … WHERE <prefix> AND column IN (…) in chunks. Returns rows deleted. */
export async function deleteIn(
  db: Database,
  args: { table: string; where: string; replacements: Record<string, unknown>; column: string; values: ReadonlyArray<string | number>; transaction?: Transaction | null },
): Promise<number> {
  const lit = literalFor(db.dialect);
  let deleted = 0;
  for (let i = 0; i < args.values.length; i += 1_000) {
    const list = args.values.slice(i, i + 1_000).map((v) => lit(v)).join(',');
    deleted += await execute(db, `DELETE FROM ${args.table} WHERE ${args.where} AND ${args.column} IN (${list})`, args.replacements, args.transaction);
  }
  return deleted;
}
