import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstalled } from '../../installer/index.js';
import { MANIFEST, SMART_PROCESSES } from '../../installer/manifest.js';
import { ROBOT_DEFINITIONS } from '../../robots/definitions.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { ensureWidgetsBuilt, seedErpFinance, startHarness, type Harness } from '../http/placements-fixture.js';

/**
 * DealerHub in the sandbox portal, in Chromium: the admin finishes the installation on the install page (the SDK's
 * installFinish), the smart processes, fields, stages, placements and robots are on the portal as documented, a
 * manager opens an Orders card and sees our tab — rendered inside the official SDK frame — with the order's lines, and
 * extranet users of two dealers each open the cabinet from the messenger and see their own dealer only.
 * Screenshots go to test-artifacts/screenshots/placements-*.png.
 */
let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dealerA: number;
let dealerB: number;
let orderA: number;
const problems: string[] = [];

const a = () => h.portal.users.dealers[0]!;
const b = () => h.portal.users.dealers[1]!;

async function signIn(userId: number, path: string): Promise<void> {
  await page.goto(`${h.portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(path)}`);
}

/** The frame of our widget inside the portal page, once React rendered into it. */
async function widgetFrame(selector: string, ready: string): Promise<Frame> {
  const handle = await page.waitForSelector(selector, { timeout: 30_000 });
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector(ready, { timeout: 30_000 });
  return frame;
}

async function openCardTab(path: string, placement: string, ready: string): Promise<Frame> {
  await page.goto(`${h.portal.url}${path}`);
  await page.click('[data-tab^="app-"]');
  return widgetFrame(`iframe[data-placement="${placement}"]`, ready);
}

beforeAll(async () => {
  ensureWidgetsBuilt();
  h = await startHarness({ finishInstall: false });
  h.portal.faults.setRateLimit(null);
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
  await h?.close();
});

