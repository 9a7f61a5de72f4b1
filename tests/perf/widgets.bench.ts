/**
 * `npm run bench -- widgets [--runs=5] [--no-build] [--skip-browser]`
 *
 * widget_bundle_max_gzip_kb (goal <= 250): the widgets are built with vite (`vite build --manifest`, into a temporary
 * folder so dist/widgets is left alone), and for every entry (widgets/pages/*.html) its JS and CSS plus those of every
 * chunk it imports statically (followed through the manifest; lazy `import()` chunks are not counted — they are not
 * loaded to show the widget) are gzipped one file at a time (zlib level 6, what a web server sends) and summed. The
 * figure is the largest entry; every entry is logged. --no-build measures the last build of this bench again.
 *
 * card_tab_ready_ms (goal <= 1500): Chromium (playwright-core, /usr/bin/chromium or CHROMIUM_PATH; --headless
 * --no-sandbox --disable-gpu --disable-background-networking) opens the sandbox portal's Orders card as a manager and
 * clicks our tab (the portal loads card tabs when they are opened); the time runs from the start of the navigation
 * to the card until the tab's frame shows the order (its amount and its lines table). The portal, the app (with
 * DealerHub installed by the real installer, a fresh MariaDB database dh_bench_widgets_<pid>, dropped afterwards)
 * and the built widgets (dist/widgets; built if missing or stale) are served from this process over loopback. Each
 * run is a new browser context (an empty cache: the first time a manager opens a card today); median of --runs, and
 * card_tab_ready_warm_ms the same with the cache of the previous runs. --skip-browser measures the bundles only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { ensureWidgetsBuilt } from '../http/placements-fixture.js';
import { round, type Figure } from './figure.js';
import { startBenchPortal } from './load/bench-portal.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** Gzipped bytes of each entry: its files and those of its static imports, each file counted once. */
export function entrySizes(outDir: string): Array<{ entry: string; files: number; rawBytes: number; gzipBytes: number }> {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gz = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string) => {
    let s = gz.get(file);
    if (!s) {
      const bytes = readFileSync(join(outDir, file));
      s = { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
      gz.set(file, s);
    }
    return s;
  };
  return Object.entries(manifest)
    .filter(([, c]) => c.isEntry)
    .map(([key, chunk]) => {
      const files = new Set<string>();
      const seen = new Set<string>();
      const walk = (k: string) => {
        if (seen.has(k)) return;
        seen.add(k);
        const c = manifest[k]!;
        if (/\.(js|css)$/.test(c.file)) files.add(c.file);
        c.css?.forEach((f) => files.add(f));
        c.imports?.forEach(walk);
      };
      walk(key);
      let rawBytes = 0;
      let gzipBytes = 0;
      for (const f of files) {
        const s = sizeOf(f);
        rawBytes += s.raw;
        gzipBytes += s.gzip;
      }
      return { entry: key.replace(/^pages\//, '').replace(/\.html$/, '') || chunk.file, files: files.size, rawBytes, gzipBytes };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

function buildWidgets(outDir: string): void {
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--manifest', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
}

async function measureCardTab(runs: number, log: (m: string) => void): Promise<{ cold: number[]; warm: number[] }> {
  ensureWidgetsBuilt();
  log('starting the sandbox portal and installing DealerHub into it (MariaDB)…');
  const h = await startBenchPortal('widgets');
  const browser = await launchBrowser();
  try {
    // The frame talks to the portal through the SDK; the portal's REST limiter is not what is measured here.
    h.portal.faults.setRateLimit(null);
    const person = h.portal.users.dealers[0]!;
    const dealer = await h.createDealer({ title: person.title, companyId: person.companyId, managerId: person.managerId, creditLimit: '500000.00', dealerGroup: 'A', city: 'Москва' });
    const orderId = await h.createOrder({
      dealerItemId: dealer,
      companyId: person.companyId,
      number: 'BENCH-0001',
      deliveryMethod: 'carrier',
      deliveryAddress: 'Москва, Складской проезд, 12',
      submittedBy: person.userIds[0],
      lines: Array.from({ length: 12 }, (_, i) => ({ name: `Товар ${i + 1}`, price: 100 + i * 37.5, quantity: 1 + (i % 5), taxRate: 20 })),
    });
    const eti = h.sp.orders!.entityTypeId;
    const cardUrl = `${h.portal.url}/crm/type/${eti}/details/${orderId}/`;
    const placement = `CRM_DYNAMIC_${eti}_DETAIL_TAB`;
    const manager = person.managerId;

    const problems: string[] = [];
    const openOnce = async (page: Page): Promise<number> => {
      const started = performance.now();
      await page.goto(cardUrl, { waitUntil: 'commit' });
      await page.click('[data-tab^="app-"]');
      const handle = await page.waitForSelector(`iframe[data-placement="${placement}"]`, { timeout: 30_000 });
      const frame: Frame = (await handle.contentFrame())!;
      await frame.waitForSelector('[data-testid="order-amount"]', { timeout: 30_000 });
      await frame.waitForSelector('[data-testid="lines-table"]', { timeout: 30_000 });
      return performance.now() - started;
    };
    const cold: number[] = [];
    const warm: number[] = [];
    // One unmeasured open first: the app's and the portal's first requests (module loading, caches) are not a card.
    for (let i = -1; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'ru-RU' });
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(`${h.portal.url}/_ui/switch-user?id=${manager}&back=${encodeURIComponent('/')}`);
      const c = await openOnce(page);
      const w = await openOnce(page);
      if (i >= 0) {
        cold.push(c);
        warm.push(w);
      }
      log(`  open ${i < 0 ? 'warm-up' : i + 1}: ${Math.round(c)} ms with an empty cache, ${Math.round(w)} ms again`);
      await context.close();
    }
    if (problems.length) log(`  page errors: ${problems.slice(0, 3).join(' | ')}`);
    return { cold, warm };
  } finally {
    await browser.close();
    await h.close();
  }
}

export async function run(args: string[]): Promise<Figure[]> {
  const runs = arg(args, 'runs', 5);
  const log = (m: string) => console.log(`  ${m}`);
  const outDir = join(tmpdir(), 'dealerhub-widgets-bench');
  if (!args.includes('--no-build') || !existsSync(join(outDir, '.vite', 'manifest.json'))) {
    log(`building the widgets with vite into ${outDir}…`);
    const started = Date.now();
    buildWidgets(outDir);
    log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const sizes = entrySizes(outDir);
  for (const s of sizes) log(`  ${s.entry.padEnd(12)} ${String(s.files).padStart(2)} files  ${(s.rawBytes / 1024).toFixed(0).padStart(5)} KB raw  ${(s.gzipBytes / 1024).toFixed(1).padStart(6)} KB gzip`);
  const figures: Figure[] = [
    { name: 'widget_bundle_max_gzip_kb', value: round(sizes[0]!.gzipBytes / 1024, 1), unit: `KB gzip (${sizes[0]!.entry})`, goal: '<= 250' },
  ];
  if (!args.includes('--skip-browser')) {
    const { cold, warm } = await measureCardTab(runs, log);
    figures.push({ name: 'card_tab_ready_ms', value: round(median(cold), 0), unit: 'ms', goal: '<= 1500' });
    figures.push({ name: 'card_tab_ready_warm_ms', value: round(median(warm), 0), unit: 'ms' });
  }
  return figures;
}
