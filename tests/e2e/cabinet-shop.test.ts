import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxPortal } from '../../sandbox/index.js';
import { switchLayout } from '../../server/modules/search/index.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { waitFor } from '../http/placements-fixture.js';
import type { TestContext } from '../support/context.js';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

/**
 * The dealer cabinet's shopping screens in Chromium, inside the real cabinet shell, against the app as `npm start`
 * runs it: the sandbox portal, the 1C OData emulator's demo catalog synced into the app, the demo dealers and their
 * prices. A dealer user opens the cabinet from the messenger; the shell's tabs, search box and cart badge lead to
 * the catalog, the cart and its helpers, and on to checkout (placing the order is cabinet-orders.test.ts's subject).
 * Screenshots go to test-artifacts/screenshots/shop-*.png.
 */
/** The demo's first dealer has a 12% contract discount on the catalog's first brand (server/sandbox-demo.ts). */
const DISCOUNT_BRAND = 'MAY';
let app: SandboxApp;
let t: TestContext;
let appUrl: string;
let portal: SandboxPortal;
let cabinetPlacementId: number;
let browser: Browser;
let page: Page;
let f: Frame;
const problems: string[] = [];

/** Signs in as the demo's first dealer's head and opens the cabinet from the messenger, optionally on a screen. */
async function openCabinet(hash?: string): Promise<Frame> {
  const userId = portal.users.dealers[0]!.userIds[0]!;
  await page.goto(`${portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(`/online/?IM_APP=${cabinetPlacementId}`)}`);
  const handle = await page.waitForSelector('iframe[data-placement="IM_NAVIGATION"]', { timeout: 30_000 });
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('[data-testid="cabinet-shell"]', { timeout: 30_000 });
  if (hash) await frame.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  return frame;
}

/**
 * The whole portal page once it has resized our frame to its content (the SDK's resizeWindow is asynchronous), so
 * the picture shows the screen as a person would scroll through it.
 */
