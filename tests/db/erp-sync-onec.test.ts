import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocal, generateCatalog, toErpPrice, toErpProduct, toErpStock, type CatCustomer, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createDatabase, tuneSqlite, type Database } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import { createOnecOdataConnector } from '../../server/erp/onec-odata/index.js';
import type { ErpConnector, ErpOrderState, SubmitOrder } from '../../server/erp/port.js';
import { fixScale, listStoredProducts, readModelTotals, readPriceMap, readStockMap } from '../../server/erp/read-model/index.js';
import { createErpSync, createOutboxRepository, createSyncStateRepository, getSyncHealth, type ErpSync } from '../../server/erp/sync/index.js';
import { createJobQueue, type JobQueue } from '../../server/jobs/index.js';
import { selectRows, withTransaction } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

const logger = createLogger('silent');
const PORTAL = 1;

describe.each(STORAGE_BACKENDS)('ERP sync against the 1C OData emulator on $name', ({ create }) => {
  let testDb: TestDatabase;
  let db: Database;
  let running: RunningOnecOdataEmulator;
  let catalog: GeneratedCatalog;
  let connector: ErpConnector;
  /** What connectorFor answers: the outbox tests switch to a connector with a short timeout. */
  let active: ErpConnector;
  let queue: JobQueue;
  let sync: ErpSync;
  const changes: Array<{ portalId: number; state: ErpOrderState }> = [];

  beforeAll(async () => {
    testDb = await create();
    db = createDatabase({ url: testDb.url });
    await tuneSqlite(db);
    await migrateUp(db);
    catalog = generateCatalog({ seed: 'erp-sync-db', skus: 300, customers: 6, ordersPerCustomer: 3, asOf: formatLocal(Date.now()) });
    running = await startOnecOdataEmulator({ catalog });
    connector = createOnecOdataConnector({ baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', pageSize: 100, timeoutMs: 5_000 });
    active = connector;
    queue = createJobQueue({ db, logger, backoff: { baseMs: 10, maxMs: 50, jitter: 0.5 } });
    sync = createErpSync({
      db,
      logger,
      queue,
      connectorFor: (portalId) => (portalId === PORTAL ? active : null),
      // Settle above the slow fault's 1.2 s: a lost create has finished in the ERP before the retry looks for it.
      options: { outboxBackoff: { baseMs: 10, maxMs: 40, jitter: 0.5 }, outboxMaxAttempts: 6, outboxSettleMs: 1_500, readRetries: 2, readRetryBackoff: { baseMs: 20, maxMs: 50, jitter: 0.5 } },
    });
    sync.registerJobs();
    sync.onOrderStateChanged((portalId, state) => void changes.push({ portalId, state }));
  });
  afterAll(async () => {
    await queue.stop();
    await running.close();
    await db.close();
    await testDb.drop();
  });

  it('when a full sync runs, then the read model equals the generated catalog', async () => {
    const summary = await sync.runSync(PORTAL, 'all', { mode: 'full' });
    expect(summary.failed).toEqual([]);
    expect(summary.results.map((r) => `${r.entity}:${r.status}`).sort()).toEqual(
      ['groups', 'warehouses', 'priceTypes', 'products', 'prices', 'stock', 'customers', 'finance', 'documents', 'orderStates'].map((e) => `${e}:ok`).sort(),
    );
    // Stages keep the dependency order: nothing that needs products or customers ran before them.
    const order = summary.results.map((r) => r.entity);
    expect(order.indexOf('products')).toBeLessThan(order.indexOf('prices'));
    expect(order.indexOf('customers')).toBeLessThan(order.indexOf('finance'));
    // Nothing runs beside the entity whose rows it makes stubs of (customers → price types, documents → customers).
    expect(order.indexOf('priceTypes')).toBeLessThan(order.indexOf('customers'));
    expect(order.indexOf('customers')).toBeLessThan(order.indexOf('documents'));

    const stored = new Map((await listStoredProducts(db, PORTAL)).map((p) => [p.erpId, p]));
    expect(stored.size).toBe(catalog.productCount);
    for (const p of catalog.products()) {
      const expected = toErpProduct(catalog, p);
      const got = stored.get(expected.ref.erpId);
      expect(got, expected.ref.erpId).toBeDefined();
      expect(got).toMatchObject({ name: expected.name, sku: expected.sku ?? null, deleted: expected.deleted, onSale: !expected.deleted, isStub: false, groupErpId: expected.groupRef!.erpId });
      expect([...got!.barcodes].sort()).toEqual([...(expected.barcodes ?? [])].sort());
    }

    const expectedPrices = new Map([...catalog.prices()].map(toErpPrice).map((p) => [`${p.productRef.erpId}|${p.priceTypeRef.erpId}`, `${fixScale(p.price, 4)} ${p.currency}`]));
    expect(Object.fromEntries(await readPriceMap(db, PORTAL))).toEqual(Object.fromEntries(expectedPrices));

    const expectedStock = new Map([...catalog.stock()].map(toErpStock).map((s) => [`${s.productRef.erpId}|${s.warehouseRef.erpId}`, `${fixScale(s.onHand, 3)}/${fixScale(s.reserved, 3)}/${fixScale(s.available, 3)}`]));
    expect(Object.fromEntries(await readStockMap(db, PORTAL))).toEqual(Object.fromEntries(expectedStock));

    const totals = await readModelTotals(db, PORTAL);
    expect(totals).toMatchObject({ warehouses: catalog.warehouses.length, priceTypes: catalog.priceTypes.length, customers: catalog.customers.length, stubProducts: 0 });
    expect(totals.groups).toBe(catalog.groups.length);

    const finance = await selectRows(db, 'SELECT c.erp_id, f.debt, f.credit_limit FROM erp_customer_finance f JOIN erp_customers c ON c.id = f.customer_id WHERE f.portal_id = :p', { p: PORTAL });
    const debtOf = new Map(finance.map((f) => [String(f.erp_id), String(f.debt)]));
    for (const f of catalog.finance) expect(debtOf.get(f.customerRef), f.customerRef).toBe(fixScale(f.debt, 2));

    const yearAgo = formatLocal(Date.now() - 365 * 86_400_000);
    const ordersWithOurId = catalog.orders.filter((o) => o.externalId && o.date >= yearAgo).length;
    expect(totals.orderStates).toBe(ordersWithOurId);
    expect(totals.documents).toBeGreaterThan(0);

    const health = await getSyncHealth(db, PORTAL);
    const products = health.entities.find((e) => e.entity === 'products')!;
    expect(products).toMatchObject({ status: 'ok', running: null, lastError: null });
    expect(products.lastRun?.counts).toMatchObject({ inserted: catalog.productCount });
    expect(products.lastRun?.progress).toMatchObject({ current: catalog.productCount, total: catalog.productCount });
    expect(products.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(products.cursor.lastFullAt).not.toBeNull();
  });

  it('when products change in the ERP, then a delta run fetches and rewrites only those rows through the cursor', async () => {
    const before = new Map((await listStoredProducts(db, PORTAL)).map((p) => [p.erpId, p.updatedAt.getTime()]));
    await new Promise((r) => setTimeout(r, 15));
    const changedIdx = [3, 17, 42];
    for (const i of changedIdx) running.emulator.updateProduct(i, { name: `Переименован ${i}` });
    running.emulator.updateProduct(55, { deleted: true });

    const summary = await sync.runSync(PORTAL, 'products', { mode: 'delta' });
    const counts = summary.results[0]!.counts!;
    expect(counts).toMatchObject({ received: 4, updated: 4, inserted: 0 });
    const after = await listStoredProducts(db, PORTAL);
    const touched = after.filter((p) => p.updatedAt.getTime() !== before.get(p.erpId)).map((p) => p.erpId).sort();
    expect(touched).toEqual([...changedIdx, 55].map((i) => catalog.productRef(i)).sort());
    expect(after.find((p) => p.erpId === catalog.productRef(17))?.name).toBe('Переименован 17');
    expect(after.find((p) => p.erpId === catalog.productRef(55))).toMatchObject({ deleted: true, onSale: false });

    // Nothing changed since: the delta run reads nothing.
    const quiet = await sync.runSync(PORTAL, 'products', { mode: 'delta' });
    expect(quiet.results[0]!.counts).toMatchObject({ received: 0, updated: 0 });
  });

  it('when a snapshot entity is synced again unchanged, then nothing is written', async () => {
    const summary = await sync.runSync(PORTAL, 'stock', { mode: 'delta' });
    const counts = summary.results[0]!.counts!;
    expect(counts.received).toBeGreaterThan(0);
    expect(counts).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    expect(counts.unchanged).toBe(counts.received);
  });

  it('when the ERP is down, then the run is recorded as failed with the error and health shows it; the next run recovers', async () => {
    const disarm = running.emulator.faults.inject({ kind: 'down', how: '503' });
    await expect(sync.runSync(PORTAL, 'warehouses', { mode: 'full' })).rejects.toThrow();
    disarm();
    let health = await getSyncHealth(db, PORTAL);
    const failed = health.entities.find((e) => e.entity === 'warehouses')!;
    expect(failed.status).toBe('failed');
    expect(failed.lastError?.message).toBeTruthy();
    expect(failed.lastSuccessAt).not.toBeNull();
    await sync.runSync(PORTAL, 'warehouses', { mode: 'full' });
    health = await getSyncHealth(db, PORTAL);
    expect(health.entities.find((e) => e.entity === 'warehouses')!.status).toBe('ok');
  });

  it('when single ERP reads fail transiently mid-run, then they are retried and the run still completes', async () => {
    const hits = running.emulator.faults.hits;
    running.emulator.faults.inject({ kind: 'down', how: 'reset', times: 2, match: 'Balance' });
    const summary = await sync.runSync(PORTAL, 'stock', { mode: 'delta' });
    expect(summary.results[0]).toMatchObject({ status: 'ok' });
    expect(summary.results[0]!.counts).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    expect(running.emulator.faults.hits - hits).toBe(2);
  });

  it('when two syncs of one entity start together, then one runs and the other is skipped by the lease', async () => {
    const [a, b] = await Promise.all([sync.runSync(PORTAL, 'priceTypes', { mode: 'full' }), sync.runSync(PORTAL, 'priceTypes', { mode: 'full' })]);
    expect([a.results[0]!.status, b.results[0]!.status].sort()).toEqual(['ok', 'skipped']);
    expect([a.results[0]!.reason, b.results[0]!.reason]).toContain('another sync of this entity is running');
  });

  const orderFor = (customer: CatCustomer, externalId: string, productIndexes = [1, 2]): SubmitOrder => ({
    externalId,
    number: `DH-${externalId.slice(0, 6)}`,
    currency: 'RUB',
    post: true,
    customerRef: { erpId: customer.ref },
    lines: productIndexes.map((i) => ({ productRef: { erpId: catalog.productRef(i) }, qty: '2', price: catalog.pricesOf(i)[0]!.price })),
  });

  async function submit(order: SubmitOrder) {
    return withTransaction(db, (t) => sync.enqueueOutbox(t, { portalId: PORTAL, aggregate: 'order', aggregateId: `b24-${order.externalId}`, externalId: order.externalId, payload: order }));
  }

  it('when orders go through the outbox while the ERP drops requests and loses answers, then each exists once in the ERP and ends posted', async () => {
    active = createOnecOdataConnector({ baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', timeoutMs: 700 });
    try {
      const ids: string[] = Array.from({ length: 8 }, () => randomUUID());
      for (const [i, id] of ids.entries()) await submit(orderFor(catalog.customers[i % catalog.customers.length]!, id));
      // A duplicate submission of the same order is the same outbox row.
      expect((await submit(orderFor(catalog.customers[0]!, ids[0]!))).created).toBe(false);
      const hitsBefore = running.emulator.faults.hits;
      running.emulator.faults.inject({ kind: 'down', how: 'reset', times: 6 });
      running.emulator.faults.inject({ kind: 'down', how: '503', times: 3, match: '/Post' });
      // The ERP creates the order but the answer comes after our timeout: only findByExternalId prevents a second one.
      running.emulator.faults.inject({ kind: 'slow', delayMs: 1_200, times: 3, match: /^POST \/Document_ЗаказКлиента$/ });
      for (let round = 0; round < 100; round++) {
        await queue.drain();
        const pending = (await createOutboxRepository(db).list({ portalId: PORTAL, limit: 200 })).items.filter((i) => ids.includes(i.externalId) && i.state !== 'posted');
        if (!pending.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const id of ids) {
        const erp = running.emulator.findOrderByExternalId(id);
        expect(erp, id).not.toBeNull();
        expect(erp!.copies).toBe(1);
        expect(erp!.posted).toBe(true);
        const row = await createOutboxRepository(db).findByExternalId(PORTAL, 'order', id);
        expect(row).toMatchObject({ state: 'posted', erpRef: erp!.erpId });
      }
      expect(running.emulator.faults.hits - hitsBefore).toBe(12);
      const retried = (await createOutboxRepository(db).list({ portalId: PORTAL, limit: 200 })).items.filter((i) => ids.includes(i.externalId) && i.attempts > 1);
      expect(retried.length).toBeGreaterThan(0);
    } finally {
      active = connector;
      running.emulator.faults.clear();
    }
  });

  it('when the ERP refuses an order (validation), then it goes to the dead letter with the message and a requeue delivers it', async () => {
    const id: string = randomUUID();
    running.emulator.faults.inject({ kind: 'validation', times: 1, message: 'Недостаточно товара на складе' });
    const { id: outboxId } = await submit(orderFor(catalog.customers[1]!, id, [5]));
    await queue.drain();
    const dead = await createOutboxRepository(db).get(outboxId);
    expect(dead).toMatchObject({ state: 'dead', lastErrorKind: 'validation' });
    expect(dead!.lastError).toContain('Недостаточно товара');
    const requeued = await sync.requeueOutbox(outboxId, PORTAL);
    expect(requeued.outcome).toBe('requeued');
    await queue.drain();
    expect(await createOutboxRepository(db).get(outboxId)).toMatchObject({ state: 'posted' });
    expect(running.emulator.findOrderByExternalId(id)?.copies).toBe(1);
  });

  it('when the ERP moves an order, then the order-state sync stores it and the hook fires once per change', async () => {
    const id: string = randomUUID();
    await submit(orderFor(catalog.customers[2]!, id, [7]));
    await queue.drain();
    changes.length = 0;
    await sync.runSync(PORTAL, 'orderStates');
    await queue.drain();
    const first = changes.filter((c) => c.state.externalId === id).map((c) => c.state.status);
    expect(first).toHaveLength(1);
    expect(first[0]).not.toBe('shipped');
    running.emulator.setOrderStatus(id, 'shipped');
    await sync.runSync(PORTAL, 'orderStates');
    await sync.runSync(PORTAL, 'orderStates');
    await queue.drain();
    expect(changes.filter((c) => c.state.externalId === id).map((c) => [c.portalId, c.state.status])).toEqual([
      [PORTAL, first[0]],
      [PORTAL, 'shipped'],
    ]);
    const [row] = await selectRows(db, 'SELECT status FROM erp_order_states WHERE portal_id = :p AND external_id = :id', { p: PORTAL, id });
    expect(row!.status).toBe('shipped');
  });

  it('when reconciliation finds drift, then the report names it and a full sync repairs it', async () => {
    await sync.runSync(PORTAL, 'catalog', { mode: 'full' });
    const clean = await sync.reconcile(PORTAL);
    expect(clean?.errors).toEqual([]);
    expect(clean?.products.drift).toBe(false);
    expect(clean?.prices.filter((p) => p.drift)).toEqual([]);
    expect(clean?.stock.filter((s) => s.drift)).toEqual([]);
    expect(clean?.orders.days.filter((d) => d.drift)).toEqual([]);
    expect(clean?.ok).toBe(true);

    // Someone deletes rows behind the sync's back.
    const [w] = await selectRows(db, 'SELECT warehouse_id FROM erp_stock WHERE portal_id = :p LIMIT 1', { p: PORTAL });
    await db.sequelize.query(`DELETE FROM erp_stock WHERE portal_id = ${PORTAL} AND warehouse_id = ${Number(w!.warehouse_id)} AND product_id IN (SELECT id FROM erp_products WHERE portal_id = ${PORTAL} AND sku LIKE '%1')`);
    const drift = await sync.reconcile(PORTAL);
    expect(drift?.ok).toBe(false);
    expect(drift?.resync).toEqual(['stock']);
    expect(drift?.stock.filter((s) => s.drift).length).toBe(1);
    const runs = await createSyncStateRepository(db).listRuns({ portalId: PORTAL, entity: 'reconcile' });
    expect(runs.items[0]).toMatchObject({ status: 'drift' });
    expect((runs.items[0]!.counts as { resync: string[] }).resync).toEqual(['stock']);
    const jobs = await queue.list({ kind: 'erp.sync', portalId: PORTAL, status: 'queued' });
    expect(jobs.items.map((j) => j.payload)).toContainEqual({ entity: 'stock', mode: 'full', trigger: 'reconcile' });
    await queue.drain();
    expect((await sync.reconcile(PORTAL))?.ok).toBe(true);
  });

  it('when CommerceML-style inbound batches arrive, then they merge into the same read model and show up as inbound runs', async () => {
    const p = catalog.product(9);
    const counts = await sync.ingestInboundBatch(PORTAL, 'prices', [{ productRef: { erpId: p.ref }, priceTypeRef: { erpId: catalog.priceTypes[0]!.ref }, price: '777.77', currency: 'RUB' }], { fullSnapshot: true });
    expect(counts).toMatchObject({ received: 1, updated: 1, deleted: 0 });
    expect((await readPriceMap(db, PORTAL)).get(`${p.ref}|${catalog.priceTypes[0]!.ref}`)).toBe('777.7700 RUB');
    expect((await readPriceMap(db, PORTAL)).size).toBe([...catalog.prices()].length);
    const runs = await createSyncStateRepository(db).listRuns({ portalId: PORTAL, entity: 'prices', limit: 1 });
    expect(runs.items[0]).toMatchObject({ trigger: 'inbound', status: 'ok', mode: 'full' });
  });
});
