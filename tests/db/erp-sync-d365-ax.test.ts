import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFaults, formatLocal, generateCatalog, toErpProduct,
  type CatCustomer, type CatDocument, type CatGroup, type CatOrder, type CatPriceType, type CatProduct, type CatWarehouse, type GeneratedCatalog,
} from '../../sandbox/erp/catalog/index.js';
import { axBatteryIds, startAx2012Emulator } from '../../sandbox/erp/ax2012/index.js';
import { d365Ids, D365_CATEGORY_HIERARCHY, startD365Emulator } from '../../sandbox/erp/d365/index.js';
import { createDatabase, tuneSqlite, type Database } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import { createAx2012Connector } from '../../server/erp/ax2012-aif/create-ax2012-connector.js';
import { createD365Connector } from '../../server/erp/d365-odata/index.js';
import type { Capabilities, Cursor, ErpConnector, ErpDocumentKind, ErpOrderState, ErpOrderStatus, Page, SubmitOrder } from '../../server/erp/port.js';
import { fixScale, itemErpId, listStoredProducts, readModelTotals, readPriceMap, readStockMap } from '../../server/erp/read-model/index.js';
import { createErpSync, createOutboxRepository, SYNC_ENTITIES, type ErpSync, type SyncEntity } from '../../server/erp/sync/index.js';
import { createJobQueue, type JobQueue } from '../../server/jobs/index.js';
import { selectRows, withTransaction } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

/**
 * The sync engine end to end over the Dynamics adapters (D365 F&O OData, AX 2012 AIF) and their emulators, on both
 * storage backends: a full run fills the read model with the ERP's catalog, a second one changes nothing, and an
 * order pushed through the outbox reaches the ERP once and its state comes back through orderStates.
 */

const logger = createLogger('silent');
const PORTAL = 1;
const HISTORY_DAYS = 365;

/** How an ERP keys the generated catalog (the contract tests' id mappings). */
interface ErpIds {
  product(p: CatProduct): string;
  group(g: CatGroup): string;
  warehouse(w: CatWarehouse): string;
  priceType(t: CatPriceType): string;
  customer(c: CatCustomer): string;
  document(d: CatDocument): string;
  order(o: CatOrder): string;
}

interface RunningErp {
  connector: ErpConnector;
  findOrderByExternalId(externalId: string): { erpId: string; copies: number; lines: Array<{ productId: string }> } | null;
  setOrderStatus(externalId: string, status: ErpOrderStatus): void;
  close(): Promise<void>;
}

interface ErpUnderTest {
  name: string;
  ids(cat: GeneratedCatalog): ErpIds;
  start(cat: GeneratedCatalog): Promise<RunningErp>;
  /** Sync entities the adapter cannot serve (its runner reports them skipped). */
  unsupported: SyncEntity[];
  /** The kind a catalog document has in this ERP, or null when the ERP does not report it. */
  documentKind(d: CatDocument): ErpDocumentKind | null;
  /** Whether a catalog order shows up in a full order-state pull (D365 lists orders that carry our external id). */
  reportsOrder(o: CatOrder): boolean;
}

