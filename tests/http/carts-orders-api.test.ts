import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { withTransaction } from '../../server/jobs/sql.js';
import { createOrdersRepository, formatOrderNumber, registerOrderRoutes, registerOrders } from '../../server/modules/orders/index.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { seedOrderPortal, type OrderPortal } from '../db/orders.fixture.js';

/**
 * The cart, checkout, order and notification routes over HTTP (no Bitrix24 involved): sessions, permissions,
 * 400s that name the field, 404 for another dealer's data. The Bitrix24 side of checkout is in the pipeline test.
 */
describe('cart, order and notification API', () => {
  let t: TestContext;
  let p: OrderPortal;
  let app: ReturnType<typeof createApp>;
  let goods: Awaited<ReturnType<OrderPortal['products']>>;
  let headA: string;
  let buyerA: string;
  let headB: string;
  let manager: string;
  let orderA: number;
  const api = (s: string) => ({
    get: (path: string) => request(app).get(`/api${path}`).set('X-DealerHub-Session', s),
    post: (path: string) => request(app).post(`/api${path}`).set('X-DealerHub-Session', s),
    patch: (path: string) => request(app).patch(`/api${path}`).set('X-DealerHub-Session', s),
    put: (path: string) => request(app).put(`/api${path}`).set('X-DealerHub-Session', s),
    delete: (path: string) => request(app).delete(`/api${path}`).set('X-DealerHub-Session', s),
  });

  beforeAll(async () => {
    t = await createTestContext({ LOG_LEVEL: 'warn' });
    registerOrders(t.ctx, { erpSync: null });
    app = createApp(t.ctx, [registerOrderRoutes]);
    p = await seedOrderPortal(t.ctx, { skus: 300 });
    goods = await p.products();
    headA = p.session(p.users.headA, 'dealer_head', p.a.b24ItemId);
    buyerA = p.session(p.users.buyerA, 'dealer_buyer', p.a.b24ItemId);
    headB = p.session(p.users.headB, 'dealer_head', p.b.b24ItemId);
    manager = p.session(p.users.manager, 'manager', null);
    const repo = createOrdersRepository(t.ctx.db);
    const order = await withTransaction(t.ctx.db, async (tx) =>
      repo.insertOrder(
        { portalId: p.portal.id, dealerId: p.a.id, dealerItemId: p.a.b24ItemId, externalId: crypto.randomUUID(), number: formatOrderNumber(await repo.nextNumber(p.portal.id, tx)), requestKey: 'req:http-1', companyId: p.companies.a1, userId: p.users.buyerA, actorUserId: p.users.buyerA, source: 'cabinet', status: 'submitted', stageKey: 'new', currency: 'RUB', total: '21.00', deliveryMethod: 'pickup', deliveryAddress: null, desiredDate: null, comment: null, warehouse: null },
        [{ lineNo: 1, productId: goods.priced[0]!.id, productErpId: 'x', sku: goods.priced[0]!.sku, name: 'Товар', unitName: 'шт', qty: '2', unit: 'base', packRatio: null, baseQty: '2', basePrice: '10.50', price: '10.50', discountPercent: '0.00', lineTotal: '21.00', breakdown: [] }],
        new Date(),
        tx,
      ),
    );
    orderA = order.id;
  }, 60_000);
  afterAll(() => t?.close());

  it('when there is no session, then every route answers 401', async () => {
    for (const path of ['/cart', '/orders', '/checkout', '/notifications/settings', '/carts/saved']) expect((await request(app).get(`/api${path}`)).status).toBe(401);
  });

  it('when a dealer adds a bad line, then the 400 names the field', async () => {
    const bad = await api(headA).post('/cart/lines').send({ lines: [{ productId: goods.priced[0]!.id, qty: '-1' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('lines.0.qty');
    const unknown = await api(headA).post('/cart/lines').send({ lines: [{ productId: 99_999_999, qty: '1' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0]).toMatchObject({ field: 'lines.0.productId' });
    const foreignEntity = await api(headA).get(`/cart?companyId=${p.companies.b1}`);
    expect(foreignEntity.status).toBe(400);
    expect(foreignEntity.body.error.details[0].field).toBe('companyId');
  });

  it('when a dealer uses the cart, then lines, totals and the pasted quick order come back priced', async () => {
    const added = await api(headA).post('/cart/lines').send({ lines: [{ productId: goods.priced[0]!.id, qty: '2' }] });
    expect(added.status).toBe(200);
    expect(added.body.lines[0]).toMatchObject({ productId: goods.priced[0]!.id, qty: '2', problems: [] });
    expect(added.body.totals.amount).toMatch(/^\d+\.\d{2}$/);
    const patched = await api(headA).patch(`/cart/lines/${added.body.lines[0].id}`).send({ qty: '3' });
    expect(patched.body.lines[0].qty).toBe('3');
    const quick = await api(headA).post('/cart/quick-order?dryRun=true').send({ text: `${goods.priced[1]!.sku} 4\nNOPE 1` });
    expect(quick.status).toBe(200);
    expect(quick.body).toMatchObject({ dryRun: true, summary: { accepted: 1, rejected: 1 } });
    expect(quick.body.cart.lines).toHaveLength(1);
    const csv = Buffer.from(`sku;qty\n${goods.priced[1]!.sku};4\n`, 'utf8');
    const file = await api(headA).post('/cart/quick-order/file?fileName=order.csv').set('Content-Type', 'text/csv').send(csv);
    expect(file.status, file.text).toBe(200);
    expect(file.body.cart.lines).toHaveLength(2);
    // Line ids are those of the latest answer (every change rewrites the lines).
    expect((await api(headA).delete(`/cart/lines/${file.body.cart.lines[0].id}`)).body.lines).toHaveLength(1);
  });

  it('when saved carts are used through the API, then another dealer gets 404 for them', async () => {
    const saved = await api(headA).post('/carts/saved').send({ name: 'На склад' });
    expect(saved.status).toBe(201);
    expect((await api(headA).get('/carts/saved')).body.items.map((s: { id: number }) => s.id)).toContain(saved.body.id);
    expect((await api(headB).get(`/carts/saved/${saved.body.id}`)).status).toBe(404);
    expect((await api(headB).delete(`/carts/saved/${saved.body.id}`)).status).toBe(404);
    expect((await api(headA).post(`/carts/saved/${saved.body.id}/load`).send({ mode: 'replace' })).status).toBe(200);
    expect((await api(headA).post('/carts/saved').send({ name: '' })).body.error.details[0].field).toBe('name');
    expect((await api(headA).delete(`/carts/saved/${saved.body.id}`)).status).toBe(204);
  });

  it('when staff call the cart without naming the dealer user, then it is a 400; with actAs they use that user’s cart', async () => {
    const r = await api(manager).get('/cart');
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].field).toBe('actAs');
    const acting = await api(manager).get(`/cart?actAs=${p.users.headA}`);
    expect(acting.status).toBe(200);
  });

  it('when orders are listed and opened, then scope decides: own / company / another dealer', async () => {
    expect((await api(headA).get('/orders')).body.items.map((o: { id: number }) => o.id)).toEqual([orderA]);
    expect((await api(headB).get('/orders')).body.items).toEqual([]);
    expect((await api(headB).get(`/orders/${orderA}/details`)).status).toBe(404);
    expect((await api(headB).post(`/orders/${orderA}/changes/decline`).send({})).status).toBe(404);
    expect((await api(headB).post(`/orders/${orderA}/cancel`).send({})).status).toBe(404);
    const page = await api(buyerA).get(`/orders/${orderA}/details`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ order: { id: orderA, stage: { key: 'new' } }, lines: [{ sku: goods.priced[0]!.sku, lineTotal: '21.00' }], documents: [] });
    expect((await api(manager).get(`/orders?dealerId=${p.a.b24ItemId}`)).body.items.map((o: { id: number }) => o.id)).toEqual([orderA]);
    expect((await api(headA).get('/orders?stage=bogus')).status).toBe(400);
    expect((await api(headA).get('/orders?stage=new&q=DH-')).body.total).toBe(1);
  });

  it('when a dealer user calls a manager route, then it is 403; checkout validation names the field', async () => {
    expect((await api(headA).get(`/orders/${orderA}/manage`)).status).toBe(403);
    expect((await api(headA).post(`/orders/${orderA}/approve`)).status).toBe(403);
    const noAddress = await api(headA).post('/checkout').send({ deliveryMethod: 'carrier' });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.error.details[0].field).toBe('deliveryAddress');
    const badMethod = await api(headA).post('/checkout').send({ deliveryMethod: 'teleport' });
    expect(badMethod.body.error.details[0].field).toBe('deliveryMethod');
  });

  it('when a dealer user changes notification settings, then they are stored and e-mail is reported as not configured', async () => {
    const before = await api(buyerA).get('/notifications/settings');
    expect(before.status).toBe(200);
    expect(before.body.email).toMatchObject({ configured: false });
    const put = await api(buyerA).put('/notifications/settings').send({ kinds: { order_status: false }, email: false });
    expect(put.status).toBe(200);
    expect(put.body.kinds.find((k: { kind: string }) => k.kind === 'order_status').enabled).toBe(false);
    expect((await t.ctx.dealers.findUser(p.portal.id, p.users.buyerA))!.notificationSettings).toMatchObject({ order_status: false, email: false });
    expect((await api(buyerA).put('/notifications/settings').send({ kinds: { nope: true } })).status).toBe(400);
    expect((await api(manager).get('/notifications/settings')).status).toBe(403);
  });
});
