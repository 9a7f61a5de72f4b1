import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { MANIFEST, readInstalled, readRecord, type Installed } from '../../installer/index.js';
import { generateCatalog, formatLocal, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { composeApp } from '../../server/compose-app.js';
import { catalogPortFor } from '../../server/modules/carts/index.js';
import { catalogFor, PRICING_JOB_KINDS } from '../../server/modules/catalog/index.js';
import { seedSandboxDemo } from '../../server/sandbox-demo.js';
import { APP_SCOPES } from '../../server/sandbox-mode.js';
import { waitFor } from '../http/placements-fixture.js';
import { createTestContext, type TestContext } from './context.js';

/**
 * The whole app as `npm start` runs it (server/compose-app.ts: every domain, its jobs and routes), the sandbox
 * portal with DealerHub installed and installFinish done, the 1C OData emulator as the ERP (a small generated
 * catalog, first full sync done), and the sandbox demo data (dealers linked to ERP customers, a discount book, an
 * offer, the default automation). For end-to-end tests that go from a dealer's cart to the manager's tabs.
 */
export interface FullAppBench {
  portal: SandboxPortal;
  t: TestContext;
  server: Server;
  appUrl: string;
  portalId: number;
  installed: Installed;
  catalog: GeneratedCatalog;
  erp: RunningOnecOdataEmulator;
  /** Dealers item ids of the demo dealers, in portal.users.dealers order. */
  dealerItemIds: number[];
  /** A widget session of a portal user through a real placement POST (cabinet; or a card tab with options). */
  session(userId: number, opts?: { path?: string; placement?: string; options?: Record<string, unknown> }): Promise<string>;
  api(session: string): { get(p: string): request.Test; post(p: string): request.Test; patch(p: string): request.Test; delete(p: string): request.Test };
  /** SKUs on sale for a dealer (dealers.id) with a price and at least `minStock` in stock; with analogs first. */
  orderable(dealerId: number, n: number, minStock?: number): Promise<Array<{ sku: string; productId: number; analogs: number }>>;
  close(): Promise<void>;
}

/** `env`: more configuration for the app (e.g. SMTP_URL to a loopback SMTP server). */
export async function startFullAppBench(opts: { skus?: number; env?: Record<string, string> } = {}): Promise<FullAppBench> {
  const portal = await startSandboxPortal({ httpPort: 0, httpsPort: null, seedDemo: true });
  portal.faults.setRateLimit({ burst: 10_000, drainPerSecond: 1_000 });
  const catalog = generateCatalog({ seed: 'manager-tabs', skus: opts.skus ?? 200, warehouses: 3, customers: 4, ordersPerCustomer: 1, asOf: formatLocal(Date.now()) });
  const erp = await startOnecOdataEmulator({ catalog });
  const dbFile = join(mkdtempSync(join(tmpdir(), 'dealerhub-full-')), 'dealerhub.sqlite');
  const t = await createTestContext({
    B24_PORTAL_DOMAINS: portal.domain,
    B24_OAUTH_SERVERS: portal.serverEndpoint,
    LOG_LEVEL: 'warn',
    B24_RATE_LIMIT: '5000/1000',
    DATABASE_URL: `sqlite:${dbFile}`,
    ERP_KIND: '1c-odata',
    ERP_URL: erp.baseUrl,
    ERP_USER: 'odata',
    ERP_PASSWORD: 'odata',
    ERP_TIMEZONE: 'UTC',
    ...opts.env,
  });
  // See tests/http/placements-fixture.ts: SQLite in WAL mode needs IMMEDIATE transactions with workers running.
  if (t.ctx.db.dialect === 'sqlite') (t.ctx.db.sequelize as unknown as { options: { transactionType?: string } }).options.transactionType = 'IMMEDIATE';
  let appUrl = '';
  const composed = composeApp(t.ctx, { publicUrl: () => appUrl });
  const server = composed.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  portal.registerApp({ clientId: t.ctx.config.app.clientId, clientSecret: t.ctx.config.app.clientSecret, appUrl: `${appUrl}/app`, installUrl: `${appUrl}/install`, installEventHandlerUrl: `${appUrl}/b24/events`, scope: APP_SCOPES });
  await t.ctx.jobs.startWorkers({ concurrency: 4, pollMs: 25 });
  const result = await portal.install();
  const tenant = await waitFor(async () => {
    const p = await t.ctx.portals.findByMemberId(portal.memberId);
    return p?.hasApplicationToken ? p : null;
  }, 10_000, 'the application_token stored');
  const portalId = tenant.id;
  await waitFor(async () => readRecord((await t.ctx.portals.findById(portalId))!.settings).manifestVersion === MANIFEST.version, 60_000, 'the installer run');
  portal.markInstallFinished();
  const installed = readInstalled((await t.ctx.portals.findById(portalId))!.settings);
  // The first full ERP sync was queued by the install (compose-app's portalInstalled hook); the catalog loads from it.
  await waitFor(async () => ((await catalogFor(t.ctx, portalId)).snapshot?.index.products.length ?? 0) > 0, 60_000, 'the catalog synced from the ERP');
  if ((await seedSandboxDemo(t.ctx, portal, catalog, 30_000)) !== 'seeded') throw new Error('the sandbox demo data was not seeded');
  const dealerItemIds = ((await t.ctx.portals.findById(portalId))!.settings.demo as { dealerItemIds: number[] }).dealerItemIds;
  for (const id of dealerItemIds) await waitFor(() => t.ctx.dealers.findByItemId(portalId, id), 20_000, `dealer item ${id} synced`);
  // The discount book is synced by jobs (and item events): prices are the same on every run only once they are done.
  await waitFor(async () => {
    for (const kind of Object.values(PRICING_JOB_KINDS)) {
      const { items } = await t.ctx.jobs.list({ kind });
      if (items.some((j) => j.status !== 'done' && j.status !== 'dead')) return false;
    }
    return true;
  }, 30_000, 'the pricing rules synced');

  const bench: FullAppBench = {
    portal,
    t,
    server,
    appUrl,
    portalId,
    installed,
    catalog,
    erp,
    dealerItemIds,
    async session(userId, o = {}) {
      const tokens = portal.issueTokens(userId);
      const qs = new URLSearchParams({ DOMAIN: portal.domain, PROTOCOL: '0', LANG: 'ru', APP_SID: `sid${Math.random().toString(36).slice(2)}${Date.now()}` }).toString();
      const res = await request(server)
        .post(`${o.path ?? '/placement/cabinet'}?${qs}`)
        .type('form')
        .send({
          AUTH_ID: tokens.accessToken,
          AUTH_EXPIRES: String(tokens.expiresIn),
          REFRESH_ID: tokens.refreshToken,
          SERVER_ENDPOINT: portal.serverEndpoint,
          APPLICATION_TOKEN: result.applicationToken,
          member_id: portal.memberId,
          status: 'L',
          PLACEMENT: o.placement ?? 'LEFT_MENU',
          PLACEMENT_OPTIONS: JSON.stringify(o.options ?? {}),
        });
      const m = /<script id="dh-bootstrap" type="application\/json">([\s\S]*?)<\/script>/.exec(res.text);
      if (res.status !== 200 || !m) throw new Error(`placement for user ${userId}: ${res.status} ${res.text.slice(0, 300)}`);
      return (JSON.parse(m[1]!) as { session: string }).session;
    },
    api(session) {
      const s = (r: request.Test) => r.set('X-DealerHub-Session', session);
      return {
        get: (p) => s(request(server).get(`/api${p}`)),
        post: (p) => s(request(server).post(`/api${p}`)),
        patch: (p) => s(request(server).patch(`/api${p}`)),
        delete: (p) => s(request(server).delete(`/api${p}`)),
      };
    },
    async orderable(dealerId, n, minStock = 10) {
      const port = (await catalogPortFor(t.ctx, portalId, dealerId))!;
      const snapshot = (await catalogFor(t.ctx, portalId)).snapshot!;
      const found: Array<{ sku: string; productId: number; analogs: number }> = [];
      for (const p of snapshot.index.products) {
        if (!p.sku) continue;
        const v = port.lookup([p.sku]).get(p.sku);
        if (!v || !v.onSale || v.packRatio || !port.quote(v.id, '1') || Number(port.available(v.id)) < minStock) continue;
        const analogs = [...port.products(v.analogIds).values()].filter((a) => a.onSale && port.quote(a.id, '1')).length;
        found.push({ sku: p.sku, productId: v.id, analogs });
      }
      return found.sort((a, b) => b.analogs - a.analogs).slice(0, n);
    },
    async close() {
      await t.ctx.jobs.stop({ graceMs: 1000 }).catch(() => undefined);
      await new Promise((r) => server.close(r));
      server.closeAllConnections?.();
      await t.close();
      await erp.close();
      await portal.close();
    },
  };
  return bench;
}
