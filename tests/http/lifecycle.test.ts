import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * The app lifecycle against the sandbox portal: install page POST + ONAPPINSTALL (tokens proven with the portal's
 * OAuth server), forged events refused with no effect, uninstall with and without clean-up, tokens never logged.
 */
describe('app lifecycle', () => {
  let portal: SandboxPortal;
  let t: TestContext;
  let server: Server;
  let appUrl: string;

  beforeAll(async () => {
    portal = await startSandboxPortal({ httpPort: 0, httpsPort: null, seedDemo: true });
    t = await createTestContext({
      B24_PORTAL_DOMAINS: portal.domain,
      B24_OAUTH_SERVERS: portal.serverEndpoint,
    });
    const app = createApp(t.ctx);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    portal.registerApp({
      clientId: t.ctx.config.app.clientId,
      clientSecret: t.ctx.config.app.clientSecret,
      appUrl: `${appUrl}/app`,
      installUrl: `${appUrl}/install`,
      installEventHandlerUrl: `${appUrl}/b24/events`,
      scope: ['crm', 'placement', 'bizproc', 'im', 'user', 'event'],
    });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.close();
    await portal.close();
  });

  const portalRow = () => t.ctx.portals.findByMemberId(portal.memberId);
  const waitFor = async (check: () => Promise<boolean>, ms = 5000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('condition not met in time');
  };

  it('when the portal installs the app, then the tenant is stored with sealed tokens and the install page is served', async () => {
    const result = await portal.install();
    expect(result.page.status).toBe(200);
    expect(result.page.body).toContain('DealerHub');
    await waitFor(async () => Boolean((await portalRow())?.hasApplicationToken));
    const stored = await portalRow();
    expect(stored).toMatchObject({ status: 'installed', domain: portal.domain, memberId: portal.memberId, protocol: 'http' });
    expect(stored!.clientEndpoint).toBe(portal.clientEndpoint);
    const tokens = await t.ctx.portals.getTokens(stored!.id);
    expect(tokens?.accessToken).toBeTruthy();
    expect(await t.ctx.portals.applicationTokenMatches(portal.memberId, result.applicationToken)).toBe(true);
  });

  it('when the same install arrives again, then it is idempotent: one tenant row, still installed', async () => {
    const before = await t.ctx.portals.list();
    await portal.install();
    await portal.install();
    const after = await t.ctx.portals.list();
    expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id));
    expect(after.filter((p) => p.memberId === portal.memberId)).toHaveLength(1);
    expect((await portalRow())?.status).toBe('installed');
  });

  it('when an install POST claims this member_id with tokens of nobody, then it is refused and nothing changes', async () => {
    const before = await portalRow();
    const res = await request(server)
      .post(`/install?DOMAIN=${portal.domain}&PROTOCOL=0&LANG=ru&APP_SID=x`)
      .type('form')
      .send({ AUTH_ID: 'forged', REFRESH_ID: 'forged-refresh', SERVER_ENDPOINT: portal.serverEndpoint, member_id: portal.memberId, APPLICATION_TOKEN: 'evil' });
    expect(res.status).toBe(403);
    expect(await portalRow()).toEqual(before);
    expect(await t.ctx.portals.applicationTokenMatches(portal.memberId, 'evil')).toBe(false);
  });

  it('when an install POST names a domain or OAuth server outside the allow-lists, then no request leaves and it is 403', async () => {
    const res = await request(server)
      .post('/install?DOMAIN=evil.example.com&PROTOCOL=1')
      .type('form')
      .send({ AUTH_ID: 'a', REFRESH_ID: 'r', SERVER_ENDPOINT: portal.serverEndpoint, member_id: 'x' });
    expect(res.status).toBe(403);
    const res2 = await request(server)
      .post(`/install?DOMAIN=${portal.domain}`)
      .type('form')
      .send({ AUTH_ID: 'a', REFRESH_ID: 'r', SERVER_ENDPOINT: 'https://oauth.evil.example/rest/', member_id: portal.memberId });
    expect(res2.status).toBe(403);
    expect(res2.body.error.message).toMatch(/SERVER_ENDPOINT/);
  });

  it('when an install POST misses required fields, then 400 names each field', async () => {
    const res = await request(server).post('/install?DOMAIN=x').type('form').send({ member_id: 'm' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['AUTH_ID', 'REFRESH_ID', 'SERVER_ENDPOINT']));
  });

  it('when a forged ONAPPUNINSTALL carries a wrong application_token, then 403 and the portal stays installed with its tokens', async () => {
    const before = await portalRow();
    const res = await request(server)
      .post('/b24/events')
      .type('form')
      .send({ event: 'ONAPPUNINSTALL', 'data[CLEAN]': '1', 'auth[domain]': portal.domain, 'auth[member_id]': portal.memberId, 'auth[application_token]': 'wrong-token' });
    expect(res.status).toBe(403);
    const after = await portalRow();
    expect(after).toEqual(before);
    expect(await t.ctx.portals.getTokens(after!.id)).not.toBeNull();
  });

  it('when any other event has a wrong token or an unknown portal, then it is 403 and no listener runs', async () => {
    let ran = 0;
    t.ctx.hooks.appEvent.set('ONCRMDYNAMICITEMUPDATE', [() => void ran++]);
    const bad = await request(server)
      .post('/b24/events')
      .type('form')
      .send({ event: 'ONCRMDYNAMICITEMUPDATE', 'data[FIELDS][ID]': '5', 'auth[domain]': portal.domain, 'auth[member_id]': portal.memberId, 'auth[application_token]': 'nope' });
    const unknown = await request(server)
      .post('/b24/events')
      .type('form')
      .send({ event: 'ONCRMDYNAMICITEMUPDATE', 'auth[domain]': 'x', 'auth[member_id]': 'unknown', 'auth[application_token]': 'nope' });
    expect([bad.status, unknown.status]).toEqual([403, 403]);
    expect(ran).toBe(0);
  });

  it('when tokens and requests are logged, then no token value appears in the captured log', async () => {
    const stored = await portalRow();
    const tokens = await t.ctx.portals.getTokens(stored!.id);
    const secrets = [tokens!.accessToken, tokens!.refreshToken, t.ctx.config.app.clientSecret];
    expect(t.logs.lines.length).toBeGreaterThan(5);
    for (const s of secrets) expect(t.logs.text).not.toContain(s);
  });

  it('when the real portal uninstalls without clean-up, then the tenant is marked uninstalled, tokens wiped, data kept', async () => {
    const stored = await portalRow();
    await t.ctx.audit.record({ portalId: stored!.id, actor: 'test', action: 'keep.me' });
    await portal.uninstall({ clean: false });
    await waitFor(async () => (await portalRow())?.status === 'uninstalled');
    expect(await t.ctx.portals.getTokens(stored!.id)).toBeNull();
    expect((await t.ctx.audit.listForPortal(stored!.id)).map((a) => a.action)).toContain('keep.me');
  });

  it('when the portal installs again and then uninstalls with clean-up, then its data is purged', async () => {
    await portal.install();
    await waitFor(async () => (await portalRow())?.status === 'installed' && Boolean((await portalRow())?.hasApplicationToken));
    const stored = await portalRow();
    await t.ctx.portals.patchSettings(stored!.id, { orders: { entityTypeId: 1038 } });
    await portal.uninstall({ clean: true });
    await waitFor(async () => (await portalRow())?.status === 'uninstalled');
    expect(await t.ctx.audit.listForPortal(stored!.id)).toEqual([]);
    expect((await portalRow())?.settings).toEqual({});
  });
});
