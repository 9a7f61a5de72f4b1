import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { withTransaction } from '../../server/jobs/sql.js';
import { createOrdersRepository, formatOrderNumber, registerOrderRoutes, registerOrders } from '../../server/modules/orders/index.js';
import { seedOrderPortal, type OrderPortal } from '../db/orders.fixture.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

/**
 * GET /api/orders/sales/monthly (the dealer card's sales figures and chart) and the manager's order view's ERP
 * outbox field: sums by month of a dealer's orders, cancelled and failed orders left out, scoped by the session. On
 * SQLite and MariaDB (the month window is a DATETIME comparison whose text differs per dialect).
 */
describe.each(STORAGE_BACKENDS)('sales by month API on $name', ({ create }) => {
  let testDb: TestDatabase;
  let t: TestContext;
  let p: OrderPortal;
  let app: ReturnType<typeof createApp>;
  let manager: string;
  let headA: string;
  let headB: string;
  let someOrder: number;
  const now = new Date();
  const monthKey = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 9));
  const twoMonthsAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 10, 12));
  const lastYear = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() - 1, 5, 12));
  const get = (s: string, path: string) => request(app).get(`/api${path}`).set('X-DealerHub-Session', s);

  beforeAll(async () => {
    testDb = await create();
    t = await createTestContext({ LOG_LEVEL: 'warn', DATABASE_URL: testDb.url });
    registerOrders(t.ctx, { erpSync: null });
    app = createApp(t.ctx, [registerOrderRoutes]);
    p = await seedOrderPortal(t.ctx, { skus: 50 });
    manager = p.session(p.users.manager, 'manager', null);
    headA = p.session(p.users.headA, 'dealer_head', p.a.b24ItemId);
    headB = p.session(p.users.headB, 'dealer_head', p.b.b24ItemId);
    const repo = createOrdersRepository(t.ctx.db);
    const add = (dealer: typeof p.a, userId: number, total: string, at: Date, extra: { stageKey?: string; status?: 'submitted' | 'failed'; currency?: string } = {}) =>
      withTransaction(t.ctx.db, async (tx) =>
        repo.insertOrder(
          { portalId: p.portal.id, dealerId: dealer.id, dealerItemId: dealer.b24ItemId, externalId: crypto.randomUUID(), number: formatOrderNumber(await repo.nextNumber(p.portal.id, tx)), requestKey: null, companyId: dealer.companyId, userId, actorUserId: userId, source: 'cabinet', status: extra.status ?? 'submitted', stageKey: extra.stageKey ?? 'new', currency: extra.currency ?? 'RUB', total, deliveryMethod: 'pickup', deliveryAddress: null, desiredDate: null, comment: null, warehouse: null },
          [{ lineNo: 1, productId: null, productErpId: 'x', sku: 'SKU', name: 'Товар', unitName: 'шт', qty: '1', unit: 'base', packRatio: null, baseQty: '1', basePrice: total, price: total, discountPercent: '0.00', lineTotal: total, breakdown: [] }],
          at,
          tx,
        ),
      );
    someOrder = (await add(p.a, p.users.headA, '100.00', thisMonth)).id;
    await add(p.a, p.users.buyerA, '20.25', thisMonth, { stageKey: 'sentToErp' });
    await add(p.a, p.users.headA, '50.50', thisMonth, { stageKey: 'cancelled' });
    await add(p.a, p.users.headA, '70.00', thisMonth, { status: 'failed' });
    await add(p.a, p.users.headA, '15.00', thisMonth, { currency: 'USD' });
    await add(p.a, p.users.headA, '200.00', twoMonthsAgo);
    await add(p.a, p.users.headA, '999.00', lastYear);
    await add(p.b, p.users.headB, '5000.00', thisMonth);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await testDb?.drop();
  });

  it('when a manager asks for a dealer, then this month, this year and every month of the window are summed without cancelled, failed or foreign-currency orders', async () => {
    const res = await get(manager, `/orders/sales/monthly?dealerId=${p.a.b24ItemId}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.currency).toBe('RUB');
    expect(res.body.months).toHaveLength(12);
    expect(res.body.months.at(-1)).toEqual({ month: monthKey(now), orders: 2, total: '120.25' });
    expect(res.body.months.find((m: { month: string }) => m.month === monthKey(twoMonthsAgo))).toEqual({ month: monthKey(twoMonthsAgo), orders: 1, total: '200.00' });
    expect(res.body.thisMonth).toEqual({ orders: 2, total: '120.25' });
    const sameYear = twoMonthsAgo.getUTCFullYear() === now.getUTCFullYear();
    expect(res.body.thisYear).toEqual(sameYear ? { orders: 3, total: '320.25' } : { orders: 2, total: '120.25' });
    expect(res.body.otherCurrencyOrders).toBe(1);
    // the last-year order is outside a 12-month window but inside a 24-month one
    const wide = await get(manager, `/orders/sales/monthly?dealerId=${p.a.b24ItemId}&months=24`);
    expect(wide.body.months.find((m: { month: string }) => m.month === monthKey(lastYear))).toEqual({ month: monthKey(lastYear), orders: 1, total: '999.00' });
  });

  it('when a dealer user asks, then they get their own dealer only, and another dealer id gives zeros', async () => {
    expect((await get(headB, '/orders/sales/monthly')).body.thisMonth).toEqual({ orders: 1, total: '5000.00' });
    const foreign = await get(headB, `/orders/sales/monthly?dealerId=${p.a.b24ItemId}`);
    expect(foreign.status).toBe(200);
    expect(foreign.body.thisMonth).toEqual({ orders: 0, total: '0.00' });
    expect((await get(headA, `/orders/sales/monthly?dealerId=${p.a.b24ItemId}`)).body.thisMonth.total).toBe('120.25');
  });

  it('when the query is wrong or there is no session, then 400 names the field and 401', async () => {
    const bad = await get(manager, '/orders/sales/monthly?months=99');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('months');
    expect((await request(app).get('/api/orders/sales/monthly')).status).toBe(401);
  });

  it('when a manager reads an order that never went to the ERP, then its outbox is null; a dealer user gets 403', async () => {
    const res = await get(manager, `/orders/${someOrder}/manage`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.outbox).toBeNull();
    expect(res.body.lines[0]).toMatchObject({ stockByWarehouse: [], analogs: [] });
    expect((await get(headA, `/orders/${someOrder}/manage`)).status).toBe(403);
  });
});
