import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../server/jobs/sql.js';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { ensureWidgetsBuilt, startHarness, type Harness } from './placements-fixture.js';

/**
 * The manager widgets' placements API. GET /api/order-items/:id maps an Orders item to DealerHub's order (the order
 * tab). PATCH /api/dealers/:id/terms from the dealer tab: a manager changes credit terms and blocking rules; they are
 * written to the Dealers item in Bitrix24, synced back into the read model, audited; others are refused.
 */
describe('manager widget API', () => {
  let h: Harness;
  let dealer: number;
  let manager: string;
  let head: string;
  const a = () => h.portal.users.dealers[0]!;
  const open = async (userId: number, placement: string) => {
    const res = await h.placementPost(userId, '/placement/cabinet', { placement });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    return h.bootstrapOf(res).session;
  };

  beforeAll(async () => {
    ensureWidgetsBuilt();
    h = await startHarness();
    dealer = await h.createDealer({ title: a().title, companyId: a().companyId, managerId: a().managerId, creditLimit: '500000.00', paymentTermDays: 30, blockOverLimit: true, blockOverdueDays: 15 });
    manager = await open(h.portal.users.managers[0]!, 'LEFT_MENU');
    head = await open(a().userIds[0]!, 'IM_NAVIGATION');
  }, 90_000);
  afterAll(() => h?.close());

  it('when the order tab asks for an Orders item, then it gets our order id, or null for an item DealerHub did not make; dealer users are refused', async () => {
    const itemId = await h.createOrder({ dealerItemId: dealer, companyId: a().companyId, number: 'HAND-1', lines: [{ name: 'Кран', price: 10, quantity: 1 }] });
    const none = await h.api(manager).get(`/order-items/${itemId}`);
    expect(none.status, none.text).toBe(200);
    expect(none.body).toEqual({ itemId, orderId: null, number: null });
    const synced = (await h.t.ctx.dealers.findByItemId(h.portalId, dealer))!;
    const repo = createOrdersRepository(h.t.ctx.db);
    const order = await withTransaction(h.t.ctx.db, async (tx) =>
      repo.insertOrder(
        { portalId: h.portalId, dealerId: synced.id, dealerItemId: dealer, externalId: crypto.randomUUID(), number: 'DH-000777', requestKey: null, companyId: a().companyId, userId: a().userIds[0]!, actorUserId: a().userIds[0]!, source: 'cabinet', status: 'submitted', stageKey: 'new', currency: 'RUB', total: '10.00', deliveryMethod: 'pickup', deliveryAddress: null, desiredDate: null, comment: null, warehouse: null },
        [],
        new Date(),
        tx,
      ),
    );
    await repo.update(h.portalId, order.id, { b24ItemId: itemId });
    expect((await h.api(manager).get(`/order-items/${itemId}`)).body).toEqual({ itemId, orderId: order.id, number: 'DH-000777' });
    expect((await h.api(head).get(`/order-items/${itemId}`)).status).toBe(403);
    expect((await h.api(manager).get('/order-items/abc')).status).toBe(400);
  });

  it('when a manager changes the limit and blocking rules, then Bitrix24, the read model, the answer and the audit log have them', async () => {
    const res = await h.api(manager).patch(`/dealers/${dealer}/terms`).send({ creditLimit: '750000.50', paymentTermDays: 45, blockOverLimit: false, blockOverdueDays: 30 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.dealer).toMatchObject({ creditLimit: '750000.50', paymentTermDays: 45, blocking: { overLimit: false, overdueDays: 30 } });
    const item = await h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: h.sp.dealers!.entityTypeId, id: dealer });
    const f = h.sp.dealers!.fields;
    expect(String(item.item[f.creditLimit!.restName])).toMatch(/^750000\.5/);
    expect(item.item[f.blockOverLimit!.restName]).toBe('N');
    expect(Number(item.item[f.blockOverdueDays!.restName])).toBe(30);
    expect(await h.t.ctx.dealers.findByItemId(h.portalId, dealer)).toMatchObject({ creditLimit: '750000.50', paymentTermDays: 45, blockOverLimit: false, blockOverdueDays: 30 });
    const audit = (await h.t.ctx.audit.listForPortal(h.portalId)).find((r) => r.action === 'dealer.terms.changed');
    expect(audit).toMatchObject({ subject: `dealer:${dealer}`, details: { before: { creditLimit: '500000.00', blockOverdueDays: 15 }, after: { creditLimit: '750000.50', blockOverdueDays: 30 } } });
  });

  it('when the overdue rule is cleared with null, then the dealer has no overdue blocking', async () => {
    const res = await h.api(manager).patch(`/dealers/${dealer}/terms`).send({ blockOverdueDays: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body.dealer.blocking.overdueDays).toBeNull();
    expect((await h.t.ctx.dealers.findByItemId(h.portalId, dealer))!.blockOverdueDays).toBeNull();
  });

  it('when the body is wrong, then the 400 names the field; an empty body is refused too', async () => {
    const bad = await h.api(manager).patch(`/dealers/${dealer}/terms`).send({ creditLimit: '1 000,00' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('creditLimit');
    const days = await h.api(manager).patch(`/dealers/${dealer}/terms`).send({ blockOverdueDays: 1000 });
    expect(days.body.error.details[0].field).toBe('blockOverdueDays');
    expect((await h.api(manager).patch(`/dealers/${dealer}/terms`).send({})).status).toBe(400);
    expect((await h.api(manager).patch(`/dealers/${dealer}/terms`).send({ stage: 'closed' })).status).toBe(400);
  });

  it('when a dealer head tries to change the terms, then it is 403 and nothing changes', async () => {
    const res = await h.api(head).patch(`/dealers/${dealer}/terms`).send({ creditLimit: '9999999.00' });
    expect(res.status).toBe(403);
    expect((await h.t.ctx.dealers.findByItemId(h.portalId, dealer))!.creditLimit).toBe('750000.50');
  });
});
