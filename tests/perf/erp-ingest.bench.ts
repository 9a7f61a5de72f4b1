/**
 * `npm run bench -- erp-ingest`: 1,000,000 price + stock rows into MariaDB through the read-model ingest functions
 * (ERP references resolved to our ids, diffed, batched upserts, each price type / warehouse replaced atomically), and
 * the physical floor: LOAD DATA LOCAL INFILE of the same resolved rows into tables of the same shape.
 *
 * Options: --products=N (default 100000), --types=N (price types, default 5), --warehouses=N (default 5),
 * --rounds=N (default 5: ours and LOAD DATA alternate, each keeps its best round on this shared machine),
 * --parallelism=N (partitions of each table written at once; default 2, what createIngestSession uses on MariaDB in
 * production; prices and stock also run side by side).
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { createDatabase } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import type { ErpPrice, ErpProduct, ErpStock } from '../../server/erp/port.js';
import { createIngestSession, ingestPrices, ingestPriceTypes, ingestProducts, ingestStock, ingestWarehouses } from '../../server/erp/read-model/index.js';
import { selectRows } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import { createMariaDbDatabase } from '../support/databases.js';
import { round, type Figure } from './figure.js';

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const guid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export async function run(args: string[]): Promise<Figure[]> {
  const nProducts = arg(args, 'products', 100_000);
  const nTypes = arg(args, 'types', 5);
  const nWarehouses = arg(args, 'warehouses', 5);
  const rounds = arg(args, 'rounds', 5);
  // The product's own default (server/erp/read-model/ingest-session.ts), so the figure is what a sync does.
  const parallelism = arg(args, 'parallelism', 2);
  const logger = createLogger('warn');
  const testDb = await createMariaDbDatabase();
  const db = createDatabase({ url: testDb.url, poolMax: 4 });
  const dir = mkdtempSync(join(tmpdir(), 'dh-ingest-'));
  try {
    await migrateUp(db);
    const portalId = 1;
    // Master data first (not timed): the benchmark is about the 1M rows of prices and stock.
    const products: ErpProduct[] = Array.from({ length: nProducts }, (_, i) => ({
      ref: { erpId: guid(1, i), code: `${i}` },
      sku: `SKU-${i}`,
      name: `Товар ${i}`,
      baseUnit: { code: '796', name: 'шт', ratio: '1' },
      deleted: false,
    }));
    const setup = createIngestSession(db, portalId, { logger });
    await ingestPriceTypes(setup, Array.from({ length: nTypes }, (_, t) => ({ ref: { erpId: guid(2, t) }, name: `Цена ${t}`, currency: 'RUB', vatIncluded: true })));
    await ingestWarehouses(setup, Array.from({ length: nWarehouses }, (_, w) => ({ ref: { erpId: guid(3, w) }, name: `Склад ${w}` })));
    for (let i = 0; i < products.length; i += 10_000) await ingestProducts(setup, products.slice(i, i + 10_000));

    const prices: ErpPrice[] = [];
    for (let t = 0; t < nTypes; t++) {
      for (let i = 0; i < nProducts; i++) prices.push({ productRef: products[i]!.ref, priceTypeRef: { erpId: guid(2, t) }, price: `${(i * 37 + t * 11) % 90_000 + 10}.${(i + t) % 100}`, currency: 'RUB' });
    }
    const stock: ErpStock[] = [];
    for (let w = 0; w < nWarehouses; w++) {
      for (let i = 0; i < nProducts; i++) {
        const onHand = (i * 13 + w) % 500;
        const reserved = onHand % 7;
        stock.push({ productRef: products[i]!.ref, warehouseRef: { erpId: guid(3, w) }, onHand: String(onHand), reserved: String(reserved), available: String(onHand - reserved) });
      }
    }
    const rows = prices.length + stock.length;

    // The floor: the same resolved rows from TSV files with LOAD DATA LOCAL INFILE into tables of the same shape
    // (updated_at filled by the column default on both sides).
    const productId = new Map((await selectRows(db, 'SELECT erp_id, id FROM erp_products WHERE portal_id = 1')).map((r) => [String(r.erp_id), String(r.id)]));
    const typeId = new Map((await selectRows(db, 'SELECT erp_id, id FROM erp_price_types WHERE portal_id = 1')).map((r) => [String(r.erp_id), String(r.id)]));
    const whId = new Map((await selectRows(db, 'SELECT erp_id, id FROM erp_warehouses WHERE portal_id = 1')).map((r) => [String(r.erp_id), String(r.id)]));
    const pricesFile = join(dir, 'prices.tsv');
    const stockFile = join(dir, 'stock.tsv');
    writeFileSync(pricesFile, prices.map((p) => `1\t${productId.get(p.productRef.erpId)}\t${typeId.get(p.priceTypeRef.erpId)}\t${p.price}\tRUB\t\\N\t\\N\n`).join(''));
    writeFileSync(stockFile, stock.map((s) => `1\t${productId.get(s.productRef.erpId)}\t${whId.get(s.warehouseRef.erpId)}\t${s.onHand}\t${s.reserved}\t${s.available}\t\\N\t\\N\n`).join(''));
    const url = new URL(testDb.url);
    const conn = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
      infileStreamFactory: (path: string) => createReadStream(path),
    });
    await conn.query('CREATE TABLE load_prices LIKE erp_prices');
    await conn.query('CREATE TABLE load_stock LIKE erp_stock');

    // The machine is shared, so the two are measured alternately and each keeps its best round.
    let oursSeconds = Infinity;
    let loadSeconds = Infinity;
    for (let round = 0; round < rounds; round++) {
      await conn.query('TRUNCATE erp_prices');
      await conn.query('TRUNCATE erp_stock');
      // A fresh session, so resolving the product references is part of the measured time.
      let started = performance.now();
      // Prices and stock side by side, as the sync's last stage runs them; `parallelism` partitions of each at once.
      const session = createIngestSession(db, portalId, { logger, parallelism });
      const [pc, sc] = await Promise.all([ingestPrices(session, prices, { mode: 'replace' }), ingestStock(session, stock, { mode: 'replace' })]);
      oursSeconds = Math.min(oursSeconds, (performance.now() - started) / 1000);
      if (pc.inserted + sc.inserted !== rows) throw new Error(`expected ${rows} inserted rows, got ${pc.inserted + sc.inserted}`);

      await conn.query('TRUNCATE load_prices');
      await conn.query('TRUNCATE load_stock');
      started = performance.now();
      await conn.query({ sql: `LOAD DATA LOCAL INFILE '${pricesFile}' INTO TABLE load_prices (portal_id, product_id, price_type_id, price, currency, unit, valid_from)` });
      await conn.query({ sql: `LOAD DATA LOCAL INFILE '${stockFile}' INTO TABLE load_stock (portal_id, product_id, warehouse_id, on_hand, reserved, available, expected_qty, expected_date)` });
      loadSeconds = Math.min(loadSeconds, (performance.now() - started) / 1000);
      const [[loaded]] = (await conn.query('SELECT (SELECT COUNT(*) FROM load_prices) + (SELECT COUNT(*) FROM load_stock) AS n')) as unknown as [[{ n: number }]];
      if (Number(loaded.n) !== rows) throw new Error(`LOAD DATA loaded ${loaded.n} rows, expected ${rows}`);
    }
    await conn.end();

    // The same pull again with nothing changed: what every scheduled snapshot after the first one costs.
    const started = performance.now();
    const again = createIngestSession(db, portalId, { logger, parallelism });
    const [pu, su] = await Promise.all([ingestPrices(again, prices, { mode: 'replace' }), ingestStock(again, stock, { mode: 'replace' })]);
    const unchanged = pu.unchanged + su.unchanged;
    const unchangedSeconds = (performance.now() - started) / 1000;
    if (unchanged !== rows) throw new Error(`expected ${rows} unchanged rows, got ${unchanged}`);

    const oursRate = rows / oursSeconds;
    const loadRate = rows / loadSeconds;
    return [
      { name: 'erp_ingest_1m_s', value: round(oursSeconds * (1_000_000 / rows)), unit: 's', goal: '<= 30' },
      { name: 'erp_ingest_vs_load_data', value: round(oursRate / loadRate), unit: 'ratio', goal: '>= 0.5' },
      { name: 'erp_ingest_rows_per_s', value: Math.round(oursRate), unit: 'rows/s' },
      { name: 'erp_ingest_load_data_rows_per_s', value: Math.round(loadRate), unit: 'rows/s' },
      { name: 'erp_ingest_unchanged_1m_s', value: round(unchangedSeconds * (1_000_000 / rows)), unit: 's' },
      { name: 'erp_ingest_rows', value: rows, unit: 'rows' },
      { name: 'erp_ingest_rounds', value: rounds, unit: 'rounds' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
    await testDb.drop();
  }
}
