import type { Transaction } from 'sequelize';
import { selectRows, withTransaction } from '../../jobs/sql.js';
import { deleteIn, upsertRows } from './bulk-upsert.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { emptyCounts } from './ingest-session.js';
import type { SqlValue } from './sql-literal.js';

export interface PartitionSpec {
  table: string;
  /** The column a snapshot is replaced by: warehouse_id for stock, price_type_id for prices, customer_id for finance. */
  partition: string;
  /** The row key inside a partition (product_id, or currency for finance). */
  key: string;
  values: readonly string[];
}

export interface Partition {
  id: number;
  /** [key, ...values]; values already in the stored form (fixed-scale decimal strings). */
  rows: Array<[string | number, ...SqlValue[]]>;
}

const SEP = '\u0001';
const NULL = '\u0000';
const fingerprint = (values: readonly unknown[]) => values.map((v) => (v === null || v === undefined ? NULL : typeof v === 'boolean' ? (v ? '1' : '0') : String(v))).join(SEP);

/** Loads partitions whole when a delta is this big; smaller deltas read only their keys. */
const WHOLE_PARTITION_THRESHOLD = 5_000;

/**
 * Writes snapshots that are replaced as a whole (stock per warehouse, a price list per price type, finance per
 * customer), each partition in ONE transaction: read what is stored, diff in memory, upsert only new or changed rows,
 * delete rows the snapshot no longer has, commit. A concurrent reader sees the old snapshot or the new one, never a
 * mix (InnoDB consistent reads; SQLite readers see the last commit).
 *
 * Why diff + upsert rather than DELETE-all + INSERT or a generation column swap on MariaDB: most of a snapshot is
 * unchanged between pulls, and an unchanged row costs nothing here, while delete+insert rewrites every row twice (undo,
 * redo, both indexes, then purge) and a generation swap rewrites every row once and forces every reader to join on
 * the current generation. For a first load the diff is empty and this is a plain batched insert.
 *
 * mode 'merge' (delta packages, CommerceML СодержитТолькоИзменения) upserts without deleting.
 */
export async function replacePartitions(
  session: IngestSession,
  spec: PartitionSpec,
  partitions: Partition[],
  options: { mode: 'replace' | 'merge' },
): Promise<IngestCounts> {
  const counts = emptyCounts();
  if (!partitions.length) return counts;
  await withTransaction(session.db, async (transaction) => {
    const stored = await loadStored(session, spec, partitions, options.mode, transaction);
    const now = session.now();
    const writes: SqlValue[][] = [];
    const deletes = new Map<number, Array<string | number>>();
    for (const partition of partitions) {
      const incoming = new Map<string, [string | number, ...SqlValue[]]>();
      for (const row of partition.rows) incoming.set(String(row[0]), row);
      counts.received += partition.rows.length;
      for (const [key, row] of incoming) {
        const before = stored.get(`${partition.id}${SEP}${key}`);
        const after = fingerprint(row.slice(1));
        if (before === after) counts.unchanged++;
        else {
          if (before === undefined) counts.inserted++;
          else counts.updated++;
          writes.push([session.portalId, partition.id, ...row, now]);
        }
      }
      if (options.mode === 'replace') {
        const prefix = `${partition.id}${SEP}`;
        const gone: Array<string | number> = [];
        for (const storedKey of stored.keys()) {
          if (!storedKey.startsWith(prefix)) continue;
          const key = storedKey.slice(prefix.length);
          if (!incoming.has(key)) gone.push(spec.key === 'product_id' ? Number(key) : key);
        }
        if (gone.length) deletes.set(partition.id, gone);
      }
    }
    await upsertRows(
      session.db,
      { table: spec.table, columns: ['portal_id', spec.partition, spec.key, ...spec.values, 'updated_at'], key: ['portal_id', spec.partition, spec.key], update: [...spec.values, 'updated_at'] },
      writes,
      { transaction },
    );
    for (const [partitionId, keys] of deletes) {
      counts.deleted += await deleteIn(session.db, {
        table: spec.table,
        where: `portal_id = :portalId AND ${spec.partition} = :partitionId`,
        replacements: { portalId: session.portalId, partitionId },
        column: spec.key,
        values: keys,
        transaction,
      });
    }
  });
  return counts;
}

async function loadStored(session: IngestSession, spec: PartitionSpec, partitions: Partition[], mode: 'replace' | 'merge', transaction: Transaction): Promise<Map<string, string>> {
  const stored = new Map<string, string>();
  const cols = `${spec.partition} AS p, ${spec.key} AS k, ${spec.values.join(', ')}`;
  const add = (rows: Array<Record<string, unknown>>) => {
    for (const r of rows) stored.set(`${r.p}${SEP}${r.k}`, fingerprint(spec.values.map((v) => normalizeStored(r[v]))));
  };
  const total = partitions.reduce((n, p) => n + p.rows.length, 0);
  if (mode === 'replace' || total > WHOLE_PARTITION_THRESHOLD) {
    const ids = partitions.map((p) => p.id);
    for (let i = 0; i < ids.length; i += 500) {
      add(await selectRows(session.db, `SELECT ${cols} FROM ${spec.table} WHERE portal_id = :portalId AND ${spec.partition} IN (:ids)`, { portalId: session.portalId, ids: ids.slice(i, i + 500) }, transaction));
    }
    return stored;
  }
  for (const partition of partitions) {
    const keys = partition.rows.map((r) => r[0]);
    for (let i = 0; i < keys.length; i += 1_000) {
      add(
        await selectRows(
          session.db,
          `SELECT ${cols} FROM ${spec.table} WHERE portal_id = :portalId AND ${spec.partition} = :partitionId AND ${spec.key} IN (:keys)`,
          { portalId: session.portalId, partitionId: partition.id, keys: keys.slice(i, i + 1_000) },
          transaction,
        ),
      );
    }
  }
  return stored;
}

/** Stored values as the ingest writes them: booleans as 0/1 (MariaDB TINYINT, SQLite integer), the rest as text. */
function normalizeStored(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Runs partitions with bounded parallelism (separate transactions and connections on MariaDB). */
export async function forEachPartition<T>(items: T[], parallelism: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, worker));
}
