import type { Server } from 'node:http';
import type { Browser, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstalled } from '../../installer/index.js';
import type { SandboxPortal } from '../../sandbox/index.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { syncDealerItem } from '../../server/modules/dealers/index.js';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { createPricingRulesRepository } from '../../server/modules/pricing/index.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { waitFor } from '../http/placements-fixture.js';
import type { TestContext } from '../support/context.js';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

/**
 * The dealer cabinet as `npm start` runs it — the composed app, the sandbox portal with DealerHub installed, the 1C
 * OData emulator and the demo data — used in Chromium: a dealer's home with credit, manager and offers; an order
 * placed through the cart and checkout API shown in the list and on its page with the stage stepper; a manager's
 * change highlighted and agreed by the dealer; a dealer over its credit limit told why at checkout; staff acting as a
 * dealer user under a banner. Screenshots: test-artifacts/screenshots/cabinet-*.png.
 */
let app: SandboxApp;
let t: TestContext;
let server: Server;
let portal: SandboxPortal;
let portalId: number;
let browser: Browser;
let page: Page;
let cabinetPlacementId: number;
let orderId: number;
const problems: string[] = [];

const dealerA = () => portal.users.dealers[0]!;
const dealerB = () => portal.users.dealers[1]!;

const api = (session: string) => ({
  get: (path: string) => request(server).get(`/api${path}`).set('X-DealerHub-Session', session),
  post: (path: string) => request(server).post(`/api${path}`).set('X-DealerHub-Session', session),
  patch: (path: string) => request(server).patch(`/api${path}`).set('X-DealerHub-Session', session),
});

/** Signs in as a portal user and opens the cabinet (the messenger's app for extranet users, the left menu for staff). */
async function openCabinet(userId: number, opts: { staff?: boolean; hash?: string } = {}): Promise<Frame> {
  const leftMenu = portal.store.placements.all().find((p) => p.placement === 'LEFT_MENU' && p.clientId === t.ctx.config.app.clientId)!;
  const path = opts.staff ? `/marketplace/placement/${leftMenu.id}/` : `/online/?IM_APP=${cabinetPlacementId}`;
  await page.goto(`${portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(path)}`);
  const handle = await page.waitForSelector(`iframe[data-placement="${opts.staff ? 'LEFT_MENU' : 'IM_NAVIGATION'}"]`, { timeout: 30_000 });
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('[data-testid="cabinet-shell"]', { timeout: 30_000 });
  if (opts.hash) {
    await frame.evaluate(`window.location.hash = ${JSON.stringify(opts.hash)}`);
  }
  return frame;
}

/**
 * A screenshot once the portal has resized our frame to its content (the SDK's resizeWindow is asynchronous), so
 * the picture shows the whole screen as a person would scroll through it.
 */
async function shot(frame: Frame, name: string): Promise<void> {
  const element = await frame.frameElement();
  await expect
    .poll(async () => Math.abs(((await element.boundingBox())?.height ?? 0) - (await frame.evaluate<number>('document.documentElement.scrollHeight'))), { timeout: 5_000 })
    .toBeLessThanOrEqual(4)
    .catch(async () => console.warn(`${name}: frame ${(await element.boundingBox())?.height} px, content ${await frame.evaluate<number>('document.documentElement.scrollHeight')} px`));
  await screenshot(page, name);
}

/** An element's text with the spaces Intl puts in numbers (no-break, narrow) taken out. */
const digits = async (frame: Frame, testId: string) => ((await frame.locator(`[data-testid="${testId}"]`).first().textContent()) ?? '').replace(/\s/g, '');

/** The signed widget session the placement handler gave this frame (what the widget itself sends to /api). */
const sessionOf = (frame: Frame) => frame.evaluate<string>("JSON.parse(document.getElementById('dh-bootstrap').textContent).session");

async function addToCart(session: string, count: number, query: Record<string, string> = {}): Promise<void> {
  const qs = new URLSearchParams({ inStock: 'true', pageSize: String(count), ...query }).toString();
  const products = await api(session).get(`/catalog/products?${qs}`);
  expect(products.status, products.text).toBe(200);
  const items = (products.body.items as Array<{ id: number; price: unknown }>).filter((p) => p.price).slice(0, count);
  expect(items.length).toBe(count);
  const added = await api(session).post(`/cart/lines?${new URLSearchParams(query).toString()}`).send({ lines: items.map((p, i) => ({ productId: p.id, qty: String(i + 1) })) });
  expect(added.status, added.text).toBe(200);
}

