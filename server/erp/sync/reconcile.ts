import type { Cursor, ErpConnector, Page } from '../port.js';
import { selectRows, sqlTime } from '../../jobs/sql.js';
import { Dec } from '../../lib/decimal.js';
import { readModelTotals, fixScale } from '../read-model/index.js';
import type { SubmitOrder } from '../port.js';
import type { SyncDeps } from './run-entity-sync.js';
import type { SyncEntity } from './sync-entities.js';
import { createSyncStateRepository } from './sync-state.repository.js';

export interface PartitionDrift {
  erpId: string;
  erpRows: number;
  ourRows: number;
  erpSum: string;
  ourSum: string;
  drift: boolean;
}

export interface OrderDayDrift {
  day: string;
  /** Our orders delivered to the ERP that day (outbox created/posted). */
  ours: number;
  /** Of those, found in the ERP by external id. */
  inErp: number;
  missingInErp: string[];
  amountOurs: string;
  amountErp: string;
  drift: boolean;
}

export interface DriftReport {
  ok: boolean;
  checkedAt: string;
  products: { erp: number | null; ours: number; drift: boolean };
  prices: PartitionDrift[];
  stock: PartitionDrift[];
  orders: { days: OrderDayDrift[]; pending: number; drift: boolean };
  /** Full syncs enqueued to repair what drifted. */
  resync: SyncEntity[];
  errors: string[];
}

const MAX_PAGES = 1_000_000;

async function eachPage<T>(fetch: (c: Cursor | null) => Promise<Page<T>>, onPage: (items: T[]) => void): Promise<void> {
  let cursor: Cursor | null = null;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page: Page<T> = await fetch(cursor);
    onPage(page.items);
    if (!page.next || page.next.token === cursor?.token) return;
    cursor = page.next;
  }
}

function partitionDrift(erp: Map<string, { rows: number; sum: InstanceType<typeof Dec> }>, ours: Array<{ erpId: string; rows: number; sum: string }>, scale: number): PartitionDrift[] {
  const ourBy = new Map(ours.map((o) => [o.erpId, o]));
  const ids = [...new Set([...erp.keys(), ...ourBy.keys()])].sort();
  return ids.map((erpId) => {
    const e = erp.get(erpId);
    const o = ourBy.get(erpId);
    const erpSum = (e?.sum ?? new Dec(0)).toFixed(scale);
    const ourSum = fixScale(o?.sum ?? '0', scale);
    const erpRows = e?.rows ?? 0;
    const ourRows = o?.rows ?? 0;
    return { erpId, erpRows, ourRows, erpSum, ourSum, drift: erpRows !== ourRows || erpSum !== ourSum };
  });
}

/**
 * Nightly reconciliation (erp-integration.md §4.6): compares what the ERP holds with the read model — product count,
 * rows and sums of every price list and every warehouse's stock, and our orders per day found in the ERP by external
 * id with their amounts — writes the drift report as a sync run (entity `reconcile`, status ok or drift), and enqueues
 * a full sync of whatever drifted. It catches missed events and manual edits in the ERP.
 */
export async function reconcilePortal(
  deps: SyncDeps & { enqueueFullSync(portalId: number, entity: SyncEntity): Promise<unknown> },
  portalId: number,
  options: { jobId?: number | null; orderDays: number; signal?: AbortSignal },
): Promise<DriftReport | null> {
  const connector = await deps.connectorFor(portalId);
  if (!connector) return null;
  const startedAt = deps.now();
  const errors: string[] = [];
  const ours = await readModelTotals(deps.db, portalId);
  const caps = connector.capabilities;

  const products = { erp: null as number | null, ours: 0, drift: false };
  if (caps.catalog === 'pull') {
    // Rows the ERP itself marks deleted are still products of the ERP; rows we marked after a full pass (hash cleared) are not.
    const [row] = await selectRows<Record<string, unknown>>(deps.db, 'SELECT COUNT(*) AS n FROM erp_products WHERE portal_id = :portalId AND is_stub = :no AND row_hash IS NOT NULL', { portalId, no: false });
    products.ours = Number(row?.n ?? 0);
    try {
      products.erp = await countProducts(connector, options.signal);
      products.drift = products.erp !== products.ours;
    } catch (err) {
      errors.push(`products: ${(err as Error).message}`);
    }
  }

  let prices: PartitionDrift[] = [];
  if (caps.prices) {
    try {
      const erp = new Map<string, { rows: number; sum: InstanceType<typeof Dec> }>();
      await eachPage((c) => connector.prices({}, c, options.signal), (items) => {
        for (const p of items) {
          const t = erp.get(p.priceTypeRef.erpId) ?? { rows: 0, sum: new Dec(0) };
          t.rows++;
          t.sum = t.sum.plus(p.price);
          erp.set(p.priceTypeRef.erpId, t);
        }
      });
      prices = partitionDrift(erp, ours.prices, 4);
    } catch (err) {
      errors.push(`prices: ${(err as Error).message}`);
    }
  }

  let stock: PartitionDrift[] = [];
  if (caps.stock) {
    try {
      const erp = new Map<string, { rows: number; sum: InstanceType<typeof Dec> }>();
      await eachPage((c) => connector.stock({}, c, options.signal), (items) => {
        for (const s of items) {
          const t = erp.get(s.warehouseRef.erpId) ?? { rows: 0, sum: new Dec(0) };
          t.rows++;
          t.sum = t.sum.plus(s.onHand);
          erp.set(s.warehouseRef.erpId, t);
        }
      });
      stock = partitionDrift(erp, ours.stock, 3);
    } catch (err) {
      errors.push(`stock: ${(err as Error).message}`);
    }
  }

  let orders: DriftReport['orders'] = { days: [], pending: 0, drift: false };
  try {
    orders = await reconcileOrders(deps, connector, portalId, options.orderDays, options.signal);
  } catch (err) {
    errors.push(`orders: ${(err as Error).message}`);
  }

  const resync: SyncEntity[] = [];
  if (products.drift) resync.push('products');
  if (prices.some((p) => p.drift)) resync.push('prices');
  if (stock.some((s) => s.drift)) resync.push('stock');
  if (orders.drift) resync.push('orderStates');
  for (const entity of resync) await deps.enqueueFullSync(portalId, entity);

  const report: DriftReport = {
    ok: !resync.length && !errors.length,
    checkedAt: startedAt.toISOString(),
    products,
    prices,
    stock,
    orders,
    resync,
    errors,
  };
  await createSyncStateRepository(deps.db).recordRun(
    { portalId, entity: 'reconcile', mode: 'full', trigger: 'schedule', status: report.ok ? 'ok' : 'drift', startedAt, counts: report, error: errors.join('; ') || null, jobId: options.jobId ?? null },
    deps.now(),
  );
  return report;
}

