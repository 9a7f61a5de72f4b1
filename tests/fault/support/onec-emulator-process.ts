/**
 * The 1C OData emulator in its own process (fault tests and tests/perf/erp-sync.bench.ts), so its CPU and memory are
 * not the measured process's. Env: SKUS (default 2000), SEED, WAREHOUSES, PRICE_TYPES, CUSTOMERS.
 * Prints one JSON line {"baseUrl": …, "controlUrl": …, "pid": …} when it listens on 127.0.0.1 (port 0).
 */
import { formatLocal, generateCatalog } from '../../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator } from '../../../sandbox/erp/onec-odata/index.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const catalog = generateCatalog({
  seed: process.env.SEED ?? 'dealerhub',
  skus: num('SKUS', 2_000),
  warehouses: num('WAREHOUSES', 5),
  priceTypes: num('PRICE_TYPES', 7),
  customers: num('CUSTOMERS', 12),
  asOf: formatLocal(Date.now()),
});
const running = await startOnecOdataEmulator({ catalog, host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ baseUrl: running.baseUrl, controlUrl: running.controlUrl, pid: process.pid })}\n`);
const stop = async () => {
  await running.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
