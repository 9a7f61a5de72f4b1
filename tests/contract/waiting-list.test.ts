import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSession, ingestStock } from '../../server/erp/read-model/index.js';
import { selectRows } from '../../server/jobs/sql.js';
import { catalogPortFor } from '../../server/modules/carts/index.js';
import { notifyCatalogChanged } from '../../server/modules/catalog/index.js';
import { checkWaitingList, createOrdersRepository } from '../../server/modules/orders/index.js';
import { startOrderBench, type OrderBench } from './order-pipeline.fixture.js';

/**
 * The waiting list: a line ordered beyond the stock is reserved in part and waits for the rest; when the ERP's stock
 * brings enough, the dealer user who placed the order is told once (Bitrix24 notification), the order's history says
 * so, and a user who switched "goods arrived" off is not told.
 */
describe('waiting list', () => {
  let b: OrderBench;
  beforeAll(async () => {
    b = await startOrderBench({ skus: 80 });
  }, 120_000);
  afterAll(() => b?.close());

  it('when stock for a waiting line arrives, then its placer is told once and one who opted out is not', async () => {
    const d = b.h.portal.users.dealers[0]!;
    expect(d.userIds.length).toBeGreaterThanOrEqual(2);
    const dealer = await b.createSyncedDealer({ title: d.title, companyId: d.companyId, managerId: d.managerId, erpCustomerId: b.customerErpIds[0], priceType: b.priceTypeErpId });
    const [placer, optedOut] = [d.userIds[0]!, d.userIds[1]!];
    const sessions = { placer: await b.session(placer, 'dealer'), optedOut: await b.session(optedOut, 'dealer'), manager: await b.session(d.managerId, 'staff') };
    const [sku] = await b.orderableSkus(dealer.dealerId, 1);
    const port = (await catalogPortFor(b.h.t.ctx, b.h.portalId, dealer.dealerId))!;
    const available = Number(port.available(sku!.productId));
    const repo = createOrdersRepository(b.h.t.ctx.db);

    // Two orders for more than the stock holds, each reserved by the manager: the rest of each line waits.
    const place = async (session: string, tag: string) => {
      expect((await b.api(session).post('/cart/lines').send({ lines: [{ productId: sku!.productId, qty: String(available + 3) }] })).status).toBe(200);
      const res = await b.api(session).post('/checkout').send({ deliveryMethod: 'pickup', requestId: `waiting-${tag}-${Date.now()}` });
      expect(res.status, res.text).toBe(201);
      const reserved = await b.api(sessions.manager).post(`/orders/${res.body.order.id}/reserve`);
      expect(reserved.status, reserved.text).toBe(200);
      return res.body.order.id as number;
    };
    const first = await place(sessions.placer, 'a');
    const second = await place(sessions.optedOut, 'b');
    expect((await repo.lines(first))[0]!.waitingQty).not.toBeNull();
    // The first order took what the synced stock had; the second is not promised the same goods again.
    expect((await repo.lines(second))[0]).toMatchObject({ reservedQty: '0', waitingQty: String(available + 3) });
    await b.h.t.ctx.dealers.updateUserAccess(b.h.portalId, (await b.h.t.ctx.dealers.findUser(b.h.portalId, optedOut))!.id, { notificationSettings: { goods_arrived: false } });

    const arrivedNotices = () => b.h.portal.store.notifications.all().filter((n) => n.message.includes('лист') && n.message.includes(sku!.sku));
    // Nothing arrived yet: nobody is told.
    expect(await checkWaitingList(b.h.t.ctx, b.h.portalId)).toMatchObject({ arrived: 0, notices: 0 });

    // The ERP's next stock snapshot has plenty in every warehouse (what the stock sync writes), and the catalog sees it.
    const warehouses = await selectRows<{ erp_id: string }>(b.h.t.ctx.db, 'SELECT erp_id FROM erp_warehouses WHERE portal_id = :p', { p: b.h.portalId });
    const [product] = await selectRows<{ erp_id: string }>(b.h.t.ctx.db, 'SELECT erp_id FROM erp_products WHERE portal_id = :p AND id = :id', { p: b.h.portalId, id: sku!.productId });
    const session = createIngestSession(b.h.t.ctx.db, b.h.portalId, { logger: b.h.t.ctx.logger });
    await ingestStock(session, warehouses.map((w) => ({ productRef: { erpId: product!.erp_id }, warehouseRef: { erpId: w.erp_id }, onHand: '100000', reserved: '0', available: '100000' })), { mode: 'merge' });
    await notifyCatalogChanged(b.h.t.ctx, b.h.portalId, ['stock']);

    expect(await checkWaitingList(b.h.t.ctx, b.h.portalId)).toMatchObject({ arrived: 2, notices: 2 });
    const told = arrivedNotices();
    expect(told.map((n) => n.toUserId)).toEqual([placer]);
    expect(told[0]!.message).toContain((await repo.get(b.h.portalId, first))!.number);
    for (const [id, session] of [[first, sessions.placer], [second, sessions.optedOut]] as const) {
      expect((await repo.lines(id))[0]!.waitingNotifiedAt).toBeInstanceOf(Date);
      const page = await b.api(session).get(`/orders/${id}/details`);
      expect(page.body.timeline.map((e: { kind: string }) => e.kind)).toContain('goods_arrived');
    }
    // A second run tells nobody again.
    expect(await checkWaitingList(b.h.t.ctx, b.h.portalId)).toMatchObject({ arrived: 0, notices: 0 });
    expect(arrivedNotices()).toHaveLength(1);
  }, 90_000);
});
