import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../server/jobs/sql.js';
import { applyProposals, createOrdersRepository, formatOrderNumber, type OrderRow } from '../../server/modules/orders/index.js';
import type { Database } from '../../server/db/database.js';
import { STORAGE_BACKENDS, useMigratedDatabase } from '../support/databases.js';

const line = (lineNo: number, sku: string, qty: string, price: string) => ({
  lineNo, productId: lineNo, productErpId: `erp-${sku}`, sku, name: `Товар ${sku}`, unitName: 'шт', qty, unit: 'base' as const, packRatio: null, baseQty: qty,
  basePrice: price, price, discountPercent: '0.00', lineTotal: (Number(price) * Number(qty)).toFixed(2), breakdown: [{ kind: 'base' as const, ref: 'PT', title: 'Опт', how: 'base', price }],
});

async function newOrder(db: Database, portalId: number, o: Partial<{ dealerId: number; userId: number; companyId: number; stageKey: string; sku: string; total: string }> = {}): Promise<OrderRow> {
  const repo = createOrdersRepository(db);
  return withTransaction(db, async (tx) => {
    const number = formatOrderNumber(await repo.nextNumber(portalId, tx));
    const lines = [line(1, o.sku ?? 'AB-1', '2', '10.50'), line(2, 'CD-2', '1', '99.99')];
    return repo.insertOrder(
      { portalId, dealerId: o.dealerId ?? 1, dealerItemId: 11, externalId: crypto.randomUUID(), number, requestKey: `req:${number}`, companyId: o.companyId ?? 100, userId: o.userId ?? 500, actorUserId: o.userId ?? 500, source: 'cabinet', status: 'submitted', stageKey: o.stageKey ?? 'new', currency: 'RUB', total: o.total ?? '120.99', deliveryMethod: 'pickup', deliveryAddress: null, desiredDate: '2026-12-01', comment: null, warehouse: null },
      lines,
      new Date(),
      tx,
    );
  });
}

