import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { startSdkTestApp, type SdkTestApp } from '../../sandbox/ui/testing/sdk-test-app.js';
import { seedUiDemo, type UiDemo } from '../../sandbox/ui/testing/seed-ui-demo.js';
import { launchBrowser, screenshot } from '../support/browser.js';

/**
 * A person using the sandbox portal's pages in Chromium: builds automation rules with the editor (choose a robot, fill
 * its properties, reorder, remove), moves an order so the rule runs, and a dealer sees the notification under the bell.
 */
let portal: SandboxPortal;
let app: SdkTestApp;
let demo: UiDemo;
let browser: Browser;
let page: Page;
const clientId = 'local.e2e.pages.1';

const manager = () => portal.users.managers[0] as number;
const signIn = (userId: number, path: string) => page.goto(`${portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(path)}`);
const rules = (stageId: string) => portal.automation.list({ entityTypeId: demo.entityTypeId }).find((r) => r.stageId === stageId)?.robots.map((r) => r.code) ?? [];

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await startSdkTestApp();
  portal.registerApp({ clientId, clientSecret: 'secret-pages', appUrl: `${app.url}/app`, installUrl: `${app.url}/install`, installEventHandlerUrl: `${app.url}/events`, scope: ['crm', 'user', 'placement', 'bizproc', 'im'] });
  await portal.install({ clientId });
  portal.markInstallFinished(clientId);
  demo = await seedUiDemo(portal, { clientId, appUrl: app.url });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await portal?.close();
});

describe('sandbox portal pages in a browser', () => {
  it('when a manager builds a stage\'s automation in the editor, then the robots are attached in order and run when an order enters the stage', async () => {
    const stageId = demo.stage('CLIENT');
    await signIn(manager(), `/crm/type/${demo.entityTypeId}/list/`);
    await screenshot(page, 'sandbox-pages-01-list');
    await page.click('[data-testid="robots-button"]');
    const column = page.locator(`.robots-col[data-stage-id="${stageId}"]`);
    // Choosing a robot in the select opens its properties form.
    await column.locator('select[name="robot"]').selectOption({ label: 'Передать заказ в 1С' });
    await page.waitForSelector('[data-testid="robot-form"]');
    await page.click('[data-testid="robot-form"] button[type="submit"]');
    await column.locator('select[name="robot"]').selectOption({ label: 'Уведомить дилера' });
    await page.fill('[data-testid="robot-form"] textarea[name="prop[message]"]', 'Заказ {=Document:TITLE} ждёт вашего согласования');
    await page.selectOption('[data-testid="robot-form"] select[name="prop[channel]"]', 'email');
    await screenshot(page, 'sandbox-pages-02-robot-form');
    await page.click('[data-testid="robot-form"] button[type="submit"]');
    await column.locator('.robot[data-robot="dh_notify_dealer"]').waitFor();
    expect(rules(stageId)).toEqual(['dh_send_to_erp', 'dh_notify_dealer']);
    await column.locator('.robot[data-robot="dh_notify_dealer"] button:has-text("↑")').click();
    await page.waitForFunction(`document.querySelector('.robots-col[data-stage-id="${stageId}"] .robot').getAttribute('data-robot') === 'dh_notify_dealer'`);
    expect(rules(stageId)).toEqual(['dh_notify_dealer', 'dh_send_to_erp']);
    await screenshot(page, 'sandbox-pages-03-rules');
    await column.locator('.robot[data-robot="dh_send_to_erp"] button:has-text("Удалить")').click();
    await page.waitForSelector(`.robots-col[data-stage-id="${stageId}"] .robot[data-robot="dh_send_to_erp"]`, { state: 'detached' });
    expect(rules(stageId)).toEqual(['dh_notify_dealer']);

    const itemId = demo.itemIds[0] as number;
    await page.goto(`${portal.url}/crm/type/${demo.entityTypeId}/details/${itemId}/`);
    await page.click(`[data-testid="stage-bar"] button[data-stage-id="${stageId}"]`);
    await page.waitForSelector(`[data-testid="stage-bar"] button.current[data-stage-id="${stageId}"]`);
    await portal.idle();
    expect(app.posts('/robot/dh_notify_dealer').at(-1)!.body.properties).toEqual({ message: 'Заказ Заказ ДЛ-1001 ждёт вашего согласования', channel: 'email' });
    await page.reload();
    await page.click('[data-tab="robots"]');
    await page.waitForSelector('[data-testid="robot-log"] tr[data-robot="dh_notify_dealer"][data-status="done"]');
    await screenshot(page, 'sandbox-pages-04-robot-log');
  });

  it('when a dealer was notified, then the bell shows it and the notifications page lists it', async () => {
    const dealer = portal.users.dealers[0]!.userIds[0] as number;
    await signIn(dealer, '/');
    expect(await page.locator('[data-testid="bell-counter"]').textContent()).toBe('1');
    await page.click('[data-testid="bell"]');
    await page.waitForSelector('[data-testid="notifications"] .notify');
    expect(await page.locator('[data-testid="notifications"] .notify').first().innerText()).toContain('Заказ ДЛ-1001 принят менеджером');
    expect(await page.locator('[data-testid="bell-counter"]').count()).toBe(0);
    await screenshot(page, 'sandbox-pages-05-dealer-notifications');
  });
});
