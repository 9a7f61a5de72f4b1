import { afterEach, describe, expect, it } from 'vitest';
import { B24Error, createMemoryRateLimiter, createPortalClient, type B24Client, type RateLimiter } from '../../../server/bitrix24/index.js';
import { createTestContext, type TestContext } from '../../support/context.js';
import { startScriptedPortal, type ScriptedAnswer, type ScriptedPortal, type ScriptedRequest } from './scripted-portal.js';

/**
 * The client's retry decisions on the wire, with a scripted portal that gives exactly one bad answer where needed.
 * Everything else is real: the SDK transport, axios, the tenant store (SQLite), the limiter.
 */
const ok = (result: unknown, extra: Record<string, unknown> = {}): ScriptedAnswer => ({ body: { result, time: { duration: 0.01, operating: 0.01, operating_reset_at: Math.floor(Date.now() / 1000) + 600 }, ...extra } });
const err = (status: number, error: string, description = ''): ScriptedAnswer => ({ status, body: { error, error_description: description } });

let portal: ScriptedPortal | undefined;
let t: TestContext | undefined;
afterEach(async () => {
  await portal?.close();
  await t?.close();
  portal = undefined;
  t = undefined;
});

async function clientFor(answer: (req: ScriptedRequest, n: number) => ScriptedAnswer | Promise<ScriptedAnswer>, opts: { timeoutMs?: number; limiter?: RateLimiter } = {}): Promise<B24Client> {
  portal = await startScriptedPortal(answer);
  t = await createTestContext({ B24_OAUTH_SERVERS: `${portal.url}/rest/` });
  const { portal: row } = await t.ctx.portals.upsertInstalled({
    memberId: 'scripted-member',
    domain: `127.0.0.1:${portal.port}`,
    protocol: 'http',
    clientEndpoint: `${portal.url}/rest/`,
    serverEndpoint: `${portal.url}/rest/`,
    tokens: { accessToken: 'access-token-1', refreshToken: 'refresh-token-1', expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return createPortalClient({
    portals: t.ctx.portals,
    config: t.ctx.config,
    logger: t.ctx.logger,
    limiter: opts.limiter ?? createMemoryRateLimiter({ burst: 50, drainPerSecond: 50 }),
    portalId: row.id,
    timeoutMs: opts.timeoutMs,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
}

const calls = (method: string) => portal!.requests.filter((r) => r.method === method);

describe('ambiguous writes are never resent blindly', () => {
  it('when crm.item.add gets a 500 after it was sent, then it is sent once and fails as ambiguous with its params', async () => {
    const client = await clientFor((r) => (r.method === 'crm.item.add' ? err(500, 'INTERNAL_SERVER_ERROR', 'Internal error') : ok(true)));
    const params = { entityTypeId: 1030, fields: { title: 'Order 1', xmlId: 'ORD-1' } };
    const e = await client.call('crm.item.add', params).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(B24Error);
    expect(e).toMatchObject({ kind: 'ambiguous', code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, method: 'crm.item.add', isRetryable: false });
    expect((e as B24Error).params).toEqual(params);
    expect(calls('crm.item.add')).toHaveLength(1);
    expect(client.stats().ambiguous).toBe(1);
  });

  it('when an answer times out for a create, then it is ambiguous and not resent; for a read it is resent', async () => {
    const client = await clientFor((r, n) => (n === 1 ? { ...ok({ id: 1 }), delayMs: 400 } : ok({ item: { id: 1 } })), { timeoutMs: 150 });
    await expect(client.call('im.notify.system.add', { USER_ID: 1, MESSAGE: 'hi' })).rejects.toMatchObject({ kind: 'ambiguous', code: 'REQUEST_TIMEOUT' });
    expect(calls('im.notify.system.add')).toHaveLength(1);
    await expect(client.call('crm.item.get', { entityTypeId: 1030, id: 1 })).resolves.toEqual({ item: { id: 1 } });
    expect(calls('crm.item.get')).toHaveLength(2);
  });

  it('when the connection drops after a bizproc.event.send, then it is ambiguous and sent once', async () => {
    const client = await clientFor((r) => (r.method === 'bizproc.event.send' ? { destroy: true } : ok(true)));
    await expect(client.call('bizproc.event.send', { EVENT_TOKEN: 'e1', RETURN_VALUES: {} })).rejects.toMatchObject({ kind: 'ambiguous' });
    expect(calls('bizproc.event.send')).toHaveLength(1);
  });

  it('when callIdempotent meets a 500 and the lookup finds the object, then it returns it without a second create', async () => {
    const created: string[] = [];
    const client = await clientFor((r) => {
      if (r.method === 'crm.item.add') {
        created.push(String((r.body.fields as { xmlId: string }).xmlId));
        return err(502, '');
      }
      return ok(true);
    });
    const item = await client.callIdempotent('crm.item.add', { entityTypeId: 1030, fields: { xmlId: 'ORD-2' } }, async () =>
      created.includes('ORD-2') ? { item: { id: 77, xmlId: 'ORD-2' } } : null,
    );
    expect(item).toEqual({ item: { id: 77, xmlId: 'ORD-2' } });
    expect(created).toEqual(['ORD-2']);
  });

  it('when callIdempotent meets a 500 before the write was applied, then the lookup finds nothing and the create is sent again once', async () => {
    const created: string[] = [];
    const client = await clientFor((r, n) => {
      if (r.method !== 'crm.item.add') return ok(true);
      if (n === 1) return err(503, ''); // refused by a proxy before it reached the portal; the client cannot know that
      created.push('ORD-3');
      return ok({ item: { id: 5 } });
    });
    let lookups = 0;
    const item = await client.callIdempotent('crm.item.add', { entityTypeId: 1030, fields: { xmlId: 'ORD-3' } }, async () => {
      lookups += 1;
      return created.includes('ORD-3') ? { item: { id: 5 } } : null;
    });
    expect(item).toEqual({ item: { id: 5 } });
    expect(lookups).toBe(1);
    expect(created).toEqual(['ORD-3']);
    expect(calls('crm.item.add')).toHaveLength(2);
  });
});

describe('refused requests are resent', () => {
  it('when the portal answers QUERY_LIMIT_EXCEEDED to a create, then it is resent (refused before processing) and the caller never sees the error', async () => {
    const client = await clientFor((r, n) => (n <= 2 ? err(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests') : ok({ item: { id: 9 } })));
    await expect(client.call('crm.item.add', { entityTypeId: 1030, fields: {} })).resolves.toEqual({ item: { id: 9 } });
    expect(calls('crm.item.add')).toHaveLength(3);
    expect(client.stats()).toMatchObject({ limitErrors: 2, retries: 2 });
  });

  it('when a read gets a 500, then it is resent and succeeds', async () => {
    const client = await clientFor((r, n) => (n === 1 ? err(500, 'INTERNAL_SERVER_ERROR') : ok({ ID: 1 })));
    await expect(client.call('user.current')).resolves.toEqual({ ID: 1 });
    expect(calls('user.current')).toHaveLength(2);
  });

  it('when OPERATION_TIME_LIMIT comes back, then the method waits until its reset before the next attempt', async () => {
    const resetAt = Date.now() / 1000 + 1.2;
    const client = await clientFor((r, n) => (n === 1 ? { status: 429, body: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.', time: { operating_reset_at: resetAt } } } : ok({ items: [] })));
    const t0 = Date.now();
    await client.call('crm.item.list', { entityTypeId: 1030 });
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt * 1000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(client.stats().operatingBlocks).toBe(1);
  });

  it('when the portal refuses with a method error (even on HTTP 200), then it is thrown at once, classified, not resent', async () => {
    const client = await clientFor(() => err(200, 'ERROR_ARGUMENT', 'Handler is not valid'));
    await expect(client.call('placement.bind', { PLACEMENT: 'X', HANDLER: 'bad' })).rejects.toMatchObject({ kind: 'invalid_request', code: 'ERROR_ARGUMENT', httpStatus: 200 });
    expect(calls('placement.bind')).toHaveLength(1);
  });
});

describe('when the shared limiter is down', () => {
  it('when Redis (the limiter) fails, then nothing is sent and a retryable LIMITER_UNAVAILABLE error comes back', async () => {
    const broken: RateLimiter = { acquire: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) };
    const client = await clientFor(() => ok(true), { limiter: broken });
    await expect(client.call('crm.item.add', { fields: {} })).rejects.toMatchObject({ code: 'LIMITER_UNAVAILABLE', kind: 'network', isRetryable: true });
    expect(portal!.requests).toHaveLength(0);
  });
});

describe('what goes out and what is logged', () => {
  it('when calls are made, then the token travels in the body, the URL is /rest/<method>, and the debug log has method, duration and portal but no token', async () => {
    const client = await clientFor(() => ok({ ID: 1 }, { total: 3, next: 50 }));
    const env = await client.callRaw('user.get', { FILTER: { ACTIVE: true } });
    expect(env).toMatchObject({ result: { ID: 1 }, total: 3, next: 50 });
    expect(portal!.requests[0]!.url).toMatch(/^\/rest\/user\.get\?/);
    expect(portal!.requests[0]!.body).toEqual({ FILTER: { ACTIVE: true }, auth: 'access-token-1' });
    const line = t!.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'b24 call');
    expect(line).toMatchObject({ level: 20, method: 'user.get', ok: true, portalId: expect.any(Number), durationMs: expect.any(Number) });
    expect(t!.logs.text).not.toContain('access-token-1');
    expect(t!.logs.text).not.toContain('refresh-token-1');
  });
});

/** Parses the SDK's batch rows ("method?a=1&fields%5BxmlId%5D=X") the way the portal's parse_str does (flat keys). */
function batchRows(body: Record<string, unknown>): Array<{ key: string; method: string; query: URLSearchParams }> {
  const cmd = body.cmd as string[] | Record<string, string>;
  const entries = Array.isArray(cmd) ? cmd.map((row, i) => [String(i), row] as const) : Object.entries(cmd);
  return entries.map(([key, row]) => {
    const [method, qs = ''] = row.split('?');
    return { key, method: method!, query: new URLSearchParams(qs) };
  });
}

describe('callMany', () => {
  it('when 120 calls are made, then they go in 3 batches, come back in order, and a failing call is reported alone', async () => {
    const client = await clientFor((r) => {
      const rows = batchRows(r.body);
      const result: Record<string, unknown> = {};
      const errors: Record<string, unknown> = {};
      for (const row of rows) {
        const n = Number(row.query.get('n'));
        if (n === 77) errors[row.key] = { error: 'INVALID_ARG_VALUE', error_description: 'n 77 is not allowed' };
        else result[row.key] = { echo: n };
      }
      return ok({ result, result_error: errors, result_total: [], result_next: [], result_time: [] });
    });
    const out = await client.callMany(Array.from({ length: 120 }, (_, n) => ({ method: 'crm.item.update', params: { n } })));
    expect(portal!.requests.map((r) => batchRows(r.body).length).sort((a, b) => b - a)).toEqual([50, 50, 20]);
    expect(out).toHaveLength(120);
    out.forEach((o, n) => {
      if (n === 77) expect(o).toMatchObject({ ok: false, error: { code: 'INVALID_ARG_VALUE', kind: 'invalid_request' } });
      else expect(o).toEqual({ ok: true, result: { echo: n } });
    });
  });

  it('when a batch of creates is answered 500 after half of it was applied, then one lookup finds that half and only the rest is resent', async () => {
    const created: string[] = [];
    let batchNo = 0;
    const client = await clientFor((r) => {
      if (r.method === 'batch') {
        batchNo += 1;
        const rows = batchRows(r.body);
        const result: Record<string, unknown> = {};
        rows.forEach((row, i) => {
          if (batchNo === 1 && i >= rows.length / 2) return; // the portal failed midway through the first batch
          const xmlId = row.query.get('fields[xmlId]')!;
          created.push(xmlId);
          result[row.key] = { item: { id: created.length, xmlId } };
        });
        if (batchNo === 1) return err(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
        return ok({ result, result_error: [], result_total: [], result_next: [], result_time: [] });
      }
      return ok(true);
    });
    const calls = Array.from({ length: 10 }, (_, i) => ({ method: 'crm.item.add', params: { entityTypeId: 1030, fields: { xmlId: `X-${i}` } } }));
    const lookups: number[][] = [];
    const out = await client.callMany<{ item: { id: number; xmlId: string } }>(calls, {
      lookup: async (items) => {
        lookups.push(items.map((it) => it.index));
        return items.map(({ call }) => {
          const xmlId = (call.params!.fields as { xmlId: string }).xmlId;
          const id = created.indexOf(xmlId);
          return id >= 0 ? { item: { id: id + 1, xmlId } } : null;
        });
      },
    });
    expect(lookups).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect([...created].sort()).toEqual(calls.map((c) => (c.params.fields as { xmlId: string }).xmlId).sort());
    expect(new Set(created).size).toBe(10);
    expect(out.map((o) => o.ok && o.result.item.xmlId)).toEqual(calls.map((c) => (c.params.fields as { xmlId: string }).xmlId));
    expect(out.slice(0, 5).every((o) => o.ok && o.recovered)).toBe(true);
    expect(out.slice(5).every((o) => o.ok && !o.recovered)).toBe(true);
  });

  it('when a batch of creates is ambiguous and no lookup is given, then each call fails as ambiguous with its own params', async () => {
    const client = await clientFor(() => err(504, ''));
    const out = await client.callMany([{ method: 'crm.item.add', params: { fields: { xmlId: 'A' } } }, { method: 'crm.item.add', params: { fields: { xmlId: 'B' } } }]);
    expect(out.map((o) => !o.ok && o.error.kind)).toEqual(['ambiguous', 'ambiguous']);
    expect(out.map((o) => !o.ok && o.error.params)).toEqual([{ fields: { xmlId: 'A' } }, { fields: { xmlId: 'B' } }]);
    expect(portal!.requests).toHaveLength(1);
  });
});