describe.each(STORAGE_BACKENDS)('order index on $name', ({ create }) => {
  const db = useMigratedDatabase(create);
  let seqPortal = 0;
  const portal = () => ++seqPortal + (process.pid % 1000) * 100;

  it('when orders are numbered concurrently, then numbers are unique and consecutive per portal', async () => {
    const p = portal();
    const orders = await Promise.all(Array.from({ length: 8 }, () => newOrder(db(), p)));
    expect(new Set(orders.map((o) => o.number)).size).toBe(8);
    expect(orders.map((o) => o.number).sort()).toEqual(Array.from({ length: 8 }, (_, i) => formatOrderNumber(i + 1)));
    const other = await newOrder(db(), portal());
    expect(other.number).toBe('DH-000001');
  });

  it('when an order is stored, then its lines keep exact decimals and the breakdown, and events come back in order', async () => {
    const p = portal();
    const repo = createOrdersRepository(db());
    const o = await newOrder(db(), p);
    const lines = await repo.lines(o.id);
    expect(lines.map((l) => [l.sku, l.baseQty, l.price, l.lineTotal])).toEqual([
      ['AB-1', '2', '10.50', '21.00'],
      ['CD-2', '1', '99.99', '99.99'],
    ]);
    expect(lines[0]!.breakdown[0]).toMatchObject({ kind: 'base', price: '10.50' });
    await repo.addEvent(o, { kind: 'submitted', stageKey: 'new', actorUserId: 500 });
    await repo.addEvent(o, { kind: 'stage', stageKey: 'confirmed', message: 'ERP: Согласован' });
    expect((await repo.events(o.id)).map((e) => `${e.kind}:${e.stageKey}`)).toEqual(['submitted:new', 'stage:confirmed']);
    await repo.update(p, o.id, { erpNumber: 'ЗК-0042', erpHandoff: 'posted', changesPending: true, stageKey: 'confirmed', stageChanged: true });
    expect(await repo.get(p, o.id)).toMatchObject({ erpNumber: 'ЗК-0042', erpHandoff: 'posted', changesPending: true, stageKey: 'confirmed' });
    expect((await repo.findByExternalId(p, o.externalId))?.id).toBe(o.id);
    expect((await repo.findByRequestKey(p, o.requestKey!))?.id).toBe(o.id);
  });

  it('when the list is filtered, searched, sorted and paged, then it answers only what matches', async () => {
    const p = portal();
    const repo = createOrdersRepository(db());
    const a1 = await newOrder(db(), p, { dealerId: 1, userId: 500, stageKey: 'new', total: '10.00' });
    const a2 = await newOrder(db(), p, { dealerId: 1, userId: 501, stageKey: 'shipped', total: '900.00', sku: 'ZZ-100%' });
    const a3 = await newOrder(db(), p, { dealerId: 1, userId: 500, companyId: 101, stageKey: 'shipped', total: '95.00' });
    await newOrder(db(), p, { dealerId: 2, userId: 600 });
    const ids = (r: { items: OrderRow[] }) => r.items.map((o) => o.id);
    expect(ids(await repo.list({ portalId: p, dealerId: 1, offset: 0, limit: 50 }))).toEqual([a3.id, a2.id, a1.id]);
    expect(ids(await repo.list({ portalId: p, dealerId: 1, userId: 500, offset: 0, limit: 50 }))).toEqual([a3.id, a1.id]);
    expect(ids(await repo.list({ portalId: p, dealerId: 1, companyIds: [101], offset: 0, limit: 50 }))).toEqual([a3.id]);
    expect(ids(await repo.list({ portalId: p, dealerId: 1, stageKeys: ['shipped'], sort: 'total', dir: 'asc', offset: 0, limit: 50 }))).toEqual([a3.id, a2.id]);
    expect(ids(await repo.list({ portalId: p, q: a2.number.toLowerCase(), offset: 0, limit: 50 }))).toEqual([a2.id]);
    expect(ids(await repo.list({ portalId: p, q: 'zz-100%', offset: 0, limit: 50 }))).toEqual([a2.id]);
    expect(ids(await repo.list({ portalId: p, q: '100_', offset: 0, limit: 50 }))).toEqual([]);
    const page = await repo.list({ portalId: p, dealerId: 1, offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3 });
    expect(ids(page)).toEqual([a2.id]);
  });

  it('when lines are on the waiting list, then the check finds them until they are marked notified', async () => {
    const p = portal();
    const repo = createOrdersRepository(db());
    const o = await newOrder(db(), p);
    const [l1] = await repo.lines(o.id);
    await repo.updateLine(l1!.id, { reservedQty: '0', waitingQty: '2' });
    expect((await repo.waitingLines(p)).map((l) => [l.id, l.order.id])).toEqual([[l1!.id, o.id]]);
    await repo.updateLine(l1!.id, { waitingNotified: true });
    expect(await repo.waitingLines(p)).toEqual([]);
  });

  it('when a manager proposal is agreed, then lines change, removed lines go and numbering closes up', async () => {
    const p = portal();
    const repo = createOrdersRepository(db());
    const o = await newOrder(db(), p);
    const [l1, l2] = await repo.lines(o.id);
    await repo.updateLine(l1!.id, { proposed: { kind: 'remove', byUserId: 7, at: 'now' } });
    await repo.updateLine(l2!.id, { proposed: { kind: 'change', baseQty: '3', price: '90.00', lineTotal: '270.00', byUserId: 7, at: 'now' } });
    const stored = await repo.lines(o.id);
    expect(stored[1]!.proposed).toMatchObject({ kind: 'change', baseQty: '3' });
    const { lineInputOf } = await import('../../server/modules/orders/reprice-order.js');
    const next = applyProposals(stored.map(lineInputOf));
    expect(next.map((l) => [l.lineNo, l.sku, l.baseQty, l.price, l.lineTotal])).toEqual([[1, 'CD-2', '3', '90.00', '270.00']]);
    await withTransaction(db(), (tx) => repo.replaceLines(o, next, new Date(), tx));
    expect((await repo.lines(o.id)).map((l) => [l.sku, l.proposed])).toEqual([['CD-2', null]]);
  });
});
