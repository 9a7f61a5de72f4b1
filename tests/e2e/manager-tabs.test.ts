import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPortFor } from '../../server/modules/carts/index.js';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { startFullAppBench, type FullAppBench } from '../support/full-app-bench.js';
import { ensureWidgetsBuilt } from '../http/placements-fixture.js';

/**
 * The manager's tabs in CRM cards, end to end: the whole app with the sandbox portal and the 1C emulator; a dealer
 * user orders through the real cart and checkout; the manager opens the order in the portal's Orders card and works
 * in our tab (lines with price breakdown, stock and analogs; a quantity change that becomes a proposal; a withdrawn
 * proposal; the dealer agrees; approve; send to the ERP until the ERP number shows); then the Dealers card tab shows
 * users, credit terms (edited there), recent orders and sales. Screenshots: test-artifacts/screenshots/manager-*.png.
 */
let b: FullAppBench;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dealerSession: string;
let orderId: number;
let orderItemId: number;
let lineIds: number[];
const problems: string[] = [];

const dealerUser = () => b.portal.users.dealers[0]!;
const manager = () => b.portal.users.managers[0]!;
const orders = () => createOrdersRepository(b.t.ctx.db);

async function signIn(userId: number, path: string): Promise<void> {
  await page.goto(`${b.portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(path)}`);
}

async function openCardTab(path: string, placement: string, ready: string): Promise<Frame> {
  await page.goto(`${b.portal.url}${path}`);
  await page.click('[data-tab^="app-"]');
  const handle = await page.waitForSelector(`iframe[data-placement="${placement}"]`, { timeout: 30_000 });
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector(ready, { timeout: 30_000 });
  return frame;
}

beforeAll(async () => {
  ensureWidgetsBuilt();
  b = await startFullAppBench();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'ru-RU' });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await b?.close();
});

