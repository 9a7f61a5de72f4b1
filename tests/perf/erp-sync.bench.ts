/**
 * `npm run bench -- erp-sync`: a full catalog sync (groups, warehouses, price types, products, prices, stock) of a
 * 100,000-SKU catalog from the 1C OData emulator running in a separate process, into MariaDB, through the real
 * adapter (createOnecOdataConnector) and the sync runners. Then the same sync again as a delta with nothing changed.
 *
 * Options: --skus=N (default 100000), --page-size=N (adapter page, default 1000), --concurrency=N (adapter requests in
 * flight, default 4).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createDatabase } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import { createOnecOdataConnector } from '../../server/erp/onec-odata/index.js';
import { createErpSync } from '../../server/erp/sync/index.js';
import { createJobQueue } from '../../server/jobs/index.js';
import { createLogger } from '../../server/lib/logger.js';
import { createMariaDbDatabase } from '../support/databases.js';
import { round, type Figure } from './figure.js';

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

async function startEmulator(skus: number): Promise<{ baseUrl: string; stop(): void }> {
  const script = resolve(import.meta.dirname, '../fault/support/onec-emulator-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, SKUS: String(skus), SEED: 'bench' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok((JSON.parse(line) as { baseUrl: string }).baseUrl);
    });
    child.on('exit', (code) => fail(new Error(`the emulator process exited with ${code}`)));
  });
  return { baseUrl, stop: () => child.kill('SIGTERM') };
}

export async function run(args: string[]): Promise<Figure[]> {
  const skus = arg(args, 'skus', 100_000);
  const pageSize = arg(args, 'page-size', 1_000);
  const concurrency = arg(args, 'concurrency', 4);
  const logger = createLogger('warn');
  const emulator = await startEmulator(skus);
  const testDb = await createMariaDbDatabase();
  const db = createDatabase({ url: testDb.url, poolMax: 6 });
  try {
    await migrateUp(db);
    const connector = createOnecOdataConnector({ baseUrl: emulator.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', pageSize, concurrency, timeoutMs: 120_000 });
    const queue = createJobQueue({ db, logger });
    const sync = createErpSync({ db, logger, queue, connectorFor: () => connector });
    // Warm the adapter's $metadata check and dictionaries so the figure is the sync, not a cold start.
    await connector.warehouses();

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const full = await sync.runSync(1, 'catalog', { mode: 'full' });
    const fullSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (full.failed.length) throw new Error(`full sync failed: ${JSON.stringify(full.failed)}`);
    const by = Object.fromEntries(full.results.map((r) => [r.entity, r]));
    const rows = full.results.reduce((n, r) => n + (r.counts?.inserted ?? 0) + (r.counts?.updated ?? 0), 0);
    if ((by.products?.counts?.inserted ?? 0) !== skus) throw new Error(`expected ${skus} products, got ${by.products?.counts?.inserted}`);

    const deltaStarted = performance.now();
    const delta = await sync.runSync(1, 'catalog', { mode: 'delta' });
    const deltaSeconds = (performance.now() - deltaStarted) / 1000;
    const deltaWritten = delta.results.reduce((n, r) => n + (r.counts?.inserted ?? 0) + (r.counts?.updated ?? 0) + (r.counts?.deleted ?? 0), 0);
    if (deltaWritten !== 0) throw new Error(`an unchanged catalog wrote ${deltaWritten} rows on the delta run`);

    const seconds = (e: string) => round((by[e]?.durationMs ?? 0) / 1000);
    return [
      { name: 'erp_sync_100k_s', value: round(fullSeconds), unit: 's' },
      { name: 'erp_sync_rows_per_s', value: Math.round(rows / fullSeconds), unit: 'rows/s' },
      { name: 'erp_sync_peak_rss_mb', value: Math.round(peakRss / 1024 / 1024), unit: 'MB' },
      { name: 'erp_sync_rows', value: rows, unit: 'rows' },
      // Our process's CPU during the full sync (the rest of the wall time is the ERP and MariaDB working).
      { name: 'erp_sync_cpu_s', value: round((cpu.user + cpu.system) / 1e6), unit: 's' },
      { name: 'erp_sync_rss_before_mb', value: Math.round(rssBefore / 1024 / 1024), unit: 'MB' },
      { name: 'erp_sync_products_s', value: seconds('products'), unit: 's' },
      { name: 'erp_sync_prices_s', value: seconds('prices'), unit: 's' },
      { name: 'erp_sync_stock_s', value: seconds('stock'), unit: 's' },
      { name: 'erp_sync_delta_unchanged_s', value: round(deltaSeconds), unit: 's' },
      { name: 'erp_sync_skus', value: skus, unit: 'SKUs' },
    ];
  } finally {
    emulator.stop();
    await db.close();
    await testDb.drop();
  }
}
