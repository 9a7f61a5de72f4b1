/**
 * `npm run bench -- catalog [--skus=100000] [--dealers=3000] [--rate=550] [--seconds=30] [--fresh] [--profile] [--no-portal-cache]
 *  [--no-guard-cache]`
 *
 * The catalog API under load on MariaDB: 100,000 SKUs (sandbox catalog generator → the real read-model ingest),
 * 3,000 dealers, a few hundred discount rules across dealers / dealer groups / product groups / brands / products and
 * some special offers. The app (createApp + catalogRoutes with its guards) serves from THIS process over a real HTTP
 * server; the load comes from a SECOND process (tests/perf/load/catalog-load.ts) over loopback with keep-alive agents,
 * at a fixed offered rate, every request with a random dealer's session. The seeded database is kept between runs
 * (dh_bench_catalog_<skus>_v2; --fresh rebuilds it).
 *
 * Figures: catalog_query_p50_ms, catalog_query_p95_ms (goal <= 50), catalog_query_p99_ms, catalog_query_rps (goal
 * >= 500), price_list_100k_ms (goal <= 1000, the dealer's whole priced list as JSON), price_list_xlsx_100k_ms (goal
 * <= 10000); also catalog_load_ms and catalog_rss_mb (one portal's catalog loaded from MariaDB, for the record), the
 * app's CPU and SQL statements per query (catalog_query_app_cpu_ms, catalog_query_sql_per_request: these do not depend
 * on what else the machine is doing, unlike the latencies, so compare them between variants).
 *
 * Variants: --no-portal-cache (sessionGuard reads the portal row on every request, as before its 2 s cache), --no-guard-cache (the dealer
 * API guard reads the dealer user and dealer on every request, as before its 2 s cache). --profile writes a CPU profile
 * of the app process over the load (open it in Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { closeContext, createContext } from '../../server/context.js';
import { createDatabase } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import { selectRows } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { catalogFor, catalogRoutes } from '../../server/modules/catalog/index.js';
import { switchLayout } from '../../server/modules/search/index.js';
import { createPortalsRepository } from '../../server/modules/portals/portals.repository.js';
import { generateCatalog } from '../../sandbox/erp/catalog/index.js';
import { MARIADB_ADMIN_URL } from '../support/databases.js';
import { round, type Figure } from './figure.js';
import type { LoadPlan } from './load/catalog-load.js';
import { DEALER_USER_BASE, seedDealers, seedReadModel, seedRules } from './load/seed-catalog.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECRET_KEY = 'ab'.repeat(32);
const MEMBER_ID = 'bench-catalog-member';

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

async function prepareDatabase(skus: number, dealers: number, fresh: boolean, log: (m: string) => void): Promise<{ url: string; portalId: number }> {
  const name = `dh_bench_catalog_${skus}_v2`;
  const admin = new URL(MARIADB_ADMIN_URL);
  const conn = await mysql.createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username || 'root'), password: decodeURIComponent(admin.password) });
  if (fresh) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const url = new URL(MARIADB_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = createDatabase({ url: url.toString() });
  await migrateUp(db);
  const portals = createPortalsRepository(db.sequelize, Buffer.from(SECRET_KEY, 'hex'));
  const { portal } = await portals.upsertInstalled({ memberId: MEMBER_ID, domain: 'bench.bitrix24.ru', protocol: 'https' });
  await db.sequelize.query('CREATE TABLE IF NOT EXISTS bench_marker (name VARCHAR(64) PRIMARY KEY, value VARCHAR(64))');
  const [marker] = await selectRows<{ value: string }>(db, "SELECT value FROM bench_marker WHERE name = 'seeded'");
  if (marker?.value !== `${skus}/${dealers}`) {
    log(`seeding ${skus} SKUs, ${dealers} dealers into ${name} (once; kept for later runs)…`);
    const started = Date.now();
    const cat = generateCatalog({ seed: 'catalog-bench', skus, customers: 40 });
    await seedReadModel(db, portal.id, cat, createLogger('warn'), (n) => n % 20_000 === 0 && log(`  ${n} SKUs (${Math.round((Date.now() - started) / 1000)} s)`));
    const seeded = await seedDealers(db, portal.id, cat, dealers);
    const groupIds = (await selectRows<{ id: number }>(db, 'SELECT id FROM erp_product_groups WHERE portal_id = :p', { p: portal.id })).map((r) => Number(r.id));
    const productIds = (await selectRows<{ id: number }>(db, 'SELECT id FROM erp_products WHERE portal_id = :p ORDER BY id LIMIT 5000', { p: portal.id })).map((r) => Number(r.id));
    await seedRules(db, portal.id, { dealers: seeded, groupIds, brands: cat.brands.map((b) => b.name), productIds, discounts: 300, offers: 40 });
    await db.sequelize.query("REPLACE INTO bench_marker (name, value) VALUES ('seeded', :v)", { replacements: { v: `${skus}/${dealers}` } });
    log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  await db.close();
  return { url: url.toString(), portalId: portal.id };
}

/** Runs the load generator; `onLine` sees each JSON line as it arrives (the app's CPU is read between phases). */
function runLoadProcess(planFile: string, onLine: (line: Record<string, unknown>) => void): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/perf/load/catalog-load.ts', planFile], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    const lines: Array<Record<string, unknown>> = [];
    child.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        onLine(line);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolvePromise(lines);
    });
  });
}

