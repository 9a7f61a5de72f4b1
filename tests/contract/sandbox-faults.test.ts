import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { restCall } from '../../sandbox/testing/rest-call.js';

/** Fault injection per test (portal.faults) and the /_sandbox control endpoints. */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;
const raw = (method: string, params: Record<string, unknown> = {}) => restCall(portal.webhookUrl, method, params);

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null, seedDemo: false });
  app = await installTestApp(portal);
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});
beforeEach(() => {
  portal.faults.reset();
  portal.faults.setRateLimit(null);
});

describe('portal.faults', () => {
  it('when a rate-limit storm of N calls is set, then exactly the next N calls answer 503 QUERY_LIMIT_EXCEEDED', async () => {
    portal.faults.rateLimitStorm({ calls: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await raw('server.time')).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
  });

  it('when a storm window is set, then calls inside it answer 503 and calls after it pass', async () => {
    portal.faults.rateLimitStorm({ forMs: 10_000 });
    expect((await raw('server.time')).body.error).toBe('QUERY_LIMIT_EXCEEDED');
    portal.clock.advance(10_001);
    expect((await raw('server.time')).status).toBe(200);
  });

  it('when the bucket is tightened, then the limit follows the new numbers', async () => {
    portal.clock.freeze();
    portal.faults.setRateLimit({ burst: 2, drainPerSecond: 1 });
    const statuses = [(await raw('profile')).status, (await raw('profile')).status, (await raw('profile')).status];
    expect(statuses).toEqual([200, 200, 503]);
    portal.clock.unfreeze();
  });

  it('when 5xx is injected for one method, then only that method fails, N times, with the given status and code', async () => {
    portal.faults.failNext(2, { method: 'crm.company.list', status: 502, code: 'ERROR_UNEXPECTED_ANSWER', description: 'Server returned an unexpected response' });
    expect((await raw('server.time')).status).toBe(200);
    expect(await raw('crm.company.list')).toEqual({ status: 502, body: { error: 'ERROR_UNEXPECTED_ANSWER', error_description: 'Server returned an unexpected response' } });
    expect((await raw('crm.company.list')).status).toBe(502);
    expect((await raw('crm.company.list')).status).toBe(200);
  });

  it('when 500 is injected for any method, then the next call answers INTERNAL_SERVER_ERROR; inside a batch it lands in result_error', async () => {
    portal.faults.failNext(1);
    expect(await raw('profile')).toEqual({ status: 500, body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' } });
    portal.faults.failNext(1, { method: 'profile' });
    const batch = await raw('batch', { cmd: { a: 'profile', b: 'server.time' } });
    expect(batch.status).toBe(200);
    expect((batch.body.result as { result_error: unknown }).result_error).toEqual({ a: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' } });
  });

  it('when answers are slowed, then they take at least the delay', async () => {
    portal.faults.slow(300, { method: 'server.time', calls: 1 });
    const t0 = Date.now();
    await raw('server.time');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const t1 = Date.now();
    await raw('server.time');
    expect(Date.now() - t1).toBeLessThan(250);
  });

  it('when all tokens are expired now, then they answer expired_token and still refresh', async () => {
    const pair = portal.issueTokens(1, app.clientId);
    portal.faults.expireAllTokens();
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: pair.accessToken })).body.error).toBe('expired_token');
    const res = await fetch(`${portal.url}/oauth-server/oauth/token/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: pair.refreshToken }),
    });
    expect(res.status).toBe(200);
  });

  it('when HTTPS is required, then the HTTP face answers 400 INVALID_REQUEST "Https required."', async () => {
    portal.faults.requireHttps(true);
    expect(await raw('profile')).toEqual({ status: 400, body: { error: 'INVALID_REQUEST', error_description: 'Https required.' } });
  });

  it('when the plan restricts smart processes, then creating them answers CREATE_DYNAMIC_TYPE_RESTRICTED', async () => {
    portal.faults.restrictPlan({ createDynamicType: true });
    expect((await raw('crm.type.add', { fields: { title: 'x' } })).body.error).toBe('CREATE_DYNAMIC_TYPE_RESTRICTED');
  });

  it('when reset, then every switch is back to normal', async () => {
    portal.faults.rateLimitStorm({ calls: 10 });
    portal.faults.failNext(10);
    portal.faults.reset();
    expect((await raw('server.time')).status).toBe(200);
  });
});

describe('/_sandbox control endpoints', () => {
  const control = (path: string, body?: unknown, secret = portal.controlSecret) =>
    fetch(`${portal.url}/_sandbox${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'X-Sandbox-Secret': secret, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('when the secret is missing or wrong, then 403 and nothing changes', async () => {
    expect((await control('/faults/rate-limit-storm', { calls: 5 }, 'wrong')).status).toBe(403);
    expect((await raw('server.time')).status).toBe(200);
  });

  it('when faults are switched over HTTP, then the portal answers accordingly', async () => {
    expect((await control('/faults/rate-limit-storm', { calls: 1 })).status).toBe(200);
    expect((await raw('server.time')).status).toBe(503);
    await control('/faults/fail-next', { calls: 1, status: 500 });
    expect((await raw('server.time')).status).toBe(500);
    const info = (await (await control('/info')).json()) as { result: { memberId: string; webhookUrl: string } };
    expect(info.result.memberId).toBe(portal.memberId);
    expect(info.result.webhookUrl).toBe(portal.webhookUrl);
  });

  it('when tokens are issued and the clock advanced over HTTP, then expiry follows the sandbox clock', async () => {
    const tokens = (await (await control('/tokens', { userId: 1, clientId: app.clientId })).json()) as { result: { accessToken: string } };
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: tokens.result.accessToken })).status).toBe(200);
    await control('/clock/advance', { ms: 3_600_001 });
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: tokens.result.accessToken })).body.error).toBe('expired_token');
  });

  it('when a table is read, then its rows come back as stored', async () => {
    const users = (await (await control('/store/users')).json()) as { result: { ID: number }[] };
    expect(users.result.map((u) => u.ID)).toEqual([1]);
  });
});
