import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp } from '../../server/compose-app.js';
import { loadConfig } from '../../server/config.js';
import { closeContext, createContext, type AppContext } from '../../server/context.js';
import { listen } from '../../server/http/serve.js';
import { PRICING_JOB_KINDS } from '../../server/modules/catalog/index.js';
import { switchLayout } from '../../server/modules/search/index.js';
import { startSandboxMode, type SandboxHandle } from '../../server/sandbox-mode.js';
import { ARTIFACTS_DIR, launchBrowser, screenshot } from '../support/browser.js';
import { ensureWidgetsBuilt, waitFor } from '../http/placements-fixture.js';

/**
 * The dealer cabinet's shopping screens in Chromium against the real app as `npm start` runs it: the sandbox portal,
 * the 1C OData emulator's demo catalog synced into the app, the demo dealers and their prices. A dealer user opens the
 * cabinet from the messenger; until the cabinet shell mounts the shop screens, the cabinet page is served with the
 * shop preview entry (widgets/pages/shop-preview.html: the same context contract, the same session). Screenshots go to
 * test-artifacts/screenshots/shop-*.png.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
/** The demo's first dealer has a 12% contract discount on the catalog's first brand (server/sandbox-demo.ts). */
const DISCOUNT_BRAND = 'MAY';
let ctx: AppContext;
let sandbox: SandboxHandle;
let closeServer: () => Promise<void>;
let appUrl = '';
let dataDir = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
let f: Frame;
const problems: string[] = [];

/** The built cabinet page with its entry script swapped for the shop preview's (the bootstrap stays as served). */
function withPreviewEntry(html: string): string {
  const preview = readFileSync(join(ROOT, 'dist', 'widgets', 'pages', 'shop-preview.html'), 'utf8');
  const entry = /<script type="module"[^>]*><\/script>/.exec(preview)![0];
  const swapped = html.replace(/<script type="module"[^>]*><\/script>/, '');
  return swapped.replace('</head>', `${entry}</head>`);
}

/** The cabinet frame alone (the portal around it is the sandbox's): its top `height` pixels or all of it. */
async function shot(name: string, height?: number): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  const frame = page.locator('iframe[data-placement="IM_NAVIGATION"]');
  const box = (await frame.boundingBox())!;
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), clip: { x: box.x, y: box.y, width: box.width, height: Math.min(height ?? box.height, box.height) }, fullPage: true });
}

const count = async (selector: string) => f.locator(selector).count();
const total = async () => Number(((await f.locator('[data-testid="catalog-total"]').textContent()) ?? '').replace(/\D/g, ''));

