import { afterEach, describe, expect, it } from 'vitest';
import { B24Error, createMemoryRateLimiter, createPortalClient } from '../../server/bitrix24/index.js';
import type { PortalsRepository } from '../../server/modules/portals/portals.repository.js';
import { createMariaDbDatabase, type TestDatabase } from '../support/databases.js';
import { createTenant, issuedAccessTokens, redisLimiter, startPortalWithApp, uniquePrefix, type AppOnPortal, type Tenant } from './b24-client.setup.js';

/**
 * Token refresh (settings/oauth/auto-renewal.md): only after 401 expired_token, once for every waiting call — in one
 * process and across instances sharing Redis — with the rotated pair stored before use, and a refused refresh turning
 * the tenant into 'reinstall_required'.
 */
const FAST = { burst: 500, drainPerSecond: 200 };
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function portalWithApp(): Promise<AppOnPortal> {
  const app = await startPortalWithApp({ rateLimit: FAST });
  cleanup.push(() => app.close());
  return app;
}

/** Records, in one sequence, when new tokens were stored and which token each user.current call arrived with. */
function traceTokens(app: AppOnPortal, portals: PortalsRepository) {
  let seq = 0;
  const saves: Array<{ seq: number; accessToken: string }> = [];
  const uses: Array<{ seq: number; accessToken: string | null }> = [];
  const def = app.sandbox.registry.get('user.current')!;
  const original = def.handler;
  def.handler = (call) => {
    uses.push({ seq: seq++, accessToken: call.auth.accessToken });
    return original(call);
  };
  cleanup.push(async () => {
    def.handler = original;
  });
  const traced: PortalsRepository = {
    ...portals,
    async saveTokens(portalId, tokens) {
      await portals.saveTokens(portalId, tokens);
      saves.push({ seq: seq++, accessToken: tokens.accessToken });
    },
  };
  return { saves, uses, portals: traced };
}

describe('token refresh', () => {
  it('when 100 concurrent calls meet an expired token, then the OAuth server sees exactly one refresh, all 100 succeed, and the new pair is stored before its first use', async () => {
    const app = await portalWithApp();
    const tenant: Tenant = await createTenant(app, { limiter: createMemoryRateLimiter(FAST) });
    cleanup.push(() => tenant.close());
    const trace = traceTokens(app, tenant.t.ctx.portals);
    const client = createPortalClient({ portals: trace.portals, config: tenant.t.ctx.config, logger: tenant.t.ctx.logger, limiter: createMemoryRateLimiter(FAST), portalId: tenant.portalId });

    await client.call('user.current'); // tokens loaded and valid
    app.sandbox.faults.expireAllTokens();
    const issuedBefore = issuedAccessTokens(app.sandbox);

    const results = await Promise.allSettled(Array.from({ length: 100 }, () => client.call<{ ID: number }>('user.current')));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(issuedAccessTokens(app.sandbox) - issuedBefore).toBe(1);
    expect(client.stats().refreshes).toBe(1);
    expect(trace.saves).toHaveLength(1);
    const fresh = trace.saves[0]!;
    const firstUse = trace.uses.find((u) => u.accessToken === fresh.accessToken)!;
    expect(firstUse.seq).toBeGreaterThan(fresh.seq);
    expect(trace.uses.filter((u) => u.accessToken === fresh.accessToken).length).toBeGreaterThanOrEqual(100);
    const stored = await tenant.t.ctx.portals.getTokens(tenant.portalId);
    expect(stored!.accessToken).toBe(fresh.accessToken);
    expect(app.sandbox.store.refreshTokens.get(stored!.refreshToken)).toBeDefined(); // the rotated refresh token is the live one
    expect(tenant.t.logs.text).not.toContain(fresh.accessToken);
    expect(tenant.t.logs.text).not.toContain(stored!.refreshToken);
  });

  it('when the token has not expired, then no refresh happens however many calls are made', async () => {
    const app = await portalWithApp();
    const tenant = await createTenant(app, { limiter: createMemoryRateLimiter(FAST) });
    cleanup.push(() => tenant.close());
    const client = tenant.client();
    const issuedBefore = issuedAccessTokens(app.sandbox);
    await Promise.all(Array.from({ length: 30 }, () => client.call('profile')));
    expect(issuedAccessTokens(app.sandbox)).toBe(issuedBefore);
    expect(client.stats().refreshes).toBe(0);
  });

  it('when two app instances share Redis and one database and both meet the expired token at once, then there is still exactly one refresh', async () => {
    const app = await portalWithApp();
    const db: TestDatabase = await createMariaDbDatabase();
    cleanup.push(() => db.drop());
    const keyPrefix = uniquePrefix();
    const limiterA = redisLimiter(keyPrefix, FAST);
    const limiterB = redisLimiter(keyPrefix, FAST);
    cleanup.push(() => limiterA.close(), () => limiterB.close());
    const a = await createTenant(app, { databaseUrl: db.url, limiter: limiterA });
    cleanup.push(() => a.close());
    const b = await createTenant(app, { databaseUrl: db.url, limiter: limiterB, register: false });
    cleanup.push(() => b.close());
    expect(b.portalId).toBe(a.portalId);
    const clientA = a.client();
    const clientB = b.client();
    await Promise.all([clientA.call('user.current'), clientB.call('user.current')]);

    app.sandbox.faults.expireAllTokens();
    const issuedBefore = issuedAccessTokens(app.sandbox);
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, () => clientA.call('user.current')),
      ...Array.from({ length: 50 }, () => clientB.call('user.current')),
    ]);

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(issuedAccessTokens(app.sandbox) - issuedBefore).toBe(1);
    expect(clientA.stats().refreshes + clientB.stats().refreshes).toBe(1);
    const storedA = await a.t.ctx.portals.getTokens(a.portalId);
    const storedB = await b.t.ctx.portals.getTokens(b.portalId);
    expect(storedA!.accessToken).toBe(storedB!.accessToken);
    expect(app.sandbox.store.refreshTokens.get(storedA!.refreshToken)).toBeDefined();
    expect((await a.t.ctx.portals.findById(a.portalId))!.status).toBe('installed');
  });

  it('when the refresh token was revoked, then the tenant becomes reinstall_required with a clear error, and later calls fail fast without a request', async () => {
    const app = await portalWithApp();
    const tenant = await createTenant(app, { limiter: createMemoryRateLimiter(FAST) });
    cleanup.push(() => tenant.close());
    const client = tenant.client();
    await client.call('user.current');
    app.sandbox.store.refreshTokens.delete(app.refreshToken); // revoked on the portal side
    app.sandbox.faults.expireAllTokens();

    const err = await client.call('crm.item.list', { entityTypeId: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B24Error);
    expect(err).toMatchObject({ kind: 'reinstall_required', code: 'invalid_grant', isRetryable: false, portalId: tenant.portalId });
    expect((err as B24Error).message).toMatch(/reinstall/);
    expect((await tenant.t.ctx.portals.findById(tenant.portalId))!.status).toBe('reinstall_required');

    const hits = client.stats().hits;
    await expect(client.call('user.current')).rejects.toMatchObject({ kind: 'reinstall_required', code: 'REINSTALL_REQUIRED' });
    await expect(tenant.client().call('profile')).rejects.toMatchObject({ kind: 'reinstall_required' });
    expect(client.stats().hits).toBe(hits);
  });
});
