import type { Transaction } from 'sequelize';
import { withTransaction } from '../../jobs/sql.js';
import { deleteIn, upsertRows, type ColumnKind, type RowSource } from './bulk-upsert.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { emptyCounts } from './ingest-session.js';
import { literalFor, type SqlValue } from './sql-literal.js';
import { rawSelectArrays } from './raw-sql.js';

export interface PartitionSpec {
  table: string;
  /** The column a snapshot is replaced by: warehouse_id for stock, price_type_id for prices, customer_id for finance. */
  partition: string;
  /** The row key inside a partition (product_id, or currency for finance). */
  key: string;
  keyKind: 'int' | 'any';
  values: readonly string[];
  kinds: readonly ColumnKind[];
}

export type PartitionRow = [string | number, ...SqlValue[]];

export interface Partition {
  id: number;
  size: number;
  /**
   * Builds row i as [key, ...values], values already in the stored form (fixed-scale decimal strings, booleans).
   * Rows are built as the statement is written, overlapping with the database executing the previous chunk.
   */
  row(index: number): PartitionRow;
  /** Row i's key alone, without building the row (the first-load path only needs keys to drop duplicates). */
  key(index: number): string | number;
}

export const arrayPartition = (id: number, rows: PartitionRow[]): Partition => ({ id, size: rows.length, row: (i) => rows[i]!, key: (i) => rows[i]![0] });

/** Unit and record separators: never part of a decimal, currency, unit or date, so fingerprints cannot collide. */
const SEP = '\u001f';
const NULL = '\u001e';

/** A row's values as one string; the stored side computes the same string in SQL (storedFingerprint). */
function fingerprint(row: readonly unknown[], from: number): string {
  let out = '';
  for (let i = from; i < row.length; i++) {
    const v = row[i];
    out += (i > from ? SEP : '') + (v === null || v === undefined ? NULL : v === true ? '1' : v === false ? '0' : String(v));
  }
  return out;
}

function storedFingerprint(dialect: 'mysql' | 'sqlite', columns: readonly string[]): string {
  if (dialect === 'mysql') {
    return `CONCAT(${columns.map((c) => `IFNULL(${c}, CHAR(30 USING utf8mb4))`).join(', CHAR(31 USING utf8mb4), ')})`;
  }
  return columns.map((c) => `IFNULL(${c}, char(30))`).join(' || char(31) || ');
}

/** Loads partitions whole when a delta is this big; smaller deltas read only their keys. */
const WHOLE_PARTITION_THRESHOLD = 5_000;

/**
 * Writes snapshots that are replaced as a whole (stock per warehouse, a price list per price type, finance per
 * customer), each call in ONE transaction: read what is stored, diff in memory, upsert only new or changed rows,
 * delete rows the snapshot no longer has, commit. A concurrent reader sees the old snapshot or the new one, never a
 * mix (InnoDB consistent reads; SQLite readers see the last commit).
 *
 * Why diff + upsert rather than DELETE-all + INSERT or a generation column swap on MariaDB: most of a snapshot is
 * unchanged between pulls, and an unchanged row costs nothing here, while delete+insert rewrites every row twice (undo,
 * redo, both indexes, then purge) and a generation swap rewrites every row once and makes every reader join on the
 * current generation. For a first load the diff is empty and this is a plain batched insert, as fast as the
 * alternatives (tests/perf/erp-ingest.bench.ts measures both cases).
 *
 * mode 'merge' (delta packages, CommerceML СодержитТолькоИзменения) upserts without deleting.
 */
