import { QueryTypes, type Transaction } from 'sequelize';
import type { Database, Dialect } from '../db/database.js';

/**
 * Small SQL helpers shared by the queue and the ERP read model. Raw SQL (not models) because claims, leases and bulk
 * upserts need exact statements per dialect; values always go in as replacements or through `sqlLiteral`.
 */

/**
 * A timestamp in the text form each dialect stores: sequelize writes SQLite DATETIME as
 * "YYYY-MM-DD HH:MM:SS.mmm +00:00" (compared as text, so every write must use the same form) and drops milliseconds
 * for MySQL replacements, which would cut short leases to whole seconds; this keeps them.
 */
export function sqlTime(date: Date, dialect: Dialect): string {
  const iso = date.toISOString();
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return dialect === 'sqlite' ? `${text} +00:00` : text;
}

/** Reads a DATETIME back: mysql2 gives Date objects (UTC, per the connection's timezone), SQLite the text above. */
export function fromSqlTime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? null : d;
}

export type Replacements = Record<string, unknown> | unknown[];

export async function selectRows<T extends object = Record<string, unknown>>(
  db: Database,
  sql: string,
  replacements?: Replacements,
  transaction?: Transaction | null,
): Promise<T[]> {
  return db.sequelize.query<T>(sql, { replacements, transaction: transaction ?? undefined, type: QueryTypes.SELECT, raw: true });
}

/** Runs UPDATE/DELETE and returns the rows changed (MariaDB connections run without FOUND_ROWS: unchanged rows count 0). */
export async function execute(db: Database, sql: string, replacements?: Replacements, transaction?: Transaction | null): Promise<number> {
  const result = (await db.sequelize.query(sql, { replacements, transaction: transaction ?? undefined, type: QueryTypes.UPDATE, raw: true })) as unknown as [unknown, number];
  return Number(result[1]) || 0;
}

/** Runs an INSERT and returns the first generated id and the rows written. */
export async function insert(db: Database, sql: string, replacements?: Replacements, transaction?: Transaction | null): Promise<{ insertId: number; affectedRows: number }> {
  const result = (await db.sequelize.query(sql, { replacements, transaction: transaction ?? undefined, type: QueryTypes.INSERT, raw: true })) as unknown as [unknown, number];
  return { insertId: Number(result[0]) || 0, affectedRows: Number(result[1]) || 0 };
}

/** BIGINT columns arrive as strings from mysql2 (bigNumberStrings) and as numbers from SQLite. */
export const toId = (v: unknown): number => Number(v);

export function isUniqueViolation(err: unknown): boolean {
  return (err as { name?: string })?.name === 'SequelizeUniqueConstraintError';
}

/** A managed transaction (serialised on SQLite by server/db/database.ts). */
export async function withTransaction<T>(db: Database, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  return db.sequelize.transaction(fn);
}