describe('manager tabs in CRM cards', () => {
  it('when a dealer user orders through the cart and checkout, then the order is in DealerHub and in Bitrix24', async () => {
    dealerSession = await b.session(dealerUser().userIds[0]!, { placement: 'IM_NAVIGATION' });
    const dealer = (await b.t.ctx.dealers.findByItemId(b.portalId, b.dealerItemIds[0]!))!;
    const goods = await b.orderable(dealer.id, 3);
    expect(goods.length).toBe(3);
    expect(goods[1]!.analogs).toBeGreaterThan(0);
    const added = await b.api(dealerSession).post('/cart/lines').send({ lines: goods.map((g, i) => ({ productId: g.productId, qty: String(2 + i) })) });
    expect(added.status, added.text).toBe(200);
    const submitted = await b.api(dealerSession).post('/checkout').send({ deliveryMethod: 'pickup', comment: 'Нужно до пятницы', requestId: `e2e-${Date.now()}` });
    expect(submitted.status, submitted.text).toBe(201);
    orderId = submitted.body.order.id;
    orderItemId = submitted.body.order.b24ItemId;
    expect(orderItemId).toBeGreaterThan(0);
    lineIds = (await orders().lines(orderId)).map((l) => l.id);
    expect(lineIds).toHaveLength(3);
  });

  it('when the manager opens the Orders card, then our tab lists the lines with price breakdown, stock per warehouse and analogs', async () => {
    await signIn(manager(), '/');
    const tab = `CRM_DYNAMIC_${b.installed.smartProcess('orders').entityTypeId}_DETAIL_TAB`;
    const frame = await openCardTab(`/crm/type/${b.installed.smartProcess('orders').entityTypeId}/details/${orderItemId}/`, tab, '[data-testid="managed-lines"]');
    const order = (await orders().get(b.portalId, orderId))!;
    expect(await frame.locator('[data-testid="card-title"]').textContent()).toContain(order.number);
    expect(await frame.locator('[data-testid="managed-line"]').count()).toBe(3);
    const lines = await orders().lines(orderId);
    expect((await frame.locator('[data-testid="lines-total"]').textContent())?.replace(/\s/g, '')).toContain(Number(order.total).toFixed(2).replace('.', ','));
    // The first line opens to how its price was made (the dealer's price type, then the discount book), stock and analogs.
    const first = frame.locator('[data-testid="managed-line"]').first();
    await first.locator('[data-testid="line-toggle"]').click();
    const details = frame.locator('[data-testid="line-details"]').first();
    await details.waitFor();
    const steps = details.locator('[data-testid="price-step"]');
    expect(await steps.count()).toBe(lines[0]!.breakdown.length);
    expect(await steps.first().getAttribute('data-kind')).toBe('base');
    const dealer = (await b.t.ctx.dealers.findByItemId(b.portalId, b.dealerItemIds[0]!))!;
    expect(await steps.first().textContent()).toContain(b.catalog.priceTypes.find((p) => p.ref === dealer.priceTypeErpId)!.name);
    expect(await frame.locator('body').textContent()).toContain(dealer.title);
    expect((await details.locator('[data-testid="price-step"]').last().textContent())?.replace(/\s/g, '')).toContain(Number(lines[0]!.price).toFixed(2).replace('.', ','));
    expect(await details.locator('[data-testid="stock-table"] tr').count()).toBeGreaterThan(0);
    expect(await details.locator('[data-testid="analog-row"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'manager-01-order-tab');
    // The portal's frame follows the content both ways: it shrinks again when the line is closed.
    const iframe = page.locator(`iframe[data-placement="${tab}"]`);
    const open = (await iframe.boundingBox())!.height;
    await first.locator('[data-testid="line-toggle"]').click();
    await expect.poll(async () => (await iframe.boundingBox())!.height, { timeout: 5_000 }).toBeLessThan(open - 50);
    await first.locator('[data-testid="line-toggle"]').click();
    await details.waitFor();
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });

  it('when the manager changes a quantity and a price, then each becomes a proposal to the dealer; the price proposal is withdrawn', async () => {
    const frame = page.frames().find((f) => f.url().includes('/placement/order-tab'))!;
    const lines = await orders().lines(orderId);
    const row = (i: number) => frame.locator('[data-testid="managed-line"]').nth(i);
    // repricing with today's prices: nothing changed since checkout, and the manager is told so
    await frame.click('[data-testid="action-recalculate"]');
    await frame.waitForSelector('[data-testid="order-notice"]:has-text("Цены пересчитаны")');
    expect((await orders().events(orderId)).some((e) => e.kind === 'repriced')).toBe(true);
    // quantity of line 1
    await row(0).locator('[data-testid="line-edit"]').click();
    await frame.fill('[data-testid="edit-qty"]', String(Number(lines[0]!.baseQty) + 5));
    await frame.fill('[data-testid="edit-comment"]', 'Есть на складе в Москве, добавили');
    await frame.click('[data-testid="edit-submit"]');
    await frame.waitForSelector('[data-testid="line-proposal"]');
    expect(await frame.locator('[data-testid="line-proposal"]').first().textContent()).toContain(`${Number(lines[0]!.baseQty)} → ${Number(lines[0]!.baseQty) + 5}`);
    expect(await frame.locator('[data-testid="order-pending"]').textContent()).toContain('1');
    // price of line 2, then withdrawn
    await row(1).locator('[data-testid="line-edit"]').click();
    await frame.fill('[data-testid="edit-price"]', '1,00');
    await frame.click('[data-testid="edit-submit"]');
    await expect.poll(() => frame.locator('[data-testid="line-proposal"]').count()).toBe(2);
    await screenshot(page, 'manager-02-proposals');
    let stored = await orders().lines(orderId);
    expect(stored[0]!.proposed).toMatchObject({ kind: 'change', baseQty: String(Number(lines[0]!.baseQty) + 5), comment: 'Есть на складе в Москве, добавили' });
    expect(stored[1]!.proposed).toMatchObject({ kind: 'change', price: '1.00' });
    expect((await orders().get(b.portalId, orderId))!.changesPending).toBe(true);
    const item = await b.t.ctx.b24.forPortal(b.portalId).call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: b.installed.smartProcess('orders').entityTypeId, id: orderItemId });
    expect(item.item[b.installed.smartProcess('orders').field('changesPending').restName]).toBe('Y');
    await frame.locator('[data-testid="line-proposal"]').nth(1).locator('[data-testid="proposal-withdraw"]').click();
    await expect.poll(() => frame.locator('[data-testid="line-proposal"]').count()).toBe(1);
    stored = await orders().lines(orderId);
    expect(stored[1]!.proposed).toBeNull();
    expect(stored[0]!.proposed).not.toBeNull();
    // line 2 replaced with an analog from its details, then withdrawn too
    await row(1).locator('[data-testid="line-toggle"]').click();
    const analogs = frame.locator('[data-testid="line-details"]').nth(1).locator('[data-testid="analog-row"]');
    await analogs.first().waitFor();
    await analogs.first().locator('[data-testid="replace-with-analog"]').click();
    await frame.waitForSelector('[data-testid="line-proposal"][data-kind="replace"]');
    const replaced = (await orders().lines(orderId))[1]!.proposed!;
    expect(replaced.kind).toBe('replace');
    expect(replaced.productId).not.toBe(lines[1]!.productId);
    expect(await frame.locator('[data-testid="line-proposal"][data-kind="replace"]').textContent()).toContain(replaced.sku!);
    await frame.locator('[data-testid="line-proposal"][data-kind="replace"] [data-testid="proposal-withdraw"]').click();
    await expect.poll(() => frame.locator('[data-testid="line-proposal"]').count()).toBe(1);
    expect((await orders().lines(orderId))[1]!.proposed).toBeNull();
  });

  it('when the dealer agrees, then the manager approves and sends the order to the ERP, and the ERP number shows in the tab', async () => {
    const before = (await orders().lines(orderId))[0]!;
    const agreed = await b.api(dealerSession).post(`/orders/${orderId}/changes/agree`).send({});
    expect(agreed.status, agreed.text).toBe(200);
    expect((await orders().lines(orderId))[0]!.baseQty).toBe(before.proposed!.baseQty);
    // This test presses "Send to ERP" itself: the stage's robot, which would send it too, is taken off.
    const sp = b.installed.smartProcess('orders');
    b.portal.automation.detach({ entityTypeId: sp.entityTypeId, stageId: sp.stage('agreed'), robot: 'dh_send_order_to_erp' });
    const frame = page.frames().find((f) => f.url().includes('/placement/order-tab'))!;
    await frame.click('text=Обновить');
    await expect.poll(() => frame.locator('[data-testid="line-proposal"]').count()).toBe(0);
    await frame.click('[data-testid="action-approve"]');
    await expect.poll(async () => (await orders().get(b.portalId, orderId))!.stageKey).toBe('agreed');
    await frame.waitForSelector('[data-testid="action-send"]:not([disabled])');
    await frame.click('[data-testid="action-send"]');
    await frame.waitForSelector('[data-testid="erp-state"][data-state="posted"], [data-testid="erp-state"][data-state="created"]', { timeout: 30_000 });
    const order = (await orders().get(b.portalId, orderId))!;
    expect(order.erpNumber).toBeTruthy();
    expect(await frame.locator('[data-testid="order-erp-number"]').textContent()).toContain(order.erpNumber!);
    expect(order.stageKey).toBe('sentToErp');
    await frame.click('[data-testid="action-reserve"]');
    await frame.waitForSelector('[data-testid="order-notice"]');
    // reserve per line, from the synced stock (the ERP reported none for this order)
    await expect.poll(() => frame.locator('[data-testid="line-reserve"]:has-text("резерв")').count()).toBe(3);
    expect((await orders().lines(orderId)).map((l) => l.reservedQty)).toEqual((await orders().lines(orderId)).map((l) => l.baseQty));
    await screenshot(page, 'manager-03-sent-to-erp');
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });

  it('when the manager opens the Dealers card, then our tab shows users, credit terms, recent orders and sales; the blocking rule is edited there', async () => {
    const eti = b.installed.smartProcess('dealers').entityTypeId;
    const dealerItemId = b.dealerItemIds[0]!;
    // A second user of the dealer opens the cabinet once: DealerHub links them as a buyer.
    await b.session(dealerUser().userIds[1]!, { placement: 'IM_NAVIGATION' });
    const buyer = (await b.t.ctx.dealers.findUser(b.portalId, dealerUser().userIds[1]!))!;
    expect(buyer.role).toBe('dealer_buyer');
    const frame = await openCardTab(`/crm/type/${eti}/details/${dealerItemId}/`, `CRM_DYNAMIC_${eti}_DETAIL_TAB`, '[data-testid="dealer-terms"]');
    const order = (await orders().get(b.portalId, orderId))!;
    const dealerRow = (await b.t.ctx.dealers.findByItemId(b.portalId, dealerItemId))!;
    // users and their roles
    const headUser = (await b.t.ctx.dealers.findUser(b.portalId, dealerUser().userIds[0]!))!;
    await frame.waitForSelector('[data-testid="dealer-users"]');
    expect(await frame.locator('[data-testid="dealer-users"]').textContent()).toContain(headUser.name);
    expect(await frame.locator('[data-testid="dealer-users"]').textContent()).toContain('Руководитель');
    // credit terms from the Dealers card
    expect((await frame.locator('[data-testid="dealer-credit-limit"]').textContent())?.replace(/\s/g, '')).toContain('1500000,00');
    // debt and overdue from the ERP's finance snapshot of the dealer's customer
    expect(await frame.locator('[data-testid="finance-debt"]').textContent()).toMatch(/\d/);
    expect(await frame.locator('[data-testid="finance-overdue"]').textContent()).toMatch(/\d/);
    const priceType = b.catalog.priceTypes.find((p) => p.ref === dealerRow.priceTypeErpId)!;
    expect(await frame.locator('[data-testid="dealer-terms"]').textContent()).toContain(priceType.name);
    // recent orders and sales (the order placed above, after the agreed change)
    await frame.waitForSelector(`[data-testid="dealer-order"][data-number="${order.number}"]`);
    expect((await frame.locator(`[data-testid="dealer-order"][data-number="${order.number}"]`).textContent())?.replace(/\s/g, '')).toContain(Number(order.total).toFixed(2).replace('.', ','));
    await frame.waitForSelector('[data-testid="sales-month-total"]');
    const money = Number(order.total).toFixed(2).replace('.', ',');
    expect((await frame.locator('[data-testid="sales-month-total"]').textContent())?.replace(/\s/g, '')).toContain(money);
    expect((await frame.locator('[data-testid="sales-year-total"]').textContent())?.replace(/\s/g, '')).toContain(money);
    const month = new Date().toISOString().slice(0, 7);
    expect(await frame.locator(`[data-testid="sales-bar"][data-month="${month}"]`).getAttribute('data-total')).toBe(order.total);
    expect(await frame.locator('[data-testid="sales-bar"]').count()).toBe(12);
    await screenshot(page, 'manager-04-dealer-tab');
    // the manager makes the buyer the dealer's accountant
    const buyerRow = frame.locator('[data-testid="dealer-users"] tr', { hasText: buyer.name });
    await buyerRow.locator('[role="combobox"]').click();
    await frame.click('[role="option"]:has-text("Бухгалтер")');
    await expect.poll(async () => (await b.t.ctx.dealers.findUser(b.portalId, buyer.b24UserId))!.role).toBe('dealer_accountant');
    // the manager tightens the overdue rule: saved to the Dealers card and synced back
    expect(dealerRow.blockOverdueDays).toBe(15);
    await frame.click('[data-testid="terms-edit"]');
    await frame.fill('[data-testid="terms-overdue-days"]', '30');
    await frame.fill('[data-testid="terms-limit"]', '2000000');
    await frame.waitForSelector('[data-testid="terms-save"]:not([disabled])');
    await screenshot(page, 'manager-05-dealer-terms-editor');
    await frame.click('[data-testid="terms-save"]');
    await frame.waitForSelector('[data-testid="terms-editor"]', { state: 'detached' });
    expect((await frame.locator('[data-testid="dealer-terms"]').textContent())?.replace(/\s/g, '')).toContain('2000000,00');
    expect(await b.t.ctx.dealers.findByItemId(b.portalId, dealerItemId)).toMatchObject({ blockOverdueDays: 30, creditLimit: '2000000.00' });
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });

  it('when the ERP refuses an order the manager sends, then the tab says so in the ERP’s words and what to do', async () => {
    const other = b.portal.users.dealers[1]!;
    const otherSession = await b.session(other.userIds[0]!, { placement: 'IM_NAVIGATION' });
    const dealer = (await b.t.ctx.dealers.findByItemId(b.portalId, b.dealerItemIds[1]!))!;
    // A line ordered beyond the stock the reserve draws on (the dealer's city, else every warehouse): the rest waits.
    const port = (await catalogPortFor(b.t.ctx, b.portalId, dealer.id))!;
    const scope = dealer.city && port.hasCity(dealer.city) ? { city: dealer.city } : {};
    const pick = (await b.orderable(dealer.id, 500, 1))
      .map((g) => ({ ...g, available: Number(port.available(g.productId, scope)), price: Number(port.quote(g.productId, '1')!.unitPrice) }))
      .filter((g) => g.available >= 1 && g.price * (g.available + 2) < 100_000)
      .sort((x, y) => x.available - y.available)[0]!;
    expect((await b.api(otherSession).post('/cart/lines').send({ lines: [{ productId: pick.productId, qty: String(pick.available + 2) }] })).status).toBe(200);
    const submitted = await b.api(otherSession).post('/checkout').send({ deliveryMethod: 'pickup', requestId: `e2e-refused-${Date.now()}` });
    expect(submitted.status, submitted.text).toBe(201);
    const staff = await b.session(manager());
    expect((await b.api(staff).post(`/orders/${submitted.body.order.id}/approve`)).status).toBe(200);
    b.erp.emulator.faults.inject({ kind: 'validation', times: 1, message: 'Клиент заблокирован для отгрузки: превышен лимит задолженности' });
    const sp = b.installed.smartProcess('orders');
    const frame = await openCardTab(`/crm/type/${sp.entityTypeId}/details/${submitted.body.order.b24ItemId}/`, `CRM_DYNAMIC_${sp.entityTypeId}_DETAIL_TAB`, '[data-testid="action-send"]:not([disabled])');
    await frame.click('[data-testid="action-reserve"]');
    await frame.waitForSelector('[data-testid="waiting-list"]');
    expect(await frame.locator('[data-testid="waiting-list"]').textContent()).toBe('ожидание 2');
    expect((await orders().lines(submitted.body.order.id))[0]).toMatchObject({ reservedQty: String(pick.available), waitingQty: '2' });
    await frame.click('[data-testid="action-send"]');
    await frame.waitForSelector('[data-testid="erp-state"][data-state="rejected"]', { timeout: 40_000 });
    const alert = await frame.locator('[data-testid="erp-problem"]').textContent();
    expect(alert).toContain('ERP не приняла заказ');
    expect(alert).toContain('Клиент заблокирован для отгрузки');
    expect(await frame.locator('[data-testid="erp-state"]').getAttribute('data-state')).toBe('rejected');
    expect(await frame.locator('[data-testid="order-notice"]').count()).toBe(0);
    expect((await orders().get(b.portalId, submitted.body.order.id))!).toMatchObject({ erpHandoff: 'rejected', stageKey: 'agreed' });
    await screenshot(page, 'manager-06-erp-refused');
    // The cause fixed in the ERP (the injected refusal was for one call), the manager sends the same order again.
    await frame.click('[data-testid="action-send"]:not([disabled])');
    await frame.waitForSelector('[data-testid="erp-state"][data-state="posted"]', { timeout: 40_000 });
    expect((await orders().get(b.portalId, submitted.body.order.id))!).toMatchObject({ erpHandoff: 'posted', stageKey: 'sentToErp', erpError: null });
    expect(await frame.locator('[data-testid="erp-problem"]').count()).toBe(0);
    await screenshot(page, 'manager-07-erp-resent');
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });
});
