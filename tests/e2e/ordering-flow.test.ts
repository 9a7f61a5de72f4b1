import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_JOB_KINDS, SYNC_SCHEDULES } from '../../server/erp/sync/index.js';
import { createOrdersRepository, type OrderRow } from '../../server/modules/orders/index.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { startFullAppBench, type FullAppBench } from '../support/full-app-bench.js';
import { smtpServer } from '../support/smtp-server.js';
import { ensureWidgetsBuilt, waitFor } from '../http/placements-fixture.js';

/**
 * The ordering acceptance end to end, in Chromium where a person sees it: dealer A's user orders through the real
 * cart and checkout; the default automation's robots (credit check, manager approval request) run in the portal, the
 * manager approves, SendOrderToErp puts the order into the 1C OData emulator once; a 1C user then confirms and ships
 * it (the emulator's control API, as another process would), the scheduled order-state sync brings it back, and the
 * dealer's order page in the cabinet shows the stage and the ERP number, the portal's notifications page the notice,
 * and the stage e-mail reaches the dealer user (SMTP_URL points at a loopback SMTP server).
 * Dealer B's user sees none of it, through any route or screen. Screenshots: test-artifacts/screenshots/ordering-flow-*.png.
 */
let b: FullAppBench;
let browser: Browser;
let page: Page;
let cabinetPlacementId: number;
let order: OrderRow;
let erpNumber: string;
/** The mail server the app's SMTP_URL points at: stage notices go out by e-mail too. */
const smtp = smtpServer();
const problems: string[] = [];

const dealerA = () => b.portal.users.dealers[0]!;
const dealerB = () => b.portal.users.dealers[1]!;
const orders = () => createOrdersRepository(b.t.ctx.db);
const automationSteps = (itemId: number) => b.portal.automation.log(b.installed.smartProcess('orders').entityTypeId, itemId).flatMap((w) => w.steps);
const controlUrl = () => b.erp.baseUrl.replace(/\/odata\/standard\.odata$/, '/__emulator');

/** Signs in as a portal user and opens the cabinet from the messenger (how an extranet dealer user reaches it). */
async function openCabinet(userId: number, hash?: string): Promise<Frame> {
  await page.goto(`${b.portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(`/online/?IM_APP=${cabinetPlacementId}`)}`);
  const handle = await page.waitForSelector('iframe[data-placement="IM_NAVIGATION"]', { timeout: 30_000 });
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('[data-testid="cabinet-shell"]', { timeout: 30_000 });
  if (hash) await frame.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  return frame;
}

/** What a 1C user does in the infobase: moves the order's status (the emulator's control API, over HTTP). */
async function setErpStatus(externalId: string, status: string): Promise<void> {
  const res = await fetch(`${controlUrl()}/orders/${encodeURIComponent(externalId)}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The job an ERP sync schedule enqueues (its own payload), run now instead of waiting for its minute. */
async function runScheduledSync(name: 'erp.order-states' | 'erp.documents', tag: string): Promise<void> {
  const schedule = SYNC_SCHEDULES.find((s) => s.name === name)!;
  expect(schedule.kind).toBe(SYNC_JOB_KINDS.sync);
  const { id } = await b.t.ctx.jobs.enqueue({ kind: schedule.kind, portalId: b.portalId, payload: schedule.payload((await b.t.ctx.portals.findById(b.portalId))!), dedupKey: `e2e-${name}-${tag}`, maxAttempts: 1 });
  await waitFor(async () => {
    const j = await b.t.ctx.jobs.get(id);
    if (j?.status === 'dead') throw new Error(`the ${name} sync failed: ${JSON.stringify(j)}`);
    return j?.status === 'done';
  }, 20_000, `the scheduled ${name} sync`);
}

const runScheduledOrderStateSync = (tag: string) => runScheduledSync('erp.order-states', tag);

const stageOf = async () => (await orders().get(b.portalId, order.id))!;

beforeAll(async () => {
  ensureWidgetsBuilt();
  const smtpPort = await smtp.listen();
  b = await startFullAppBench({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}?from=noreply@dealerhub.example` } });
  cabinetPlacementId = b.portal.store.placements.all().find((p) => p.placement === 'IM_NAVIGATION' && p.clientId === b.t.ctx.config.app.clientId)!.id;
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 1400 }, locale: 'ru-RU' })).newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await b?.close();
  await smtp.close();
});

