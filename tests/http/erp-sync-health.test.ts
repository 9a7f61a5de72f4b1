import type { RequestHandler } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import type { SubmitOrder } from '../../server/erp/port.js';
import { createOutboxRepository, createSyncStateRepository, enqueueOutbox, syncHealthRoutes } from '../../server/erp/sync/index.js';
import { createJobQueue, type JobQueue } from '../../server/jobs/index.js';
import { withTransaction } from '../../server/jobs/sql.js';
import { createTestContext, type TestContext } from '../support/context.js';

/** The admin session check comes from the placements module later; here a header names the caller's portal. */
const testGuard: RequestHandler = (req, res, next) => {
  const portal = req.header('x-test-portal');
  if (portal) res.locals.portalId = Number(portal);
  next();
};

const order = (externalId: string): SubmitOrder => ({
  externalId,
  number: `DH-${externalId}`,
  currency: 'RUB',
  post: true,
  customerRef: { erpId: 'c-1' },
  lines: [{ productRef: { erpId: 'p-1' }, qty: '1', price: '10.00' }],
});

describe('sync health and outbox admin API', () => {
  let t: TestContext;
  let queue: JobQueue;
  let app: ReturnType<typeof createApp>;
  const now = new Date('2026-11-23T12:00:00.000Z');
  const outboxIds: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestContext({ LOG_LEVEL: 'silent' });
    queue = createJobQueue({ db: t.ctx.db, logger: t.ctx.logger });
    app = createApp(t.ctx, [(a, ctx) => a.use(syncHealthRoutes(ctx, { guard: testGuard, queue, now: () => now }))]);

    const runs = createSyncStateRepository(t.ctx.db);
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    // Portal 1: products ran fine 10 minutes ago; stock failed after an earlier success; prices is running now.
    const ok = await runs.startRun({ portalId: 1, entity: 'products', mode: 'delta', trigger: 'schedule' }, at(12));
    await runs.finishRun(ok, { status: 'ok', counts: { received: 5, updated: 2 }, startedAt: at(12) }, at(10));
    const stockOk = await runs.startRun({ portalId: 1, entity: 'stock', mode: 'delta', trigger: 'schedule' }, at(40));
    await runs.finishRun(stockOk, { status: 'ok', counts: { received: 100 }, startedAt: at(40) }, at(39));
    const stockBad = await runs.startRun({ portalId: 1, entity: 'stock', mode: 'delta', trigger: 'schedule' }, at(5));
    await runs.finishRun(stockBad, { status: 'failed', error: 'transient: 1C answered 503', startedAt: at(5) }, at(4));
    const prices = await runs.startRun({ portalId: 1, entity: 'prices', mode: 'full', trigger: 'manual' }, at(2));
    await runs.progress(prices, 250, 1000, at(0));
    // Portal 2 has a failing products sync; portal 1 must never see it.
    const other = await runs.startRun({ portalId: 2, entity: 'products', mode: 'full', trigger: 'schedule' }, at(3));
    await runs.finishRun(other, { status: 'failed', error: 'portal 2 secret error', startedAt: at(3) }, at(1));

    const repo = createOutboxRepository(t.ctx.db);
    for (const [key, portalId, state] of [['a', 1, 'dead'], ['b', 1, 'dead'], ['c', 1, 'posted'], ['d', 2, 'dead']] as const) {
      const { id } = await withTransaction(t.ctx.db, (tx) => enqueueOutbox(tx, { portalId, aggregate: 'order', aggregateId: `item-${key}`, externalId: `ext-${key}`, payload: order(key) }, { db: t.ctx.db, queue }));
      await repo.update(id, { state, lastError: state === 'dead' ? 'Недостаточно товара на складе' : null, lastErrorKind: state === 'dead' ? 'validation' : null, attempts: 3 }, now);
      outboxIds[key] = id;
    }
  });
  afterAll(() => t.close());

  it('when no admin session names a portal, then every endpoint answers 401', async () => {
    for (const [method, path] of [['get', '/api/admin/sync/health'], ['get', '/api/admin/outbox'], ['post', `/api/admin/outbox/${outboxIds.a}/requeue`], ['post', '/api/admin/sync/stock/run']] as const) {
      const res = await request(app)[method](path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('when health is asked, then each entity shows its last run, lag, errors and a running run with progress, for the caller portal only', async () => {
    const res = await request(app).get('/api/admin/sync/health').set('x-test-portal', '1');
    expect(res.status).toBe(200);
    const by = Object.fromEntries((res.body.entities as Array<{ entity: string }>).map((e) => [e.entity, e]));
    expect(by.products).toMatchObject({ status: 'ok', lagSeconds: 600, lastError: null, lastRun: { status: 'ok', durationMs: 120_000, counts: { received: 5, updated: 2 } } });
    expect(by.stock).toMatchObject({ status: 'failed', lastSuccessAt: '2026-11-23T11:21:00.000Z', lagSeconds: 39 * 60, lastError: { message: 'transient: 1C answered 503' } });
    expect(by.prices).toMatchObject({ status: 'running', running: { progress: { current: 250, total: 1000, percent: 25 } }, lastSuccessAt: null });
    expect(by.finance).toMatchObject({ status: 'never', lastRun: null });
    expect(res.body.outbox).toMatchObject({ dead: 2, posted: 1 });
    expect(JSON.stringify(res.body)).not.toContain('portal 2 secret error');
  });

  it('when the dead letter is listed, then rows are paged, filtered by state and scoped to the portal', async () => {
    const page1 = await request(app).get('/api/admin/outbox').query({ state: 'dead', limit: 1 }).set('x-test-portal', '1');
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({ state: 'dead', lastError: 'Недостаточно товара на складе', lastErrorKind: 'validation', aggregate: 'order', lines: 1 });
    const page2 = await request(app).get('/api/admin/outbox').query({ state: 'dead', limit: 1, offset: 1 }).set('x-test-portal', '1');
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    const all = await request(app).get('/api/admin/outbox').set('x-test-portal', '1');
    expect(all.body.items.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['ext-a', 'ext-b', 'ext-c']);
    const bad = await request(app).get('/api/admin/outbox').query({ state: 'lost', limit: 1000 }).set('x-test-portal', '1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'state']);
  });

  it('when a dead row is requeued, then it is pending with fresh attempts and a new delivery job; other cases answer 404/409/400', async () => {
    const res = await request(app).post(`/api/admin/outbox/${outboxIds.a}/requeue`).set('x-test-portal', '1');
    expect(res.status).toBe(200);
    expect(res.body.item).toMatchObject({ id: outboxIds.a, state: 'pending', attempts: 0, lastError: null });
    const stored = await createOutboxRepository(t.ctx.db).get(outboxIds.a!);
    const job = await queue.get(stored!.jobId!);
    expect(job).toMatchObject({ kind: 'erp.outbox.deliver', status: 'queued', portalId: 1, payload: { outboxId: outboxIds.a, generation: 1 } });

    expect((await request(app).post(`/api/admin/outbox/${outboxIds.a}/requeue`).set('x-test-portal', '1')).status).toBe(409);
    expect((await request(app).post(`/api/admin/outbox/${outboxIds.c}/requeue`).set('x-test-portal', '1')).body.error.code).toBe('CONFLICT');
    expect((await request(app).post(`/api/admin/outbox/${outboxIds.d}/requeue`).set('x-test-portal', '1')).status).toBe(404);
    expect((await request(app).post('/api/admin/outbox/999999/requeue').set('x-test-portal', '1')).status).toBe(404);
    expect((await request(app).post('/api/admin/outbox/abc/requeue').set('x-test-portal', '1')).status).toBe(400);
    expect((await createOutboxRepository(t.ctx.db).get(outboxIds.d!))?.state).toBe('dead');
  });

  it('when a sync is asked for, then one job per entity and minute is enqueued for the caller portal', async () => {
    const first = await request(app).post('/api/admin/sync/stock/run').set('x-test-portal', '1').send({ mode: 'delta' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ created: true, entity: 'stock', mode: 'delta' });
    const again = await request(app).post('/api/admin/sync/stock/run').set('x-test-portal', '1').send({ mode: 'delta' });
    expect(again.body).toMatchObject({ created: false, jobId: first.body.jobId });
    const full = await request(app).post('/api/admin/sync/catalog/run').set('x-test-portal', '1');
    expect(full.status).toBe(202);
    expect(full.body.mode).toBe('full');
    expect(await queue.get(first.body.jobId)).toMatchObject({ kind: 'erp.sync', portalId: 1, payload: { entity: 'stock', mode: 'delta', trigger: 'manual' } });
    const bad = await request(app).post('/api/admin/sync/everything/run').set('x-test-portal', '1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].message).toContain('expected one of');
  });

  it('when the run log is asked, then it is paged and filtered', async () => {
    const res = await request(app).get('/api/admin/sync/runs').query({ entity: 'stock', limit: 1 }).set('x-test-portal', '1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, limit: 1 });
    expect(res.body.items[0]).toMatchObject({ entity: 'stock', status: 'failed' });
  });
});
