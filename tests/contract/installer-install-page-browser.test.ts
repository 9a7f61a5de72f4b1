import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { createApp } from '../../server/app.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { injectBootstrap } from '../../server/modules/portals/install-page.js';
import { installRoutes } from '../../installer/install.routes.js';
import { registerInstaller } from '../../installer/register.js';
import { INSTALLER_TEST_SCOPE } from '../../installer/testing/sandbox-tenant.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * The built install widget (React + MUI) in Chromium against the real progress API: it shows the steps while the
 * queued job has not run, follows the run to "done", and — opened outside a Bitrix24 frame — says how to finish.
 */
describe('install page in a browser', () => {
  let portal: SandboxPortal;
  let t: TestContext;
  let server: Server;
  let appUrl: string;
  let browser: Browser;
  let distDir: string;

  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'dealerhub-widgets-'));
    await build({ configFile: resolve(import.meta.dirname, '..', '..', 'vite.config.ts'), logLevel: 'silent', build: { outDir: distDir, emptyOutDir: true, sourcemap: false } });
    portal = await startSandboxPortal({ httpPort: 0, httpsPort: null });
    t = await createTestContext({ B24_PORTAL_DOMAINS: portal.domain, B24_OAUTH_SERVERS: portal.serverEndpoint, LOG_LEVEL: 'warn' });
    const installer = registerInstaller(t.ctx, { publicUrl: () => appUrl });
    const page = readFileSync(join(distDir, 'pages', 'install.html'), 'utf8');
    const app = createApp(t.ctx, [
      (a, ctx) => a.use(installRoutes(ctx, installer, { distDir })),
      // What POST /install answers, for a browser that cannot replay the portal's POST: the same page and bootstrap.
      (a, ctx) =>
        a.get('/test/install-page', async (_req, res) => {
          const tenant = (await ctx.portals.findByMemberId(portal.memberId))!;
          const { token } = issueWidgetSession(ctx.config.app.secretKey, { portalId: tenant.id, userId: 1, role: 'admin', dealerId: null, widget: 'install', lang: 'ru' });
          res.type('html').send(injectBootstrap(page, { session: token, lang: 'ru', widget: 'install', placement: 'DEFAULT', placementOptions: {}, user: { id: 1, name: '', role: 'admin', dealerId: null }, portal: { domain: tenant.domain, memberId: tenant.memberId } }, 'ru'));
        }),
    ]);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    portal.registerApp({ clientId: t.ctx.config.app.clientId, clientSecret: t.ctx.config.app.clientSecret, appUrl: `${appUrl}/app`, installUrl: `${appUrl}/install`, installEventHandlerUrl: `${appUrl}/b24/events`, scope: INSTALLER_TEST_SCOPE });
    await portal.install();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await t?.close();
    await portal?.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  it('when the admin watches the install page, then the steps go from queued to done and the page says how to finish outside the portal', async () => {
    const page = await browser.newPage();
    await page.goto(`${appUrl}/test/install-page`);
    await page.waitForSelector('[data-install-state="queued"]');
    expect(await page.locator('[data-step]').count()).toBe(6);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Установка DealerHub');

    await t.ctx.jobs.drain();
    await page.waitForSelector('[data-install-state="done"]', { timeout: 15_000 });
    const statuses = await page.locator('[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    await expect.poll(() => page.locator('[data-step="fields"]').textContent()).toMatch(/Поля.*\d+ из \d+/);
    // No Bitrix24 frame around it: installFinish cannot be called, and the page says so.
    await page.waitForSelector('[data-finish="outside"]', { timeout: 10_000 });
    expect(await page.getByText('Откройте приложение в Битрикс24').count()).toBe(1);
    await screenshot(page, 'installer-install-page-done');
  });
});
