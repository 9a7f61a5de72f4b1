/**
 * `npm run bench -- order [--skus=100000] [--runs=5] [--lines=1000] [--bad=40]`
 *
 * A dealer orders 1,000 lines from a file: the CSV ("SKU;qty", a header, some bad lines: unknown SKUs, quantities
 * that are not numbers, zero, no SKU) is uploaded raw to the real quick-order file route, resolved and priced against
 * a 100,000-SKU catalog, the checkout preview is read, and the order is submitted — which writes the order on MariaDB
 * and creates the Orders item with its product rows in the sandbox Bitrix24 portal through the app's real Bitrix24
 * client (batch). The app, the sandbox portal (with DealerHub installed by the real installer: smart processes, fields,
 * stages) and a fresh MariaDB database (dh_bench_order_<pid>, dropped afterwards) live in THIS process; the client is
 * a SECOND process (tests/perf/load/order-client.ts) over loopback. While the orders are submitted the portal limits
 * REST calls as the cloud does (a bucket of 50 draining 2 per second); the Bitrix24 calls per order are logged, and
 * the last order is checked: every accepted line stored and present as a product row of its Bitrix24 item.
 *
 * Figure: order_1000_lines_ms (goal <= 2000) — the median over --runs runs (after one warm-up run that is not counted)
 * of the time from the start of the upload to the submit's answer; the split upload / preview / submit is logged.
 * Needs MariaDB at TEST_MARIADB_URL (default mysql://root@127.0.0.1:3306/) and builds the widgets if they are missing
 * (the dealer's session comes from a real placement POST, which serves the built cabinet page).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCatalog } from '../../sandbox/erp/catalog/index.js';
import { createApp } from '../../server/app.js';
import { selectRows } from '../../server/jobs/sql.js';
import { catalogPortFor } from '../../server/modules/carts/index.js';
import { catalogFor } from '../../server/modules/catalog/index.js';
import { registerOrderRoutes, registerOrders } from '../../server/modules/orders/index.js';
import { ensureWidgetsBuilt, waitFor } from '../http/placements-fixture.js';
import { round, type Figure } from './figure.js';
import { startBenchPortal } from './load/bench-portal.js';
import type { OrderPlan } from './load/order-client.js';
import { seedReadModel } from './load/seed-catalog.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

interface RunLine {
  run: number;
  ms: number;
  uploadMs: number;
  previewMs: number;
  submitMs: number;
  lines: number;
  accepted: number;
  rejected: number;
  cartLines: number;
  order: { id: number; number: string; b24ItemId: number; total: string };
}

function runClient(planFile: string): Promise<RunLine[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/perf/load/order-client.ts', planFile], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunLine);
      if (code !== 0) reject(new Error(`order client exited with ${code} after ${lines.length} run(s)`));
      else resolvePromise(lines);
    });
  });
}

/** The CSV a dealer would upload: good lines with bad ones spread among them (deterministic). */
function orderCsv(skus: string[], bad: number): { csv: string; good: number } {
  const rows: string[] = skus.map((sku, i) => `${sku};${1 + (i % 7)}`);
  const badRows = Array.from({ length: bad }, (_, i) => {
    switch (i % 4) {
      case 0: return `NO-SUCH-${1000 + i};3`;
      case 1: return `${skus[i % skus.length]};много`;
      case 2: return `${skus[(i * 13) % skus.length]};0`;
      default: return ';4';
    }
  });
  const step = Math.max(1, Math.floor(rows.length / Math.max(1, bad)));
  badRows.forEach((r, i) => rows.splice(Math.min(rows.length, i * (step + 1) + 5), 0, r));
  return { csv: `Артикул;Количество\r\n${rows.join('\r\n')}\r\n`, good: skus.length };
}

