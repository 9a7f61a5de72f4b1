import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocal, generateCatalog, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createDatabase, type Database } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import type { SubmitOrder } from '../../server/erp/port.js';
import { enqueueOutbox } from '../../server/erp/sync/index.js';
import { createJobQueue } from '../../server/jobs/index.js';
import { selectRows, withTransaction } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import { createMariaDbDatabase, type TestDatabase } from '../support/databases.js';

const ORDERS = 1_000;
const PORTAL = 1;
const WORKER = resolve(import.meta.dirname, 'support/outbox-worker.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Exactly-once delivery under faults (DESIGN.md §7 fault tests): 1,000 orders go through the outbox to the 1C OData
 * emulator while the ERP goes down for a while, answers arrive after the client gave up (the ERP did the work), and
 * the worker process is SIGKILLed mid-run and replaced by two new ones. Every order must exist in the ERP exactly
 * once (by external id), posted; none twice, none lost.
 */
describe('outbox exactly-once with a killed worker and an ERP outage (MariaDB)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let running: RunningOnecOdataEmulator;
  let catalog: GeneratedCatalog;
  const workers = new Set<ChildProcess>();
  const stderr: string[] = [];

  function startWorker(id: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: testDb.url, ONEC_URL: running.baseUrl, WORKER_ID: id, LEASE_MS: '1500', CONCURRENCY: '16', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.add(child);
    child.on('exit', () => workers.delete(child));
    child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`worker ${id} did not start: ${stderr.join('')}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) {
          clearTimeout(timer);
          ok(child);
        }
      });
      child.on('exit', (code) => fail(new Error(`worker ${id} exited with ${code}: ${stderr.join('')}`)));
    });
  }

  const posted = async () => Number((await selectRows(db, "SELECT COUNT(*) AS n FROM outbox WHERE state = 'posted'"))[0]!.n);

  async function waitForPosted(n: number, timeoutMs: number): Promise<number> {
    const until = Date.now() + timeoutMs;
    let count = 0;
    while (Date.now() < until) {
      count = await posted();
      if (count >= n) return count;
      await sleep(100);
    }
    return count;
  }

  beforeAll(async () => {
    testDb = await createMariaDbDatabase();
    db = createDatabase({ url: testDb.url });
    await migrateUp(db);
    catalog = generateCatalog({ seed: 'fault-outbox', skus: 200, customers: 20, ordersPerCustomer: 1, asOf: formatLocal(Date.now()) });
    running = await startOnecOdataEmulator({ catalog });
  });

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await running?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('when 1,000 orders are pushed through an outage and a SIGKILLed worker, then each exists once in the ERP, posted', async () => {
    const queue = createJobQueue({ db, logger: createLogger('silent') });
    const ids: string[] = [];
    // Products the ERP has marked deleted would be refused at posting (a validation dead letter, not this test's subject).
    const live = Array.from({ length: catalog.productCount }, (_, i) => i).filter((i) => !catalog.productBrief(i).deleted);
    for (let batch = 0; batch < ORDERS; batch += 50) {
      await withTransaction(db, async (t) => {
        for (let i = batch; i < Math.min(ORDERS, batch + 50); i++) {
          const externalId = randomUUID();
          ids.push(externalId);
          const customer = catalog.customers[i % catalog.customers.length]!;
          const lines = [live[i % live.length]!, live[(i * 7 + 3) % live.length]!].map((p) => ({
            productRef: { erpId: catalog.productRef(p) },
            qty: String((i % 5) + 1),
            price: catalog.pricesOf(p)[0]!.price,
          }));
          const order: SubmitOrder = { externalId, number: `DH-${String(i).padStart(6, '0')}`, currency: 'RUB', post: true, customerRef: { erpId: customer.ref }, lines };
          await enqueueOutbox(t, { portalId: PORTAL, aggregate: 'order', aggregateId: `b24-${i}`, externalId, payload: order }, { db, queue, maxAttempts: 40 });
        }
      });
    }
    expect(ids).toHaveLength(ORDERS);

    const first = await startWorker('worker-a');
    expect(await waitForPosted(200, 60_000)).toBeGreaterThanOrEqual(200);

    // The ERP goes down for three seconds (connections reset and 503s).
    const downAt = await posted();
    const disarmReset = running.emulator.faults.inject({ kind: 'down', how: 'reset', match: /Document_ЗаказКлиента/ });
    const disarm503 = running.emulator.faults.inject({ kind: 'down', how: '503' });
    await sleep(3_000);
    disarmReset();
    disarm503();
    expect(await posted()).toBeLessThan(downAt + 20);
    expect(await waitForPosted(900, 60_000)).toBeGreaterThanOrEqual(900);

    // Near the end, with few jobs left so retries come at once, creates start to take 8 s in the ERP (the client
    // gives up after 2 s). Then the worker is killed while its creates are still running there, far past its 1.5 s
    // lease: the new workers reclaim those jobs, and they and their own timed-out creates must find the orders the
    // ERP makes later instead of making them twice.
    running.emulator.faults.inject({ kind: 'slow', delayMs: 8_000, times: 30, match: /^POST \/Document_ЗаказКлиента$/ });
    await sleep(600);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = await posted();
    await Promise.all([startWorker('worker-b'), startWorker('worker-c')]);

    expect(await waitForPosted(ORDERS, 90_000)).toBe(ORDERS);
    // Creates the ERP was still sitting on (8 s) finish now; a duplicate would appear only then.
    await sleep(8_500);
    for (const w of workers) w.kill('SIGTERM');

    const created = running.emulator.createdOrders();
    const copies = new Map<string, number>();
    for (const o of created) copies.set(o.externalId, (copies.get(o.externalId) ?? 0) + 1);
    const twice = [...copies].filter(([, n]) => n > 1).map(([id]) => id);
    const lost = ids.filter((id) => !copies.has(id));
    expect(twice).toEqual([]);
    expect(lost).toEqual([]);
    expect(created).toHaveLength(ORDERS);
    expect(created.every((o) => o.posted)).toBe(true);
    const states = await selectRows(db, 'SELECT state, COUNT(*) AS n FROM outbox GROUP BY state');
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['posted', ORDERS]]);
    // The faults really happened: answers were lost, the outage hit, and the kill interrupted work in flight.
    const retried = Number((await selectRows(db, 'SELECT COUNT(*) AS n FROM outbox WHERE attempts > 1'))[0]!.n);
    expect(retried).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(ORDERS);
    expect(running.emulator.faults.hits).toBeGreaterThanOrEqual(30);
    const reaped = await selectRows(db, "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'erp.outbox.deliver' AND attempts > 1");
    expect(Number(reaped[0]!.n)).toBeGreaterThan(0);
  }, 180_000);
});