export async function replacePartitions(session: IngestSession, spec: PartitionSpec, partitions: Partition[], options: { mode: 'replace' | 'merge' }): Promise<IngestCounts> {
  const counts = emptyCounts();
  if (!partitions.length) return counts;
  await withTransaction(session.db, async (transaction) => {
    const stored = await loadStored(session, spec, partitions, options.mode, transaction);
    for (const partition of partitions) {
      const before = stored.get(partition.id);
      counts.received += partition.size;
      const incoming = new Set<string | number>();
      let source: RowSource;
      if (!before?.size) {
        // First load of this partition: nothing to compare with, rows stream straight into the statements.
        const order: number[] = [];
        for (let i = 0; i < partition.size; i++) {
          const key = partition.key(i);
          if (!incoming.has(key)) order.push(i);
          incoming.add(key);
        }
        counts.inserted += order.length;
        source = order.length === partition.size ? { length: partition.size, at: (i) => partition.row(i) } : { length: order.length, at: (i) => partition.row(order[i]!) };
      } else {
        const writes: PartitionRow[] = [];
        const latest = new Map<string | number, PartitionRow>();
        for (let i = 0; i < partition.size; i++) {
          const row = partition.row(i);
          latest.set(row[0], row);
        }
        for (const [key, row] of latest) {
          incoming.add(key);
          const was = before.get(key);
          if (was === undefined) {
            counts.inserted++;
            writes.push(row);
          } else if (was !== fingerprint(row, 1)) {
            counts.updated++;
            writes.push(row);
          } else counts.unchanged++;
        }
        source = writes;
      }
      await upsertRows(
        session.db,
        { table: spec.table, columns: ['portal_id', spec.partition, spec.key, ...spec.values], key: ['portal_id', spec.partition, spec.key], update: [...spec.values], touch: 'updated_at' },
        source,
        { transaction, prefix: [session.portalId, partition.id], kinds: [spec.keyKind, ...spec.kinds] },
      );
      if (options.mode === 'replace' && before?.size) {
        const gone: Array<string | number> = [];
        for (const key of before.keys()) if (!incoming.has(key)) gone.push(key);
        if (gone.length) {
          counts.deleted += await deleteIn(session.db, {
            table: spec.table,
            where: `portal_id = :portalId AND ${spec.partition} = :partitionId`,
            replacements: { portalId: session.portalId, partitionId: partition.id },
            column: spec.key,
            values: gone,
            transaction,
          });
        }
      }
    }
  });
  return counts;
}

/** Stored rows as partition → key → fingerprint, the fingerprint computed by the database (one string per row). */
async function loadStored(
  session: IngestSession,
  spec: PartitionSpec,
  partitions: Array<Pick<Partition, 'id' | 'size' | 'key'>>,
  mode: 'replace' | 'merge',
  transaction: Transaction | null,
): Promise<Map<number, Map<string | number, string>>> {
  const stored = new Map<number, Map<string | number, string>>();
  const lit = literalFor(session.db.dialect);
  const select = `SELECT ${spec.partition}, ${spec.key}, ${storedFingerprint(session.db.dialect, spec.values)} FROM ${spec.table} WHERE portal_id = ${lit(session.portalId)}`;
  const intKey = spec.keyKind === 'int';
  const add = (rows: unknown[][]) => {
    for (const r of rows) {
      const p = Number(r[0]);
      let map = stored.get(p);
      if (!map) stored.set(p, (map = new Map()));
      map.set(intKey ? Number(r[1]) : String(r[1]), String(r[2]));
    }
  };
  const total = partitions.reduce((n, p) => n + p.size, 0);
  if (mode === 'replace' || total > WHOLE_PARTITION_THRESHOLD) {
    const ids = partitions.map((p) => p.id);
    for (let i = 0; i < ids.length; i += 500) {
      add(await rawSelectArrays(session.db, `${select} AND ${spec.partition} IN (${ids.slice(i, i + 500).map(lit).join(',')})`, transaction));
    }
    return stored;
  }
  for (const partition of partitions) {
    const keys = Array.from({ length: partition.size }, (_, i) => partition.key(i));
    for (let i = 0; i < keys.length; i += 1_000) {
      add(await rawSelectArrays(session.db, `${select} AND ${spec.partition} = ${lit(partition.id)} AND ${spec.key} IN (${keys.slice(i, i + 1_000).map(lit).join(',')})`, transaction));
    }
  }
  return stored;
}

/**
 * A snapshot that arrives as a stream of pages mixing partitions (1C SliceLast pages through every price type,
 * ordered by product): each page is diffed against what is stored and only changed rows are upserted, in batches;
 * `finish` then deletes, per partition, the rows the stream did not bring. Changes become visible batch by batch (a
 * price list is not swapped atomically — prices are upserted; the atomic per-partition replace is
 * `replacePartitions`), and memory holds one fingerprint per stored row instead of the whole snapshot.
 */
