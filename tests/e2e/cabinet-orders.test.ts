import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstalled } from '../../installer/index.js';
import type { SandboxPortal } from '../../sandbox/index.js';
import { composeApp } from '../../server/compose-app.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { syncDealerItem } from '../../server/modules/dealers/index.js';
import { catalogFor, PRICING_JOB_KINDS } from '../../server/modules/catalog/index.js';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { createPricingRulesRepository } from '../../server/modules/pricing/index.js';
import { startSandboxMode, type SandboxHandle } from '../../server/sandbox-mode.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { ensureWidgetsBuilt, waitFor } from '../http/placements-fixture.js';

/**
 * The dealer cabinet as `npm start` runs it — the composed app, the sandbox portal with DealerHub installed, the 1C
 * OData emulator and the demo data — used in Chromium: a dealer's home with credit, manager and offers; an order
 * placed through the cart and checkout API shown in the list and on its page with the stage stepper; a manager's
 * change highlighted and agreed by the dealer; a dealer over its credit limit told why at checkout; staff acting as a
 * dealer user under a banner. Screenshots: test-artifacts/screenshots/cabinet-*.png.
 */
let t: TestContext;
let server: Server;
let sandbox: SandboxHandle;
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
    await frame.evaluate((h) => void (window.location.hash = h), opts.hash);
  }
  return frame;
}

/** An element's text with the spaces Intl puts in numbers (no-break, narrow) taken out. */
const digits = async (frame: Frame, testId: string) => ((await frame.locator(`[data-testid="${testId}"]`).first().textContent()) ?? '').replace(/\s/g, '');

/** The signed widget session the placement handler gave this frame (what the widget itself sends to /api). */
const sessionOf = (frame: Frame) => frame.evaluate(() => (JSON.parse(document.getElementById('dh-bootstrap')!.textContent!) as { session: string }).session);

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
  ensureWidgetsBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'dealerhub-cabinet-e2e-'));
  t = await createTestContext({ LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'dealerhub.sqlite')}`, HOST: '127.0.0.1', PORT: '0', SANDBOX_PORT: '0', SANDBOX_HTTPS_PORT: '0' });
  // As in tests/http/placements-fixture.ts: SQLite in WAL mode needs IMMEDIATE transactions with workers running.
  if (t.ctx.db.dialect === 'sqlite') (t.ctx.db.sequelize as unknown as { options: { transactionType?: string } }).options.transactionType = 'IMMEDIATE';
  let appUrl = '';
  const { app } = composeApp(t.ctx, { publicUrl: () => appUrl });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await t.ctx.jobs.startWorkers({ concurrency: 4, pollMs: 25 });
  sandbox = await startSandboxMode(t.ctx, appUrl);
  portal = sandbox.portal;
  portal.faults.setRateLimit(null);
  expect(await sandbox.demo).toBe('seeded');
  // The admin's install page would call installFinish(); the portal then lets the held events (dealer items) go.
  portal.markInstallFinished();
  portalId = (await t.ctx.portals.findByMemberId(sandbox.memberId))!.id;
  const installed = readInstalled((await t.ctx.portals.findById(portalId))!.settings);
  expect(installed.smartProcess('orders').entityTypeId).toBeGreaterThan(0);
  cabinetPlacementId = portal.store.placements.all().find((p) => p.placement === 'IM_NAVIGATION' && p.clientId === t.ctx.config.app.clientId)!.id;
  // The demo's dealers reach the read model through the portal's events, the catalog through the first ERP sync.
  const demo = (await t.ctx.portals.findById(portalId))!.settings.demo as { dealerItemIds: number[] };
  for (const itemId of demo.dealerItemIds) await waitFor(() => t.ctx.dealers.findByItemId(portalId, itemId), 30_000, `dealer item ${itemId} synced`);
  await waitFor(async () => ((await catalogFor(t.ctx, portalId)).snapshot?.size ?? 0) > 0, 60_000, 'the catalog loaded from the first ERP sync');
  // The demo's brand offer names a brand of the ERP catalog; a rule sync before the first ERP sync cannot resolve it
  // (the hourly full sync would): sync the book once more now that the catalog is there.
  await t.ctx.jobs.enqueue({ kind: PRICING_JOB_KINDS.syncAll, portalId, payload: {}, dedupKey: 'e2e-after-catalog', maxAttempts: 3 });
  await waitFor(async () => (await createPricingRulesRepository(t.ctx.db).list(portalId, {})).some((r) => r.source === 'offer' && r.rule !== null), 30_000, 'the demo offer resolved');
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ru-RU' })).newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server?.closeAllConnections?.();
  await sandbox?.close();
  await t?.close();
});

describe('dealer cabinet: home, checkout, orders, act as dealer', () => {
  it('when a dealer user opens the cabinet, then home shows the shell, credit, open orders, offers and the personal manager', async () => {
    const frame = await openCabinet(dealerA().userIds[0]!);
    await frame.waitForSelector('[data-testid="credit-panel"]', { timeout: 30_000 });
    expect(await frame.locator('[data-testid="shell-dealer"]').textContent()).toBe(dealerA().title);
    expect(await frame.locator('[data-testid="manager-name"]').textContent()).toBeTruthy();
    expect(await digits(frame, 'credit-limit')).toContain('1500000,00');
    await frame.waitForSelector('[data-testid="offers-banner"] [data-testid="offer"]');
    await frame.waitForSelector('[data-testid="home-open-orders"]');
    expect(await frame.locator('[data-testid="tab-orders"]').count()).toBe(1);
    await screenshot(page, 'cabinet-01-dealer-home');
  });
});
