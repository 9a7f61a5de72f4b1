import { Router } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { AppError } from '../../server/http/app-error.js';
import { createTestContext, type TestContext } from '../support/context.js';

describe('HTTP basics', () => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await createTestContext({ BODY_LIMIT: '1kb' });
    app = createApp(t.ctx, [
      (a) => {
        const r = Router();
        r.get('/boom', () => {
          throw new Error('secret internal detail');
        });
        r.get('/conflict', () => {
          throw new AppError('CONFLICT', 'Order was changed by the manager', { details: { orderId: 7 } });
        });
        r.post('/echo', (req, res) => res.json({ got: req.body }));
        a.use(r);
      },
    ]);
  });
  afterAll(() => t.close());

  it('when /health is asked, then it answers 200 with db up and the version', async () => {
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', db: { up: true, dialect: 'sqlite' }, version: expect.any(String) });
  });

  it('when the database is gone, then /health answers 503 degraded', async () => {
    const t2 = await createTestContext();
    const app2 = createApp(t2.ctx);
    await t2.ctx.db.close();
    const res = await request(app2).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('degraded');
  });

  it('when a request carries a safe X-Request-Id, then it is echoed; otherwise one is generated', async () => {
    const given = await request(app).get('/health').set('X-Request-Id', 'abc-12345678');
    expect(given.headers['x-request-id']).toBe('abc-12345678');
    const injected = await request(app).get('/health').set('X-Request-Id', 'bad id; drop "table"');
    expect(injected.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a handler throws an unexpected error, then the answer is 500 without internals and the log has it', async () => {
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('secret internal detail');
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
    expect(t.logs.text).toContain('secret internal detail');
  });

  it('when a handler throws an AppError, then its code maps to the status and details are kept', async () => {
    const res = await request(app).get('/conflict');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', message: 'Order was changed by the manager', details: { orderId: 7 } });
  });

  it('when a body is over the limit or not JSON, then 413 / 400 explain it', async () => {
    const big = await request(app).post('/echo').send({ x: 'y'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const broken = await request(app).post('/echo').set('Content-Type', 'application/json').send('{"a":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/not valid JSON/);
  });

  it('when a form uses PHP-style nested keys (as Bitrix24 posts), then they arrive as objects', async () => {
    const res = await request(app).post('/echo').type('form').send('auth[member_id]=m1&data[FIELDS][ID]=5');
    expect(res.body.got).toEqual({ auth: { member_id: 'm1' }, data: { FIELDS: { ID: '5' } } });
  });

  it('when a route does not exist, then 404 names the method and path', async () => {
    const res = await request(app).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('No route for GET /nope');
  });

  it('when any answer goes out, then security headers are set and x-powered-by is not', async () => {
    const res = await request(app).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
