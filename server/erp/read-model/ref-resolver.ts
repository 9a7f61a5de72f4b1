import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { selectRows, toId } from '../../jobs/sql.js';
import { rawSelectArrays } from './raw-sql.js';
import { upsertRows } from './bulk-upsert.js';
import type { SqlValue } from './sql-literal.js';

export interface RefState {
  id: number;
  hash: string | null;
  stub: boolean;
}

/** Asking for more unknown references than this loads the portal's whole map in one scan instead of IN-lists. */
const PRELOAD_THRESHOLD = 2_000;

/**
 * ERP reference (erp_id) → our surrogate id for one table and portal, cached for an ingest session. Big ingests load
 * the whole map once; small inbound batches look up only what they need. References nobody has sent yet get a stub
 * row (is_stub = 1), so a price or stock row is never dropped because its product arrives later; the product's own
 * sync fills the stub in.
 */
export class RefResolver {
  private readonly refs = new Map<string, RefState>();
  private complete = false;

  constructor(
    private readonly db: Database,
    readonly table: string,
    private readonly portalId: number,
    /** Columns and values of a stub row besides portal_id, erp_id and the timestamps. */
    private readonly stub: { columns: string[]; values: (erpId: string) => SqlValue[] },
  ) {}

  get(erpId: string): RefState | undefined {
    return this.refs.get(erpId);
  }

  set(erpId: string, state: RefState): void {
    this.refs.set(erpId, state);
  }

  get size(): number {
    return this.refs.size;
  }

  private preloading: Promise<void> | null = null;

  /** The portal's whole map in one scan (concurrent callers share it). */
  async preloadAll(transaction?: Transaction | null): Promise<void> {
    if (this.complete) return;
    this.preloading ??= (async () => {
      const rows = await rawSelectArrays(this.db, `SELECT id, erp_id, row_hash, is_stub FROM ${this.table} WHERE portal_id = ${Number(this.portalId)}`, transaction);
      for (const r of rows) if (!this.refs.has(String(r[1]))) this.refs.set(String(r[1]), { id: toId(r[0]), hash: (r[2] as string | null) ?? null, stub: Boolean(Number(r[3])) });
      this.complete = true;
    })().finally(() => {
      this.preloading = null;
    });
    return this.preloading;
  }

  /** Makes sure every given reference that exists in the table is in the cache. */
  async load(erpIds: Iterable<string>, transaction?: Transaction | null): Promise<void> {
    if (this.complete) return;
    const unknown = this.unknown(erpIds);
    if (!unknown.size) return;
    if (unknown.size > PRELOAD_THRESHOLD) return this.preloadAll(transaction);
    await this.readIds([...unknown], transaction);
  }

  private unknown(erpIds: Iterable<string>): Set<string> {
    const unknown = new Set<string>();
    for (const id of erpIds) if (!this.refs.has(id)) unknown.add(id);
    return unknown;
  }

  /** Ids for every reference, creating stub rows for the ones the table does not have yet. Returns how many stubs. */
  async ensure(erpIds: Iterable<string>, now: Date, transaction?: Transaction | null): Promise<number> {
    const unknown = this.unknown(erpIds);
    if (!unknown.size) return 0;
    await this.load(unknown, transaction);
    const missing = [...unknown].filter((id) => !this.refs.has(id));
    if (!missing.length) return 0;
    await upsertRows(
      this.db,
      { table: this.table, columns: ['portal_id', 'erp_id', 'is_stub', ...this.stub.columns, 'synced_at', 'created_at', 'updated_at'], key: ['portal_id', 'erp_id'], update: [] },
      missing.map((erpId) => [this.portalId, erpId, true, ...this.stub.values(erpId), now, now, now]),
      { transaction },
    );
    await this.readIds(missing, transaction);
    return missing.length;
  }

  /**
   * Our ids for a list of references, aligned with it (one map lookup per entry; big ingests call this with every
   * row's reference). Unknown ones are loaded or created as stubs. Returns the ids and how many stubs were made.
   */
  async resolveIds(erpIds: readonly string[], now: Date, transaction?: Transaction | null): Promise<{ ids: number[]; stubs: number }> {
    const ids: number[] = new Array(erpIds.length);
    let missing: Set<string> | null = null;
    for (let i = 0; i < erpIds.length; i++) {
      const state = this.refs.get(erpIds[i]!);
      if (state) ids[i] = state.id;
      else (missing ??= new Set()).add(erpIds[i]!);
    }
    if (!missing) return { ids, stubs: 0 };
    const stubs = await this.ensure(missing, now, transaction);
    for (let i = 0; i < erpIds.length; i++) if (ids[i] === undefined) ids[i] = this.refs.get(erpIds[i]!)!.id;
    return { ids, stubs };
  }

  /** Reads ids of rows just written (their hash comes back as stored). */
  async readIds(erpIds: string[], transaction?: Transaction | null): Promise<void> {
    for (let i = 0; i < erpIds.length; i += 1_000) {
      const rows = await selectRows<Record<string, unknown>>(
        this.db,
        `SELECT id, erp_id, row_hash, is_stub FROM ${this.table} WHERE portal_id = :portalId AND erp_id IN (:ids)`,
        { portalId: this.portalId, ids: erpIds.slice(i, i + 1_000) },
        transaction,
      );
      for (const r of rows) this.refs.set(String(r.erp_id), { id: toId(r.id), hash: (r.row_hash as string | null) ?? null, stub: Boolean(Number(r.is_stub)) });
    }
  }

  /** Every cached reference (after preloadAll: the whole table for the portal). */
  entries(): IterableIterator<[string, RefState]> {
    return this.refs.entries();
  }
}