beforeAll(async () => {
  ensureWidgetsBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'dh-shop-e2e-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', APP_MODE: 'sandbox', NODE_ENV: 'test' });
  ctx = await createContext(config);
  let publicUrl = '';
  const { app } = composeApp(ctx, { publicUrl: () => publicUrl });
  const running = await listen(app, config.host, 0, ctx.logger);
  appUrl = publicUrl = running.url;
  closeServer = () => running.close(1000);
  await ctx.jobs.startWorkers({ concurrency: 4, pollMs: 25 });
  sandbox = await startSandboxMode(ctx, publicUrl);
  // The demo: dealers created in the portal, the catalog synced from the 1C emulator, the discount book pulled.
  const portal = await waitFor(() => ctx.portals.findByMemberId(sandbox.memberId), 30_000, 'the portal installed');
  await waitFor(async () => ((await ctx.portals.findById(portal.id))!.settings.demo as { seededAt?: string } | undefined)?.seededAt, 90_000, 'the demo seeded');
  const rows = async (table: string) => Number(((await ctx.db.sequelize.query(`SELECT COUNT(*) AS n FROM ${table}`))[0] as Array<{ n: number }>)[0]!.n);
  await waitFor(async () => (await rows('erp_products')) > 1000 && (await rows('erp_prices')) > 1000 && (await rows('erp_stock')) > 0 && (await rows('dealers')) >= 2, 90_000, 'the catalog synced');

  // The admin's installFinish() (the install page in a browser, see install-and-placements.test.ts) is not this test's subject.
  sandbox.portal.markInstallFinished();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1800, height: 1100 }, locale: 'ru-RU' });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await context.route(`${appUrl}/placement/cabinet**`, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: withPreviewEntry(await res.text()) });
  });
  const dealer = sandbox.portal.users.dealers[0]!;
  const cabinet = sandbox.portal.store.placements.all().find((p) => p.placement === 'IM_NAVIGATION' && p.clientId === ctx.config.app.clientId)!;
  await page.goto(`${sandbox.portalUrl}/_ui/switch-user?id=${dealer.userIds[0]}&back=${encodeURIComponent(`/online/?IM_APP=${cabinet.id}`)}`);
  const openCabinet = async () => {
    const handle = await page.waitForSelector('iframe[data-placement="IM_NAVIGATION"]', { timeout: 30_000 });
    f = (await handle.contentFrame())!;
    await f.waitForSelector('[data-testid="catalog-screen"]', { timeout: 30_000 });
  };
  await openCabinet();
  // The dealer's prices need the dealer synced from the portal into the in-memory catalog: wait until the API, with
  // the session the portal just issued, answers the catalog with prices, then open the cabinet again.
  const session = (JSON.parse((await f.locator('#dh-bootstrap').textContent())!) as { session: string }).session;
  await waitFor(async () => {
    const res = await fetch(`${appUrl}/api/catalog/products?pageSize=5`, { headers: { 'X-DealerHub-Session': session } });
    if (res.status !== 200) return false;
    const body = (await res.json()) as { total: number; items: Array<{ price: unknown }> };
    return body.total > 1000 && body.items.every((i) => i.price);
  }, 60_000, 'the dealer’s priced catalog');
  // The demo's discount book is pulled before the dealers and goods it names are synced; pull it again now so the
  // dealer's discounts apply (DealerHub does the same on every rule change and hourly). enqueuePricingRulesSync
  // deduplicates per minute, which would swallow this one, hence the own key.
  await ctx.jobs.enqueue({ kind: PRICING_JOB_KINDS.syncAll, portalId: portal.id, payload: {}, dedupKey: `shop-e2e:${Date.now()}`, maxAttempts: 5 });
  await waitFor(async () => {
    const res = await fetch(`${appUrl}/api/catalog/products?pageSize=1&filters[brand][]=${encodeURIComponent(DISCOUNT_BRAND)}`, { headers: { 'X-DealerHub-Session': session } });
    const body = (await res.json()) as { items: Array<{ price: { discountPercent: string } | null }> };
    return Number(body.items[0]?.price?.discountPercent ?? 0) > 0;
  }, 30_000, 'the dealer’s discounts applied');
  await page.reload();
  problems.length = 0;
  await openCabinet();
  // On a failure here the whole portal page is kept, to see what the frame showed instead.
  await f.waitForSelector('[data-testid="product-table"] .MuiDataGrid-row', { timeout: 30_000 }).catch(async (e: unknown) => {
    await screenshot(page, 'shop-00-failed-start');
    throw e;
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
  await sandbox?.close();
  if (ctx) await closeContext(ctx);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('dealer cabinet: catalog, search, cart, quick order, saved carts', () => {
  let goodSku = '';
  let productName = '';

  it('when the dealer opens the catalog, then groups with counts, facets and the priced table show, a facet narrows the list, price sort and paging work, and city stock with in-stock only hides the rest', async () => {
    expect(await count('[data-testid="group-item"]')).toBeGreaterThan(3);
    const before = await total();
    expect(before).toBeGreaterThan(1000);
    const firstRow = f.locator('[data-testid="product-table"] .MuiDataGrid-row').first();
    // The quick order uses a product from further down the page: the card below opens one found by the first's name.
    goodSku = ((await f.locator('[data-testid="product-table"] .MuiDataGrid-row').nth(8).locator('[data-field="sku"]').textContent()) ?? '').trim();
    productName = ((await firstRow.locator('[data-testid="product-name"]').textContent()) ?? '').trim();
    expect(goodSku).not.toBe('');
    expect(await firstRow.locator('[data-testid="price"]').textContent()).toMatch(/₽/);
    await shot('shop-01-catalog-table');

    const brand = f.locator('[data-testid="facet"][data-facet="brand"] [data-testid="facet-value"]').first();
    const value = (await brand.getAttribute('data-value'))!;
    const expected = Number(((await brand.locator('[data-testid="facet-count"]').textContent()) ?? '').replace(/\D/g, ''));
    await brand.locator('input').check();
    await expect.poll(total, { timeout: 10_000 }).toBe(expected);
    expect(expected).toBeLessThan(before);
    // The grid takes its new rows a frame after the total above changed.
    const brands = async () => [...new Set((await f.locator('[data-testid="product-table"] .MuiDataGrid-row [data-field="brand"]').allTextContents()).map((b) => b.trim()))];
    await expect.poll(brands, { timeout: 10_000 }).toEqual([value]);
    if (value === DISCOUNT_BRAND) {
      // The dealer's contract discount: their price in red, the base price struck through, the percent.
      const price = f.locator('[data-testid="product-table"] .MuiDataGrid-row').first().locator('[data-field="price"]');
      expect(await price.locator('s').count()).toBe(1);
      expect(await price.textContent()).toMatch(/−\d+(,\d+)?%/);
    }
    await shot('shop-02-catalog-facet');
    // Sort by the dealer's own price, cheapest first; then the next server page.
    const prices = async () => (await f.locator('[data-testid="product-table"] [data-testid="price"]').allTextContents()).map((p) => Number(p.replace(/[^\d,]/g, '').replace(',', '.')));
    await f.click('[data-testid="catalog-toolbar"] [role="combobox"] >> nth=0');
    await f.locator('[role="option"]', { hasText: 'Сначала дешевле' }).click();
    await expect.poll(async () => { const p = await prices(); return p.length > 5 && p.every((x, i) => i === 0 || p[i - 1]! <= x); }, { timeout: 10_000 }).toBe(true);
    const firstPageLast = (await prices()).at(-1)!;
    await f.click('[data-testid="product-table"] button[aria-label*="след" i]');
    await expect.poll(() => f.locator('[data-testid="product-table"] .MuiTablePagination-displayedRows').textContent(), { timeout: 10_000 }).toMatch(/^51–100/);
    await expect.poll(async () => (await prices())[0]! >= firstPageLast, { timeout: 10_000 }).toBe(true);
    await f.click('[data-testid="view-tiles"]');
    await f.waitForSelector('[data-testid="product-tile"]');
    await shot('shop-03-catalog-tiles', 1000);
    await f.click('[data-testid="view-table"]');
    await f.click('[data-testid="facets-reset"]');
    await expect.poll(total, { timeout: 10_000 }).toBe(before);
    // Stock scope of one city plus "in stock only": fewer goods, each with stock there.
    await f.click('[data-testid="scope-select"] [role="combobox"]');
    await f.locator('[role="option"]', { hasText: 'Город:' }).first().click();
    await f.locator('[data-testid="in-stock"] input').check();
    await expect.poll(total, { timeout: 10_000 }).toBeLessThan(before);
    await expect.poll(async () => (await f.locator('[data-testid="product-table"] [data-testid="stock"]').allTextContents()).every((s) => /\d/.test(s)), { timeout: 10_000 }).toBe(true);
    await f.locator('[data-testid="in-stock"] input').uncheck();
    await f.click('[data-testid="scope-select"] [role="combobox"]');
    await f.locator('[role="option"]').first().click();
    await expect.poll(total, { timeout: 10_000 }).toBe(before);
  });

  it('when the dealer types a word in the wrong keyboard layout, then suggestions come for the corrected word, arrows pick one, Enter filters the catalog, and nothing found shows the empty state', async () => {
    const word = productName.split(/\s+/).find((w) => /^[а-яё]{4,}$/i.test(w))!;
    const typed = switchLayout(word.toLowerCase());
    expect(typed).toMatch(/^[a-z[\];',.`]+$/);
    await f.fill('[data-testid="search-input"]', typed);
    await f.waitForSelector('[data-testid="search-option"]', { timeout: 10_000 });
    expect(await f.locator('[data-testid="search-corrected"]').textContent()).toContain(word.toLowerCase());
    expect(await f.locator('[data-testid="search-option"]').first().textContent()).toMatch(/₽/);
    await shot('shop-04-search-suggest', 700);
    // Keyboard: the second suggestion, Enter → its card.
    const second = ((await f.locator('[data-testid="search-option"]').nth(1).textContent()) ?? '').trim();
    await f.press('[data-testid="search-input"]', 'ArrowDown');
    await f.press('[data-testid="search-input"]', 'ArrowDown');
    await f.press('[data-testid="search-input"]', 'Enter');
    await f.waitForSelector('[data-testid="product-card"] [data-testid="card-sku"]');
    expect(second).toContain((await f.locator('[data-testid="product-card"] [data-testid="card-sku"]').textContent())!);
    await page.keyboard.press('Escape');
    await f.waitForSelector('[data-testid="product-card"]', { state: 'detached' });
    // Enter on the text itself → the catalog searched by it.
    await f.fill('[data-testid="search-input"]', typed);
    await f.waitForSelector('[data-testid="search-option"]', { timeout: 10_000 });
    await f.press('[data-testid="search-input"]', 'Enter');
    await f.waitForSelector('[data-testid="search-chip"]');
    await expect.poll(() => f.locator('[data-testid="corrected-query"]').textContent(), { timeout: 10_000 }).toContain(word.toLowerCase());
    const names = async () => (await f.locator('[data-testid="product-table"] [data-testid="product-name"]').allTextContents()).map((n) => n.toLowerCase());
    await expect.poll(async () => (await names()).length > 0 && (await names()).every((n) => n.includes(word.toLowerCase().slice(0, 4))), { timeout: 10_000 }).toBe(true);
    await shot('shop-05-search-results');
    // Nothing found: the empty state says so and offers the way back.
    await f.fill('[data-testid="search-input"]', 'щщщзззхххъъъ');
    await f.press('[data-testid="search-input"]', 'Enter');
    await f.waitForSelector('[data-testid="catalog-empty"]', { timeout: 10_000 });
    expect(await f.locator('[data-testid="catalog-empty"]').textContent()).toContain('ничего не найдено');
    await f.click('[data-testid="catalog-empty"] button');
    await f.waitForSelector('[data-testid="product-table"] .MuiDataGrid-row');
  });

  it('when the dealer opens a card, sees the price breakdown and adds to the cart, then the badge counts the line', async () => {
    await f.locator('[data-testid="product-table"] [data-testid="product-name"]').first().click();
    await f.waitForSelector('[data-testid="product-card"] [data-testid="card-sku"]');
    await f.locator('[data-testid="product-card"] [data-testid="price"]').first().click();
    await f.waitForSelector('[data-testid="breakdown-step"]');
    await page.waitForTimeout(400); // the popover's grow-in, for the screenshot
    const steps = await f.locator('[data-testid="breakdown-step"]').allTextContents();
    expect(steps[0]).toMatch(/Базовая цена/);
    // Dealer group A's 5% on everything: base → rule, and the card's price is the last step's.
    expect(steps.some((st) => /Скидка/.test(st))).toBe(true);
    await shot('shop-06-card-breakdown');
    await page.keyboard.press('Escape');
    expect(await f.locator('[data-testid="product-card"] [data-testid="card-sku"]').textContent()).not.toBe(goodSku);
    await f.locator('[data-testid="product-card"] [data-testid="qty-input"]').fill('3');
    await f.locator('[data-testid="product-card"] [data-testid="add-button"]').click();
    await expect.poll(() => f.locator('[data-testid="cart-badge-count"] .MuiBadge-badge').textContent(), { timeout: 10_000 }).toBe('1');
    await page.keyboard.press('Escape');
    await f.waitForSelector('[data-testid="product-card"]', { state: 'detached' });
  });

  it('when the dealer pastes one good and one bad line, then the good one is added and the report names the bad one', async () => {
    await f.click('[data-testid="nav-cart"]');
    await f.waitForSelector('[data-testid="cart-line"]');
    await f.click('[data-testid="tab-quick-order"]');
    await f.fill('[data-testid="quick-text"]', `${goodSku} 2\nNO-SUCH-SKU-777 1`);
    await f.click('[data-testid="quick-submit"]');
    await f.waitForSelector('[data-testid="quick-report"]');
    expect(await f.locator('[data-testid="quick-summary"]').textContent()).toContain('Добавлено строк: 1 из 2');
    const bad = f.locator('[data-testid="quick-rejected-line"]');
    expect(await bad.count()).toBe(1);
    expect(await bad.textContent()).toContain('NO-SUCH-SKU-777');
    expect(await bad.textContent()).toContain('не найден');
    await expect.poll(() => f.locator('[data-testid="cart-badge-count"] .MuiBadge-badge').textContent(), { timeout: 10_000 }).toBe('2');
    await shot('shop-07-quick-order-report');
  });

  it('when the dealer uploads a CSV, then its lines go to the cart priced, and a quantity over the stock is flagged on its line', async () => {
    await f.setInputFiles('[data-testid="quick-file"]', { name: 'order.csv', mimeType: 'text/csv', buffer: Buffer.from(`Артикул;Количество\n${goodSku};5\nBAD-CSV-1;2\n`, 'utf8') });
    await expect.poll(() => f.locator('[data-testid="quick-summary"]').textContent(), { timeout: 10_000 }).toContain('Добавлено строк: 1 из 2');
    await expect.poll(() => f.locator('[data-testid="quick-rejected-line"]').textContent(), { timeout: 10_000 }).toContain('BAD-CSV-1');
    await f.click('[data-testid="tab-cart"]');
    const line = f.locator(`[data-testid="cart-line"][data-sku="${goodSku}"]`);
    await expect.poll(() => line.locator('[data-testid="line-qty"]').inputValue(), { timeout: 10_000 }).toBe('7');
    expect(await f.locator('[data-testid="cart-total"]').textContent()).toMatch(/₽/);
    // More than the city has: the line says how much there is.
    await line.locator('[data-testid="line-qty"]').fill('99999');
    await line.locator('[data-testid="line-qty"]').press('Enter');
    await expect.poll(() => line.locator('[data-testid="line-stock-warning"]').textContent(), { timeout: 10_000 }).toMatch(/в наличии только [\d\s\u00a0]+ шт \(Москва\)/);
    const lineTotal = await line.locator('[data-testid="line-total"]').textContent();
    const before = await f.locator('[data-testid="cart-total"]').textContent();
    await line.locator('[data-testid="line-qty"]').fill('4');
    await line.locator('[data-testid="line-qty"]').press('Enter');
    await expect.poll(() => line.locator('[data-testid="line-total"]').textContent(), { timeout: 10_000 }).not.toBe(lineTotal);
    expect(await line.locator('[data-testid="line-stock-warning"]').count()).toBe(0);
    expect(await f.locator('[data-testid="cart-total"]').textContent()).not.toBe(before);
    await f.waitForSelector('[data-testid="cart-checkout"]:not([disabled])');
    const [stored] = (await ctx.db.sequelize.query('SELECT qty, unit FROM cart_lines WHERE sku = ?', { replacements: [goodSku] }))[0] as Array<{ qty: string; unit: string }>;
    expect({ qty: Number(stored!.qty), unit: stored!.unit }).toEqual({ qty: 4, unit: 'base' });
    await shot('shop-08-cart');
  });

  it('when the dealer saves the cart under a name, then it is listed, loads back and can be deleted', async () => {
    await f.click('[data-testid="cart-save"]');
    await f.fill('[data-testid="saved-name"]', 'Еженедельная закупка');
    await f.click('[data-testid="saved-name-confirm"]');
    await f.click('[data-testid="tab-saved-carts"]');
    const saved = f.locator('[data-testid="saved-cart"][data-name="Еженедельная закупка"]');
    await saved.waitFor({ timeout: 10_000 });
    expect(await saved.textContent()).toContain('2');
    const [stored] = (await ctx.db.sequelize.query("SELECT id FROM carts WHERE kind = 'saved' AND name = 'Еженедельная закупка'"))[0] as Array<{ id: number }>;
    expect(stored).toBeDefined();
    await saved.locator('[data-testid="saved-replace"]').click();
    await f.waitForSelector('[data-testid="saved-notice"]');
    await shot('shop-09-saved-carts');
    await saved.locator('[data-testid="saved-delete"]').click();
    await f.click('[data-testid="saved-delete-confirm"]');
    await saved.waitFor({ state: 'detached', timeout: 10_000 });
    expect(((await ctx.db.sequelize.query("SELECT id FROM carts WHERE kind = 'saved'"))[0] as unknown[]).length).toBe(0);
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });
});
