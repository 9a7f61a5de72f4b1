import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { resultOf } from '../../sandbox/testing/rest-call.js';
import { startSdkTestApp, type SdkTestApp } from '../../sandbox/ui/testing/sdk-test-app.js';
import { seedUiDemo, type UiDemo } from '../../sandbox/ui/testing/seed-ui-demo.js';
import { launchBrowser, screenshot } from '../support/browser.js';

/**
 * The unmodified official SDK (@bitrix24/b24jssdk UMD build, `initializeB24Frame()`) inside the sandbox portal's app
 * frames, in Chromium: the install page finishes the installation, a card tab gets the placement POST for the signed-in
 * manager, the SDK initialises, sets the title, resizes its frame and calls REST from the app origin; an extranet user
 * is refused CRM but reaches the app through the messenger. Screenshots of each step go to test-artifacts/screenshots/.
 */
let portal: SandboxPortal;
let app: SdkTestApp;
let demo: UiDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken: string;
const clientId = 'local.e2e.frame.1';
const problems: string[] = [];

const tabCode = () => `CRM_DYNAMIC_${demo.entityTypeId}_DETAIL_TAB`;
const manager = () => portal.users.managers[0] as number;
const dealer = () => portal.users.dealers[0]!.userIds[0] as number;

/** Waits until the test app in the frame has run its whole SDK script (or failed, which fails the test). */
async function appReady(frame: FrameLocator): Promise<void> {
  await frame.locator('#status.ok, #status.err').first().waitFor({ timeout: 30_000 });
  const status = await frame.locator('#status').textContent();
  expect(status, `app frame status; page problems: ${problems.join(' | ')}`).toBe('готово');
}

/** Signs in, opens a dealer order card and its app tab; returns the app's frame once the SDK is up. */
async function openCardTab(userId: number): Promise<Frame> {
  await page.goto(`${portal.url}/_ui/switch-user?id=${userId}&back=${encodeURIComponent(`/crm/type/${demo.entityTypeId}/details/${demo.itemIds[2]}/#tab-app`)}`);
  await page.click('[data-tab^="app-"]');
  await appReady(page.frameLocator(`iframe[data-placement="${tabCode()}"]`));
  const handle = await page.locator(`iframe[data-placement="${tabCode()}"]`).elementHandle();
  return (await handle!.contentFrame())!;
}

async function signInWithSwitcher(userId: number): Promise<void> {
  await page.click('[data-testid="user-switcher"] summary');
  await page.click(`.b24-switcher a[data-user-id="${userId}"]`);
  await page.waitForSelector(`[data-testid="current-user"][data-user-id="${userId}"]`);
}

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await startSdkTestApp();
  portal.registerApp({
    clientId,
    clientSecret: 'secret-e2e',
    appUrl: `${app.url}/app?fit=1&filler=900`,
    installUrl: `${app.url}/install`,
    installEventHandlerUrl: `${app.url}/events`,
    scope: ['crm', 'user', 'placement', 'bizproc', 'im'],
  });
  const installed = await portal.install({ clientId });
  adminToken = installed.tokens.accessToken;
  demo = await seedUiDemo(portal);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await portal?.close();
});