async function countProducts(connector: ErpConnector, signal?: AbortSignal): Promise<number> {
  const first = await connector.products(null, signal);
  if (typeof first.total === 'number') return first.total;
  let n = first.items.length;
  let cursor = first.next;
  for (let i = 0; cursor && i < MAX_PAGES; i++) {
    const page = await connector.products(cursor, signal);
    n += page.items.length;
    if (!page.next || page.next.token === cursor.token) break;
    cursor = page.next;
  }
  return n;
}

async function reconcileOrders(deps: SyncDeps, connector: ErpConnector, portalId: number, days: number, signal?: AbortSignal): Promise<DriftReport['orders']> {
  const since = new Date(deps.now().getTime() - days * 86_400_000);
  const rows = await selectRows<Record<string, unknown>>(
    deps.db,
    "SELECT external_id, payload, state, created_at FROM outbox WHERE portal_id = :portalId AND aggregate = 'order' AND created_at >= :since ORDER BY id",
    { portalId, since: sqlTime(since, deps.db.dialect) },
  );
  const delivered = rows.filter((r) => r.state === 'created' || r.state === 'posted');
  const pending = rows.filter((r) => r.state === 'pending' || r.state === 'failed').length;
  const found = new Map<string, string>();
  const ids = delivered.map((r) => String(r.external_id));
  for (let i = 0; i < ids.length; i += 200) {
    await eachPage((c) => connector.orderStates({ externalIds: ids.slice(i, i + 200) }, c, signal), (items) => {
      for (const s of items) if (s.externalId) found.set(s.externalId.toLowerCase(), s.total ?? '0');
    });
  }
  const byDay = new Map<string, OrderDayDrift & { ourSum: InstanceType<typeof Dec>; erpSum: InstanceType<typeof Dec> }>();
  for (const r of delivered) {
    const created = r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at));
    const day = created.toISOString().slice(0, 10);
    const d = byDay.get(day) ?? { day, ours: 0, inErp: 0, missingInErp: [], amountOurs: '0', amountErp: '0', drift: false, ourSum: new Dec(0), erpSum: new Dec(0) };
    const payload = JSON.parse(String(r.payload)) as SubmitOrder;
    const amount = payload.lines.reduce((sum, l) => sum.plus(new Dec(l.qty).times(l.price)), new Dec(0));
    d.ours++;
    d.ourSum = d.ourSum.plus(amount);
    const erpTotal = found.get(String(r.external_id).toLowerCase());
    if (erpTotal === undefined) {
      if (d.missingInErp.length < 50) d.missingInErp.push(String(r.external_id));
    } else {
      d.inErp++;
      d.erpSum = d.erpSum.plus(erpTotal);
    }
    byDay.set(day, d);
  }
  const out = [...byDay.values()]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map(({ ourSum, erpSum, ...d }) => ({ ...d, amountOurs: ourSum.toFixed(2), amountErp: erpSum.toFixed(2), drift: d.inErp !== d.ours || ourSum.toFixed(2) !== erpSum.toFixed(2) }));
  return { days: out, pending, drift: out.some((d) => d.drift) };
}
