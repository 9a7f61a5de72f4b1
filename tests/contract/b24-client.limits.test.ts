import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { B24Error, createMemoryRateLimiter, type B24Call, type B24Client } from '../../server/bitrix24/index.js';
import { createTenant, startPortalWithApp, type AppOnPortal } from './b24-client.setup.js';

/**
 * Pacing and faults against the sandbox (limits.md): the portal's leaky bucket never refuses our client, a
 * rate-limit storm, 5xx and slow answers never make a write happen twice, and the operating-time limit is met by
 * pausing the method, not by collecting 429s.
 */
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(limit: { burst: number; drainPerSecond: number }) {
  const app: AppOnPortal = await startPortalWithApp({ rateLimit: limit });
  cleanup.push(() => app.close());
  const tenant = await createTenant(app, { limiter: createMemoryRateLimiter(limit) });
  cleanup.push(() => tenant.close());
  return { app, tenant, client: tenant.client() };
}

async function spaType(client: B24Client): Promise<number> {
  return (await client.call<{ type: { entityTypeId: number } }>('crm.type.add', { fields: { title: 'Заказы' } })).type.entityTypeId;
}

describe('pacing under the portal limit', () => {
  it('when a client without pacing fires 40 calls at a 10-burst bucket, then the sandbox refuses some (the limit is real)', async () => {
    const { app } = await setup({ burst: 10, drainPerSecond: 2 });
    const token = app.accessToken;
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => axios.post(`${app.sandbox.clientEndpoint}user.current`, { auth: token }, { validateStatus: () => true })),
    );
    const refused = answers.filter((a) => a.status === 503 && (a.data as { error?: string }).error === 'QUERY_LIMIT_EXCEEDED');
    expect(refused.length).toBeGreaterThanOrEqual(25);
  });

  it('when 200 quick calls go through the client at a time-compressed 10-burst / 20 per second bucket, then none fails and refusals stay rare', async () => {
    // 20/s, not faster: the sandbox shares this busy process's event loop, and every stall bunches rate × stall arrivals.
    const { client } = await setup({ burst: 10, drainPerSecond: 20 });
    // Warm-up: the first call builds the SDK client and opens connections; at this rate the compile pause of a cold process
    // (same event loop as the in-process sandbox) would bunch the first arrivals more than any network does at 2/s.
    await client.call('server.time');
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => client.call(i % 2 ? 'user.current' : 'server.time')));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // At 20/s a stall of this shared, busy test process (the sandbox runs on the same event loop) bunches arrivals
    // beyond any margin; the few refusals that causes are resent, never surfaced. An unpaced client gets most of its
    // 200 calls refused (first test). The strict "no refusal at all" check is the real 2/s test below.
    expect(client.stats().limitErrors).toBeLessThanOrEqual(20);
    expect(client.stats().hits).toBe(201 + client.stats().limitErrors);
  });

  it('when 200 calls (30 single, 170 packed) meet the real 2 per second bucket, then none is refused and the time is what the bucket allows', async () => {
    const { client, app } = await setup({ burst: 10, drainPerSecond: 2 });
    const eti = await spaType(client); // 1 hit
    const t0 = Date.now();
    const singles = Array.from({ length: 30 }, () => client.call('user.current'));
    const packed = client.callMany(Array.from({ length: 170 }, (_, i): B24Call => ({ method: 'crm.item.add', params: { entityTypeId: eti, fields: { title: `P${i}`, xmlId: `P-${i}` } } })));
    const [single, many] = await Promise.all([Promise.allSettled(singles), packed]);
    const seconds = (Date.now() - t0) / 1000;
    expect(single.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(many.filter((o) => !o.ok)).toEqual([]);
    expect(client.stats()).toMatchObject({ hits: 35, limitErrors: 0 });
    expect(app.sandbox.store.items.filter((i) => i.entityTypeId === eti)).toHaveLength(170);
    // 35 hits on a bucket of 10 at 2/s: the first 8 at once (2 slots kept for jitter), the other 27 at ~1.94/s ≈ 14 s.
    expect(seconds).toBeGreaterThan(12);
    expect(seconds).toBeLessThan(20);
  }, 40_000);

  it('when a rate-limit storm refuses the next 6 requests, then the client backs off, resends them, and the caller sees no error', async () => {
    const { client, app } = await setup({ burst: 100, drainPerSecond: 50 });
    app.sandbox.faults.rateLimitStorm({ calls: 6 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.call('profile')));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(client.stats().limitErrors).toBe(6);
  });
});

