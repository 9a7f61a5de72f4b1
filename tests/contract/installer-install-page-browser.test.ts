import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { registerPlacements } from '../../placements/index.js';
import { createApp } from '../../server/app.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { installPortal } from '../../server/modules/portals/index.js';
import { injectBootstrap } from '../../server/modules/portals/install-page.js';
import { ZInstallBody, ZInstallQuery } from '../../server/modules/portals/lifecycle.routes.js';
import { installRoutes } from '../../installer/install.routes.js';
import { registerInstaller } from '../../installer/register.js';
import { INSTALLER_TEST_SCOPE } from '../../installer/testing/sandbox-tenant.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * The built install widget (React + MUI) in Chromium: inside the sandbox portal's install slider it follows the queued
 * run to "done" and finishes the installation through the official SDK frame (installFinish → the portal marks the app
 * installed → DealerHub confirms it with app.info); opened outside a portal it says how to finish.
 *
 * The widgets are built into a temporary directory (not dist/), so the install URL is a test route that answers as
 * POST /install does (same validation, installPortal, signed session, bootstrap) but with that build; the /install
 * handler itself is covered by installer-install-page.test.ts.
 */
describe('install page in a browser', () => {
  let portal: SandboxPortal;
  let t: TestContext;
  let server: Server;
  let appUrl: string;
  let browser: Browser;
  let distDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'dealerhub-widgets-'));
    await build({ configFile: resolve(import.meta.dirname, '..', '..', 'vite.config.ts'), logLevel: 'silent', build: { outDir: distDir, emptyOutDir: true, sourcemap: false } });
    const built = readFileSync(join(distDir, 'pages', 'install.html'), 'utf8');
    portal = await startSandboxPortal({ httpPort: 0, httpsPort: null });
    portal.faults.setRateLimit(null);
    t = await createTestContext({ B24_PORTAL_DOMAINS: portal.domain, B24_OAUTH_SERVERS: portal.serverEndpoint, LOG_LEVEL: 'warn' });
    const installer = registerInstaller(t.ctx, { publicUrl: () => appUrl });
    const pageFor = (tenant: { id: number; domain: string; memberId: string; tokenUserId: number | null }, lang: 'ru' | 'en', placement = 'DEFAULT') => {
      const userId = tenant.tokenUserId ?? portal.users.admin;
      const { token } = issueWidgetSession(t.ctx.config.app.secretKey, { portalId: tenant.id, userId, role: 'admin', dealerId: null, widget: 'install', lang });
      return injectBootstrap(built, { session: token, lang, widget: 'install', placement, placementOptions: {}, user: { id: userId, name: '', role: 'admin', dealerId: null }, portal: { domain: tenant.domain, memberId: tenant.memberId } }, lang);
    };
    const app = createApp(t.ctx, [
      (a, ctx) => registerPlacements(a, ctx, { distDir }),
      (a, ctx) => a.use(installRoutes(ctx, installer)),
      (a, ctx) =>
        a.post('/test/install', async (req, res) => {
          const query = ZInstallQuery.parse(req.query);
          const body = ZInstallBody.parse(req.body ?? {});
          const { portal: tenant } = await installPortal(ctx, {
            memberId: body.member_id, domain: query.DOMAIN, protocol: query.PROTOCOL === '1' ? 'https' : 'http', serverEndpoint: body.SERVER_ENDPOINT,
            refreshToken: body.REFRESH_ID, applicationToken: body.APPLICATION_TOKEN ?? null, languageId: query.LANG, source: 'install-page',
          });
          res.type('html').send(pageFor(tenant, query.LANG.startsWith('en') ? 'en' : 'ru', body.PLACEMENT));
        }),
      (a, ctx) =>
        a.get('/test/standalone', async (_req, res) => {
          res.type('html').send(pageFor((await ctx.portals.findByMemberId(portal.memberId))!, 'en'));
        }),
    ]);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    portal.registerApp({ clientId: t.ctx.config.app.clientId, clientSecret: t.ctx.config.app.clientSecret, appUrl: `${appUrl}/app`, installUrl: `${appUrl}/test/install`, installEventHandlerUrl: `${appUrl}/b24/events`, scope: INSTALLER_TEST_SCOPE });
    await portal.install();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.ctx.jobs.stop();
    await new Promise((r) => server?.close(r));
    await t?.close();
    await portal?.close();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  };
  const tenant = async () => (await t.ctx.portals.findByMemberId(portal.memberId))!;

  it('when the admin opens DealerHub in the portal during installation, then the slider shows the run and finishes the installation through the SDK frame', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' })).newPage();
    watch(page);
    const appId = portal.store.apps.get(t.ctx.config.app.clientId)!.id;
    await page.goto(`${portal.url}/_ui/switch-user?id=${portal.users.admin}&back=${encodeURIComponent(`/marketplace/app/${appId}/`)}`);
    await page.waitForSelector('[data-testid="install-mode"]');
    const frame = page.frameLocator('iframe[data-placement="DEFAULT"]');
    await frame.locator('[data-install-state="queued"]').waitFor({ timeout: 30_000 });
    expect(await frame.locator('[data-step]').count()).toBe(6);
    expect(await frame.locator('h1').textContent()).toBe('Установка DealerHub');
    await screenshot(page, 'installer-install-slider-queued');
    expect(portal.store.apps.get(t.ctx.config.app.clientId)!.installed).toBe(false);

    // The queue runs the reconcile; the page follows it, then calls installFinish() in the portal frame.
    await t.ctx.jobs.startWorkers({ concurrency: 2, pollMs: 100 });
    await page.waitForSelector('[data-testid="app-installed"]', { timeout: 60_000 });
    expect(portal.store.apps.get(t.ctx.config.app.clientId)!.installed).toBe(true);
    const until = Date.now() + 20_000;
    while (!(await tenant()).installFinished && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect((await tenant()).installFinished).toBe(true);
    expect((await tenant()).manifestVersion).toBe(1);
    await screenshot(page, 'installer-install-slider-finished');
    expect(problems.filter((p) => !/404|Not Found/i.test(p))).toEqual([]);
  });

  it('when the install page is opened outside a portal frame, then it shows the finished steps and says where to finish', async () => {
    const page = await browser.newPage();
    watch(page);
    await page.goto(`${appUrl}/test/standalone`);
    await page.waitForSelector('[data-install-state="done"]', { timeout: 15_000 });
    const statuses = await page.locator('[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(await page.locator('[data-step="fields"]').textContent()).toMatch(/Fields.*\d+ of \d+/);
    await page.waitForSelector('[data-finish="finished"], [data-finish="outside"]', { timeout: 10_000 });
    // The portal already confirmed installFinish, so the page says it is installed.
    expect(await page.locator('[data-finish]').getAttribute('data-finish')).toBe('finished');
    expect(await page.getByText('DealerHub is installed').count()).toBe(1);
    await screenshot(page, 'installer-install-page-standalone');
  });
});