export async function run(args: string[]): Promise<Figure[]> {
  const skus = arg(args, 'skus', 100_000);
  const dealerCount = arg(args, 'dealers', 3_000);
  const rate = arg(args, 'rate', 550);
  const seconds = arg(args, 'seconds', 30);
  const log = (m: string) => console.log(`  ${m}`);
  const { url, portalId } = await prepareDatabase(skus, dealerCount, args.includes('--fresh'), log);

  const config = loadConfig({
    APP_MODE: 'sandbox',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'dealerhub-bench-')),
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    APP_CLIENT_ID: 'local.bench000000000.00000000',
    APP_CLIENT_SECRET: 'bench-client-secret-0123456789',
    APP_SECRET_KEY: SECRET_KEY,
  });
  const ctx = await createContext(config);
  // --no-portal-cache: every request sees a new portal write count, so sessionGuard's cache never hits.
  const portalCache = !args.includes('--no-portal-cache');
  if (!portalCache) {
    let n = 0;
    ctx.portals.writeCount = () => ++n;
  }
  // --no-guard-cache: every request sees a new write count, so the guard's cache never hits.
  const guardCache = !args.includes('--no-guard-cache');
  if (!guardCache) {
    let n = 0;
    ctx.dealers.writeCount = () => ++n;
  }
  // SQL statements the app sends (the load phase's count is read when the load generator reports).
  let statements = 0;
  const sequelize = ctx.db.sequelize as unknown as { query: (...a: unknown[]) => Promise<unknown> };
  const query = sequelize.query.bind(sequelize);
  sequelize.query = (...a: unknown[]) => {
    statements++;
    return query(...a);
  };
  const app = createApp(ctx, [(a, c) => a.use('/api', catalogRoutes(c))]);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const loadStarted = Date.now();
    const catalog = await catalogFor(ctx, portalId);
    const loadMs = Date.now() - loadStarted;
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const snapshot = catalog.snapshot!;
    log(`catalog loaded: ${snapshot.size} SKUs in ${loadMs} ms; RSS ${Math.round(rss / 1e6)} MB (+${Math.round((rss - rssBefore) / 1e6)} MB)`);

    // Sessions of dealer users across many dealers, and the vocabulary of realistic queries.
    const dealers = await selectRows<{ id: number; b24_item_id: number }>(ctx.db, 'SELECT id, b24_item_id FROM dealers WHERE portal_id = :p ORDER BY id', { p: portalId });
    const sessionOf = (d: { b24_item_id: number }, role: 'dealer_buyer' | 'dealer_head' = 'dealer_buyer') =>
      issueWidgetSession(config.app.secretKey, { portalId, userId: DEALER_USER_BASE + Number(d.b24_item_id), role, dealerId: Number(d.b24_item_id), widget: 'cabinet' }).token;
    const tokens = dealers.filter((_, i) => i % 3 === 0).map((d) => sessionOf(d));
    const index = snapshot.index;
    const groups = [...snapshot.groups.values()];
    const leafGroupIds = groups.filter((g) => !groups.some((c) => c.parentId === g.id)).map((g) => g.id);
    const facets = new Map<string, Set<string>>();
    for (const g of leafGroupIds.slice(0, 40)) {
      for (const f of index.query({ groupId: g, limit: 1 }).facets) {
        if (f.id === 'brand') continue;
        const set = facets.get(f.id) ?? new Set();
        f.values.slice(0, 4).forEach((v) => set.add(v.value));
        facets.set(f.id, set);
      }
    }
    const sample = Array.from({ length: 400 }, (_, i) => index.products[(i * 7919) % index.size]!).filter((p) => p.onSale);
    const words = [...new Set(sample.map((p) => p.name.split(/[\s,]+/)[0]!.toLowerCase()))];
    const typo = (w: string) => (w.length > 5 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w);
    const searchWords = [
      ...words,
      ...words.map((w) => `${w} ${sample.find((p) => p.name.toLowerCase().startsWith(w))?.brand ?? ''}`.trim()),
      ...words.slice(0, 10).map(typo),
      ...words.slice(0, 10).map((w) => switchLayout(w)),
      ...sample.slice(0, 20).map((p) => p.sku!.slice(0, 6)),
    ];
    const suggestPrefixes = [...words.map((w) => w.slice(0, 2 + (w.length % 4))), ...words.slice(0, 10).map((w) => switchLayout(w.slice(0, 4))), ...sample.slice(0, 20).map((p) => p.sku!.slice(0, 4))];
    const personal = (await selectRows<{ rule: string }>(ctx.db, "SELECT rule FROM pricing_rules WHERE portal_id = :p AND source = 'discount' AND rule LIKE '%\"dealer\"%' LIMIT 1", { p: portalId }))[0];
    const personalDealer = personal ? (JSON.parse(personal.rule) as { audience: { dealerId: number } }).audience.dealerId : Number(dealers[0]!.id);
    const listToken = sessionOf(dealers.find((d) => Number(d.id) === personalDealer)!, 'dealer_head');

    const plan: LoadPlan = {
      baseUrl,
      tokens,
      rate,
      warmupSeconds: 10,
      durationSeconds: seconds,
      vocabulary: {
        groupIds: groups.map((g) => g.id),
        leafGroupIds,
        brands: [...new Set(sample.map((p) => p.brand!).filter(Boolean))],
        facets: [...facets].map(([id, values]) => ({ id, values: [...values] })),
        cities: [...new Set(index.warehouseList.map((w) => w.city!).filter(Boolean))],
        productIds: sample.map((p) => p.id),
        searchWords,
        suggestPrefixes,
      },
      priceLists: [
        { name: 'json', path: '/api/catalog/price-list?format=json', token: listToken, runs: 5 },
        { name: 'xlsx', path: '/api/catalog/price-list?format=xlsx', token: listToken, runs: 2 },
      ],
    };
    const planFile = join(mkdtempSync(join(tmpdir(), 'dealerhub-load-')), 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    log(`load: ${rate} req/s for ${seconds} s (after 10 s of warm-up at half the rate) across ${tokens.length} dealers' sessions from a second process…`);
    // --profile: a CPU profile of the app process during the load (open it in Chrome DevTools).
    const profiler = args.includes('--profile') ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    // The app's event-loop delay over the load: long stalls of our own (GC, a synchronous rebuild) show here, while a
    // machine busy with other work shows as CPU time per query staying flat and latency rising anyway.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const statementsBefore = statements;
    let loadStatements = 0;
    let cpu = { user: 0, system: 0 };
    const [load, lists] = await runLoadProcess(planFile, (line) => {
      if (line.phase === 'load') {
        cpu = process.cpuUsage(cpuBefore);
        loadStatements = statements - statementsBefore;
        loopDelay.disable();
      }
    });
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = join(tmpdir(), `catalog-bench-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`CPU profile: ${file}`);
      profiler.disconnect();
    }
    const l = load as { p50: number; p95: number; p99: number; rps: number; errors: number; statusErrors: number; completed: number; sent: number; cpuMs: number; byKind: Record<string, { n: number; p50: number; p95: number; p99: number }> };
    // The app's CPU per query over the load phase (warm-up included): what one free core would serve, whatever else
    // the machine was doing during the run.
    const appCpuPerQuery = (cpu.user + cpu.system) / 1000 / Math.max(1, l.sent);
    for (const [kind, s] of Object.entries(l.byKind)) log(`  ${kind.padEnd(10)} n=${s.n} p50=${round(s.p50)} p95=${round(s.p95)} p99=${round(s.p99)} ms`);
    log(`  p50/p95 by second: ${((load as { timeline: unknown }).timeline as Array<[number, number, number]>).map(([sec, a, b]) => `${sec}s:${a}/${b}`).join(' ')}`);
    log(`  app event-loop delay: p50 ${round(loopDelay.percentile(50) / 1e6)} ms, p99 ${round(loopDelay.percentile(99) / 1e6)} ms, max ${round(loopDelay.max / 1e6)} ms`);
    log(`  completed ${l.completed}, transport errors ${l.errors}, non-200 ${l.statusErrors}; app CPU ${round(appCpuPerQuery, 3)} ms per query, load generator CPU ${round(l.cpuMs / Math.max(1, l.sent), 3)} ms per query`);
    const pl = (lists as { lists: Record<string, { ms: number[]; bytes: number; status: number }> }).lists;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    log(`  price list json: ${pl.json!.ms.map((m) => Math.round(m)).join(', ')} ms, ${Math.round(pl.json!.bytes / 1e6)} MB, status ${pl.json!.status}`);
    log(`  price list xlsx: ${pl.xlsx!.ms.map((m) => Math.round(m)).join(', ')} ms, ${Math.round(pl.xlsx!.bytes / 1e6)} MB, status ${pl.xlsx!.status}`);
    return [
      { name: 'catalog_query_p50_ms', value: round(l.p50), unit: 'ms' },
      { name: 'catalog_query_p95_ms', value: round(l.p95), unit: 'ms', goal: '<= 50' },
      { name: 'catalog_query_p99_ms', value: round(l.p99), unit: 'ms' },
      { name: 'catalog_query_rps', value: round(l.rps), unit: 'req/s', goal: '>= 500' },
      { name: 'catalog_query_errors', value: l.errors + l.statusErrors, unit: 'failed or non-200', goal: '= 0' },
      { name: 'price_list_100k_ms', value: round(pl.json!.status === 200 ? median(pl.json!.ms) : NaN), unit: 'ms', goal: '<= 1000' },
      { name: 'price_list_xlsx_100k_ms', value: round(pl.xlsx!.status === 200 ? median(pl.xlsx!.ms) : NaN), unit: 'ms', goal: '<= 10000' },
      { name: 'catalog_query_app_cpu_ms', value: round(appCpuPerQuery, 3), unit: 'ms CPU/query' },
      // What one free core would serve of this mix (1000 ms / the app's CPU per query): unlike the latencies above it
      // does not move with the load of other processes on the machine.
      { name: 'catalog_query_capacity_rps', value: Math.round(1000 / Math.max(0.001, appCpuPerQuery)), unit: 'req/s per free core' },
      { name: 'catalog_query_sql_per_request', value: round(loadStatements / Math.max(1, l.sent), 2), unit: 'SQL statements/query' },
      ...(guardCache ? [] : [{ name: 'variant_no_guard_cache', value: 1, unit: 'dealer API guard without its 2 s cache' }]),
      ...(!portalCache ? [{ name: 'variant_no_portal_cache', value: 1, unit: 'sessionGuard reads the portal on every request' }] : []),
      { name: 'catalog_load_ms', value: loadMs, unit: 'ms' },
      { name: 'catalog_rss_mb', value: Math.round(rss / 1e6), unit: 'MB' },
    ];
  } finally {
    await new Promise((r) => server.close(r));
    await closeContext(ctx);
  }
}