const ERPS: ErpUnderTest[] = [
  {
    name: 'D365 F&O OData',
    ids: (cat) => {
      const orderIndex = new Map(cat.orders.map((o) => [o.ref, o.index]));
      return {
        product: (p) => d365Ids.ref(d365Ids.item(p)),
        group: (g) => d365Ids.categoryRef(g),
        warehouse: (w) => d365Ids.ref(d365Ids.warehouse(w)),
        priceType: (t) => d365Ids.ref(d365Ids.priceGroup(t)),
        customer: (c) => d365Ids.ref(d365Ids.customer(c)),
        document: (d) => d365Ids.ref(d365Ids.invoice(d)),
        order: (o) => d365Ids.ref(d365Ids.salesOrder({ index: orderIndex.get(o.ref) ?? -1 })),
      };
    },
    async start(catalog) {
      const running = await startD365Emulator({ catalog, maxPageSize: 60 });
      const e = running.emulator;
      const connector = createD365Connector({
        baseUrl: running.url, authority: running.url, resource: e.resource, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret,
        company: 'rumf', categoryHierarchy: D365_CATEGORY_HIERARCHY, timeZone: 'UTC', timeoutMs: 5_000, pageSize: 50,
      });
      return {
        connector,
        findOrderByExternalId: (id) => e.findOrderByExternalId(id),
        setOrderStatus: (id, status) => e.setOrderStatus(id, status),
        close: () => running.close(),
      };
    },
    unsupported: [],
    // Shipments and acts are posted sales invoices; pro-forma invoices have no F&O counterpart.
    documentKind: (d) => (d.kind === 'invoice' ? null : 'invoice'),
    reportsOrder: (o) => o.externalId !== null,
  },
  {
    name: 'AX 2012 AIF',
    ids: (cat) => {
      const ids = axBatteryIds(cat);
      return { ...ids, order: (o) => ids.order(o.ref) };
    },
    async start(catalog) {
      const emulator = await startAx2012Emulator({ catalog, company: 'dhru', user: 'CONTOSO\\dealerhub', password: 'aif-secret', faults: createFaults() });
      const connector = createAx2012Connector({ endpoint: emulator.endpoint, company: 'dhru', user: 'CONTOSO\\dealerhub', password: 'aif-secret', pageSize: 120, readChunk: 40, timeoutMs: 5_000 });
      return {
        connector,
        findOrderByExternalId: (id) => emulator.findOrderByExternalId(id),
        setOrderStatus: (id, status) => emulator.setOrderStatus(id, status),
        close: () => emulator.close(),
      };
    },
    unsupported: [],
    documentKind: (d) => (d.kind === 'invoice' || d.kind === 'act' ? 'invoice' : 'waybill'),
    // A full pull reads every order changed within the history window: all of the emulator's orders.
    reportsOrder: () => true,
  },
];

/** What runSync reports for an entity given the adapter's capabilities (the runners' own gates). */
function expectedStatus(caps: Capabilities, entity: SyncEntity): 'ok' | 'skipped' {
  switch (entity) {
    case 'groups':
    case 'products':
      return caps.catalog === 'pull' ? 'ok' : 'skipped';
    case 'warehouses':
    case 'stock':
      return caps.stock ? 'ok' : 'skipped';
    case 'priceTypes':
    case 'prices':
      return caps.prices ? 'ok' : 'skipped';
    case 'finance':
      return caps.finance ? 'ok' : 'skipped';
    case 'documents':
      return caps.documents ? 'ok' : 'skipped';
    default:
      return 'ok';
  }
}

