import type { Database } from '../../db/database.js';
import { selectRows } from '../../jobs/sql.js';
import type { Cursor, ErpConnector, ErpOrderState, ErpRef, ErpStock, ErpWarehouse, Page } from '../port.js';
import { isErpError } from '../port.js';
import { computeBackoffMs } from '../../jobs/index.js';
import {
  addCounts,
  emptyCounts,
  ingestCustomerFinance,
  ingestCustomers,
  ingestDocuments,
  ingestGroups,
  ingestPrices,
  ingestPriceTypes,
  ingestProducts,
  openPriceSnapshot,
  ingestStock,
  ingestWarehouses,
  markMissingDeleted,
  type IngestCounts,
  type IngestSession,
} from '../read-model/index.js';
import { ingestOrderStatesWithHooks, type TransactionalEnqueuer } from './order-state-changes.js';
import type { SyncEntity, TSyncMode } from './sync-entities.js';
import type { SyncOptions } from './sync-options.js';
import type { SyncCursorState } from './sync-state.repository.js';

export interface SyncCounts extends IngestCounts {
  pages: number;
  /** Order-state changes handed to the stage hook. */
  changed?: number;
}

export interface RunnerContext {
  db: Database;
  portalId: number;
  entity: SyncEntity;
  mode: TSyncMode;
  connector: ErpConnector;
  session: IngestSession;
  signal: AbortSignal;
  stored: SyncCursorState;
  options: SyncOptions;
  queue: TransactionalEnqueuer;
  now(): Date;
  /** Adds to the run's progress (current/total); also where an aborted run stops. */
  progress(done: number, total?: number | null): Promise<void>;
}

export interface RunnerResult {
  counts: SyncCounts;
  /** Resume cursor for the next delta run (undefined: keep the stored one). */
  cursor?: string | null;
  watermark?: string | null;
  /** The run read the complete data set (sets last_full_at). */
  full?: boolean;
  /** Why nothing was done (the ERP cannot, or the data arrives inbound). */
  skipped?: string;
}

const emptySync = (): SyncCounts => ({ ...emptyCounts(), pages: 0 });

/**
 * ERP reads are idempotent: a transient failure (connection reset, 503, 429) is retried with backoff, at least
 * Retry-After, before it fails a run that may already have read 100 000 rows.
 */
