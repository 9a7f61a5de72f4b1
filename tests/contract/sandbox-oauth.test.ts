import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshOAuthToken, tokenUrl } from '../../server/bitrix24/oauth-server.js';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { startReceiver, type Receiver } from '../../sandbox/testing/receiver.js';
import { restCall } from '../../sandbox/testing/rest-call.js';

/** The sandbox's OAuth server and the application lifecycle (install page, ONAPPINSTALL, update, uninstall). */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal);
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});

const tokenEndpoint = () => `${portal.url}/oauth-server/oauth/token/`;
const form = (data: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(data).toString(),
});

describe('token endpoint (settings/oauth/auto-renewal.md)', () => {
  it('when the product derives the token URL from SERVER_ENDPOINT, then it is the sandbox token endpoint', () => {
    expect(portal.serverEndpoint).toBe(`${portal.url}/oauth-server/rest/`);
    expect(tokenUrl(portal.serverEndpoint)).toBe(tokenEndpoint());
  });

  it('when a refresh token is posted, then a rotated pair comes back with every documented field, and the old one is spent', async () => {
    const pair = portal.issueTokens(1, app.clientId);
    const res = await fetch(tokenEndpoint(), form({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: pair.refreshToken }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'client_endpoint', 'domain', 'expires', 'expires_in', 'member_id', 'refresh_token', 'scope', 'server_endpoint', 'status', 'user_id'].sort());
    expect(body).toMatchObject({ client_endpoint: portal.clientEndpoint, server_endpoint: portal.serverEndpoint, member_id: portal.memberId, user_id: 1, status: 'L', expires_in: 3600, domain: portal.domain });
    expect(body.refresh_token).not.toBe(pair.refreshToken);
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: body.access_token as string })).status).toBe(200);
    const again = await fetch(tokenEndpoint(), form({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: pair.refreshToken }));
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
  });

  it('when the refresh is a GET with the query string (as the docs show), then it works too', async () => {
    const pair = portal.issueTokens(1, app.clientId);
    const qs = new URLSearchParams({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: pair.refreshToken });
    const res = await fetch(`${tokenEndpoint()}?${qs}`);
    expect(res.status).toBe(200);
  });

  it("when the product's refresh client talks to the sandbox, then member_id and client_endpoint vouch for the portal", async () => {
    const pair = portal.issueTokens(1, app.clientId);
    const answer = await refreshOAuthToken({ serverEndpoint: portal.serverEndpoint, clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: pair.refreshToken });
    expect(answer.member_id).toBe(portal.memberId);
    expect(new URL(answer.client_endpoint).host).toBe(portal.domain);
  });

  it('when the client secret is wrong, then 401 invalid_client; an unknown grant type is invalid_request', async () => {
    const pair = portal.issueTokens(1, app.clientId);
    const bad = await fetch(tokenEndpoint(), form({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: 'nope', refresh_token: pair.refreshToken }));
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_client');
    const odd = await fetch(tokenEndpoint(), form({ grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret }));
    expect(((await odd.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('when token lifetime is shortened, then tokens expire after it and a refresh brings a working token back', async () => {
    portal.faults.setTokenLifetime(5);
    const pair = portal.issueTokens(1, app.clientId);
    expect(pair.expiresIn).toBe(5);
    portal.clock.advance(6000);
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: pair.accessToken })).body.error).toBe('expired_token');
    const res = await fetch(tokenEndpoint(), form({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: pair.refreshToken }));
    const body = (await res.json()) as { access_token: string };
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: body.access_token })).status).toBe(200);
    portal.faults.setTokenLifetime(3600);
  });

  it('when the OAuth server is asked app.info for a token it issued, then it vouches for app, user and portal', async () => {
    const pair = portal.issueTokens(2, app.clientId);
    const res = await fetch(`${portal.serverEndpoint}app.info?auth=${pair.accessToken}`);
    expect(await res.json()).toMatchObject({ result: { client_id: app.clientId, user_id: 2, member_id: portal.memberId, install: true, status: 'L' } });
    expect((await fetch(`${portal.serverEndpoint}app.info?auth=nope`)).status).toBe(401);
  });
});

