import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { execute } from '../../jobs/sql.js';
import { rawExecute } from './raw-sql.js';
import { literalFor, type Literal, type SqlValue } from './sql-literal.js';

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
  /**
   * A timestamp column set to "now" on insert and on update. On MariaDB it is left out of the VALUES rows (its
   * DEFAULT (UTC_TIMESTAMP(3)) fills it, and the update clause sets it): one literal fewer to parse per row, which
   * on a million-row ingest is a tenth of the server's work. On SQLite it is an ordinary trailing value.
   */
  touch?: string;
}

/**
 * How a column's values are rendered. `decimal`: a string already checked by fixScale (digits, sign, point) — inlined
 * as an exact numeric literal on MariaDB, quoted on SQLite where the column is TEXT. `int`: a safe integer.
 * `any` (default): the escaping literal.
 */
export type ColumnKind = 'any' | 'int' | 'decimal';

const DECIMAL = /^-?\d+(\.\d+)?$/;

export const CHUNK_ROWS = { mysql: 5_000, sqlite: 400 } as const;
/** A statement is sent once it reaches this size (well under MariaDB's default 16 MiB max_allowed_packet). */
const CHUNK_BYTES = 2_000_000;

/** Backticks quote identifiers on MariaDB and SQLite alike (column names such as `lines` are reserved words). */
const q = (name: string) => `\`${name}\``;

export function upsertStatement(dialect: Database['dialect'], spec: UpsertSpec): { head: string; tail: string } {
  const touchInRows = spec.touch && dialect === 'sqlite';
  const columns = touchInRows ? [...spec.columns, spec.touch!] : spec.columns;
  const head = `INSERT INTO ${q(spec.table)} (${columns.map(q).join(', ')}) VALUES `;
  let tail: string;
  if (dialect === 'sqlite') {
    const update = spec.touch && spec.update.length ? [...spec.update, spec.touch] : spec.update;
    tail = update.length
      ? ` ON CONFLICT (${spec.key.map(q).join(', ')}) DO UPDATE SET ${update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
      : ` ON CONFLICT (${spec.key.map(q).join(', ')}) DO NOTHING`;
  } else {
    // VALUES(col) is MariaDB's spelling (it has no MySQL 8 row alias); a no-op assignment keeps "insert if absent".
    const sets = spec.update.map((c) => `${q(c)} = VALUES(${q(c)})`);
    if (spec.touch && sets.length) sets.push(`${q(spec.touch)} = UTC_TIMESTAMP(3)`);
    tail = sets.length ? ` ON DUPLICATE KEY UPDATE ${sets.join(', ')}` : ` ON DUPLICATE KEY UPDATE ${q(spec.key[0]!)} = ${q(spec.key[0]!)}`;
  }
  return { head, tail };
}

function renderers(dialect: Database['dialect'], kinds: readonly ColumnKind[] | undefined, width: number): Literal[] {
  const lit = literalFor(dialect);
  const int: Literal = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : lit(v));
  // Checked again here, cheaply, because the text goes into SQL unescaped.
  const checked = (v: SqlValue): string => {
    if (typeof v !== 'string' || !DECIMAL.test(v)) throw new TypeError(`not a decimal string: ${String(v)}`);
    return v;
  };
  const decimal: Literal =
    dialect === 'mysql'
      ? (v) => (v === null || v === undefined ? 'NULL' : checked(v))
      : (v) => (v === null || v === undefined ? 'NULL' : `'${checked(v)}'`);
  return Array.from({ length: width }, (_, i) => (kinds?.[i] === 'int' ? int : kinds?.[i] === 'decimal' ? decimal : lit));
}

export interface UpsertOptions {
  transaction?: Transaction | null;
  chunkRows?: number;
  /** Rendering per row column (not counting prefix/suffix). */
  kinds?: readonly ColumnKind[];
  /** Values every row starts with (portal_id, partition id …), rendered once. */
  prefix?: readonly SqlValue[];
  /** Values every row ends with (timestamps), rendered once. */
  suffix?: readonly SqlValue[];
}

/** Rows to write: an array, or a lazy source that builds each row when the statement needs it (no big copies). */
export interface RowSource {
  readonly length: number;
  at(index: number): readonly SqlValue[] | undefined;
}

export async function upsertRows(db: Database, spec: UpsertSpec, rows: RowSource, options: UpsertOptions = {}): Promise<void> {
  if (!rows.length) return;
  const lit = literalFor(db.dialect);
  const { head, tail } = upsertStatement(db.dialect, spec);
  const open = options.prefix?.length ? `(${options.prefix.map(lit).join(',')},` : '(';
  const suffix = spec.touch && db.dialect === 'sqlite' ? [...(options.suffix ?? []), new Date()] : (options.suffix ?? []);
  const close = suffix.length ? `,${suffix.map(lit).join(',')})` : ')';
  const width = rows.at(0)!.length;
  const render = renderers(db.dialect, options.kinds, width);
  const chunk = options.chunkRows ?? CHUNK_ROWS[db.dialect];
  const last: unknown[] = new Array(width);
  const lastLiteral: string[] = new Array(width);
  const exec = db.dialect === 'mysql' ? (sql: string) => rawExecute(db, sql, options.transaction) : (sql: string) => execute(db, sql, undefined, options.transaction);
  let pending: Promise<number> | null = null;
  let i = 0;
  while (i < rows.length) {
    const end = Math.min(rows.length, i + chunk);
    let sql = head;
    let j = i;
    for (; j < end && sql.length < CHUNK_BYTES; j++) {
      const row = rows.at(j)!;
      let t = j === i ? open : `,${open}`;
      for (let c = 0; c < width; c++) {
        // Runs of equal values (currency, unit, NULLs) reuse the literal instead of rendering it again.
        const v = row[c];
        if (v !== last[c] || v === undefined) {
          last[c] = v;
          lastLiteral[c] = render[c]!(v);
        }
        t += (c ? ',' : '') + lastLiteral[c];
      }
      sql += t + close;
    }
    i = j;
    sql += tail;
    if (pending) await pending;
    pending = exec(sql);
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