async function drainAll<T>(call: (c: Cursor | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: Cursor | null = null;
  for (let n = 0; n < 10_000; n++) {
    const page: Page<T> = await call(cursor);
    items.push(...page.items);
    if (!page.next || page.next.token === cursor?.token) return items;
    cursor = page.next;
  }
  throw new Error('the adapter never ended the pull');
}

const localIso = (d: Date) => d.toISOString().slice(0, 19);
const day = (s: string) => s.slice(0, 10);
const stockValue = (s: { onHand: string; reserved: string; available: string }) => `${fixScale(s.onHand, 3)}/${fixScale(s.reserved, 3)}/${fixScale(s.available, 3)}`;
const isZeroStock = (v: string) => v === '0.000/0.000/0.000';

/** The read model rows the price/stock maps do not cover, keyed by ERP id. */
async function readCustomers(db: Database) {
  const rows = await selectRows(db, 'SELECT erp_id, name, inn, price_type_erp_id FROM erp_customers WHERE portal_id = :p AND is_stub = :no AND deleted = :no', { p: PORTAL, no: false });
  return Object.fromEntries(rows.map((r) => [String(r.erp_id), { name: String(r.name), inn: r.inn === null ? null : String(r.inn), priceType: r.price_type_erp_id === null ? null : String(r.price_type_erp_id) }]));
}

async function readFinance(db: Database) {
  const rows = await selectRows(
    db,
    'SELECT c.erp_id, f.currency, f.debt, f.overdue, f.credit_limit, f.credit_limit_enforced FROM erp_customer_finance f JOIN erp_customers c ON c.id = f.customer_id WHERE f.portal_id = :p',
    { p: PORTAL },
  );
  return Object.fromEntries(rows.map((r) => [
    `${String(r.erp_id)}|${String(r.currency)}`,
    `${fixScale(String(r.debt), 2)}/${fixScale(String(r.overdue), 2)}/${r.credit_limit === null ? '-' : fixScale(String(r.credit_limit), 2)}/${Boolean(Number(r.credit_limit_enforced))}`,
  ]));
}

async function readDocuments(db: Database) {
  const rows = await selectRows(db, 'SELECT erp_id, kind, amount, customer_erp_id FROM erp_documents WHERE portal_id = :p AND is_stub = :no', { p: PORTAL, no: false });
  return Object.fromEntries(rows.map((r) => [String(r.erp_id), `${String(r.kind)} ${fixScale(String(r.amount), 2)} ${String(r.customer_erp_id)}`]));
}

async function readOrderStates(db: Database) {
  const rows = await selectRows(db, 'SELECT erp_id, external_id, status FROM erp_order_states WHERE portal_id = :p', { p: PORTAL });
  return Object.fromEntries(rows.map((r) => [String(r.erp_id), `${r.external_id === null ? '-' : String(r.external_id)} ${String(r.status)}`]));
}

describe.each(STORAGE_BACKENDS)('ERP sync over the Dynamics adapters on $name', ({ create }) => {
  describe.each(ERPS)('against the $name emulator', (erp) => {
    let testDb: TestDatabase;
    let db: Database;
    let catalog: GeneratedCatalog;
    let ids: ErpIds;
    let running: RunningErp;
    let connector: ErpConnector;
    let queue: JobQueue;
    let sync: ErpSync;
    const changes: Array<{ portalId: number; state: ErpOrderState }> = [];

    beforeAll(async () => {
      testDb = await create();
      db = createDatabase({ url: testDb.url });
      await tuneSqlite(db);
      await migrateUp(db);
      catalog = generateCatalog({ seed: `erp-sync-${erp.name}`, skus: 150, customers: 6, ordersPerCustomer: 3, asOf: formatLocal(Date.now()) });
      ids = erp.ids(catalog);
      running = await erp.start(catalog);
      connector = running.connector;
      queue = createJobQueue({ db, logger, backoff: { baseMs: 10, maxMs: 50, jitter: 0.5 } });
      sync = createErpSync({
        db,
        logger,
        queue,
        connectorFor: (portalId) => (portalId === PORTAL ? connector : null),
        options: {
          documentsHistoryDays: HISTORY_DAYS,
          financeBatch: 4,
          outboxBackoff: { baseMs: 10, maxMs: 40, jitter: 0.5 },
          outboxMaxAttempts: 4,
          outboxSettleMs: 200,
          readRetries: 2,
          readRetryBackoff: { baseMs: 20, maxMs: 50, jitter: 0.5 },
        },
      });
      sync.registerJobs();
      sync.onOrderStateChanged((portalId, state) => void changes.push({ portalId, state }));
    });
    afterAll(async () => {
      await queue?.stop();
      await running?.close();
      await db?.close();
      await testDb?.drop();
    });

    it('when a full sync runs, then every entity the adapter supports ends ok and the others are skipped', async () => {
      const caps = connector.capabilities;
      expect(SYNC_ENTITIES.filter((e) => expectedStatus(caps, e) === 'skipped')).toEqual(erp.unsupported);
      const summary = await sync.runSync(PORTAL, 'all', { mode: 'full' });
      expect(summary.failed).toEqual([]);
      expect(Object.fromEntries(summary.results.map((r) => [r.entity, r.status]))).toEqual(Object.fromEntries(SYNC_ENTITIES.map((e) => [e, expectedStatus(caps, e)])));
      for (const r of summary.results) if (r.status === 'skipped') expect(r.reason, r.entity).toBeTruthy();
      // Stubs made on the way (a group's parent listed after it) were all filled in: nothing refers to a missing row.
      for (const table of ['erp_product_groups', 'erp_products', 'erp_warehouses', 'erp_price_types', 'erp_customers', 'erp_documents', 'erp_order_states']) {
        const [row] = await selectRows(db, `SELECT COUNT(*) AS n FROM ${table} WHERE portal_id = :p AND is_stub = :yes`, { p: PORTAL, yes: true });
        expect(Number(row!.n), `${table} stubs`).toBe(0);
      }
      const received = Object.fromEntries(summary.results.map((r) => [r.entity, r.counts?.received ?? 0]));
      expect(received).toMatchObject({ groups: catalog.groups.length, products: catalog.productCount, customers: catalog.customers.length });
      for (const e of ['warehouses', 'priceTypes', 'prices', 'stock', 'finance', 'documents', 'orderStates'] as const) expect(received[e], e).toBeGreaterThan(0);
    });

    it('when the full sync is done, then products, groups, warehouses and price types are the catalog as the ERP keys it', async () => {
      const stored = new Map((await listStoredProducts(db, PORTAL)).map((p) => [p.erpId, p]));
      expect(stored.size).toBe(catalog.productCount);
      const groups = new Map(catalog.groups.map((g) => [g.ref, g]));
      for (const p of catalog.products()) {
        const expected = toErpProduct(catalog, p);
        const got = stored.get(ids.product(p));
        expect(got, p.sku).toBeDefined();
        expect(got).toMatchObject({ name: expected.name, sku: expected.sku, deleted: expected.deleted, onSale: !expected.deleted, isStub: false, groupErpId: ids.group(groups.get(p.groupRef)!) });
        expect([...got!.barcodes].sort(), p.sku).toEqual([...(expected.barcodes ?? [])].sort());
      }
      // The adapter's own pull agrees with what the sync stored, product by product.
      const pulled = await drainAll((c) => connector.products(c));
      expect(pulled).toHaveLength(catalog.productCount);
      for (const p of pulled) {
        expect(stored.get(p.ref.erpId), p.ref.erpId).toMatchObject({ name: p.name, sku: p.sku ?? null, deleted: p.deleted, groupErpId: p.groupRef?.erpId ?? null });
      }

      const totals = await readModelTotals(db, PORTAL);
      expect(totals).toMatchObject({
        groups: catalog.groups.length,
        products: [...catalog.products()].filter((p) => !p.deleted).length,
        deletedProducts: [...catalog.products()].filter((p) => p.deleted).length,
        stubProducts: 0,
        warehouses: catalog.warehouses.length,
        priceTypes: catalog.priceTypes.length,
        customers: catalog.customers.length,
      });
      const warehouses = await selectRows(db, 'SELECT erp_id, name FROM erp_warehouses WHERE portal_id = :p', { p: PORTAL });
      expect(Object.fromEntries(warehouses.map((w) => [String(w.erp_id), String(w.name)]))).toEqual(Object.fromEntries(catalog.warehouses.map((w) => [ids.warehouse(w), w.name])));
      const types = await selectRows(db, 'SELECT erp_id, name FROM erp_price_types WHERE portal_id = :p', { p: PORTAL });
      expect(Object.fromEntries(types.map((t) => [String(t.erp_id), String(t.name)]))).toEqual(Object.fromEntries(catalog.priceTypes.map((t) => [ids.priceType(t), t.name])));
    });

    it('when the full sync is done, then every price of every product and price type is stored', async () => {
      const types = new Map(catalog.priceTypes.map((t) => [t.ref, t]));
      const fromCatalog = new Map([...catalog.prices()].map((p) => [`${ids.product(catalog.product(p.productIndex))}|${ids.priceType(types.get(p.priceTypeRef)!)}`, `${fixScale(p.price, 4)} ${p.currency}`]));
      expect(fromCatalog.size).toBe(catalog.productCount * catalog.priceTypes.length);
      const stored = Object.fromEntries(await readPriceMap(db, PORTAL));
      expect(stored).toEqual(Object.fromEntries(fromCatalog));
      const pulled = await drainAll((c) => connector.prices({}, c));
      expect(stored).toEqual(Object.fromEntries(pulled.map((p) => [`${itemErpId(p.productRef, p.variantRef)}|${p.priceTypeRef.erpId}`, `${fixScale(p.price, 4)} ${p.currency}`])));
    });

    it('when the full sync is done, then stock per product and warehouse is what the ERP holds', async () => {
      const stored = Object.fromEntries(await readStockMap(db, PORTAL));
      const pulled = new Map<string, string>();
      for (const w of catalog.warehouses) {
        for (const s of await drainAll((c) => connector.stock({ warehouseRefs: [{ erpId: ids.warehouse(w) }] }, c))) pulled.set(`${itemErpId(s.productRef, s.variantRef)}|${s.warehouseRef.erpId}`, stockValue(s));
      }
      expect(stored).toEqual(Object.fromEntries(pulled));
      // And against the catalog: every non-zero balance is there with its numbers; anything else stored is zero.
      const warehouses = new Map(catalog.warehouses.map((w) => [w.ref, w]));
      const nonZero = new Map<string, string>();
      for (const s of catalog.stock()) {
        const v = stockValue(s);
        if (!isZeroStock(v)) nonZero.set(`${ids.product(catalog.product(s.productIndex))}|${ids.warehouse(warehouses.get(s.warehouseRef)!)}`, v);
      }
      expect(nonZero.size).toBeGreaterThan(catalog.productCount);
      for (const [k, v] of nonZero) expect(stored[k], k).toBe(v);
      for (const [k, v] of Object.entries(stored)) if (!nonZero.has(k)) expect(v, k).toSatisfy(isZeroStock);
    });

    it('when the full sync is done, then customers and their receivables match the ERP', async () => {
      const types = new Map(catalog.priceTypes.map((t) => [t.ref, t]));
      expect(await readCustomers(db)).toEqual(Object.fromEntries(catalog.customers.map((c) => [ids.customer(c), { name: c.name, inn: c.inn, priceType: ids.priceType(types.get(c.priceTypeRef)!) }])));

      const finance = await readFinance(db);
      const expected = Object.fromEntries(catalog.customers.map((c) => {
        const f = catalog.finance[c.index]!;
        return [`${ids.customer(c)}|${f.currency}`, `${fixScale(f.debt, 2)}/${fixScale(f.overdue, 2)}/${f.creditLimit === null ? '-' : fixScale(f.creditLimit, 2)}/${f.creditLimitEnforced}`];
      }));
      expect(finance).toEqual(expected);
      expect(Object.values(finance).some((v) => !v.startsWith('0.00/'))).toBe(true);
    });

    it('when the full sync is done, then the documents of the history window and the orders are stored', async () => {
      const stored = await readDocuments(db);
      const now = new Date();
      const pulled = await drainAll((c) => connector.documents({ from: localIso(new Date(now.getTime() - HISTORY_DAYS * 86_400_000)), to: localIso(now) }, c));
      expect(stored).toEqual(Object.fromEntries(pulled.map((d) => [d.ref.erpId, `${d.kind} ${fixScale(d.amount, 2)} ${d.customerRef.erpId}`])));
      // Every catalog document the ERP reports, dated inside the window (a day's margin at its far edge), is there.
      const edge = day(formatLocal(now.getTime() - (HISTORY_DAYS - 1) * 86_400_000));
      const customers = new Map(catalog.customers.map((c) => [c.ref, c]));
      const inWindow = catalog.documents.filter((d) => erp.documentKind(d) && day(d.date) > edge);
      expect(inWindow.length).toBeGreaterThan(0);
      for (const d of inWindow) expect(stored[ids.document(d)], d.number).toBe(`${erp.documentKind(d)} ${fixScale(d.amount, 2)} ${ids.customer(customers.get(d.customerRef)!)}`);
      expect((await readModelTotals(db, PORTAL)).documents).toBe(Object.keys(stored).length);

      const states = await readOrderStates(db);
      const reported = catalog.orders.filter(erp.reportsOrder);
      expect(Object.keys(states).sort()).toEqual(reported.map((o) => ids.order(o)).sort());
      for (const o of reported) expect(states[ids.order(o)], o.number).toMatch(new RegExp(`^${o.externalId ?? '-'} `));
      const pulledStates = await drainAll((c) => connector.orderStates({ since: localIso(new Date(now.getTime() - HISTORY_DAYS * 86_400_000)) }, c));
      expect(states).toEqual(Object.fromEntries(pulledStates.map((s) => [s.erpRef.erpId, `${s.externalId ?? '-'} ${s.status}`])));
    });

    it('when a second full sync runs over an unchanged ERP, then it writes nothing and the read model stays the same', async () => {
      const before = {
        totals: await readModelTotals(db, PORTAL),
        products: (await listStoredProducts(db, PORTAL)).map((p) => ({ ...p, updatedAt: p.updatedAt.getTime() })),
        prices: Object.fromEntries(await readPriceMap(db, PORTAL)),
        stock: Object.fromEntries(await readStockMap(db, PORTAL)),
        customers: await readCustomers(db),
        finance: await readFinance(db),
        documents: await readDocuments(db),
        orderStates: await readOrderStates(db),
      };
      await queue.drain();
      changes.length = 0;
      const summary = await sync.runSync(PORTAL, 'all', { mode: 'full' });
      expect(summary.failed).toEqual([]);
      expect(summary.results.filter((r) => r.status === 'ok').map((r) => r.entity).sort()).toEqual(SYNC_ENTITIES.filter((e) => !erp.unsupported.includes(e)).sort());
      for (const r of summary.results) {
        if (r.status === 'skipped') continue;
        const c = r.counts!;
        expect(c.received, r.entity).toBeGreaterThan(0);
        expect({ inserted: c.inserted, deleted: c.deleted, stubs: c.stubs, changed: c.changed ?? 0 }, r.entity).toEqual({ inserted: 0, deleted: 0, stubs: 0, changed: 0 });
        // A finance row carries the instant it was read (as_of): an adapter that stamps it with the reading time
        // re-stamps every row; the amounts are compared below. Everything else is byte for byte unchanged.
        if (r.entity === 'finance') expect(c.updated === 0 || c.updated === c.received, `finance updated ${c.updated} of ${c.received}`).toBe(true);
        else expect({ updated: c.updated, unchanged: c.unchanged }, r.entity).toEqual({ updated: 0, unchanged: c.received });
      }
      await queue.drain();
      expect(changes).toEqual([]);
      expect({
        totals: await readModelTotals(db, PORTAL),
        products: (await listStoredProducts(db, PORTAL)).map((p) => ({ ...p, updatedAt: p.updatedAt.getTime() })),
        prices: Object.fromEntries(await readPriceMap(db, PORTAL)),
        stock: Object.fromEntries(await readStockMap(db, PORTAL)),
        customers: await readCustomers(db),
        finance: await readFinance(db),
        documents: await readDocuments(db),
        orderStates: await readOrderStates(db),
      }).toEqual(before);
    });

    it('when an order goes through the outbox, then the ERP gets it once and its state comes back into the read model', async () => {
      const caps = connector.capabilities;
      if (!caps.createOrder) return;
      const customer = catalog.customers[1]!;
      const lines = [...catalog.products()].filter((p) => !p.deleted).slice(3, 5).map((p) => ({
        productRef: { erpId: ids.product(p) },
        qty: '3',
        price: (catalog.pricesOf(p.index).find((x) => x.priceTypeRef === customer.priceTypeRef) ?? catalog.pricesOf(p.index)[0]!).price,
      }));
      const externalId: string = randomUUID();
      // As the ordering module queues it: post requested, whatever the ERP can do with that.
      const order: SubmitOrder = { externalId, number: `DH-${externalId.slice(0, 6)}`, currency: 'RUB', post: true, customerRef: { erpId: ids.customer(customer) }, lines };
      const submit = () => withTransaction(db, (t) => sync.enqueueOutbox(t, { portalId: PORTAL, aggregate: 'order', aggregateId: `b24-${externalId}`, externalId, payload: order }));
      const { id: outboxId } = await submit();
      expect((await submit()).created).toBe(false);
      for (let round = 0; round < 50; round++) {
        await queue.drain();
        const row = await createOutboxRepository(db).get(outboxId);
        if (row?.deliveredAt || row?.state === 'dead') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const inErp = running.findOrderByExternalId(externalId);
      expect(inErp, 'the order reached the ERP').not.toBeNull();
      expect(inErp!.copies).toBe(1);
      expect(inErp!.lines.map((l) => l.productId)).toEqual(lines.map((l) => l.productRef.erpId));
      const row = await createOutboxRepository(db).get(outboxId);
      expect(row).toMatchObject({ state: caps.postOrder ? 'posted' : 'created', erpRef: inErp!.erpId, lastError: null });
      expect(row!.deliveredAt).not.toBeNull();

      changes.length = 0;
      await sync.runSync(PORTAL, 'orderStates');
      await queue.drain();
      const first = changes.filter((c) => c.state.externalId === externalId).map((c) => c.state.status);
      expect(first).toHaveLength(1);
      expect(first[0]).not.toBe('shipped');
      const [stored] = await selectRows(db, 'SELECT erp_id, status FROM erp_order_states WHERE portal_id = :p AND external_id = :id', { p: PORTAL, id: externalId });
      expect(stored).toMatchObject({ erp_id: inErp!.erpId, status: first[0] });

      running.setOrderStatus(externalId, 'shipped');
      await sync.runSync(PORTAL, 'orderStates');
      await sync.runSync(PORTAL, 'orderStates');
      await queue.drain();
      expect(changes.filter((c) => c.state.externalId === externalId).map((c) => [c.portalId, c.state.status])).toEqual([
        [PORTAL, first[0]],
        [PORTAL, 'shipped'],
      ]);
      const [after] = await selectRows(db, 'SELECT status FROM erp_order_states WHERE portal_id = :p AND external_id = :id', { p: PORTAL, id: externalId });
      expect(after!.status).toBe('shipped');
      expect(running.findOrderByExternalId(externalId)?.copies).toBe(1);
    });
  });
});
