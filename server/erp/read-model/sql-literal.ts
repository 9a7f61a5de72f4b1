import type { Dialect } from '../../db/database.js';
import { sqlTime } from '../../jobs/sql.js';

/**
 * Builds SQL literals for bulk statements. Bulk upserts inline their values (thousands of rows per statement) because
 * binding that many parameters is slower than the statement itself and SQLite caps bound parameters; every value
 * passes through here, so strings are always escaped for the dialect.
 */
export type SqlValue = string | number | boolean | Date | null | undefined;

// MySQL/MariaDB string escapes (NO_BACKSLASH_ESCAPES off, the server default): https://mariadb.com/kb/en/string-literals/
// eslint-disable-next-line no-control-regex -- these control characters are exactly what must be escaped
const MYSQL_SPECIAL = /[\0\b\t\n\r\x1a"'\\]/g;
const MYSQL_ESCAPES: Record<string, string> = { '\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', '"': '\\"', "'": "\\'", '\\': '\\\\' };
// eslint-disable-next-line no-control-regex -- see above
const MYSQL_NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/;

export function quoteMysql(text: string): string {
  return MYSQL_NEEDS_ESCAPE.test(text) ? `'${text.replace(MYSQL_SPECIAL, (c) => MYSQL_ESCAPES[c]!)}'` : `'${text}'`;
}

// SQLite: only the quote is special inside '...'; NUL would end the C string, so it is dropped.
export function quoteSqlite(text: string): string {
  const clean = text.includes('\0') ? text.replace(/\0/g, '') : text;
  return clean.includes("'") ? `'${clean.replace(/'/g, "''")}'` : `'${clean}'`;
}

export type Literal = (value: SqlValue) => string;

export function literalFor(dialect: Dialect): Literal {
  const quote = dialect === 'sqlite' ? quoteSqlite : quoteMysql;
  return (value) => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'string') return quote(value);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
      return String(value);
    }
    if (typeof value === 'boolean') return value ? '1' : '0';
    return quote(sqlTime(value, dialect));
  };
}