describe('authorization code flow (settings/oauth/index.md)', () => {
  it('when a user who is signed in opens /oauth/authorize/, then they come back with a 30-second one-time code', async () => {
    const manager = portal.users.managers[0] as number;
    const res = await fetch(`${portal.url}/oauth/authorize/?client_id=${app.clientId}&state=xyz`, {
      redirect: 'manual',
      headers: { Cookie: `b24sandbox_user=${manager}` },
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(`${app.receiver.url}/app`);
    const params = Object.fromEntries(location.searchParams);
    expect(Object.keys(params).sort()).toEqual(['code', 'domain', 'member_id', 'scope', 'server_domain', 'state']);
    expect(params).toMatchObject({ state: 'xyz', domain: portal.domain, member_id: portal.memberId });
    const exchange = () =>
      fetch(`${tokenEndpoint()}?${new URLSearchParams({ grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code: params.code as string })}`);
    const tokens = (await (await exchange()).json()) as { access_token: string; refresh_token: string };
    const me = await restCall(portal.clientEndpoint, 'user.current', { auth: tokens.access_token });
    expect((me.body.result as { ID: string }).ID).toBe(String(manager));
    expect(((await (await exchange()).json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('when the code is older than 30 seconds, then invalid_grant', async () => {
    const res = await fetch(`${portal.url}/oauth/authorize/?client_id=${app.clientId}`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
    portal.clock.advance(31_000);
    const late = await fetch(`${tokenEndpoint()}?${new URLSearchParams({ grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code })}`);
    expect(late.status).toBe(400);
  });

  it('when the app is not installed, then the portal shows an error page instead of redirecting', async () => {
    const res = await fetch(`${portal.url}/oauth/authorize/?client_id=local.unknown`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });
});

describe('application lifecycle (settings/app-installation, common/events/on-app-*)', () => {
  let receiver: Receiver;
  let clientId: string;
  beforeAll(async () => {
    receiver = await startReceiver();
    clientId = 'local.lifecycle.0001';
    portal.registerApp({ clientId, clientSecret: 'lifecycle-secret', appUrl: `${receiver.url}/app`, installUrl: `${receiver.url}/install`, installEventHandlerUrl: `${receiver.url}/events`, scope: ['crm', 'placement', 'bizproc'], version: 3 });
  });
  afterAll(() => receiver.close());

  it('when an admin installs the app, then the install page gets the query/body split and ONAPPINSTALL carries refresh_token and application_token', async () => {
    const result = await portal.install({ clientId });
    expect(result.page.status).toBe(200);
    const page = await receiver.waitFor((r) => r.path === '/install');
    expect(Object.keys(page.query).sort()).toEqual(['APP_SID', 'DOMAIN', 'LANG', 'PROTOCOL']);
    expect(page.query).toMatchObject({ DOMAIN: portal.domain, PROTOCOL: '0', LANG: 'ru' });
    expect(page.body).toMatchObject({ AUTH_EXPIRES: '3600', SERVER_ENDPOINT: portal.serverEndpoint, APPLICATION_TOKEN: result.applicationToken, APPLICATION_SCOPE: 'crm,placement,bizproc', member_id: portal.memberId, status: 'L', PLACEMENT: 'DEFAULT' });
    expect(page.body.AUTH_ID).toBeTruthy();
    expect(page.body.REFRESH_ID).toBeTruthy();
    const event = await receiver.waitFor((r) => r.path === '/events' && r.body.event === 'ONAPPINSTALL');
    expect(event.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(event.body.data).toEqual({ VERSION: '3', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' });
    expect(Object.keys(event.body.auth as object).sort()).toEqual(
      ['access_token', 'application_token', 'client_endpoint', 'domain', 'expires_in', 'member_id', 'refresh_token', 'scope', 'server_endpoint', 'status'].sort(),
    );
    expect((event.body.auth as Record<string, string>).application_token).toBe(result.applicationToken);
    // The page and the event carry separate pairs, so refreshing one does not spend the other.
    expect((event.body.auth as Record<string, string>).refresh_token).not.toBe(page.body.REFRESH_ID);
  });

  it('when installFinish has not been called, then app.info says INSTALLED false; after it, true', async () => {
    const t = portal.issueTokens(1, clientId);
    expect(((await restCall(portal.clientEndpoint, 'app.info', { auth: t.accessToken })).body.result as { INSTALLED: boolean }).INSTALLED).toBe(false);
    portal.markInstallFinished(clientId);
    expect(((await restCall(portal.clientEndpoint, 'app.info', { auth: t.accessToken })).body.result as { INSTALLED: boolean }).INSTALLED).toBe(true);
  });

  it('when the app is updated, then ONAPPUPDATE carries VERSION and PREVIOUS_VERSION with fresh tokens', async () => {
    await portal.update(4, { clientId });
    const event = await receiver.waitFor((r) => r.body.event === 'ONAPPUPDATE');
    expect(event.body.data).toEqual({ VERSION: '4', PREVIOUS_VERSION: '3', LANGUAGE_ID: 'ru' });
    expect((event.body.auth as Record<string, string>).access_token).toBeTruthy();
  });

  it('when the app is removed with clean, then ONAPPUNINSTALL carries CLEAN=1 and no tokens, and everything the app registered is gone', async () => {
    const t = portal.issueTokens(1, clientId);
    await restCall(portal.clientEndpoint, 'placement.bind', { auth: t.accessToken, PLACEMENT: 'CRM_COMPANY_DETAIL_TAB', HANDLER: `${receiver.url}/tab` });
    await restCall(portal.clientEndpoint, 'event.bind', { auth: t.accessToken, event: 'ONAPPUNINSTALL', handler: `${receiver.url}/uninstall` });
    expect(portal.store.placements.filter((p) => p.clientId === clientId)).toHaveLength(1);
    await portal.uninstall({ clientId, clean: true });
    const event = await receiver.waitFor((r) => r.path === '/uninstall');
    expect(event.body.data).toEqual({ LANGUAGE_ID: 'ru', CLEAN: '1' });
    expect(Object.keys(event.body.auth as object).sort()).toEqual(['application_token', 'client_endpoint', 'domain', 'member_id', 'server_endpoint']);
    expect(portal.store.placements.filter((p) => p.clientId === clientId)).toHaveLength(0);
    expect(portal.store.eventBindings.filter((b) => b.clientId === clientId)).toHaveLength(0);
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: t.accessToken })).body.error).toBe('invalid_token');
  });
});
