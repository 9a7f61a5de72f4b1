import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { seedErpFinance, waitFor } from '../http/placements-fixture.js';
import { startOrderBench, type OrderBench } from './order-pipeline.fixture.js';

/**
 * The whole order pipeline against the sandbox portal and the 1C OData emulator: cart → checkout (one batch creates
 * the Orders item with its product rows and dealer link) → the default automation's robots → the manager's change
 * agreed by the dealer → approval → SendOrderToErp → outbox → the order exactly once in 1C → 1C statuses back to the
 * Bitrix24 stage, our index, the dealer's page and notifications. Scope and the credit block are checked on the way.
 */
describe('order pipeline (sandbox portal + 1C OData emulator)', () => {
  let b: OrderBench;
  let dealerA: { itemId: number; dealerId: number };
  let dealerB: { itemId: number; dealerId: number };
  let headA: string;
  let headB: string;
  let manager: string;
  let orderId: number;
  let itemId: number;
  const a = () => b.h.portal.users.dealers[0]!;
  const bb = () => b.h.portal.users.dealers[1]!;
  const eti = () => b.h.sp.orders!.entityTypeId;

  beforeAll(async () => {
    b = await startOrderBench();
    dealerA = await b.createSyncedDealer({ title: a().title, companyId: a().companyId, managerId: a().managerId, erpCustomerId: b.customerErpIds[0], priceType: b.priceTypeErpId, city: b.catalog.warehouses[0]!.city, creditLimit: '100000000' });
    // Dealer B is blocked by its overdue debt (30 days > the allowed 10).
    await seedErpFinance(b.h, [{ erpId: 'ERP-OVERDUE', name: 'Должник', debt: '50000.00', overdue: '12000.00', overdueDays: 30 }]);
    dealerB = await b.createSyncedDealer({ title: bb().title, companyId: bb().companyId, managerId: bb().managerId, erpCustomerId: 'ERP-OVERDUE', priceType: b.priceTypeErpId, blockOverdueDays: 10 });
    headA = await b.session(a().userIds[0]!, 'dealer');
    headB = await b.session(bb().userIds[0]!, 'dealer');
    manager = await b.session(a().managerId, 'staff');
  }, 120_000);
  afterAll(() => b?.close());

  it('when a dealer pastes SKUs, checks out, and the robots run, then the Orders item with rows and the dealer link exists once and the manager is asked', async () => {
    const skus = await b.orderableSkus(dealerA.dealerId, 3);
    expect(skus).toHaveLength(3);
    const pasted = await b.api(headA).post('/cart/quick-order').send({ text: `${skus[0]!.sku} 2\n${skus[1]!.sku}\t3\nNO-SUCH-SKU 1\n${skus[2]!.sku} 1` });
    expect(pasted.status, pasted.text).toBe(200);
    expect(pasted.body.summary).toEqual({ lines: 4, accepted: 3, rejected: 1 });
    expect(pasted.body.rejected[0]).toMatchObject({ lineNo: 3, code: 'UNKNOWN_SKU' });
    expect(pasted.body.cart.lines).toHaveLength(3);

    const preview = await b.api(headA).get('/checkout');
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.canSubmit).toBe(true);

    const submitted = await b.api(headA).post('/checkout').send({ deliveryMethod: 'carrier', deliveryAddress: 'Москва, ул. Складская, 5', comment: 'Позвоните перед доставкой', requestId: 'pipeline-order-0001' });
    expect(submitted.status, submitted.text).toBe(201);
    const order = submitted.body.order;
    expect(order.number).toMatch(/^DH-\d{6}$/);
    expect(order.stage.key).toBe('new');
    orderId = order.id;
    itemId = order.b24ItemId;

    // A retried submit with the same request id returns the same order and creates nothing.
    const again = await b.api(headA).post('/checkout').send({ deliveryMethod: 'carrier', deliveryAddress: 'Москва, ул. Складская, 5', requestId: 'pipeline-order-0001' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, order: { id: orderId, b24ItemId: itemId } });

    const item = await b.h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: eti(), id: itemId });
    expect(item.item[`parentId${b.h.sp.dealers!.entityTypeId}`]).toBe(dealerA.itemId);
    expect(item.item.companyId).toBe(a().companyId);
    expect(item.item[b.h.sp.orders!.fields.orderNumber!.restName]).toBe(order.number);
    expect(String(item.item.opportunity)).toBe(String(Number(order.total)));
    const rows = await b.h.client.call<{ productRows: Array<{ quantity: number; price: number }> }>('crm.item.productrow.list', { filter: { '=ownerType': `T${eti().toString(16)}`, '=ownerId': itemId } });
    expect(rows.productRows.map((r) => Number(r.quantity))).toEqual([2, 3, 1]);
    const list = await b.h.client.call<{ items: unknown[] }>('crm.item.list', { entityTypeId: eti(), filter: { [b.h.sp.orders!.fields.externalId!.restName]: order.externalId } });
    expect(list.items).toHaveLength(1);

    // The robots of "new": credit check ok, then the approval request to the dealer's manager.
    await b.h.portal.idle();
    const log = await waitFor(() => {
      const wf = b.h.portal.automation.log(eti(), itemId);
      const steps = wf.flatMap((w) => w.steps);
      return steps.filter((s) => s.status === 'done').length >= 2 ? steps : null;
    }, 20_000, 'robots of the new stage');
    expect(log.find((s) => s.robotCode === 'dh_check_dealer_credit')?.returnValues).toMatchObject({ dhResult: 'ok' });
    expect(log.find((s) => s.robotCode === 'dh_request_manager_approval')?.returnValues).toMatchObject({ dhResult: 'ok' });
    expect(b.h.portal.store.notifications.all().some((n) => n.toUserId === a().managerId && n.message.includes(order.number))).toBe(true);
  }, 60_000);

  it('when the manager changes a line, then the dealer sees it highlighted, agrees, and the portal rows change', async () => {
    const managed = await b.api(manager).get(`/orders/${orderId}/manage`);
    expect(managed.status, managed.text).toBe(200);
    expect(managed.body.lines[0].stockByWarehouse.length).toBeGreaterThan(0);
    const line = managed.body.lines[0];
    const changed = await b.api(manager).patch(`/orders/${orderId}/lines/${line.id}`).send({ qty: '5', comment: 'Есть только упаковками по 5' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.order.changesPending).toBe(true);

    // Approval is refused while the dealer has not agreed.
    expect((await b.api(manager).post(`/orders/${orderId}/approve`)).status).toBe(409);

    const page = await b.api(headA).get(`/orders/${orderId}/details`);
    expect(page.status).toBe(200);
    expect(page.body.pendingChanges).toBe(1);
    expect(page.body.lines[0].proposed).toMatchObject({ kind: 'change', baseQty: '5' });
    const item = await b.h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: eti(), id: itemId });
    expect(item.item[b.h.sp.orders!.fields.changesPending!.restName]).toBe('Y');

    const agreed = await b.api(headA).post(`/orders/${orderId}/changes/agree`).send({});
    expect(agreed.status, agreed.text).toBe(200);
    expect(agreed.body.pendingChanges).toBe(0);
    expect(agreed.body.lines[0].baseQty).toBe('5');
    const rows = await b.h.client.call<{ productRows: Array<{ quantity: number }> }>('crm.item.productrow.list', { filter: { '=ownerType': `T${eti().toString(16)}`, '=ownerId': itemId } });
    expect(rows.productRows.map((r) => Number(r.quantity))).toEqual([5, 3, 1]);
    const after = await b.h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: eti(), id: itemId });
    expect(after.item[b.h.sp.orders!.fields.changesPending!.restName]).toBe('N');
    expect(Number(after.item.opportunity)).toBe(Number(agreed.body.order.total));
  }, 30_000);

  it('when the manager approves, then SendOrderToErp queues it and the order exists once in 1C with its number back in Bitrix24', async () => {
    const approved = await b.api(manager).post(`/orders/${orderId}/approve`);
    expect(approved.status, approved.text).toBe(200);
    const order = (await createOrdersRepository(b.h.t.ctx.db).get(b.h.portalId, orderId))!;
    const inErp = await waitFor(() => b.erp.emulator.findOrderByExternalId(order.externalId), 20_000, 'the order in 1C');
    expect(inErp.copies).toBe(1);
    expect(inErp.lines).toHaveLength(3);
    const sent = await waitFor(async () => {
      const o = await createOrdersRepository(b.h.t.ctx.db).get(b.h.portalId, orderId);
      return o?.stageKey === 'sentToErp' ? o : null;
    }, 20_000, 'the order at sentToErp');
    expect(sent.erpNumber).toBe(inErp.number);
    const item = await b.h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: eti(), id: itemId });
    expect(item.item.stageId).toBe(b.h.sp.orders!.stages.sentToErp);
    expect(item.item[b.h.sp.orders!.fields.erpNumber!.restName]).toBe(inErp.number);
    const robot = b.h.portal.automation.log(eti(), itemId).flatMap((w) => w.steps).find((s) => s.robotCode === 'dh_send_order_to_erp');
    expect(robot?.returnValues).toMatchObject({ dhResult: 'ok' });
  }, 40_000);

  it('when 1C confirms and ships the order, then the stage, our index, the dealer page and notifications follow', async () => {
    const order = (await createOrdersRepository(b.h.t.ctx.db).get(b.h.portalId, orderId))!;
    for (const [status, stage] of [
      ['confirmed', 'confirmed'],
      ['shipped', 'shipped'],
    ] as const) {
      b.erp.emulator.setOrderStatus(order.externalId, status);
      await b.sync.runSync(b.h.portalId, 'orderStates', { mode: 'full' });
      await waitFor(async () => (await createOrdersRepository(b.h.t.ctx.db).get(b.h.portalId, orderId))?.stageKey === stage, 20_000, `stage ${stage}`);
      const item = await b.h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: eti(), id: itemId });
      expect(item.item.stageId).toBe(b.h.sp.orders!.stages[stage]);
    }
    const page = await b.api(headA).get(`/orders/${orderId}/details`);
    expect(page.body.order.stage.key).toBe('shipped');
    expect(page.body.order.erp.number).toBeTruthy();
    const kinds = page.body.timeline.map((t: { kind: string; stage: { key: string } | null }) => `${t.kind}:${t.stage?.key ?? ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['submitted:new', 'changes_agreed:', 'stage:agreed', 'erp_accepted:sentToErp', 'stage:confirmed', 'stage:shipped']));
    // The portal's NotifyDealer robot told the dealer's users of the stages.
    const shippedNotice = await waitFor(
      () => b.h.portal.store.notifications.all().find((n) => a().userIds.includes(n.toUserId) && n.message.includes('отгружен')),
      20_000,
      'the dealer notified of the shipment',
    );
    expect(shippedNotice.message).toContain(page.body.order.number);
    // ReserveStock ran on "confirmed" and answered with the waiting-list count.
    const reserve = b.h.portal.automation.log(eti(), itemId).flatMap((w) => w.steps).find((s) => s.robotCode === 'dh_reserve_stock');
    expect(reserve?.returnValues).toMatchObject({ dhResult: 'ok' });
  }, 60_000);

  it("when another dealer's user asks for the order, then every route answers 404 and the list is empty", async () => {
    for (const path of [`/orders/${orderId}/details`]) expect((await b.api(headB).get(path)).status).toBe(404);
    expect((await b.api(headB).post(`/orders/${orderId}/changes/agree`).send({})).status).toBe(404);
    expect((await b.api(headB).post(`/orders/${orderId}/repeat`).send({})).status).toBe(404);
    const list = await b.api(headB).get('/orders');
    expect(list.body.items.map((o: { id: number }) => o.id)).not.toContain(orderId);
    expect((await b.api(headA).get('/orders')).body.items.map((o: { id: number }) => o.id)).toContain(orderId);
  });

  it('when a dealer is blocked by its overdue debt, then checkout refuses with why and no order is made', async () => {
    const headC = headB;
    const [sku] = await b.orderableSkus(dealerB.dealerId, 1);
    expect((await b.api(headC).post('/cart/lines').send({ lines: [{ productId: sku!.productId, qty: '1' }] })).status).toBe(200);
    const preview = await b.api(headC).get('/checkout');
    expect(preview.body).toMatchObject({ canSubmit: false, credit: { result: 'blocked', reason: 'overdue', overdueDays: 30, allowedOverdueDays: 10 } });
    const refused = await b.api(headC).post('/checkout').send({ deliveryMethod: 'pickup' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/30/);
    expect(refused.body.error.details.credit).toMatchObject({ reason: 'overdue', overdue: '12000.00' });
    expect((await b.api(headC).get('/orders')).body.total).toBe(0);
  }, 30_000);
});
