import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRepository } from '../../server/erp/sync/index.js';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { startOrderBench, type OrderBench } from '../contract/order-pipeline.fixture.js';
import { waitFor } from '../http/placements-fixture.js';

/**
 * The ERP refuses an order (a validation error: the outbox's dead letter). The order must say so — the ERP's message
 * in its ERP status field, timeline and our index — stay at "agreed" (never "sent to ERP"), and the manager is told;
 * the document is never posted in 1C, and a repeated SendOrderToErp answers `error` instead of pretending. Once the
 * cause is fixed, the manager sends it again: the same outbox row (same external id) goes with fresh attempts and
 * the order reaches "sent to ERP" with one document in 1C.
 */
describe('order refused by the ERP', () => {
  let b: OrderBench;
  beforeAll(async () => {
    b = await startOrderBench({ skus: 80 });
  }, 120_000);
  afterAll(() => b?.close());

  it('when 1C answers a validation error, then the order carries the message and does not move on', async () => {
    const d = b.h.portal.users.dealers[0]!;
    const dealer = await b.createSyncedDealer({ title: d.title, companyId: d.companyId, managerId: d.managerId, erpCustomerId: b.customerErpIds[0], priceType: b.priceTypeErpId });
    const head = await b.session(d.userIds[0]!, 'dealer');
    const manager = await b.session(d.managerId, 'staff');
    const [sku] = await b.orderableSkus(dealer.dealerId, 1);
    expect((await b.api(head).post('/cart/lines').send({ lines: [{ productId: sku!.productId, qty: '1' }] })).status).toBe(200);
    const submitted = await b.api(head).post('/checkout').send({ deliveryMethod: 'pickup' });
    expect(submitted.status, submitted.text).toBe(201);
    const { id, externalId, b24ItemId } = submitted.body.order;

    b.erp.emulator.faults.inject({ kind: 'validation', match: 'Document_ЗаказКлиента', message: 'Не заполнено поле «Соглашение»' });
    expect((await b.api(manager).post(`/orders/${id}/approve`)).status).toBe(200);

    const rejected = await waitFor(async () => {
      const o = await createOrdersRepository(b.h.t.ctx.db).get(b.h.portalId, id);
      return o?.erpHandoff === 'rejected' ? o : null;
    }, 30_000, 'the hand-off rejected');
    expect(rejected.stageKey).toBe('agreed');
    expect(rejected.erpError).toContain('Соглашение');
    expect((await createOutboxRepository(b.h.t.ctx.db).findByExternalId(b.h.portalId, 'order', externalId))?.state).toBe('dead');
    // 1C refuses at posting: a draft may exist there, never a posted order, and never two.
    const inErp = b.erp.emulator.findOrderByExternalId(externalId);
    expect(inErp?.posted ?? false).toBe(false);
    expect(inErp?.copies ?? 0).toBeLessThanOrEqual(1);

    const item = await b.h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: b.h.sp.orders!.entityTypeId, id: b24ItemId });
    expect(item.item.stageId).toBe(b.h.sp.orders!.stages.agreed);
    expect(String(item.item[b.h.sp.orders!.fields.erpStatus!.restName])).toContain('Соглашение');
    expect(b.h.portal.store.timelineComments.all().some((c) => c.entityId === b24ItemId && c.comment.includes('Соглашение'))).toBe(true);
    // The manager's notice goes out right after the order is marked rejected: wait for it, do not race it.
    await waitFor(() => b.h.portal.store.notifications.all().some((n) => n.toUserId === d.managerId && n.message.includes('Соглашение')), 10_000, 'the manager told of the refusal');
    const page = await b.api(head).get(`/orders/${id}/details`);
    expect(page.body.order.erp).toMatchObject({ handoff: 'rejected' });
    expect(page.body.timeline.map((e: { kind: string }) => e.kind)).toContain('erp_rejected');
    b.erp.emulator.faults.clear();

    // The robot does not resend a refused order on its own; the manager does, once the cause is fixed in the ERP.
    const resent = await b.api(manager).post(`/orders/${id}/send-to-erp`);
    expect(resent.status, resent.text).toBe(202);
    expect(resent.body).toMatchObject({ created: true, handoff: 'queued' });
    const accepted = await waitFor(async () => {
      const o = await createOrdersRepository(b.h.t.ctx.db).get(b.h.portalId, id);
      return o?.erpHandoff === 'posted' ? o : null;
    }, 30_000, 'the resent order accepted');
    expect(accepted.stageKey).toBe('sentToErp');
    expect(accepted.erpError).toBeNull();
    expect(accepted.erpNumber).toBeTruthy();
    const posted = b.erp.emulator.findOrderByExternalId(externalId);
    expect(posted).toMatchObject({ posted: true, copies: 1 });
    const outbox = await createOutboxRepository(b.h.t.ctx.db).findByExternalId(b.h.portalId, 'order', externalId);
    expect(outbox).toMatchObject({ state: 'posted', generation: 1 });
    // A second press changes nothing: the order is in the ERP.
    expect((await b.api(manager).post(`/orders/${id}/send-to-erp`)).body).toMatchObject({ created: false });
    const timeline = (await b.api(head).get(`/orders/${id}/details`)).body.timeline.map((e: { kind: string }) => e.kind);
    expect(timeline.filter((k: string) => k === 'erp_queued')).toHaveLength(2);
    expect(timeline).toContain('erp_accepted');
  }, 90_000);
});