export async function run(args: string[]): Promise<Figure[]> {
  const skus = arg(args, 'skus', 100_000);
  const runs = arg(args, 'runs', 5);
  const lineCount = arg(args, 'lines', 1_000);
  const bad = arg(args, 'bad', 40);
  const log = (m: string) => console.log(`  ${m}`);

  ensureWidgetsBuilt();
  log('starting the sandbox portal and installing DealerHub into it (MariaDB)…');
  const h = await startBenchPortal('order');
  let server: Server | null = null;
  try {
    const ctx = h.t.ctx;
    const seedStarted = Date.now();
    const cat = generateCatalog({ seed: 'order-bench', skus, customers: 10 });
    await seedReadModel(ctx.db, h.portalId, cat, ctx.logger);
    log(`catalog of ${skus} SKUs ingested in ${Math.round((Date.now() - seedStarted) / 1000)} s`);

    registerOrders(ctx, { erpSync: null });
    const app = createApp(ctx, [registerOrderRoutes]);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // A dealer created in the portal (the dealers sync brings it over), its head user's session from a real placement.
    const [pt] = await selectRows<{ erp_id: string }>(ctx.db, 'SELECT p.erp_id FROM erp_price_types p WHERE p.portal_id = :portalId AND EXISTS (SELECT 1 FROM erp_prices x WHERE x.price_type_id = p.id) ORDER BY p.id LIMIT 1', { portalId: h.portalId });
    const person = h.portal.users.dealers[0]!;
    const itemId = await h.createDealer({ title: person.title, companyId: person.companyId, managerId: person.managerId, priceType: pt!.erp_id, city: cat.warehouses[0]!.city, creditLimit: '100000000000' });
    const dealer = await waitFor(() => ctx.dealers.findByItemId(h.portalId, itemId), 20_000, 'the dealer synced');
    const placement = await h.placementPost(person.userIds[0]!, '/placement/cabinet', { placement: 'IM_NAVIGATION' });
    if (placement.status !== 200) throw new Error(`placement: ${placement.status} ${placement.text.slice(0, 300)}`);
    const token = h.bootstrapOf(placement).session;

    // The catalog is loaded before the clock starts (a running app has it in memory); SKUs the dealer can order.
    const loadStarted = Date.now();
    const port = (await catalogPortFor(ctx, h.portalId, dealer.id))!;
    log(`catalog loaded for the dealer in ${Date.now() - loadStarted} ms`);
    const products = (await catalogFor(ctx, h.portalId)).snapshot!.index.products;
    const good: string[] = [];
    const stride = Math.max(1, Math.floor(products.length / (lineCount * 2)));
    for (let i = 0; i < products.length && good.length < lineCount - bad; i += stride) {
      const sku = products[i]!.sku;
      if (!sku) continue;
      const v = port.lookup([sku]).get(sku);
      if (v && v.onSale && !v.packRatio && port.quote(v.id, '7')) good.push(sku);
    }
    const { csv } = orderCsv(good, bad);
    const dir = mkdtempSync(join(tmpdir(), 'dealerhub-order-bench-'));
    const csvFile = join(dir, 'order.csv');
    writeFileSync(csvFile, csv);
    const plan: OrderPlan = { baseUrl, token, csvFile, runs: runs + 1, requestIdPrefix: `bench-${Date.now()}` };
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    log(`CSV: ${good.length + bad} lines (${bad} bad), ${Math.round(csv.length / 1024)} KB; ${runs} runs after one warm-up, from a second process…`);

    // From here the portal limits REST calls as the cloud does (a bucket of 50 draining 2 per second): the installer
    // and the setup above ran with a roomy bucket, the measured submits do not.
    h.portal.faults.setRateLimit({ burst: 50, drainPerSecond: 2 });
    const statsBefore = h.client.stats();
    const lines = await runClient(planFile);
    const statsAfter = h.client.stats();
    for (const l of lines) {
      log(`  run ${l.run}${l.run === 0 ? ' (warm-up)' : ''}: ${Math.round(l.ms)} ms = upload ${Math.round(l.uploadMs)} + preview ${Math.round(l.previewMs)} + submit ${Math.round(l.submitMs)}; ${l.accepted} accepted, ${l.rejected} rejected; order ${l.order.number} → Bitrix24 item ${l.order.b24ItemId}, ${l.order.total}`);
    }
    // The last order really is in Bitrix24 with every line.
    const last = lines.at(-1)!;
    const rows = await selectRows<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM order_lines WHERE order_id = :id', { id: last.order.id });
    h.portal.faults.setRateLimit(null);
    const item = await h.client.call<{ item: { opportunity: number } }>('crm.item.get', { entityTypeId: h.sp.orders!.entityTypeId, id: last.order.b24ItemId });
    const productRows = await h.client.callRaw<{ productRows: unknown[] }>('crm.item.productrow.list', { filter: { '=ownerType': `T${h.sp.orders!.entityTypeId.toString(16)}`, '=ownerId': last.order.b24ItemId } });
    const b24Rows = productRows.total ?? productRows.result.productRows.length;
    log(`  last order: ${Number(rows[0]!.n)} lines stored, Bitrix24 item with ${b24Rows} product rows, opportunity ${item.item.opportunity}`);
    log(`  Bitrix24 REST per order (the app's client): ${round((statsAfter.calls - statsBefore.calls) / lines.length, 1)} calls, ${round((statsAfter.hits - statsBefore.hits) / lines.length, 1)} HTTP requests, ${statsAfter.limitErrors - statsBefore.limitErrors} limit answers in all`);
    if (last.accepted !== good.length || last.rejected !== bad || Number(rows[0]!.n) !== good.length || b24Rows !== good.length) {
      throw new Error(`expected ${good.length} accepted and ${bad} rejected lines, got ${last.accepted} / ${last.rejected}, ${Number(rows[0]!.n)} stored, ${b24Rows} in Bitrix24`);
    }
    const measured = lines.filter((l) => l.run > 0);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return [
      { name: 'order_1000_lines_ms', value: round(median(measured.map((l) => l.ms)), 0), unit: 'ms', goal: '<= 2000' },
      { name: 'order_1000_lines_upload_ms', value: round(median(measured.map((l) => l.uploadMs)), 0), unit: 'ms' },
      { name: 'order_1000_lines_preview_ms', value: round(median(measured.map((l) => l.previewMs)), 0), unit: 'ms' },
      { name: 'order_1000_lines_submit_ms', value: round(median(measured.map((l) => l.submitMs)), 0), unit: 'ms' },
      { name: 'order_catalog_skus', value: skus, unit: 'SKUs' },
    ];
  } finally {
    if (server) await new Promise((r) => server!.close(r));
    await h.close();
  }
}