export async function readWithRetry<T>(ctx: Pick<RunnerContext, 'options' | 'signal' | 'session'>, what: string, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (!isErpError(err) || !err.retryable || attempt > ctx.options.readRetries || ctx.signal.aborted) throw err;
      const delay = Math.max(computeBackoffMs(attempt, ctx.options.readRetryBackoff), err.retryAfterMs ?? 0);
      ctx.session.logger.warn({ what, attempt, delay, err: err.message }, 'ERP read failed; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
const skipped = (reason: string): RunnerResult => ({ counts: emptySync(), skipped: reason });
const MAX_PAGES = 1_000_000;

/**
 * Pages through a cursor until the adapter says it is caught up (`next: null`). The next page is requested while the
 * current one is being written, so ERP latency and database time overlap. Returns the cursor of the last call: the
 * position a later delta run resumes from (the 1C adapter ends a pass on a cursor whose next call finds nothing new).
 */
async function drainPages<T>(ctx: RunnerContext, read: (cursor: Cursor | null) => Promise<Page<T>>, start: Cursor | null, onPage: (page: Page<T>) => Promise<void>): Promise<Cursor | null> {
  const fetch = (c: Cursor | null) => readWithRetry(ctx, `${ctx.entity} page`, () => read(c));
  let cursor = start;
  let pending = fetch(cursor);
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await pending;
    const next = page.next;
    const done = !next || next.token === cursor?.token;
    if (!done) {
      pending = fetch(next);
      pending.catch(() => undefined); // surfaced by the await above on the next turn
    }
    await onPage(page);
    if (done) return cursor;
    cursor = next;
  }
  throw new Error(`${ctx.entity}: gave up after ${MAX_PAGES} pages (the adapter keeps returning a next cursor)`);
}

async function collect<T>(ctx: RunnerContext, fetch: (cursor: Cursor | null) => Promise<Page<T>>, counts: SyncCounts): Promise<T[]> {
  const out: T[] = [];
  await drainPages(ctx, fetch, null, async (page) => {
    counts.pages++;
    for (const item of page.items) out.push(item);
    if (ctx.signal.aborted) throw ctx.signal.reason;
  });
  return out;
}

/**
 * Writes items in order with the next item's fetch started while the current one is written. The fetch functions
 * retry on their own (drainPages or readWithRetry).
 */
async function pipeline<I, R>(items: readonly I[], fetch: (item: I) => Promise<R>, write: (item: I, fetched: R) => Promise<void>): Promise<void> {
  let pending: Promise<R> | null = items.length ? fetch(items[0]!) : null;
  for (let i = 0; i < items.length; i++) {
    const fetched = await pending!;
    pending = i + 1 < items.length ? fetch(items[i + 1]!) : null;
    pending?.catch(() => undefined);
    await write(items[i]!, fetched);
  }
}

const localIso = (d: Date) => d.toISOString().slice(0, 19);
const daysBefore = (d: Date, days: number) => new Date(d.getTime() - days * 86_400_000);

async function liveErpIds(db: Database, table: string, portalId: number): Promise<string[]> {
  const rows = await selectRows<Record<string, unknown>>(db, `SELECT erp_id FROM ${table} WHERE portal_id = :portalId AND deleted = :no AND is_stub = :no ORDER BY id`, { portalId, no: false });
  return rows.map((r) => String(r.erp_id));
}

/** A complete list: written, and rows the ERP no longer lists are marked deleted (unless the answer was empty). */
async function syncList<T extends { ref: ErpRef }>(
  ctx: RunnerContext,
  entity: 'groups' | 'warehouses' | 'priceTypes',
  items: T[],
  ingest: (session: IngestSession, items: T[]) => Promise<IngestCounts>,
): Promise<RunnerResult> {
  const counts = emptySync();
  counts.pages = 1;
  addCounts(counts, await ingest(ctx.session, items));
  // An empty answer is far more often a fault (wrong base, no rights) than an empty ERP: never sweep on it.
  if (items.length) counts.deleted += await markMissingDeleted(ctx.session, entity, new Set(items.map((i) => i.ref.erpId)));
  await ctx.progress(items.length, items.length);
  return { counts, full: true };
}

export const RUNNERS: Record<SyncEntity, (ctx: RunnerContext) => Promise<RunnerResult>> = {
  async groups(ctx) {
    if (ctx.connector.capabilities.catalog !== 'pull') return skipped('the ERP pushes its catalog through the inbound feed');
    return syncList(ctx, 'groups', await readWithRetry(ctx, 'groups', () => ctx.connector.productGroups(ctx.signal)), ingestGroups);
  },

  async warehouses(ctx) {
    if (!ctx.connector.capabilities.stock) return skipped('the ERP does not report stock');
    return syncList(ctx, 'warehouses', await readWithRetry(ctx, 'warehouses', () => ctx.connector.warehouses(ctx.signal)), ingestWarehouses);
  },

  async priceTypes(ctx) {
    if (!ctx.connector.capabilities.prices) return skipped('the ERP does not report prices');
    return syncList(ctx, 'priceTypes', await readWithRetry(ctx, 'price types', () => ctx.connector.priceTypes(ctx.signal)), ingestPriceTypes);
  },

  /**
   * Full: from the beginning, then products the ERP no longer has are marked deleted. Delta (cursor stored, adapter
   * incremental): only what changed since that cursor (1C: DataVersion compare inside the adapter's cursor).
   */
  async products(ctx) {
    const caps = ctx.connector.capabilities;
    if (caps.catalog !== 'pull') return skipped('the ERP pushes its catalog through the inbound feed');
    const incremental = caps.incremental.products;
    const resume: Cursor | null = ctx.mode === 'delta' && incremental !== 'snapshot' && incremental !== 'none' && ctx.stored.cursor ? { token: ctx.stored.cursor } : null;
    const run = async (start: Cursor | null) => {
      const counts = emptySync();
      const seen = start === null ? new Set<string>() : null;
      if (seen) {
        await ctx.session.refs.products.preloadAll();
        await ctx.session.refs.groups.preloadAll();
      }
      const last = await drainPages(ctx, (c) => ctx.connector.products(c, ctx.signal), start, async (page) => {
        counts.pages++;
        addCounts(counts, await ingestProducts(ctx.session, page.items));
        if (seen) for (const p of page.items) seen.add(p.ref.erpId);
        await ctx.progress(page.items.length, page.total);
      });
      if (seen?.size) counts.deleted += await markMissingDeleted(ctx.session, 'products', seen);
      return { counts, cursor: last?.token ?? null, full: seen !== null };
    };
    try {
      return await run(resume);
    } catch (err) {
      // A stored cursor the adapter no longer understands (upgrade, other profile): start over with a full pass.
      if (resume && isErpError(err) && err.kind === 'validation' && /cursor/i.test(err.message)) {
        ctx.session.logger.warn({ err: err.message }, 'stored products cursor rejected; running a full pass');
        return run(null);
      }
      throw err;
    }
  },

  /** A complete price pull (1C SliceLast is a snapshot): changed prices upserted, vanished ones removed. */
  async prices(ctx) {
    const caps = ctx.connector.capabilities;
    if (!caps.prices) return skipped('the ERP does not report prices');
    const counts = emptySync();
    const incremental = caps.incremental.prices;
    if (ctx.mode === 'delta' && (incremental === 'modified-since' || incremental === 'change-keys') && ctx.stored.cursor) {
      const last = await drainPages(ctx, (c) => ctx.connector.prices({}, c, ctx.signal), { token: ctx.stored.cursor }, async (page) => {
        counts.pages++;
        addCounts(counts, await ingestPrices(ctx.session, page.items, { mode: 'merge' }));
        await ctx.progress(page.items.length);
      });
      return { counts, cursor: last?.token ?? null };
    }
    const types = await readWithRetry(ctx, 'price types', () => ctx.connector.priceTypes(ctx.signal));
    await ingestPriceTypes(ctx.session, types);
    await ctx.session.refs.products.preloadAll();
    // One pass over every price type (the ERP pages one ordered result instead of one query per type), each page
    // diffed and upserted as it comes; then prices the pass did not bring are removed from every type it covered.
    const snapshot = openPriceSnapshot(ctx.session);
    await drainPages(ctx, (c) => ctx.connector.prices({}, c, ctx.signal), null, async (page) => {
      counts.pages++;
      addCounts(counts, await snapshot.write(page.items));
      await ctx.progress(page.items.length, page.total);
    });
    const covered = new Map(types.map((t) => [t.ref.erpId, t.ref]));
    for (const erpId of await liveErpIds(ctx.db, 'erp_price_types', ctx.portalId)) if (!covered.has(erpId)) covered.set(erpId, { erpId });
    addCounts(counts, await snapshot.finish([...covered.values()]));
    return { counts, cursor: null, full: true };
  },

  /** Each warehouse's stock is pulled whole and replaces the stored snapshot in one transaction. */
  async stock(ctx) {
    if (!ctx.connector.capabilities.stock) return skipped('the ERP does not report stock');
    const counts = emptySync();
    const warehouses = await readWithRetry(ctx, 'warehouses', () => ctx.connector.warehouses(ctx.signal));
    await ingestWarehouses(ctx.session, warehouses);
    await ctx.session.refs.products.preloadAll();
    await pipeline<ErpWarehouse, ErpStock[]>(
      warehouses,
      (w) => collect(ctx, (c) => ctx.connector.stock({ warehouseRefs: [w.ref] }, c, ctx.signal), counts),
      async (w, rows) => {
        const snapshot = rows.filter((r) => r.warehouseRef.erpId === w.ref.erpId);
        addCounts(counts, await ingestStock(ctx.session, snapshot, { mode: 'replace', warehouseRefs: [w.ref] }));
        await ctx.progress(rows.length);
      },
    );
    // Warehouses the ERP no longer lists keep no stock.
    if (warehouses.length) {
      const listed = new Set(warehouses.map((w) => w.ref.erpId));
      const gone = (await liveErpIds(ctx.db, 'erp_warehouses', ctx.portalId)).filter((id) => !listed.has(id));
      if (gone.length) addCounts(counts, await ingestStock(ctx.session, [], { mode: 'replace', warehouseRefs: gone.map((erpId) => ({ erpId })) }));
    }
    return { counts, cursor: null, full: true };
  },

  async customers(ctx) {
    const counts = emptySync();
    const seen = new Set<string>();
    await drainPages(ctx, (c) => ctx.connector.customers(c, ctx.signal), null, async (page) => {
      counts.pages++;
      addCounts(counts, await ingestCustomers(ctx.session, page.items));
      for (const c of page.items) seen.add(c.ref.erpId);
      await ctx.progress(page.items.length, page.total);
    });
    if (seen.size) counts.deleted += await markMissingDeleted(ctx.session, 'customers', seen);
    return { counts, full: true };
  },

  /** Receivables and credit limits of every known customer, a batch per call; each customer's snapshot is replaced. */
  async finance(ctx) {
    if (!ctx.connector.capabilities.finance) return skipped('the ERP does not report receivables');
    const counts = emptySync();
    const ids = await liveErpIds(ctx.db, 'erp_customers', ctx.portalId);
    const batches: ErpRef[][] = [];
    for (let i = 0; i < ids.length; i += ctx.options.financeBatch) batches.push(ids.slice(i, i + ctx.options.financeBatch).map((erpId) => ({ erpId })));
    await pipeline(
      batches,
      (refs) => readWithRetry(ctx, 'customer finance', () => ctx.connector.customerFinance(refs, ctx.signal)),
      async (refs, rows) => {
        counts.pages++;
        addCounts(counts, await ingestCustomerFinance(ctx.session, rows, { customerRefs: refs }));
        await ctx.progress(refs.length, ids.length);
      },
    );
    return { counts, full: true };
  },

  /** A date window: from the last watermark (minus an overlap for late postings) to now. */
  async documents(ctx) {
    if (!ctx.connector.capabilities.documents) return skipped('the ERP does not report documents');
    const counts = emptySync();
    const to = ctx.now();
    const from =
      ctx.mode === 'delta' && ctx.stored.watermark
        ? daysBefore(new Date(ctx.stored.watermark), ctx.options.documentsOverlapDays)
        : daysBefore(to, ctx.options.documentsHistoryDays);
    await drainPages(ctx, (c) => ctx.connector.documents({ from: localIso(from), to: localIso(to) }, c, ctx.signal), null, async (page) => {
      counts.pages++;
      addCounts(counts, await ingestDocuments(ctx.session, page.items));
      await ctx.progress(page.items.length, page.total);
    });
    return { counts, watermark: to.toISOString(), full: ctx.mode === 'full' || !ctx.stored.watermark };
  },

  /**
   * Orders dated within the window, then open orders older than it by external id. Changed states reach the
   * ordering module through durable erp.order-state.changed jobs.
   */
  async orderStates(ctx) {
    const counts: SyncCounts = { ...emptySync(), changed: 0 };
    const now = ctx.now();
    const incremental = ctx.connector.capabilities.incremental.orderStates;
    // A full run reaches as far back as the document history; a delta run re-reads the recent window.
    const since =
      ctx.mode === 'full'
        ? daysBefore(now, ctx.options.documentsHistoryDays)
        : incremental === 'modified-since' && ctx.stored.watermark
          ? daysBefore(new Date(ctx.stored.watermark), ctx.options.documentsOverlapDays)
          : daysBefore(now, ctx.options.orderStatesWindowDays);
    const seen = new Set<string>();
    const write = async (page: Page<ErpOrderState>) => {
      counts.pages++;
      const { counts: c, changed } = await ingestOrderStatesWithHooks(ctx.session, page.items, ctx.queue);
      addCounts(counts, c);
      counts.changed! += changed;
      for (const s of page.items) if (s.externalId) seen.add(s.externalId.toLowerCase());
      await ctx.progress(page.items.length);
    };
    await drainPages(ctx, (c) => ctx.connector.orderStates({ since: localIso(since) }, c, ctx.signal), null, write);
    const open = (await openOrderExternalIds(ctx.db, ctx.portalId, ctx.options.orderStatesOpenLimit * 2)).filter((id) => !seen.has(id.toLowerCase())).slice(0, ctx.options.orderStatesOpenLimit);
    if (open.length) await drainPages(ctx, (c) => ctx.connector.orderStates({ externalIds: open }, c, ctx.signal), null, write);
    return { counts, watermark: now.toISOString() };
  },
};

/** Our orders the ERP has not finished with: states not final, and pushed orders with no state yet. */
async function openOrderExternalIds(db: Database, portalId: number, limit: number): Promise<string[]> {
  const open = await selectRows<Record<string, unknown>>(
    db,
    `SELECT external_id FROM erp_order_states WHERE portal_id = :portalId AND external_id IS NOT NULL AND status NOT IN ('closed', 'cancelled', 'delivered') ORDER BY updated_at LIMIT ${Math.floor(limit)}`,
    { portalId },
  );
  const pushed = await selectRows<Record<string, unknown>>(
    db,
    `SELECT o.external_id FROM outbox o LEFT JOIN erp_order_states s ON s.portal_id = o.portal_id AND s.external_id = o.external_id
     WHERE o.portal_id = :portalId AND o.aggregate = 'order' AND o.state IN ('created', 'posted') AND s.id IS NULL ORDER BY o.id LIMIT ${Math.floor(limit)}`,
    { portalId },
  );
  return [...new Set([...open, ...pushed].map((r) => String(r.external_id)))];
}