describe('ordering flow: dealer → robots → 1C → back to the dealer; another dealer sees nothing', () => {
  it('when dealer A orders and the manager approves, then the robots take the order into 1C exactly once and its ERP number comes back', async () => {
    const head = await b.session(dealerA().userIds[0]!, { placement: 'IM_NAVIGATION' });
    const dealer = (await b.t.ctx.dealers.findByItemId(b.portalId, b.dealerItemIds[0]!))!;
    const goods = await b.orderable(dealer.id, 2);
    expect(goods).toHaveLength(2);
    const added = await b.api(head).post('/cart/lines').send({ lines: goods.map((g, i) => ({ productId: g.productId, qty: String(i + 1) })) });
    expect(added.status, added.text).toBe(200);
    const submitted = await b.api(head).post('/checkout').send({ deliveryMethod: 'pickup', comment: 'Заберём в четверг', requestId: `flow-${Date.now()}` });
    expect(submitted.status, submitted.text).toBe(201);
    order = (await orders().get(b.portalId, submitted.body.order.id))!;
    expect(order.b24ItemId).toBeGreaterThan(0);

    // The robots of "new" in the portal: the credit check passes, then the dealer's manager is asked to approve.
    const steps = await waitFor(() => {
      const s = automationSteps(order.b24ItemId!);
      return ['dh_check_dealer_credit', 'dh_request_manager_approval'].every((code) => s.some((x) => x.robotCode === code && x.status === 'done')) ? s : null;
    }, 20_000, 'the robots of the new stage');
    expect(steps.find((s) => s.robotCode === 'dh_check_dealer_credit')?.returnValues).toMatchObject({ dhResult: 'ok' });
    expect(steps.find((s) => s.robotCode === 'dh_request_manager_approval')?.returnValues).toMatchObject({ dhResult: 'ok' });
    expect(b.portal.store.notifications.all().some((n) => n.toUserId === dealerA().managerId && n.message.includes(order.number))).toBe(true);

    const manager = await b.session(dealerA().managerId);
    const approved = await b.api(manager).post(`/orders/${order.id}/approve`);
    expect(approved.status, approved.text).toBe(200);

    // SendOrderToErp on "agreed" → the outbox → 1C; the emulator holds the document once by our external id.
    const inErp = await waitFor(async () => {
      const res = await fetch(`${controlUrl()}/orders/${encodeURIComponent(order.externalId)}`);
      return res.status === 200 ? ((await res.json()) as { number: string; externalId: string; copies: number; lines: unknown[] }) : null;
    }, 20_000, 'the order in 1C');
    expect(inErp).toMatchObject({ externalId: order.externalId, copies: 1 });
    expect(inErp.lines).toHaveLength(2);
    expect(b.erp.emulator.createdOrders().filter((o) => o.externalId === order.externalId)).toHaveLength(1);
    const sent = await waitFor(async () => ((await stageOf()).stageKey === 'sentToErp' ? stageOf() : null), 20_000, 'the order at sentToErp');
    expect(sent.erpNumber).toBe(inErp.number);
    erpNumber = inErp.number;
    expect(automationSteps(order.b24ItemId!).find((s) => s.robotCode === 'dh_send_order_to_erp')?.returnValues).toMatchObject({ dhResult: 'ok' });
  }, 60_000);

  it('when 1C confirms and ships it and the scheduled sync runs, then the dealer’s order page shows the stage and ERP number, and the portal notified the dealer', async () => {
    await setErpStatus(order.externalId, 'confirmed');
    await runScheduledOrderStateSync('confirmed');
    await waitFor(async () => (await stageOf()).stageKey === 'confirmed', 20_000, 'stage confirmed');
    await setErpStatus(order.externalId, 'shipped');
    await runScheduledOrderStateSync('shipped');
    await waitFor(async () => (await stageOf()).stageKey === 'shipped', 20_000, 'stage shipped');
    // The next scheduled run reads the same state: nothing moves again (the notices below are counted exactly).
    // (A changed state enqueues its erp.order-state.changed job in the sync's own transaction: none may appear.)
    const changes = async () => (await b.t.ctx.jobs.list({ kind: SYNC_JOB_KINDS.orderStateChanged })).total;
    const before = await changes();
    expect(before).toBeGreaterThanOrEqual(2);
    await runScheduledOrderStateSync('unchanged');
    expect(await changes()).toBe(before);
    const item = await b.t.ctx.b24.forPortal(b.portalId).call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: b.installed.smartProcess('orders').entityTypeId, id: order.b24ItemId });
    expect(item.item.stageId).toBe(b.installed.smartProcess('orders').stage('shipped'));

    await runScheduledSync('erp.documents', 'shipped');
    const frame = await openCabinet(dealerA().userIds[0]!, `#/order/${order.id}`);
    await frame.waitForSelector('[data-testid="stage-stepper"][data-stage="shipped"]');
    expect(await frame.locator('[data-testid="order-number"]').textContent()).toContain(order.number);
    expect(await frame.locator('[data-testid="stage-step"][data-key="shipped"]').getAttribute('data-state')).toBe('current');
    for (const key of ['new', 'agreed', 'sentToErp', 'confirmed']) expect(await frame.locator(`[data-testid="stage-step"][data-key="${key}"]`).getAttribute('data-state'), key).toBe('done');
    expect(await frame.locator('[data-testid="stage-step"][data-key="delivered"]').getAttribute('data-state')).toBe('todo');
    // 1C's order status never said "invoiced", but its invoice document did: that step is ticked with the document's
    // date. Nobody reported a payment: that step is skipped, not ticked as if it happened.
    expect(await frame.locator('[data-testid="stage-step"][data-key="invoiced"]').getAttribute('data-state')).toBe('done');
    expect(await frame.locator('[data-testid="stage-step"][data-key="paid"]').getAttribute('data-state')).toBe('skipped');
    expect(await frame.locator('[data-testid="order-erp"]').textContent()).toContain(erpNumber);
    expect(await frame.locator('[data-testid="order-stage"]').textContent()).toContain('Отгружен');
    // The history names what happened on the way (handed to the ERP, reserved), no bare «Событие»; the stepper and the
    // history call a stage by the same name.
    const history = (await frame.locator('[data-testid="order-history"]').textContent()) ?? '';
    for (const step of ['Заказ создан', 'Согласован', 'Передаётся в ERP', 'Передан в ERP', 'Подтверждён', 'Товар зарезервирован', 'Отгружен']) expect(history).toContain(step);
    expect(history).not.toContain('Событие');
    expect(await frame.locator('[data-testid="stage-step"][data-key="sentToErp"]').textContent()).toContain('Передан в ERP');

    // The shipment's documents (1C's sale and invoice, each with a PDF attached) came with the documents sync; the
    // order page links each file at a signed address that opens the PDF.
    await frame.waitForSelector('[data-testid="document-file"]', { timeout: 20_000 });
    expect(await frame.locator('[data-testid="order-documents"] tbody tr').count()).toBeGreaterThanOrEqual(2);
    const href = (await frame.locator('[data-testid="document-file"]').first().getAttribute('href'))!;
    expect(href).toMatch(/^\/media\/documents\/\d+\/\d+\?e=\d+&s=/);
    const file = await page.request.get(new URL(href, frame.url()).toString());
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect((await file.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await screenshot(page, 'ordering-flow-01-order-shipped');

    // NotifyDealer on each stage: the dealer user's notifications in the portal hold the shipment notice.
    const userId = dealerA().userIds[0]!;
    await waitFor(() => b.portal.store.notifications.all().find((n) => n.toUserId === userId && n.message.includes(order.number) && n.message.includes('отгружен')), 20_000, 'the shipment notice');
    await page.goto(`${b.portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent('/notifications')}`);
    const list = page.locator('[data-testid="notifications"]');
    await list.waitFor();
    // The robot names the order once, in front: «№DH-000001: Заказ отгружен» (not «… Заказ Заказ DH-000001 …»).
    const notices = async () => (await list.locator('.notify-body > div:nth-child(2)').allTextContents()).map((s) => s.trim());
    await expect.poll(notices).toContain(`№${order.number}: Заказ отгружен`);
    const mine = (await notices()).filter((s) => s.includes(order.number));
    expect(mine).toEqual([`№${order.number}: Заказ отгружен`, `№${order.number}: Заказ подтверждён`, `№${order.number}: Заказ передан в ERP`, `№${order.number}: Заказ согласован и передаётся в ERP`, `№${order.number}: Заказ принят и ждёт проверки`]);
    await screenshot(page, 'ordering-flow-02-notifications');

    // The same notice by e-mail (SMTP_URL is set): to the dealer user's address, the stage and ERP status in the subject.
    const email = b.portal.store.users.all().find((u) => Number(u.ID) === userId)!.EMAIL;
    const mail = await waitFor(() => smtp.mails().find((m) => m.to.includes(email) && m.subject.startsWith(`Заказ ${order.number}: Отгружен`)), 20_000, 'the shipment e-mail');
    expect(mail.raw).toContain(`\n\nЗаказ ${order.number}: Отгружен\n`);
    // One mail per stage, in order, in words a dealer reads: the ERP number when it came, never 1C's own status words.
    expect(smtp.mails().filter((m) => m.to.includes(email) && m.subject.includes(order.number)).map((m) => m.subject)).toEqual([
      `Заказ ${order.number}: Согласован`,
      `Заказ ${order.number}: Передан в ERP (ERP № ${erpNumber})`,
      `Заказ ${order.number}: Подтверждён`,
      `Заказ ${order.number}: Отгружен`,
    ]);
    // Dealer B's users get no mail about dealer A's order.
    const otherEmails = dealerB().userIds.map((id) => b.portal.store.users.all().find((u) => Number(u.ID) === id)!.EMAIL);
    expect(smtp.mails().filter((m) => m.to.some((to) => otherEmails.includes(to)) && m.raw.includes(order.number))).toEqual([]);
  }, 60_000);

  it('when dealer B’s user looks for dealer A’s order, then no route answers it and the cabinet does not show it', async () => {
    const other = await b.session(dealerB().userIds[0]!, { placement: 'IM_NAVIGATION' });
    const list = await b.api(other).get('/orders?limit=200');
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((o: { id: number }) => o.id)).not.toContain(order.id);
    expect(JSON.stringify(list.body)).not.toContain(order.number);
    // Asking for dealer A by its Dealers item or its legal entity, or by the number, narrows B's own list: still nothing.
    for (const query of [`q=${encodeURIComponent(order.number)}`, `dealerId=${b.dealerItemIds[0]}`, `companyId=${dealerA().companyId}`]) {
      const res = await b.api(other).get(`/orders?${query}`);
      expect(res.status, `${query}: ${res.text}`).toBe(200);
      expect(res.body.items, query).toEqual([]);
    }
    for (const [what, res] of [
      ['details', await b.api(other).get(`/orders/${order.id}/details`)],
      ['by-item', await b.api(other).get(`/orders/by-item/${order.b24ItemId}`)],
      ['card', await b.api(other).get(`/orders/${order.b24ItemId}`)],
      ['agree', await b.api(other).post(`/orders/${order.id}/changes/agree`).send({})],
      ['decline', await b.api(other).post(`/orders/${order.id}/changes/decline`).send({})],
      ['repeat', await b.api(other).post(`/orders/${order.id}/repeat`).send({})],
    ] as const) {
      expect(res.status, `${what}: ${res.text}`).toBe(404);
      expect(res.text, what).not.toContain(order.number);
    }
    // Dealer A's own user still gets it: the 404s above are the scope, not a broken route.
    const own = await b.session(dealerA().userIds[0]!, { placement: 'IM_NAVIGATION' });
    expect((await b.api(own).get(`/orders/by-item/${order.b24ItemId}`)).body.order.id).toBe(order.id);

    let frame = await openCabinet(dealerB().userIds[0]!);
    await frame.click('[data-testid="tab-orders"]');
    await frame.waitForSelector('[data-testid="orders-search"]');
    await frame.fill('[data-testid="orders-search"]', order.number);
    await frame.waitForSelector('text=Нет заказов по этим условиям');
    expect(await frame.locator(`[data-testid="order-row"]:has-text("${order.number}")`).count()).toBe(0);
    await screenshot(page, 'ordering-flow-03-other-dealer-list');

    frame = await openCabinet(dealerB().userIds[0]!, `#/order/${order.id}`);
    const screen = frame.locator('[data-testid="order-screen"]');
    await screen.locator('[data-testid="order-not-found"]').waitFor();
    expect(await screen.locator('[data-testid="order-not-found"]').textContent()).toContain('Заказ не найден');
    expect(await screen.locator('[data-testid="order-number"]').count()).toBe(0);
    expect(await screen.locator('[data-testid="stage-stepper"]').count()).toBe(0);
    expect(await screen.textContent()).not.toContain(order.number);
    await screenshot(page, 'ordering-flow-04-other-dealer-order');
    // The way out goes to B's own orders.
    await screen.locator('[data-testid="order-not-found"] button').click();
    await expect.poll(() => frame.locator('[data-testid="cabinet-shell"]').getAttribute('data-screen')).toBe('orders');
    expect(problems).toEqual([]);
  }, 60_000);
});