describe('install and placements in the sandbox portal', () => {
  it('when the admin opens the app, then the install page shows the finished run and installFinish() completes the installation', async () => {
    const appId = h.portal.store.apps.get(h.t.ctx.config.app.clientId)!.id;
    await signIn(h.portal.users.admin, `/marketplace/app/${appId}/`);
    await page.waitForSelector('[data-testid="install-mode"]');
    // The install page follows the run and calls installFinish() as soon as it is done, which reloads the frame:
    // the screenshot is taken while it is still on screen; the assertions are on what follows.
    const installFrame = await (await page.waitForSelector('iframe[data-placement="DEFAULT"]')).contentFrame();
    await installFrame?.waitForSelector('[data-install-state]', { timeout: 30_000 }).then(() => screenshot(page, 'placements-01-install-page'), () => undefined);
    await page.waitForSelector('[data-testid="app-installed"]', { timeout: 30_000 });
    expect(h.portal.store.apps.get(h.t.ctx.config.app.clientId)!.installed).toBe(true);
    await expect.poll(async () => (await h.t.ctx.portals.findById(h.portalId))!.installFinished, { timeout: 10_000 }).toBe(true);
    // After installFinish the portal opens the app itself (DEFAULT): for the admin, the settings page.
    const admin = await widgetFrame('iframe[data-placement="DEFAULT"]', '[data-testid="installer-status"]');
    expect(await admin.locator('[data-testid="installer-status"]').textContent()).toContain(String(MANIFEST.version));
    await screenshot(page, 'placements-02-admin-settings');
  });

  it('when the portal is read back, then smart processes, fields, stages, placements and robots have the documented shapes', async () => {
    const installed = readInstalled((await h.t.ctx.portals.findById(h.portalId))!.settings);
    const types = await h.client.call<{ types: Array<{ id: number; entityTypeId: number; title: string; isStagesEnabled: string; isLinkWithProductsEnabled: string }> }>('crm.type.list', {});
    for (const spec of SMART_PROCESSES) {
      const sp = installed.smartProcess(spec.key);
      const type = types.types.find((t) => t.entityTypeId === sp.entityTypeId)!;
      expect(type).toMatchObject({ id: sp.typeId, title: spec.title.ru, isStagesEnabled: spec.flags.isStagesEnabled ? 'Y' : 'N', isLinkWithProductsEnabled: spec.flags.isLinkWithProductsEnabled ? 'Y' : 'N' });
      const fields = await h.client.call<{ fields: Array<{ fieldName: string; userTypeId: string; multiple: string }> }>('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${sp.typeId}` } });
      for (const f of spec.fields) {
        const rec = sp.field(f.key);
        expect(rec.upperName).toBe(`UF_CRM_${sp.typeId}_${f.code}`);
        expect(fields.fields.find((x) => x.fieldName === rec.upperName), rec.upperName).toMatchObject({ multiple: f.multiple ? 'Y' : 'N' });
      }
      if (spec.stages.length) {
        const statuses = await h.client.call<Array<{ STATUS_ID: string; SEMANTICS: string | null }>>('crm.status.list', { filter: { ENTITY_ID: sp.stageEntityId } });
        for (const st of spec.stages) expect(statuses.map((x) => x.STATUS_ID)).toContain(sp.stage(st.key));
      }
    }
    const placements = await h.client.call<Array<{ placement: string; handler: string }>>('placement.get');
    const e = installed.entityTypeIds;
    expect(placements.map((p) => [p.placement, new URL(p.handler).pathname]).sort()).toEqual(
      [
        [`CRM_DYNAMIC_${e.orders}_DETAIL_TAB`, '/placement/order-tab'],
        [`CRM_DYNAMIC_${e.dealers}_DETAIL_TAB`, '/placement/dealer-tab'],
        [`CRM_DYNAMIC_${e.claims}_DETAIL_TAB`, '/placement/claim-tab'],
        ['CRM_COMPANY_DETAIL_TAB', '/placement/company-tab'],
        ['LEFT_MENU', '/placement/cabinet'],
        ['IM_NAVIGATION', '/placement/cabinet'],
      ].sort(),
    );
    const robots = await h.client.call<string[]>('bizproc.robot.list');
    expect([...robots].sort()).toEqual(ROBOT_DEFINITIONS.map((r) => r.code).sort());
    const robotRows = h.portal.store.robots.all().filter((r) => r.clientId === h.t.ctx.config.app.clientId);
    for (const r of robotRows) expect(new URL(r.handler).pathname).toBe(`/robots/${r.code}`);
  });

  it('when the admin picks a service engineer with the portal\'s own user picker, then it is saved and that employee gets the service role', async () => {
    const appId = h.portal.store.apps.get(h.t.ctx.config.app.clientId)!.id;
    await signIn(h.portal.users.admin, `/marketplace/app/${appId}/`);
    const admin = await widgetFrame('iframe[data-placement="DEFAULT"]', '[data-testid="service-users"] button');
    await admin.click('[data-testid="service-users"] button:has-text("Выбрать на портале")');
    await page.waitForSelector('.b24-dialog');
    await page.click('.b24-dialog label:has-text("Дмитрий Кузнецов")');
    await page.click('.b24-dialog button:has-text("Выбрать")');
    await admin.waitForSelector('[data-testid="service-user"]:has-text("Дмитрий Кузнецов")');
    await screenshot(page, 'placements-02b-service-engineer-picked');
    const service = h.portal.users.service[0]!;
    expect((await h.t.ctx.portals.findById(h.portalId))!.settings.roles).toEqual({ serviceUserIds: [service] });
    const res = await h.placementPost(service, '/placement/cabinet', { placement: 'LEFT_MENU' });
    expect(h.bootstrapOf(res).user.role).toBe('service');
  });

  it('when a manager opens an Orders card, then our tab runs in the SDK frame with the order header and lines', async () => {
    await seedErpFinance(h, [{ erpId: 'ERP-TS', name: 'ТехноСнаб', inn: '7701234567', debt: '84500.00', overdue: '12000.00', overdueDays: 6 }]);
    dealerA = await h.createDealer({ title: a().title, companyId: a().companyId, managerId: a().managerId, creditLimit: '500000.00', paymentTermDays: 30, dealerGroup: 'A', city: 'Москва', region: 'Московская область', blockOverLimit: true, blockOverdueDays: 15, priceType: 'Оптовая' });
    dealerB = await h.createDealer({ title: b().title, companyId: b().companyId, managerId: b().managerId, creditLimit: '250000.00', dealerGroup: 'B', city: 'Санкт-Петербург' });
    orderA = await h.createOrder({
      dealerItemId: dealerA, companyId: a().companyId, number: 'TS-0042', title: 'Заказ TS-0042', deliveryMethod: 'carrier', deliveryAddress: 'Москва, Складской проезд, 12', submittedBy: a().userIds[0],
      lines: [
        { name: 'Насос циркуляционный PMP 25-40', price: 12500.5, quantity: 3, taxRate: 20 },
        { name: 'Фильтр сетчатый латунный 1"', price: 899.99, quantity: 10, taxRate: 20 },
        { name: 'Кран шаровой DN20', price: 450, quantity: 24, taxRate: 20 },
      ],
    });
    await signIn(h.portal.users.managers[0]!, '/');
    const tab = `CRM_DYNAMIC_${h.sp.orders!.entityTypeId}_DETAIL_TAB`;
    const frame = await openCardTab(`/crm/type/${h.sp.orders!.entityTypeId}/details/${orderA}/`, tab, '[data-testid="lines-table"]');
    expect(await frame.locator('[data-testid="line-row"]').count()).toBe(3);
    expect(await frame.locator('[data-testid="order-number"]').textContent()).toContain('TS-0042');
    expect(await frame.locator('[data-testid="order-dealer"]').textContent()).toContain(a().title);
    expect((await frame.locator('[data-testid="lines-total"]').textContent())?.replace(/\s/g, '')).toBe('57301,40₽');
    // The official SDK connected to the portal: it set the tab's title and resized the frame to the content.
    expect(await frame.evaluate<string | undefined>('document.documentElement.dataset.b24Frame')).toBe('ready');
    await expect.poll(() => page.locator('[data-tab^="app-"]').first().textContent(), { timeout: 10_000 }).toContain('TS-0042');
    const box = await page.locator(`iframe[data-placement="${tab}"]`).boundingBox();
    const contentHeight = await frame.evaluate<number>('document.documentElement.scrollHeight');
    expect(Math.abs((box?.height ?? 0) - contentHeight)).toBeLessThanOrEqual(4);
    await screenshot(page, 'placements-03-order-tab');
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });

  it('when a manager opens the dealer, company and claim cards, then their tabs show the dealer with ERP finance, the company link and the claim', async () => {
    const dealerFrame = await openCardTab(`/crm/type/${h.sp.dealers!.entityTypeId}/details/${dealerA}/`, `CRM_DYNAMIC_${h.sp.dealers!.entityTypeId}_DETAIL_TAB`, '[data-testid="dealer-terms"]');
    expect(await dealerFrame.locator('[data-testid="finance-debt"]').textContent()).toContain('84');
    expect(await dealerFrame.locator('[data-testid="dealer-credit-limit"]').textContent()).toContain('500');
    await screenshot(page, 'placements-04-dealer-tab');
    const companyFrame = await openCardTab(`/crm/company/details/${a().companyId}/`, 'CRM_COMPANY_DETAIL_TAB', '[data-testid="company-dealer"]');
    expect(await companyFrame.locator('[data-testid="card-title"]').first().textContent()).toBe(a().title);
    await screenshot(page, 'placements-05-company-tab');
    const claim = await h.createClaim({ dealerItemId: dealerA, companyId: a().companyId, number: 'R-0007', serial: 'PMP2540-000123', defect: 'Шум подшипника после 3 месяцев работы, течь по уплотнению вала.', resolution: 'parts', lines: [{ name: 'Замена подшипника (работа)', price: 1800, quantity: 1 }, { name: 'Подшипник 6202-2RS', price: 320, quantity: 2 }] });
    const claimFrame = await openCardTab(`/crm/type/${h.sp.claims!.entityTypeId}/details/${claim}/`, `CRM_DYNAMIC_${h.sp.claims!.entityTypeId}_DETAIL_TAB`, '[data-testid="lines-table"]');
    expect(await claimFrame.locator('[data-testid="claim-serial"]').textContent()).toContain('PMP2540-000123');
    expect(await claimFrame.locator('[data-testid="claim-resolution"]').textContent()).toContain('Замена запчастей');
    await screenshot(page, 'placements-05b-claim-tab');
  });

  it('when extranet users of dealer A and dealer B open the cabinet from the messenger, then each sees their own dealer only', async () => {
    const cabinet = h.portal.store.placements.all().find((p) => p.placement === 'IM_NAVIGATION' && p.clientId === h.t.ctx.config.app.clientId)!;
    await signIn(a().userIds[0]!, `/online/?IM_APP=${cabinet.id}`);
    const fa = await widgetFrame('iframe[data-placement="IM_NAVIGATION"]', '[data-testid="cabinet-dealer-title"]');
    expect(await fa.locator('[data-testid="cabinet-dealer-title"]').textContent()).toBe(a().title);
    expect(await fa.locator('[data-testid="cabinet-manager"]').textContent()).toContain('Мария Соколова');
    expect(await fa.locator('body').textContent()).not.toContain(b().title);
    await screenshot(page, 'placements-06-cabinet-dealer-a');

    await signIn(b().userIds[1]!, `/online/?IM_APP=${cabinet.id}`);
    const fb = await widgetFrame('iframe[data-placement="IM_NAVIGATION"]', '[data-testid="cabinet-dealer-title"]');
    expect(await fb.locator('[data-testid="cabinet-dealer-title"]').textContent()).toBe(b().title);
    expect(await fb.locator('body').textContent()).not.toContain(a().title);
    await screenshot(page, 'placements-07-cabinet-dealer-b');
    const linked = await h.t.ctx.dealers.findUser(h.portalId, b().userIds[1]!);
    expect(linked).toMatchObject({ role: 'dealer_head' });
    expect((await h.t.ctx.dealers.findById(h.portalId, linked!.dealerId))?.b24ItemId).toBe(dealerB);
  });

  it('when an extranet user of no dealer opens the cabinet, then the frame says they are not connected yet', async () => {
    const cabinet = h.portal.store.placements.all().find((p) => p.placement === 'IM_NAVIGATION' && p.clientId === h.t.ctx.config.app.clientId)!;
    const company = await h.client.call<number>('crm.company.add', { fields: { TITLE: 'ООО «Пока не дилер»' } });
    const base = h.portal.store.users.get(a().userIds[0]!)!;
    h.portal.store.users.insert({ ...base, ID: 9500, NAME: 'Олег', LAST_NAME: 'Новый', EMAIL: 'o.new@not-dealer.example', companyId: company });
    await h.client.call('crm.contact.add', { fields: { NAME: 'Олег', LAST_NAME: 'Новый', COMPANY_ID: company, EMAIL: [{ VALUE: 'o.new@not-dealer.example', VALUE_TYPE: 'WORK' }] } });
    await signIn(9500, `/online/?IM_APP=${cabinet.id}`);
    const frame = await widgetFrame('iframe[data-placement="IM_NAVIGATION"]', '.box');
    expect(await frame.locator('h1').textContent()).toBe('Вы ещё не подключены к дилеру');
    await screenshot(page, 'placements-08-cabinet-no-dealer');
  });
});