describe('the official SDK in sandbox portal frames', () => {
  it('when the admin opens the app before installFinish, then the install page runs the SDK and installFinish() flips the app to installed', async () => {
    const appId = portal.store.apps.get(clientId)!.id;
    await page.goto(`${portal.url}/_ui/switch-user?id=${portal.users.admin}&back=${encodeURIComponent(`/marketplace/app/${appId}/`)}`);
    await page.waitForSelector('[data-testid="install-mode"]');
    const frame = page.frameLocator('iframe[data-placement="DEFAULT"]');
    await appReady(frame);
    expect(await frame.locator('#install').textContent()).toBe('true');
    expect(await frame.locator('#placement').textContent()).toBe('DEFAULT');
    const installPost = app.posts('/install').at(-1)!;
    expect(installPost.query).toMatchObject({ DOMAIN: portal.domain, PROTOCOL: '0', LANG: 'ru' });
    expect(installPost.body).toMatchObject({ PLACEMENT: 'DEFAULT', member_id: portal.memberId });
    await screenshot(page, 'sandbox-frame-01-install-page');
    expect(portal.store.apps.get(clientId)!.installed).toBe(false);

    await frame.locator('#finish').click();
    await page.waitForSelector('[data-testid="app-installed"]', { timeout: 30_000 });
    expect(portal.store.apps.get(clientId)!.installed).toBe(true);
    // After installFinish the portal opens the app URL (DEFAULT placement); fitWindow() sizes its frame.
    const appFrame = page.frameLocator('iframe[data-placement="DEFAULT"]');
    await appReady(appFrame);
    expect(await appFrame.locator('#install').textContent()).toBe('false');
    expect(app.posts('/app').length).toBeGreaterThan(0);
    // The page is taller than the frame's first 600 px: fitWindow() grows the frame to the document's height.
    const appWindow = await (await page.locator('iframe[data-placement="DEFAULT"]').elementHandle())!.contentFrame();
    const scrollHeight = await appWindow!.evaluate<number>('document.documentElement.scrollHeight');
    const box = await page.locator('iframe[data-placement="DEFAULT"]').boundingBox();
    expect(scrollHeight).toBeGreaterThan(1000);
    expect(Math.abs((box?.height ?? 0) - scrollHeight)).toBeLessThanOrEqual(2);
    expect(await page.locator('#pagetitle').textContent()).toBe('Тестовое приложение: DEFAULT');
    await screenshot(page, 'sandbox-frame-02-app-installed');
  });

  it('when a manager opens a card with a bound detail tab, then the tab gets the POST, the SDK initialises and talks to the portal as that manager', async () => {
    expect(await resultOf(portal.clientEndpoint, 'placement.bind', { auth: adminToken, PLACEMENT: tabCode(), HANDLER: `${app.url}/placement/order-tab`, TITLE: 'DealerHub: заказ' })).toBe(true);
    await page.goto(`${portal.url}/`);
    await signInWithSwitcher(manager());
    await screenshot(page, 'sandbox-frame-03-manager-start');

    const itemId = demo.itemIds[1] as number;
    await page.goto(`${portal.url}/crm/type/${demo.entityTypeId}/details/${itemId}/`);
    await screenshot(page, 'sandbox-frame-04-card');
    const before = app.posts('/placement/order-tab').length;
    const tab = page.locator('[data-tab^="app-"]');
    expect(await tab.textContent()).toBe('DealerHub: заказ');
    await tab.click();
    const frame = page.frameLocator(`iframe[data-placement="${tabCode()}"]`);
    await appReady(frame);

    // The handler got the documented POST for the manager.
    const posts = app.posts('/placement/order-tab');
    expect(posts.length).toBe(before + 1);
    const post = posts.at(-1)!;
    const sid = await page.locator(`iframe[data-placement="${tabCode()}"]`).getAttribute('data-b24-app-sid');
    expect(post.query).toEqual({ DOMAIN: portal.domain, PROTOCOL: '0', LANG: 'ru', APP_SID: sid });
    expect(Object.keys(post.body)).toEqual(['AUTH_ID', 'AUTH_EXPIRES', 'REFRESH_ID', 'SERVER_ENDPOINT', 'APPLICATION_TOKEN', 'APPLICATION_SCOPE', 'member_id', 'status', 'PLACEMENT', 'PLACEMENT_OPTIONS']);
    expect(post.body).toMatchObject({ PLACEMENT: tabCode(), member_id: portal.memberId, status: 'L', APPLICATION_TOKEN: portal.store.apps.get(clientId)!.applicationToken });
    expect(JSON.parse(post.body.PLACEMENT_OPTIONS as string)).toEqual({ ID: String(itemId), URI: `/crm/type/${demo.entityTypeId}/details/${itemId}/` });
    expect(portal.store.accessTokens.get(post.body.AUTH_ID as string)).toMatchObject({ userId: manager(), clientId });
    expect(await page.locator(`iframe[data-placement="${tabCode()}"]`).getAttribute('name')).toBe(`${portal.domain}|0|${sid}`);

    // The SDK initialised with the placement and its options, and user.current through the frame is the manager.
    expect(await frame.locator('#placement').textContent()).toBe(tabCode());
    expect(JSON.parse((await frame.locator('#options').textContent()) ?? '{}')).toMatchObject({ ID: String(itemId) });
    expect(await frame.locator('#user').getAttribute('data-user-id')).toBe(String(manager()));
    expect(await frame.locator('#user').textContent()).toBe(`${manager()}: Мария Соколова`);
    // The REST call came from the app origin straight to the portal (CORS), not through the page.
    // The parent applied setTitle (the tab's label) and resizeWindow (the iframe's height).
    expect(await tab.textContent()).toBe(`Тестовое приложение: ${tabCode()}`);
    const box = await page.locator(`iframe[data-placement="${tabCode()}"]`).boundingBox();
    expect(box?.height).toBe(640);
    await screenshot(page, 'sandbox-frame-05-card-tab-sdk');
  });

  it('when the card\'s stage is clicked in the browser, then the item moves and the card shows it', async () => {
    const itemId = demo.itemIds[1] as number;
    await page.goto(`${portal.url}/crm/type/${demo.entityTypeId}/details/${itemId}/`);
    await page.click(`[data-testid="stage-bar"] button[data-stage-id="${demo.stage('CLIENT')}"]`);
    await page.waitForSelector(`[data-testid="stage-bar"] button.current[data-stage-id="${demo.stage('CLIENT')}"]`);
    expect(portal.store.items.get(`${demo.entityTypeId}:${itemId}`)!.fields).toMatchObject({ stageId: demo.stage('CLIENT'), movedBy: manager() });
    await screenshot(page, 'sandbox-frame-06-stage-moved');
  });

  it('when an extranet dealer signs in, then CRM pages are refused but the IM_NAVIGATION app opens in the messenger with the SDK working', async () => {
    expect(await resultOf(portal.clientEndpoint, 'placement.bind', { auth: adminToken, PLACEMENT: 'IM_NAVIGATION', HANDLER: `${app.url}/placement/cabinet`, TITLE: 'Кабинет дилера', OPTIONS: { iconName: 'fa-briefcase', extranet: 'Y' } })).toBe(true);
    await page.goto(`${portal.url}/`);
    await signInWithSwitcher(dealer());
    expect(await page.locator('[data-testid="left-menu"] a[href^="/crm/"]').count()).toBe(0);
    const refused = await page.goto(`${portal.url}/crm/type/${demo.entityTypeId}/details/${demo.itemIds[0]}/`);
    expect(refused?.status()).toBe(403);
    await page.waitForSelector('[data-testid="access-denied"]');
    await screenshot(page, 'sandbox-frame-07-extranet-crm-refused');

    await page.goto(`${portal.url}/online/`);
    await page.click('[data-testid="im-nav"] a:has-text("Кабинет дилера")');
    const frame = page.frameLocator('iframe[data-placement="IM_NAVIGATION"]');
    await appReady(frame);
    expect(await frame.locator('#placement').textContent()).toBe('IM_NAVIGATION');
    expect(await frame.locator('#user').getAttribute('data-user-id')).toBe(String(dealer()));
    const post = app.posts('/placement/cabinet').at(-1)!;
    expect(post.body.PLACEMENT).toBe('IM_NAVIGATION');
    expect(portal.store.accessTokens.get(post.body.AUTH_ID as string)?.userId).toBe(dealer());
    await screenshot(page, 'sandbox-frame-08-extranet-messenger-app');
  });

  it('when the app opens the user picker, then the person picks in the portal dialog and the SDK gets the user', async () => {
    const frame = await openCardTab(manager());
    const picked = frame.evaluate<{ id: string; name: string } | null>('window.$b24.dialog.selectUser()');
    await page.waitForSelector('.b24-dialog');
    await screenshot(page, 'sandbox-frame-09-select-user');
    await page.click('.b24-dialog label:has-text("Алексей Волков")');
    await page.click('.b24-dialog button:has-text("Выбрать")');
    expect(await picked).toMatchObject({ id: String(portal.users.managers[1]), name: 'Алексей Волков' });
    const crm = frame.evaluate<Record<string, { id: string }[]>>("window.$b24.dialog.selectCRM({ entityType: ['company'], multiple: true })");
    await page.waitForSelector('.b24-dialog');
    await page.click('.b24-dialog label:has-text("ООО «ТехноСнаб»")');
    await page.click('.b24-dialog button:has-text("Выбрать")');
    expect((await crm).company).toEqual([expect.objectContaining({ id: `CO_${portal.users.dealers[0]!.companyId}`, title: 'ООО «ТехноСнаб»' })]);
  });

  it('when the app opens a portal path and its own slider, then they open over the card and the SDK learns when they close', async () => {
    const frame = await openCardTab(manager());
    const closed = frame.evaluate<{ isClose: boolean; isOpenAtNewWindow: boolean }>(`window.$b24.slider.openPath(window.$b24.slider.getUrl('/crm/deal/details/${demo.dealId}/'))`);
    await page.waitForSelector('[data-testid="slider"] iframe');
    const slider = page.frameLocator('[data-testid="slider"] iframe');
    await slider.locator('[data-testid="stage-bar"]').waitFor();
    expect(await slider.locator('#pagetitle').textContent()).toBe('Поставка насосного оборудования');
    await screenshot(page, 'sandbox-frame-10-open-path-slider');
    await page.click('.b24-slider-close');
    expect(await closed).toEqual({ isOpenAtNewWindow: false, isClose: true });

    // openApplication: the app itself in a slider with the params as PLACEMENT_OPTIONS; closeApplication from inside closes it.
    const appClosed = frame.evaluate('window.$b24.slider.openSliderAppPage({ opened: true })');
    const inner = page.frameLocator('[data-testid="slider"] iframe').frameLocator('iframe[data-placement="DEFAULT"]');
    await appReady(inner);
    expect(JSON.parse((await inner.locator('#options').textContent()) ?? '{}')).toMatchObject({ opened: true });
    await screenshot(page, 'sandbox-frame-11-open-application-slider');
    const innerFrame = page.frames().find((f) => f.parentFrame() !== null && f.parentFrame() !== page.mainFrame() && f.url().startsWith(app.url))!;
    // The slider (and the app in it) goes away as the command is answered, so its own promise may never settle.
    void innerFrame.evaluate('window.$b24.parent.closeApplication()').catch(() => undefined);
    await appClosed;
    expect(await page.locator('[data-testid="slider"]').count()).toBe(0);
  });

  it('when the app opens the messenger with a dialog, then the portal navigates there', async () => {
    const frame = await openCardTab(manager());
    void frame.evaluate(`window.$b24.parent.imOpenMessenger(${dealer()})`).catch(() => undefined);
    await page.waitForURL(`**/online/?IM_DIALOG=${dealer()}`);
    await page.waitForSelector(`[data-testid="im-dialog"][data-dialog-id="${dealer()}"]`);
    await screenshot(page, 'sandbox-frame-12-messenger-dialog');
  });

  it('when a frame posts with a forged APP_SID or from the wrong window, then the page does not answer it', async () => {
    // On the dealer's messenger app: a message from the top page itself (not the registered iframe) is ignored.
    await page.goto(`${portal.url}/_ui/switch-user?id=${dealer()}&back=%2Fonline%2F`);
    await page.click('[data-testid="im-nav"] a:has-text("Кабинет дилера")');
    await appReady(page.frameLocator('iframe[data-placement="IM_NAVIGATION"]'));
    // (Browser-side code as a string: the project's TypeScript has no DOM library.)
    const answered = await page.evaluate<boolean>(`(async () => {
      const sid = document.querySelector('iframe[data-b24-app-sid]').getAttribute('data-b24-app-sid');
      let got = false;
      const listener = (e) => { if (typeof e.data === 'string' && e.data.startsWith('forged-key:')) got = true; };
      window.addEventListener('message', listener);
      window.postMessage('getInitData:forged-key:' + sid, '*');
      window.postMessage('getInitData:forged-key:not-a-frame', '*');
      await new Promise((r) => setTimeout(r, 700));
      window.removeEventListener('message', listener);
      return got;
    })()`);
    expect(answered).toBe(false);
    expect(problems.some((p) => p.includes('wrong origin ignored'))).toBe(true);
    expect(problems.some((p) => p.includes('unknown APP_SID ignored'))).toBe(true);
  });
});