async function shot(name: string): Promise<void> {
  const element = await f.frameElement();
  await expect
    .poll(async () => Math.abs(((await element.boundingBox())?.height ?? 0) - (await f.evaluate<number>('document.documentElement.scrollHeight'))), { timeout: 5_000 })
    .toBeLessThanOrEqual(4)
    .catch(async () => console.warn(`${name}: frame ${(await element.boundingBox())?.height} px, content ${await f.evaluate<number>('document.documentElement.scrollHeight')} px`));
  // A click far down the frame scrolls the portal page; the picture starts at the top as the person opened it.
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

/** A popover's or dialog's fade-in is over (for a screenshot that shows it as a person sees it). */
const faded = (selector: string) =>
  expect.poll(() => f.locator(selector).evaluate((e) => (e.ownerDocument.defaultView as unknown as { getComputedStyle(el: unknown): { opacity: string } }).getComputedStyle(e).opacity), { timeout: 5_000 }).toBe('1');
const count = async (selector: string) => f.locator(selector).count();
const total = async () => Number(((await f.locator('[data-testid="catalog-total"]').textContent()) ?? '').replace(/\D/g, ''));
const hash = () => f.evaluate<string>('window.location.hash');
const shown = () => f.locator('[data-testid="cabinet-shell"]').getAttribute('data-screen');
const badge = () => f.locator('[data-testid="shell-cart-badge"] [data-testid="cart-badge-count"] .MuiBadge-badge').textContent();
const rows = () => f.locator('[data-testid="product-table"] .MuiDataGrid-row');
/**
 * Groups and facets: in the messenger's app panel at a laptop's width the frame is narrower than the catalog's
 * two-column layout, so they sit in a drawer the toolbar's button opens.
 */
async function openFilters(): Promise<void> {
  await f.click('[data-testid="catalog-filters-open"]');
  await f.waitForSelector('[data-testid="catalog-sidebar"] [data-testid="group-item"]');
}
async function closeFilters(): Promise<void> {
  await f.click('[data-testid="catalog-filters-close"]');
  await f.waitForSelector('[data-testid="catalog-sidebar"]', { state: 'detached' });
}

beforeAll(async () => {
  app = await startSandboxApp('shop-e2e');
  ({ t, appUrl, portal, cabinetPlacementId } = app);

  browser = await launchBrowser();
  // A common laptop width; tall enough for the messenger's app panel (it clips at the window's height) to show a screen.
  page = await (await browser.newContext({ viewport: { width: 1360, height: 1500 }, locale: 'ru-RU' })).newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  // The session the portal issues this dealer user: the API answers the discount brand with the dealer's discount.
  f = await openCabinet();
  const session = await f.evaluate<string>("JSON.parse(document.getElementById('dh-bootstrap').textContent).session");
  await waitFor(async () => {
    const res = await fetch(`${appUrl}/api/catalog/products?pageSize=1&filters[brand][]=${encodeURIComponent(DISCOUNT_BRAND)}`, { headers: { 'X-DealerHub-Session': session } });
    const body = (await res.json()) as { items: Array<{ price: { discountPercent: string } | null }> };
    return Number(body.items[0]?.price?.discountPercent ?? 0) > 0;
  }, 30_000, 'the dealer’s discounts applied');
  problems.length = 0;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('dealer cabinet: catalog, search, cart, quick order, saved carts, on to checkout', () => {
  let goodSku = '';
  let productName = '';
  /** Every product put in the cart so far: the badge counts lines, one per product. */
  const inCart = new Set<string>();

  it('when the dealer opens the catalog tab, then groups with counts, facets and the priced table show, a row goes to the cart, a facet narrows the list, price sort and paging work, and city stock with in-stock only hides the rest', async () => {
    f = await openCabinet();
    await f.click('[data-testid="tab-catalog"]');
    await f.waitForSelector('[data-testid="product-table"] .MuiDataGrid-row', { timeout: 30_000 });
    expect(await hash()).toBe('#/catalog');
    expect(await shown()).toBe('catalog');
    // The goods take the frame's whole width: no groups column squeezing the table.
    expect(await count('[data-testid="catalog-sidebar"]')).toBe(0);
    await openFilters();
    expect(await count('[data-testid="group-item"]')).toBeGreaterThan(3);
    await closeFilters();
    const before = await total();
    expect(before).toBeGreaterThan(1000);
    // The quick order uses a product from further down the page: the card below opens one found by the first's name.
    goodSku = ((await rows().nth(8).locator('[data-testid="product-sku"]').textContent()) ?? '').trim();
    productName = ((await rows().first().locator('[data-testid="product-name"]').textContent()) ?? '').trim();
    expect(goodSku).not.toBe('');
    expect(await rows().first().locator('[data-testid="price"]').textContent()).toMatch(/₽/);
    expect(await badge()).toBe('0');

    // Straight from the table: 2 of the fourth row's product; the header's badge counts the line.
    const row = rows().nth(3);
    const tableSku = ((await row.locator('[data-testid="product-sku"]').textContent()) ?? '').trim();
    await row.locator('[data-testid="qty-input"]').fill('2');
    await row.locator('[data-testid="add-button"]').click();
    inCart.add(tableSku);
    await expect.poll(badge, { timeout: 10_000 }).toBe('1');
    const [added] = (await t.ctx.db.sequelize.query('SELECT qty FROM cart_lines WHERE sku = ?', { replacements: [tableSku] }))[0] as Array<{ qty: string }>;
    expect(Number(added!.qty)).toBe(2);
    await shot('shop-01-catalog-table');

    await openFilters();
    const brand = f.locator('[data-testid="facet"][data-facet="brand"] [data-testid="facet-value"]').first();
    const value = (await brand.getAttribute('data-value'))!;
    const expected = Number(((await brand.locator('[data-testid="facet-count"]').textContent()) ?? '').replace(/\D/g, ''));
    await brand.locator('input').check();
    await expect.poll(total, { timeout: 10_000 }).toBe(expected);
    await shot('shop-02a-catalog-filters-drawer');
    await closeFilters();
    expect(await f.locator('[data-testid="catalog-toolbar"] .MuiBadge-badge').textContent()).toBe('1');
    expect(expected).toBeLessThan(before);
    // The grid takes its new rows a frame after the total above changed.
    const brands = async () => [...new Set((await f.locator('[data-testid="product-table"] .MuiDataGrid-row [data-field="brand"]').allTextContents()).map((b) => b.trim()))];
    await expect.poll(brands, { timeout: 10_000 }).toEqual([value]);
    if (value === DISCOUNT_BRAND) {
      // The dealer's contract discount: their price in red, the base price struck through, the percent.
      const price = rows().first().locator('[data-field="price"]');
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
    // The tiles show the pictures 1C keeps (fetched through the signed media links), not placeholders.
    const loaded = () => f.locator('[data-testid="product-tile"] img').evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { complete: boolean; naturalWidth: number }).complete && (i as unknown as { naturalWidth: number }).naturalWidth === 200).length);
    await expect.poll(loaded, { timeout: 20_000 }).toBeGreaterThan(3);
    await shot('shop-03-catalog-tiles');
    // The frame is thousands of pixels tall now: a card opened from the last tile opens next to it, not in the
    // frame's middle far above (the portal page scrolls, not the frame).
    const lastTile = f.locator('[data-testid="product-tile"]').last();
    const tileTop = await lastTile.evaluate((el) => el.getBoundingClientRect().top);
    expect(tileTop).toBeGreaterThan(2000);
    await lastTile.locator('.MuiCardActionArea-root').click();
    await f.waitForSelector('[data-testid="product-card"] [data-testid="card-sku"]');
    const cardTop = await f.locator('[data-testid="product-card"] .MuiDialog-paper').evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(cardTop - tileTop)).toBeLessThan(500);
    await f.press('[data-testid="product-card"] .MuiDialog-paper', 'Escape');
    await f.waitForSelector('[data-testid="product-card"]', { state: 'detached' });
    await f.click('[data-testid="view-table"]');
    await openFilters();
    await f.click('[data-testid="facets-reset"]');
    await closeFilters();
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

  it('when the dealer types a word in the wrong keyboard layout in the header, then suggestions come for the corrected word, arrows pick one, Enter opens its card; Enter on the text filters the catalog, and nothing found shows the empty state', async () => {
    const word = productName.split(/\s+/).find((w) => /^[а-яё]{4,}$/i.test(w))!;
    const typed = switchLayout(word.toLowerCase());
    expect(typed).toMatch(/^[a-z[\];',.`]+$/);
    // From another screen: the header's search box is on every one.
    await f.click('[data-testid="tab-home"]');
    await f.waitForSelector('[data-testid="credit-panel"]', { timeout: 30_000 });
    await f.fill('[data-testid="search-input"]', typed);
    await f.waitForSelector('[data-testid="search-option"]', { timeout: 10_000 });
    expect(await f.locator('[data-testid="search-corrected"]').textContent()).toContain(word.toLowerCase());
    expect(await f.locator('[data-testid="search-option"]').first().textContent()).toMatch(/₽/);
    await shot('shop-04-search-suggest');
    // Keyboard: the second suggestion, Enter → its card over the catalog, in the frame's address.
    const second = ((await f.locator('[data-testid="search-option"]').nth(1).textContent()) ?? '').trim();
    await f.press('[data-testid="search-input"]', 'ArrowDown');
    await f.press('[data-testid="search-input"]', 'ArrowDown');
    await f.press('[data-testid="search-input"]', 'Enter');
    await f.waitForSelector('[data-testid="product-card"] [data-testid="card-sku"]');
    expect(second).toContain((await f.locator('[data-testid="product-card"] [data-testid="card-sku"]').textContent())!);
    expect(await shown()).toBe('catalog');
    expect(await hash()).toMatch(/^#\/catalog\/\d+$/);
    await page.keyboard.press('Escape');
    await f.waitForSelector('[data-testid="product-card"]', { state: 'detached' });
    expect(await hash()).toBe('#/catalog');
    // Enter on the text itself → the catalog searched by it (typed afresh, as a person would).
    await f.fill('[data-testid="search-input"]', '');
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
    expect(await count('[data-testid="search-chip"]')).toBe(0);
    // The header's box no longer shows the query the catalog dropped.
    await expect.poll(() => f.inputValue('[data-testid="search-input"]'), { timeout: 5_000 }).toBe('');
  });

  it('when the dealer opens a card, sees the price breakdown and adds to the cart, then the badge counts the line', async () => {
    await f.locator('[data-testid="product-table"] [data-testid="product-name"]').first().click();
    await f.waitForSelector('[data-testid="product-card"] [data-testid="card-sku"]');
    await f.locator('[data-testid="product-card"] [data-testid="price"]').first().click();
    await f.waitForSelector('[data-testid="breakdown-step"]');
    await faded('.MuiPopover-paper');
    const steps = await f.locator('[data-testid="breakdown-step"]').allTextContents();
    expect(steps[0]).toMatch(/Базовая цена/);
    // Dealer group A's 5% on everything: base → rule, and the card's price is the last step's.
    expect(steps.some((st) => /Скидка/.test(st))).toBe(true);
    await shot('shop-06-card-breakdown');
    await page.keyboard.press('Escape');
    await f.waitForSelector('[data-testid="breakdown-step"]', { state: 'detached' });
    const cardSku = ((await f.locator('[data-testid="product-card"] [data-testid="card-sku"]').textContent()) ?? '').trim();
    expect(cardSku).not.toBe(goodSku);
    await f.locator('[data-testid="product-card"] [data-testid="qty-input"]').fill('3');
    await f.locator('[data-testid="product-card"] [data-testid="add-button"]').click();
    inCart.add(cardSku);
    await expect.poll(badge, { timeout: 10_000 }).toBe(String(inCart.size));
    const [stored] = (await t.ctx.db.sequelize.query('SELECT qty FROM cart_lines WHERE sku = ?', { replacements: [cardSku] }))[0] as Array<{ qty: string }>;
    expect(Number(stored!.qty)).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Escape');
    await f.waitForSelector('[data-testid="product-card"]', { state: 'detached' });
  });

  it('when the dealer pastes one good and one bad line into the quick order, then the good one is added and the report names the bad one', async () => {
    // The header's cart badge opens the cart; quick order is its sub-tab and a screen of its own in the address.
    await f.click('[data-testid="shell-cart-badge"] [data-testid="cart-badge"]');
    await f.waitForSelector('[data-testid="cart-line"]');
    expect(await shown()).toBe('cart');
    expect(await f.locator('[data-testid="tab-cart"]').getAttribute('aria-selected')).toBe('true');
    await f.click('[data-testid="cart-tab-quick-order"]');
    await f.waitForSelector('[data-testid="quick-text"]');
    expect(await hash()).toBe('#/quick-order');
    expect(await f.locator('[data-testid="tab-cart"]').getAttribute('aria-selected')).toBe('true');
    await f.fill('[data-testid="quick-text"]', `${goodSku} 2\nNO-SUCH-SKU-777 1`);
    await f.click('[data-testid="quick-submit"]');
    await f.waitForSelector('[data-testid="quick-report"]');
    expect(await f.locator('[data-testid="quick-summary"]').textContent()).toContain('Добавлено строк: 1 из 2');
    const bad = f.locator('[data-testid="quick-rejected-line"]');
    expect(await bad.count()).toBe(1);
    expect(await bad.textContent()).toContain('NO-SUCH-SKU-777');
    expect(await bad.textContent()).toContain('не найден');
    inCart.add(goodSku);
    await expect.poll(badge, { timeout: 10_000 }).toBe(String(inCart.size));
    await shot('shop-07-quick-order-report');
  });

  it('when the dealer uploads a CSV with a good and a bad line, then the good one goes to the cart priced, the bad one is reported, and a quantity over the stock is flagged on its line', async () => {
    await f.setInputFiles('[data-testid="quick-file"]', { name: 'order.csv', mimeType: 'text/csv', buffer: Buffer.from(`Артикул;Количество\n${goodSku};5\nBAD-CSV-1;2\n`, 'utf8') });
    await expect.poll(() => f.locator('[data-testid="quick-summary"]').textContent(), { timeout: 10_000 }).toContain('Добавлено строк: 1 из 2');
    await expect.poll(() => f.locator('[data-testid="quick-rejected-line"]').textContent(), { timeout: 10_000 }).toContain('BAD-CSV-1');
    expect(await f.locator('[data-testid="quick-rejected-line"]').textContent()).toContain('не найден');
    expect(await f.locator('[data-testid="quick-rejected-line"]').count()).toBe(1);
    await f.click('[data-testid="cart-tab-lines"]');
    expect(await hash()).toBe('#/cart');
    const line = f.locator(`[data-testid="cart-line"][data-sku="${goodSku}"]`);
    await expect.poll(() => line.locator('[data-testid="line-qty"]').inputValue(), { timeout: 10_000 }).toBe('7');
    expect(await count('[data-testid="cart-line"]')).toBe(inCart.size);
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
    const [stored] = (await t.ctx.db.sequelize.query('SELECT qty, unit FROM cart_lines WHERE sku = ?', { replacements: [goodSku] }))[0] as Array<{ qty: string; unit: string }>;
    expect({ qty: Number(stored!.qty), unit: stored!.unit }).toEqual({ qty: 4, unit: 'base' });
    await shot('shop-08-cart');
  });

  it('when the dealer saves the cart under a name, then it is listed with its lines, loads back and can be deleted', async () => {
    await f.click('[data-testid="cart-save"]');
    await f.fill('[data-testid="saved-name"]', 'Еженедельная закупка');
    await faded('.MuiDialog-container');
    await shot('shop-09a-save-dialog');
    await f.click('[data-testid="saved-name-confirm"]');
    await f.waitForSelector('[data-testid="saved-name"]', { state: 'detached' });
    await f.click('[data-testid="cart-tab-saved-carts"]');
    expect(await hash()).toBe('#/saved-carts');
    const saved = f.locator('[data-testid="saved-cart"][data-name="Еженедельная закупка"]');
    await saved.waitFor({ timeout: 10_000 });
    expect(((await saved.locator('td').nth(1).textContent()) ?? '').trim()).toBe(String(inCart.size));
    const [stored] = (await t.ctx.db.sequelize.query("SELECT id FROM carts WHERE kind = 'saved' AND name = 'Еженедельная закупка'"))[0] as Array<{ id: number }>;
    expect(stored).toBeDefined();
    const [lines] = (await t.ctx.db.sequelize.query('SELECT COUNT(*) AS n FROM cart_lines WHERE cart_id = ?', { replacements: [stored!.id] }))[0] as Array<{ n: number }>;
    expect(Number(lines!.n)).toBe(inCart.size);
    await saved.locator('[data-testid="saved-replace"]').click();
    await f.waitForSelector('[data-testid="saved-notice"]');
    await shot('shop-09-saved-carts');
    await saved.locator('[data-testid="saved-delete"]').click();
    await f.click('[data-testid="saved-delete-confirm"]');
    await saved.waitFor({ state: 'detached', timeout: 10_000 });
    expect(((await t.ctx.db.sequelize.query("SELECT id FROM carts WHERE kind = 'saved'"))[0] as unknown[]).length).toBe(0);
  });

  it('when the dealer goes to checkout from the cart, then the shell shows the checkout screen with the cart’s total (placing the order is another test’s)', async () => {
    await f.click('[data-testid="cart-tab-lines"]');
    await f.waitForSelector('[data-testid="cart-line"]');
    expect(await count('[data-testid="cart-line"]')).toBe(inCart.size);
    const cartTotal = ((await f.locator('[data-testid="cart-total"]').textContent()) ?? '').replace(/\s/g, '');
    await f.click('[data-testid="cart-checkout"]');
    await f.waitForSelector('[data-testid="checkout"] [data-testid="credit-verdict"]', { timeout: 15_000 });
    expect(await shown()).toBe('checkout');
    expect(await hash()).toBe('#/checkout');
    expect(await f.locator('[data-testid="tab-cart"]').getAttribute('aria-selected')).toBe('true');
    expect(((await f.locator('[data-testid="checkout-total"]').textContent()) ?? '').replace(/\s/g, '')).toBe(cartTotal);
    expect(await f.locator('[data-testid="checkout-submit"]').isVisible()).toBe(true);
    await shot('shop-10-checkout');
    expect(((await t.ctx.db.sequelize.query('SELECT id FROM orders'))[0] as unknown[]).length).toBe(0);
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });
});