describe('writes under faults happen exactly once', () => {
  it('when creates meet a storm, 5xx on the batch and on single commands, and slow answers, then every order exists exactly once', async () => {
    const { client, app } = await setup({ burst: 100, drainPerSecond: 50 });
    const eti = await spaType(client);
    const xmlIds = Array.from({ length: 150 }, (_, i) => `ORD-${String(i).padStart(4, '0')}`);
    const calls: B24Call[] = xmlIds.map((xmlId) => ({ method: 'crm.item.add', params: { entityTypeId: eti, fields: { title: xmlId, xmlId } } }));

    app.sandbox.faults.rateLimitStorm({ calls: 3 });
    app.sandbox.faults.failNext(2, { method: 'batch', status: 500, code: 'INTERNAL_SERVER_ERROR' });
    app.sandbox.faults.failNext(4, { method: 'crm.item.add', status: 500, code: 'INTERNAL_SERVER_ERROR' });
    app.sandbox.faults.slow(300, { calls: 4 });

    // The caller's dedupe: one list request by external id for all calls whose outcome is unknown.
    let lookups = 0;
    const lookup = async (items: Array<{ call: B24Call }>) => {
      lookups += 1;
      const wanted = items.map((it) => (it.call.params!.fields as { xmlId: string }).xmlId);
      const found = await client.listAll<{ id: number; xmlId: string }>('crm.item.list', { entityTypeId: eti, filter: { '@xmlId': wanted }, select: ['id', 'xmlId'] });
      return wanted.map((x) => {
        const hit = found.find((f) => f.xmlId === x);
        return hit ? { item: hit } : null;
      });
    };
    const out = await client.callMany<{ item: { id: number; xmlId: string } }>(calls, { lookup });

    // Single writes with lookup-before-retry, through the same faults.
    app.sandbox.faults.failNext(1, { method: 'crm.timeline.comment.add', status: 502, code: '' });
    const firstOrder = out[0]!.ok ? out[0]!.result.item.id : 0;
    const commentId = await client.callIdempotent<number>(
      'crm.timeline.comment.add',
      { fields: { ENTITY_ID: firstOrder, ENTITY_TYPE: `dynamic_${eti}`, COMMENT: 'Принят в работу' } },
      async () => {
        const list = await client.listAll<{ ID: number; COMMENT: string }>('crm.timeline.comment.list', { filter: { ENTITY_ID: firstOrder, ENTITY_TYPE: `dynamic_${eti}` } });
        return list.find((c) => c.COMMENT === 'Принят в работу')?.ID ?? null;
      },
    );

    expect(out.filter((o) => !o.ok)).toEqual([]);
    expect(out.map((o) => o.ok && o.result.item.xmlId)).toEqual(xmlIds);
    const stored = app.sandbox.store.items.filter((i) => i.entityTypeId === eti).map((i) => String(i.fields.xmlId));
    expect(stored.sort()).toEqual([...xmlIds].sort()); // each exactly once
    expect(lookups).toBeGreaterThanOrEqual(1);
    expect(client.stats().ambiguous).toBeGreaterThanOrEqual(1);
    expect(client.stats().limitErrors).toBe(3);
    expect(Number(commentId)).toBeGreaterThan(0);
    expect(app.sandbox.store.timelineComments.filter((c) => c.entityId === firstOrder)).toHaveLength(1);
  }, 30_000);

  it('when a create is answered 500 and no lookup is offered, then it is not resent and the caller gets an ambiguous error to dedupe with', async () => {
    const { client, app } = await setup({ burst: 100, drainPerSecond: 50 });
    const eti = await spaType(client);
    app.sandbox.faults.failNext(1, { method: 'crm.item.add', status: 500 });
    const params = { entityTypeId: eti, fields: { title: 'X', xmlId: 'ORD-X' } };
    const err = await client.call('crm.item.add', params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B24Error);
    expect(err).toMatchObject({ kind: 'ambiguous', httpStatus: 500, method: 'crm.item.add', params });
    expect(client.stats().hits).toBe(2); // crm.type.add + the one create, no resend
  });
});

describe('operating-time limit', () => {
  it('when a method nears the limit, then the client pauses it before the portal answers 429, and says when to come back', async () => {
    const { tenant, app } = await setup({ burst: 100, drainPerSecond: 50 });
    // The client must know the portal's limit (480 s in the cloud); this portal is set to 10 s.
    const client = tenant.client({ operating: { limitSeconds: 10 } });
    app.sandbox.faults.setOperatingLimit(10);
    app.sandbox.faults.setOperatingCost('crm.item.list', 4);
    const eti = await spaType(client);
    await client.call('crm.item.list', { entityTypeId: eti }); // operating 4 s
    await client.call('crm.item.list', { entityTypeId: eti }); // 8 s: 80 % of the limit
    await client.call('crm.item.list', { entityTypeId: eti }); // 12 s: over the limit, the portal blocks the next call
    const hits = client.stats().hits;
    const err = await client.call('crm.item.list', { entityTypeId: eti }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'operation_time_limit', isRetryable: true });
    expect((err as B24Error).retryAt!).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(client.stats()).toMatchObject({ hits, operatingBlocks: 0 }); // nothing was sent, no 429 collected
    await expect(client.call('user.current')).resolves.toBeTruthy(); // other methods are not held
  });

  it('when a fresh instance meets a method the portal already blocks, then the 429 is classified and the client will not retry before the reset', async () => {
    const { app, tenant } = await setup({ burst: 100, drainPerSecond: 50 });
    app.sandbox.faults.setOperatingLimit(1);
    app.sandbox.faults.setOperatingCost('crm.type.list', 2);
    const first = tenant.client();
    await first.call('crm.type.list');
    const fresh = tenant.client({ limiter: createMemoryRateLimiter({ burst: 100, drainPerSecond: 50 }), retry: { maxOperatingWaitMs: 5_000 } });
    const err = await fresh.call('crm.type.list').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'operation_time_limit', code: 'OPERATION_TIME_LIMIT', httpStatus: 429, isRetryable: true });
    expect(fresh.stats()).toMatchObject({ operatingBlocks: 1, hits: 1 });
  });
});
