import type { Transaction } from 'sequelize';
import { upsertRows } from './bulk-upsert.js';
import type { IngestCounts, IngestSession, ReadModelEntity } from './ingest-session.js';
import { emptyCounts } from './ingest-session.js';
import { rowHash } from './normalize.js';
import type { SqlValue } from './sql-literal.js';

export interface RefEntitySpec<T> {
  entity: ReadModelEntity;
  table: string;
  /** Data columns, besides portal_id, erp_id, row_hash, is_stub and the timestamps. */
  columns: readonly string[];
  erpId(item: T): string;
  /** Values for `columns`; references to other entities must be resolved in `prepare`. */
  row(item: T): SqlValue[];
  /** Resolves (and stubs) the other entities the rows point to, before `row` runs. */
  prepare?(items: T[], transaction?: Transaction | null): Promise<number>;
}

export interface Written<T> {
  erpId: string;
  id: number;
  item: T;
  isNew: boolean;
  /** The stored fingerprint: identifies this version of the row (idempotency key for change hooks). */
  hash: string;
}

/**
 * Upserts master-data rows keyed by (portal_id, erp_id). A row whose stored fingerprint equals the new one is not
 * written at all, so a repeated full pull of an unchanged catalog costs reads only. Returns the rows written.
 */
export async function upsertByRef<T>(
  session: IngestSession,
  spec: RefEntitySpec<T>,
  items: readonly T[],
  options: { transaction?: Transaction | null } = {},
): Promise<{ counts: IngestCounts; written: Array<Written<T>> }> {
  const counts = emptyCounts();
  counts.received = items.length;
  if (!items.length) return { counts, written: [] };
  const byRef = new Map<string, T>();
  for (const item of items) byRef.set(spec.erpId(item), item);
  const unique = [...byRef.values()];
  counts.stubs += (await spec.prepare?.(unique, options.transaction)) ?? 0;
  const resolver = session.refs[spec.entity];
  await resolver.load(byRef.keys(), options.transaction);
  const now = session.now();
  const rows: SqlValue[][] = [];
  const changed: Array<{ erpId: string; item: T; hash: string; isNew: boolean }> = [];
  for (const [erpId, item] of byRef) {
    const values = spec.row(item);
    const hash = rowHash(values);
    const state = resolver.get(erpId);
    if (state && !state.stub && state.hash === hash) {
      counts.unchanged++;
      continue;
    }
    if (state && !state.stub) counts.updated++;
    else counts.inserted++;
    rows.push([session.portalId, erpId, ...values, hash, false, now, now, now]);
    changed.push({ erpId, item, hash, isNew: !state });
  }
  if (!rows.length) return { counts, written: [] };
  await upsertRows(
    session.db,
    {
      table: spec.table,
      columns: ['portal_id', 'erp_id', ...spec.columns, 'row_hash', 'is_stub', 'synced_at', 'created_at', 'updated_at'],
      key: ['portal_id', 'erp_id'],
      update: [...spec.columns, 'row_hash', 'is_stub', 'synced_at', 'updated_at'],
    },
    rows,
    { transaction: options.transaction },
  );
  const fresh = changed.filter((c) => c.isNew).map((c) => c.erpId);
  if (fresh.length) await resolver.readIds(fresh, options.transaction);
  const written: Array<Written<T>> = [];
  for (const c of changed) {
    const state = resolver.get(c.erpId);
    if (!state) continue;
    resolver.set(c.erpId, { id: state.id, hash: c.hash, stub: false });
    written.push({ erpId: c.erpId, id: state.id, item: c.item, isNew: c.isNew, hash: c.hash });
  }
  return { counts, written };
}
