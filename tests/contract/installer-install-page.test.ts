import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { createApp } from '../../server/app.js';
import { issueWidgetSession, SESSION_HEADER } from '../../server/modules/access/index.js';
import { APPLY_JOB } from '../../installer/apply.job.js';
import { CONFIRM_FINISH_JOB } from '../../installer/confirm-finish.job.js';
import { installRoutes } from '../../installer/install.routes.js';
import { readRecord } from '../../installer/installer-record.js';
import { readInstalled } from '../../installer/installed.js';
import { MANIFEST } from '../../installer/manifest.js';
import { registerInstaller, type InstallerRegistration } from '../../installer/register.js';
import { INSTALLER_TEST_SCOPE } from '../../installer/testing/sandbox-tenant.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * The install flow end to end on the wire: the portal POSTs /install, gets the install page with a signed session,
 * the page polls /api/install/progress while the queued job reconciles the portal, installFinish is confirmed with
 * app.info; ONAPPUPDATE re-binds the events the update removed; ONAPPUNINSTALL with CLEAN clears the record.
 */
describe('install page and lifecycle wiring', () => {
  let portal: SandboxPortal;
  let t: TestContext;
  let server: Server;
  let appUrl: string;
  let installer: InstallerRegistration;
  let session: string;

  beforeAll(async () => {
    portal = await startSandboxPortal({ httpPort: 0, httpsPort: null });
    t = await createTestContext({ B24_PORTAL_DOMAINS: portal.domain, B24_OAUTH_SERVERS: portal.serverEndpoint, LOG_LEVEL: 'warn' });
    installer = registerInstaller(t.ctx, { publicUrl: () => appUrl });
    const app = createApp(t.ctx, [(a, ctx) => a.use(installRoutes(ctx, installer))]);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    portal.registerApp({
      clientId: t.ctx.config.app.clientId,
      clientSecret: t.ctx.config.app.clientSecret,
      appUrl: `${appUrl}/app`,
      installUrl: `${appUrl}/install`,
      installEventHandlerUrl: `${appUrl}/b24/events`,
      scope: INSTALLER_TEST_SCOPE,
    });
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await t?.close();
    await portal?.close();
  });

  const tenant = async () => (await t.ctx.portals.findByMemberId(portal.memberId))!;
  const progress = () => request(server).get('/api/install/progress').set(SESSION_HEADER, session);
  const waitFor = async (check: () => Promise<boolean>, ms = 10_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('condition not met in time');
  };

  it('when the portal installs the app, then the install page carries a signed install session and one apply job is queued', async () => {
    const result = await portal.install();
    expect(result.page.status).toBe(200);
    const m = /<script id="dh-bootstrap" type="application\/json">([^<]*)<\/script>/.exec(result.page.body);
    expect(m).not.toBeNull();
    const boot = JSON.parse(m![1]!) as { session: string; widget: string; lang: string; portal: { memberId: string }; user: { role: string } };
    expect(boot).toMatchObject({ widget: 'install', lang: 'ru', portal: { memberId: portal.memberId }, user: { role: 'admin' } });
    session = boot.session;
    await waitFor(async () => Boolean((await tenant()).hasApplicationToken));
    await portal.install(); // the admin opens the install page again: still one job
    const jobs = await t.ctx.jobs.list({ kind: APPLY_JOB });
    expect(jobs.items).toHaveLength(1);
    expect(jobs.items[0]).toMatchObject({ status: 'queued', portalId: (await tenant()).id, payload: { reason: 'install', manifestVersion: MANIFEST.version } });

    const res = await progress();
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ state: 'queued', manifestVersion: MANIFEST.version, installedManifestVersion: null, installFinished: false });
    expect(res.body.steps.map((s: { key: string }) => s.key)).toEqual(['smartProcesses', 'fields', 'stages', 'placements', 'robots', 'events']);
  });

  it('when the progress API is called without the install session or with another widget\'s session, then it is refused', async () => {
    expect((await request(server).get('/api/install/progress')).status).toBe(401);
    const other = issueWidgetSession(t.ctx.config.app.secretKey, { portalId: (await tenant()).id, userId: 1, role: 'admin', dealerId: null, widget: 'order-tab' });
    const res = await request(server).get('/api/install/progress').set(SESSION_HEADER, other.token);
    expect(res.status).toBe(403);
    const dealer = issueWidgetSession(t.ctx.config.app.secretKey, { portalId: (await tenant()).id, userId: 7, role: 'dealer_head', dealerId: 3, widget: 'install' });
    expect((await request(server).post('/api/install/retry').set(SESSION_HEADER, dealer.token)).status).toBe(403);
  });

  it('when the job has run, then the progress shows every step done and the portal is set up', async () => {
    const summary = await t.ctx.jobs.drain();
    expect(summary).toMatchObject({ done: 1, failed: 0, dead: 0 });
    const res = await progress();
    expect(res.body.state).toBe('done');
    expect(res.body.errors).toEqual([]);
    for (const step of res.body.steps as Array<{ key: string; status: string; done: number; total: number }>) {
      expect([step.key, step.status, step.done]).toEqual([step.key, 'done', step.total]);
      expect(step.total).toBeGreaterThan(0);
    }
    expect(res.body.installedManifestVersion).toBe(MANIFEST.version);
    expect(readInstalled((await tenant()).settings).smartProcess('orders').entityTypeId).toBeGreaterThan(0);
  });

  it('when the page reports installFinish, then it is taken only from app.info: checked in the background until the portal confirms it', async () => {
    const early = await request(server).post('/api/install/finished').set(SESSION_HEADER, session);
    expect(early.status).toBe(202);
    expect(early.body).toEqual({ installFinished: false, confirming: true });
    expect((await tenant()).installFinished).toBe(false);
    const check = (await t.ctx.jobs.list({ kind: CONFIRM_FINISH_JOB })).items;
    expect(check).toHaveLength(1);
    // What frame.installFinish() does in the slider; the portal then reloads the frame, so the page may never ask again.
    portal.markInstallFinished(t.ctx.config.app.clientId);
    await waitFor(async () => {
      await t.ctx.jobs.drain();
      return (await tenant()).installFinished;
    });
    expect((await t.ctx.jobs.get(check[0]!.id))!.status).toBe('done');
    expect((await progress()).body.installFinished).toBe(true);
    const later = await request(server).post('/api/install/finished').set(SESSION_HEADER, session);
    expect(later.status).toBe(200);
    expect(later.body).toEqual({ installFinished: true });
  });

  it('when a run fails and the admin presses retry, then another run is queued and completes', async () => {
    const record = readRecord((await tenant()).settings);
    const { placement, handler } = record.placements[0]!;
    await t.ctx.b24.forPortal((await tenant()).id).call('placement.unbind', { PLACEMENT: placement, HANDLER: handler });
    const res = await request(server).post('/api/install/retry').set(SESSION_HEADER, session);
    expect(res.status).toBe(202);
    expect((await progress()).body.state).toBe('queued');
    await t.ctx.jobs.drain();
    const after = await progress();
    expect(after.body.state).toBe('done');
    expect(after.body.steps.find((s: { key: string }) => s.key === 'placements')).toMatchObject({ status: 'done', done: 1, total: 1 });
  });

  it('when the app is updated (its event bindings are dropped), then ONAPPUPDATE queues a run that binds them again', async () => {
    const client = t.ctx.b24.forPortal((await tenant()).id);
    await portal.update(2);
    expect(await client.call('event.get')).toEqual([]);
    await waitFor(async () => (await t.ctx.jobs.list({ kind: APPLY_JOB, status: 'queued' })).items.length === 1);
    await t.ctx.jobs.drain();
    const events = await client.call<Array<{ event: string; handler: string }>>('event.get');
    expect(events.map((e) => e.event).sort()).toEqual([...MANIFEST.events].sort());
    expect(events.every((e) => e.handler === `${appUrl}/b24/events`)).toBe(true);
  });

  it('when the portal removes the app with clean-up, then the installer record is cleared and nothing is called on the portal', async () => {
    await portal.uninstall({ clean: true });
    await waitFor(async () => (await tenant()).status === 'uninstalled');
    const row = await tenant();
    expect(row.settings.installer).toBeUndefined();
    expect(row.manifestVersion).toBeNull();
    expect((await t.ctx.jobs.list({ kind: APPLY_JOB, status: 'queued' })).total).toBe(0);
  });

  it('when the portal removes the app without clean-up, then the record forgets the handlers (gone with the app) but keeps the smart processes', async () => {
    const { portal: other } = await t.ctx.portals.upsertInstalled({ memberId: 'another-member', domain: portal.domain, protocol: 'http' });
    const record = { manifestVersion: 1, smartProcesses: { orders: { typeId: 2, entityTypeId: 1032, categoryId: 5, title: 'Заказы', stages: {}, fields: {} } }, placements: [{ key: 'orderTab', placement: 'CRM_DYNAMIC_1032_DETAIL_TAB', handler: 'h' }], robots: [{ code: 'dh_x', fingerprint: 'f', entityTypeIds: [1032] }], events: [{ event: 'ONAPPUPDATE', handler: 'h' }] };
    await t.ctx.portals.patchSettings(other.id, { installer: record, unrelated: { keep: true } });
    await t.ctx.portals.setVersions(other.id, { manifestVersion: 1 });
    for (const hook of t.ctx.hooks.portalUninstalled) await hook(other, false);
    const after = (await t.ctx.portals.findById(other.id))!;
    expect(after.settings.unrelated).toEqual({ keep: true });
    expect(readRecord(after.settings)).toMatchObject({ manifestVersion: null, placements: [], robots: [], events: [], smartProcesses: { orders: { typeId: 2 } } });
    expect(after.settings.installer).toHaveProperty('uninstalledAt');
    expect(after.manifestVersion).toBeNull();
  });
});