beforeAll(async () => {
  app = await startSandboxApp('cabinet-e2e');
  ({ t, server, portal, portalId, cabinetPlacementId } = app);
  const installed = readInstalled((await t.ctx.portals.findById(portalId))!.settings);
  expect(installed.smartProcess('orders').entityTypeId).toBeGreaterThan(0);
  // The demo pulls its discount book after the first product sync, so the brand offer resolves without help.
  await waitFor(async () => (await createPricingRulesRepository(t.ctx.db).list(portalId, {})).some((r) => r.source === 'offer' && r.rule !== null), 30_000, 'the demo offer resolved');
  browser = await launchBrowser();
  // Tall enough for the messenger's app panel (it clips at the window's height) to show a whole screen.
  page = await (await browser.newContext({ viewport: { width: 1360, height: 1500 }, locale: 'ru-RU' })).newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('dealer cabinet: home, checkout, orders, act as dealer', () => {
  it('when a dealer user opens the cabinet, then home shows the shell, credit, open orders, offers and the personal manager', async () => {
    const frame = await openCabinet(dealerA().userIds[0]!);
    await frame.waitForSelector('[data-testid="credit-panel"]', { timeout: 30_000 });
    expect(await frame.locator('[data-testid="cabinet-dealer-title"]').textContent()).toBe(dealerA().title);
    expect(await frame.locator('[data-testid="manager-name"]').textContent()).toBeTruthy();
    expect(await digits(frame, 'credit-limit')).toContain('1500000,00');
    await frame.waitForSelector('[data-testid="offers-banner"] [data-testid="offer"]');
    await frame.waitForSelector('[data-testid="home-open-orders"]');
    expect(await frame.locator('[data-testid="tab-orders"]').count()).toBe(1);
    expect(await frame.locator('[data-testid="tab-cart"]').count()).toBe(1);
    expect(await frame.locator('[data-testid="shell-cart-badge"]').count()).toBe(1);
    await shot(frame, 'cabinet-01-dealer-home');
    // Notification settings: switching a kind off is stored for this dealer user.
    await frame.click('[data-testid="notification-settings"] input[data-kind="goods_arrived"]');
    await expect.poll(async () => (await t.ctx.dealers.findUser(portalId, dealerA().userIds[0]!))?.notificationSettings.goods_arrived, { timeout: 10_000 }).toBe(false);
    await expect.poll(() => frame.locator('[data-testid="notification-settings"] input[data-kind="goods_arrived"]').isChecked(), { timeout: 10_000 }).toBe(false);
  });

  it('when a dealer fills in checkout over a cart, then the order is placed, it is in the orders list and its page shows the lines and the stage stepper', async () => {
    let frame = await openCabinet(dealerA().userIds[0]!);
    const session = await sessionOf(frame);
    await addToCart(session, 3);
    frame = await openCabinet(dealerA().userIds[0]!, { hash: '#/checkout' });
    await frame.waitForSelector('[data-testid="credit-verdict"][data-result="ok"]');
    await frame.click('[data-testid="checkout-method"] label:has-text("Транспортная компания")');
    await frame.waitForSelector('[data-testid="checkout-address"]');
    // Carrier needs an address: the form says so before anything is sent.
    await frame.click('[data-testid="checkout-submit"]');
    await frame.waitForSelector('text=Укажите адрес доставки или выберите самовывоз');
    await frame.fill('[data-testid="checkout-address"]', 'Москва, Складской проезд, 12');
    await frame.fill('[data-testid="checkout-comment"]', 'Разгрузка с 9 до 18');
    await shot(frame, 'cabinet-02a-checkout');
    await frame.click('[data-testid="checkout-submit"]');
    await frame.waitForSelector('[data-testid="order-notice"]');
    orderId = Number((await frame.evaluate<string>('window.location.hash')).replace('#/order/', ''));
    const stored = (await createOrdersRepository(t.ctx.db).get(portalId, orderId))!;
    expect(stored).toMatchObject({ status: 'submitted', deliveryMethod: 'carrier', deliveryAddress: 'Москва, Складской проезд, 12', comment: 'Разгрузка с 9 до 18', companyId: dealerA().companyId });
    const number = stored.number;
    expect(stored.b24ItemId).toBeGreaterThan(0);

    frame = await openCabinet(dealerA().userIds[0]!);
    await frame.waitForSelector('[data-testid="open-order"]');
    expect(await frame.locator('[data-testid="home-open-orders"]').textContent()).toContain(number);
    await frame.click('[data-testid="tab-orders"]');
    await frame.waitForSelector(`[data-testid="order-row"]:has-text("${number}")`);
    await frame.fill('[data-testid="orders-search"]', number);
    await expect.poll(() => frame.locator('[data-testid="order-row"]').count(), { timeout: 10_000 }).toBe(1);
    await shot(frame, 'cabinet-02-orders-list');
    await frame.fill('[data-testid="orders-search"]', 'NO-SUCH-ORDER');
    await frame.waitForSelector('text=Нет заказов по этим условиям');
    await frame.fill('[data-testid="orders-search"]', number);
    await frame.click(`[data-testid="order-row"]:has-text("${number}")`);
    await frame.waitForSelector('[data-testid="stage-stepper"]');
    expect(await frame.locator('[data-testid="order-number"]').textContent()).toContain(number);
    expect(await frame.locator('[data-testid="order-line"]').count()).toBe(3);
    expect(await frame.locator('[data-testid="stage-step"][data-key="new"]').getAttribute('data-state')).toBe('current');
    expect(await frame.locator('[data-testid="stage-step"]').count()).toBe(9);
    expect(await frame.locator('[data-testid="order-repeat"]').count()).toBe(1);
    await shot(frame, 'cabinet-03-order-page');

    // The one search box of the cabinet finds orders by number too, above the goods; choosing one opens it.
    await frame.click('[data-testid="tab-home"]');
    await frame.fill('[data-testid="search-input"]', number);
    await frame.waitForSelector(`[data-testid="search-order"]:has-text("${number}")`);
    await frame.waitForSelector('[data-testid="search-orders-head"]');
    await frame.click(`[data-testid="search-order"]:has-text("${number}")`);
    await frame.waitForSelector('[data-testid="stage-stepper"]');
    expect(await frame.evaluate<string>('window.location.hash')).toBe(`#/order/${orderId}`);
  });

  it('when the manager changes a line, then the dealer sees it highlighted with the new total and agrees in the cabinet', async () => {
    const manager = issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: dealerA().managerId, role: 'manager', dealerId: null, widget: 'order-tab' }).token;
    const managed = await api(manager).get(`/orders/${orderId}/manage`);
    expect(managed.status, managed.text).toBe(200);
    const line = managed.body.lines[0] as { id: number; lineNo: number; qty: string };
    const patched = await api(manager).patch(`/orders/${orderId}/lines/${line.id}`).send({ qty: '7', comment: 'На складе есть 7 шт., отгрузим всё сразу' });
    expect(patched.status, patched.text).toBe(200);

    const frame = await openCabinet(dealerA().userIds[0]!, { hash: `#/order/${orderId}` });
    await frame.waitForSelector('[data-testid="order-changes"]');
    expect(await frame.locator('[data-testid="order-line"][data-proposed]').count()).toBe(1);
    expect(await frame.locator('[data-testid="order-line"][data-proposed]').textContent()).toContain('7');
    expect(await frame.locator('[data-testid="order-changes"]').textContent()).toContain('Менеджер изменил заказ');
    await shot(frame, 'cabinet-04-manager-changes');
    await frame.click('[data-testid="changes-agree"]');
    await frame.waitForSelector('[data-testid="order-notice"]');
    await frame.waitForSelector('[data-testid="order-changes"]', { state: 'detached' });
    expect(await frame.locator('[data-testid="order-line"][data-proposed]').count()).toBe(0);
    const stored = (await createOrdersRepository(t.ctx.db).get(portalId, orderId))!;
    expect(stored.changesPending).toBe(false);
    const lines = await createOrdersRepository(t.ctx.db).lines(orderId);
    expect(Number(lines.find((l) => l.lineNo === line.lineNo)?.baseQty)).toBe(7);
    await shot(frame, 'cabinet-05-changes-agreed');
  });

  it('when the dealer repeats the order, then its lines go to the cart; a proposed removal declined keeps the line; a cancelled order ends in a red step', async () => {
    let frame = await openCabinet(dealerA().userIds[0]!, { hash: `#/order/${orderId}` });
    const session = await sessionOf(frame);
    await frame.click('[data-testid="order-repeat"]');
    await expect.poll(() => frame.locator('[data-testid="cabinet-shell"]').getAttribute('data-screen'), { timeout: 10_000 }).toBe('cart');
    expect((await api(session).get('/cart')).body.lines).toHaveLength(3);

    // The manager proposes to remove a line; the dealer declines: the line stays as it was.
    const manager = issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: dealerA().managerId, role: 'manager', dealerId: null, widget: 'order-tab' }).token;
    const second = (await api(manager).get(`/orders/${orderId}/manage`)).body.lines[1] as { id: number; lineNo: number };
    expect((await api(manager).patch(`/orders/${orderId}/lines/${second.id}`).send({ remove: true })).status).toBe(200);
    frame = await openCabinet(dealerA().userIds[0]!, { hash: `#/order/${orderId}` });
    await frame.waitForSelector('[data-testid="order-line"][data-proposed="remove"]');
    await frame.click('[data-testid="changes-decline"]');
    await frame.waitForSelector('[data-testid="order-changes"]', { state: 'detached' });
    expect(await frame.locator('[data-testid="order-line"]').count()).toBe(3);
    expect((await createOrdersRepository(t.ctx.db).get(portalId, orderId))!.changesPending).toBe(false);

    await frame.click('[data-testid="order-cancel"]');
    await frame.click('[data-testid="order-cancel-confirm"]');
    await frame.waitForSelector('[data-testid="stage-stepper"][data-stage="cancelled"]');
    expect(await frame.locator('[data-testid="stage-step"][data-key="cancelled"]').getAttribute('data-state')).toBe('cancelled');
    expect(await frame.locator('[data-testid="order-cancel"]').count()).toBe(0);
    expect((await createOrdersRepository(t.ctx.db).get(portalId, orderId))!.stageKey).toBe('cancelled');
    await frame.waitForSelector('[role="dialog"]', { state: 'detached' });
    await shot(frame, 'cabinet-05b-order-cancelled');
  });

  it('when a dealer is over its credit limit with the blocking rule on, then checkout says why and cannot be submitted', async () => {
    const demo = (await t.ctx.portals.findById(portalId))!.settings.demo as { dealerItemIds: number[] };
    const itemB = demo.dealerItemIds[1]!;
    const installed = readInstalled((await t.ctx.portals.findById(portalId))!.settings);
    const dealers = installed.smartProcess('dealers');
    await t.ctx.b24.forPortal(portalId).call('crm.item.update', { entityTypeId: dealers.entityTypeId, id: itemB, fields: { [dealers.field('creditLimit').restName]: '100|RUB', [dealers.field('blockOverLimit').restName]: 'Y' } });
    await syncDealerItem(t.ctx, portalId, itemB);
    const buyer = dealerB().userIds[0]!;
    let frame = await openCabinet(buyer);
    // Home already says it: the limit bar and the status.
    await frame.waitForSelector('[data-testid="credit-status"]');
    expect(await frame.locator('[data-testid="credit-status"]').textContent()).toContain('Лимит исчерпан');
    await shot(frame, 'cabinet-06a-blocked-dealer-home');
    const session = await sessionOf(frame);
    await addToCart(session, 2);
    const preview = await api(session).get('/checkout');
    expect(preview.body.credit, JSON.stringify(preview.body.credit)).toMatchObject({ result: 'blocked', reason: 'over_limit' });

    frame = await openCabinet(buyer, { hash: '#/checkout' });
    await frame.waitForSelector('[data-testid="credit-verdict"][data-result="blocked"]');
    const verdict = (await frame.locator('[data-testid="credit-verdict"]').textContent()) ?? '';
    expect(await frame.locator('[data-testid="credit-verdict"]').getAttribute('data-reason')).toBe('over_limit');
    expect(verdict).toContain('Кредитный лимит');
    expect(verdict).toContain('исчерпан');
    expect(verdict.replace(/\s/g, '')).toContain('100,00₽');
    expect(await frame.locator('[data-testid="checkout-submit"]').isDisabled()).toBe(true);
    await shot(frame, 'cabinet-06-checkout-blocked');
  });

  it('when the head makes a user an accountant, then that user sees finance and orders but no cart or checkout', async () => {
    const popova = portal.store.users.all().find((u) => u.LAST_NAME === 'Попова')!;
    // Her first visit links her to dealer B (as a buyer); the head then changes her role.
    await openCabinet(Number(popova.ID));
    const head = await sessionOf(await openCabinet(dealerB().userIds[0]!));
    const linked = (await t.ctx.dealers.findUser(portalId, Number(popova.ID)))!;
    const demo = (await t.ctx.portals.findById(portalId))!.settings.demo as { dealerItemIds: number[] };
    const patched = await api(head).patch(`/dealers/${demo.dealerItemIds[1]}/users/${linked.id}`).send({ role: 'dealer_accountant' });
    expect(patched.status, patched.text).toBe(200);

    const frame = await openCabinet(Number(popova.ID), { hash: '#/checkout' });
    // Checkout is not for an accountant: the shell shows home instead, without the cart tab and badge.
    await frame.waitForSelector('[data-testid="credit-panel"]');
    expect(await frame.locator('[data-testid="cabinet-shell"]').getAttribute('data-screen')).toBe('home');
    expect(await frame.locator('[data-testid="tab-cart"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="shell-cart-badge"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="tab-orders"]').count()).toBe(1);
    expect(await frame.locator('[data-testid="credit-debt"]').count()).toBe(1);
    await shot(frame, 'cabinet-06b-accountant-home');
  });

  it('when staff pick a dealer and act as its user, then a banner says so on every screen, the dealer’s orders are there, and exit ends it', async () => {
    const frame = await openCabinet(portal.users.managers[0]!, { staff: true });
    await frame.fill('[data-testid="dealer-search"]', dealerA().title.slice(5, 14));
    await frame.click(`[data-testid="dealer-pick"]:has-text("${dealerA().title}")`);
    await frame.waitForSelector('[data-testid="act-as-user"]');
    await shot(frame, 'cabinet-07-staff-pick-user');
    const head = (await t.ctx.dealers.findUser(portalId, dealerA().userIds[0]!))!;
    await frame.click(`[data-testid="act-as-user"]:has-text("${head.name}") [data-testid="act-as-start"]`);
    await frame.waitForSelector('[data-testid="act-as-banner"]');
    const banner = (await frame.locator('[data-testid="act-as-banner"]').textContent()) ?? '';
    expect(banner).toContain(head.name);
    expect(banner).toContain(dealerA().title);
    expect(await frame.locator('[data-testid="cabinet-dealer-title"]').textContent()).toBe(dealerA().title);
    await frame.waitForSelector('[data-testid="credit-panel"]');
    // The catalog side is scoped to the dealer (dealers.id): its offers show as they do for the dealer.
    await frame.waitForSelector('[data-testid="offers-banner"] [data-testid="offer"]');
    await shot(frame, 'cabinet-08-act-as-home');
    await frame.click('[data-testid="tab-orders"]');
    await frame.waitForSelector('[data-testid="order-row"]');
    expect(await frame.locator('[data-testid="act-as-banner"]').count()).toBe(1);
    // Checkout works on the dealer user's cart (the lines the repeat put there), through actAs.
    const staff = await sessionOf(frame);
    const cart = await api(staff).get(`/cart?actAs=${head.b24UserId}`);
    expect(cart.body.lines).toHaveLength(3);
    await frame.evaluate("window.location.hash = '#/checkout'");
    await frame.waitForSelector('[data-testid="credit-verdict"]');
    expect(await digits(frame, 'checkout-total')).toBe(`${Number(cart.body.totals.amount).toLocaleString('ru-RU', { minimumFractionDigits: 2 }).replace(/\s/g, '')}₽`);
    expect(await frame.locator('[data-testid="act-as-banner"]').count()).toBe(1);
    await frame.click('[data-testid="act-as-exit"]');
    await frame.waitForSelector('[data-testid="dealer-search"]');
    expect(await frame.locator('[data-testid="act-as-banner"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