export interface SnapshotStream {
  /** Diffs a page; changed rows are buffered per partition and written in statements of up to 5 000 rows. */
  write(partitions: Partition[]): Promise<IngestCounts>;
  /** Writes what is buffered, then deletes unseen rows of these partitions (those the stream covered completely). */
  finish(complete: number[]): Promise<IngestCounts>;
}

/** Rows a stream buffers per partition before writing them as one statement (pages are smaller and mix partitions). */
const STREAM_FLUSH_ROWS = 5_000;

export function openSnapshotStream(session: IngestSession, spec: PartitionSpec): SnapshotStream {
  const stored = new Map<number, Map<string | number, string>>();
  const seen = new Map<number, Set<string | number>>();
  const buffers = new Map<number, PartitionRow[]>();
  // One statement in flight while the next page is diffed; a failure surfaces at the next flush or at finish.
  let inflight: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const load = async (ids: number[]) => {
    const missing = ids.filter((id) => !stored.has(id));
    if (!missing.length) return;
    const loaded = await loadStored(session, spec, missing.map((id) => ({ id, size: 0, key: () => 0 })), 'replace', null);
    for (const id of missing) stored.set(id, loaded.get(id) ?? new Map());
  };
  const upsert = { table: spec.table, columns: ['portal_id', spec.partition, spec.key, ...spec.values], key: ['portal_id', spec.partition, spec.key], update: [...spec.values], touch: 'updated_at' };
  const flush = async (id: number) => {
    const rows = buffers.get(id);
    if (!rows?.length) return;
    buffers.set(id, []);
    await inflight;
    if (failure) throw failure;
    inflight = upsertRows(session.db, upsert, rows, { prefix: [session.portalId, id], kinds: [spec.keyKind, ...spec.kinds] }).catch((err: unknown) => {
      failure = err;
    });
  };
  const drain = async () => {
    for (const id of buffers.keys()) await flush(id);
    await inflight;
    if (failure) throw failure;
  };
  return {
    async write(partitions) {
      const counts = emptyCounts();
      await load(partitions.map((p) => p.id));
      for (const partition of partitions) {
        const before = stored.get(partition.id)!;
        let marks = seen.get(partition.id);
        if (!marks) seen.set(partition.id, (marks = new Set()));
        let buffer = buffers.get(partition.id);
        if (!buffer) buffers.set(partition.id, (buffer = []));
        for (let i = 0; i < partition.size; i++) {
          const row = partition.row(i);
          counts.received++;
          const again = marks.has(row[0]);
          marks.add(row[0]);
          const was = before.get(row[0]);
          if (was === undefined) {
            // New rows keep no fingerprint (a first pull of 700 000 prices would hold them all); a key repeated
            // within the stream is simply written again.
            if (again) counts.updated++;
            else counts.inserted++;
            buffer.push(row);
            continue;
          }
          const fp = fingerprint(row, 1);
          if (was === fp) {
            counts.unchanged++;
            continue;
          }
          counts.updated++;
          before.set(row[0], fp);
          buffer.push(row);
        }
        if (buffer.length >= STREAM_FLUSH_ROWS) await flush(partition.id);
      }
      return counts;
    },
    async finish(complete) {
      const counts = emptyCounts();
      await drain();
      await load(complete);
      for (const id of complete) {
        const marks = seen.get(id) ?? new Set();
        const gone = [...stored.get(id)!.keys()].filter((k) => !marks.has(k));
        if (!gone.length) continue;
        counts.deleted += await withTransaction(session.db, (transaction) =>
          deleteIn(session.db, { table: spec.table, where: `portal_id = :portalId AND ${spec.partition} = :partitionId`, replacements: { portalId: session.portalId, partitionId: id }, column: spec.key, values: gone, transaction }),
        );
        for (const k of gone) stored.get(id)!.delete(k);
      }
      return counts;
    },
  };
}

/** Runs partitions with bounded parallelism (separate transactions and connections on MariaDB). */
export async function forEachPartition<T>(items: T[], parallelism: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, worker));
}

