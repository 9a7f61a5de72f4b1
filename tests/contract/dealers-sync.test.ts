import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlNonceStore } from '../../placements/index.js';
import { createRobotRunsRepository } from '../../robots/index.js';
import { DEALER_SYNC_ALL_JOB, DEALER_SYNC_ITEM_JOB, syncAllDealers, syncDealerItem } from '../../server/modules/dealers/index.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';
import { seedErpFinance, startHarness, waitFor, type Harness } from '../http/placements-fixture.js';

/**
 * The dealers read model kept in step with the sandbox portal, on SQLite and on MariaDB: a Dealers item and its
 * companies synced with the app token, Bitrix24 events (ONCRMDYNAMICITEMADD/UPDATE/DELETE, ONCRMCOMPANYUPDATE)
 * queued and applied, the full sync removing what the portal no longer has; and the storage our placements and robots
 * rely on for exactly-once (nonces, robot runs) behaving the same on both backends.
 */
describe.each(STORAGE_BACKENDS)('dealers sync on $name', ({ create }) => {
  let db: TestDatabase;
  let h: Harness;
  const a = () => h.portal.users.dealers[0]!;

  beforeAll(async () => {
    db = await create();
    // SQLite runs on a file here (the harness's default), as the app does: workers and requests overlap.
    h = await startHarness({ env: db.kind === 'mariadb' ? { DATABASE_URL: db.url } : {} });
    // The installer bound the item and company events to /b24/events.
    const bound = await h.client.call<Array<{ event: string; handler: string }>>('event.get');
    expect(bound.filter((b) => b.handler === `${h.appUrl}/b24/events`).map((b) => b.event)).toEqual(expect.arrayContaining(['ONCRMDYNAMICITEMADD', 'ONCRMDYNAMICITEMUPDATE', 'ONCRMDYNAMICITEMDELETE', 'ONCRMCOMPANYUPDATE']));
    await seedErpFinance(h, [{ erpId: 'ERP-TS-1', name: 'ТехноСнаб', inn: '7701234567', kpp: '770101001' }]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('when a Dealers item is synced, then its terms, company and requisites land in the read model, linked to the ERP by INN', async () => {
    const id = await h.createDealer({ title: a().title, companyId: a().companyId, managerId: a().managerId, creditLimit: '250000.75', dealerGroup: 'C', paymentTermDays: 45, blockOverdueDays: 7, city: 'Москва' });
    const result = await syncDealerItem(h.t.ctx, h.portalId, id);
    expect(result.status).toBe('upserted');
    const dealer = (await h.t.ctx.dealers.findByItemId(h.portalId, id))!;
    expect(dealer).toMatchObject({ title: a().title, companyId: a().companyId, creditLimit: '250000.75', dealerGroup: 'C', paymentTermDays: 45, blockOverdueDays: 7, blockOverLimit: false, managerUserId: a().managerId, erpCustomerId: 'ERP-TS-1', stage: 'active' });
    expect(await h.t.ctx.dealers.legalEntities(h.portalId, dealer.id)).toEqual([
      expect.objectContaining({ companyId: a().companyId, name: a().title, inn: '7701234567', kpp: '770101001', erpCustomerId: 'ERP-TS-1', isMain: true }),
    ]);
  });

  it('when the portal fires item and company events, then jobs apply them: update, company rename, delete', async () => {
    const id = await waitFor(async () => (await h.t.ctx.dealers.findByCompanyId(h.portalId, a().companyId))[0]?.b24ItemId, 5000, 'dealer');
    await h.client.call('crm.item.update', { entityTypeId: h.sp.dealers!.entityTypeId, id, fields: { [h.sp.dealers!.fields.city!.restName]: 'Тверь', stageId: h.sp.dealers!.stages.paused } });
    await waitFor(async () => (await h.t.ctx.dealers.findByItemId(h.portalId, id))?.city === 'Тверь', 10_000, 'update applied');
    expect((await h.t.ctx.dealers.findByItemId(h.portalId, id))?.stage).toBe('paused');

    await h.client.call('crm.company.update', { id: a().companyId, fields: { TITLE: 'ООО «ТехноСнаб Плюс»' } });
    await waitFor(async () => {
      const d = await h.t.ctx.dealers.findByItemId(h.portalId, id);
      return d && (await h.t.ctx.dealers.legalEntities(h.portalId, d.id))[0]?.name === 'ООО «ТехноСнаб Плюс»';
    }, 10_000, 'company rename applied');

    const created = await h.createDealer({ title: 'ООО «Через событие»', companyId: h.portal.users.dealers[1]!.companyId });
    await waitFor(() => h.t.ctx.dealers.findByItemId(h.portalId, created), 10_000, 'add applied');
    await h.client.call('crm.item.delete', { entityTypeId: h.sp.dealers!.entityTypeId, id: created });
    await waitFor(async () => !(await h.t.ctx.dealers.findByItemId(h.portalId, created)), 10_000, 'delete applied');
    const jobs = await h.t.ctx.jobs.list({ kind: DEALER_SYNC_ITEM_JOB, limit: 200 });
    expect(jobs.items.length).toBeGreaterThanOrEqual(4);
    expect(jobs.items.every((j) => j.portalId === h.portalId)).toBe(true);
  });

  it('when events come for another smart process, then no dealer job is queued', async () => {
    const before = (await h.t.ctx.jobs.list({ kind: DEALER_SYNC_ITEM_JOB, limit: 500 })).items.length;
    await h.client.call('crm.item.add', { entityTypeId: h.sp.orders!.entityTypeId, fields: { title: 'Заказ без последствий' } });
    await h.portal.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.t.ctx.jobs.list({ kind: DEALER_SYNC_ITEM_JOB, limit: 500 })).items.length).toBe(before);
  });

  it('when a full sync runs, then it finds every item and removes read-model dealers the portal no longer has', async () => {
    await h.t.ctx.dealers.upsertFromItem({ portalId: h.portalId, b24ItemId: 99999, title: 'Призрак', stage: 'active', companyId: null, erpCustomerId: null, priceTypeErpId: null, dealerGroup: null, city: null, region: null, creditLimit: null, currency: 'RUB', paymentTermDays: null, blockOverLimit: false, blockOverdueDays: null, managerUserId: null });
    const summary = await syncAllDealers(h.t.ctx, h.portalId);
    expect(summary.failed).toEqual([]);
    expect(summary.seen).toBeGreaterThanOrEqual(1);
    expect(await h.t.ctx.dealers.findByItemId(h.portalId, 99999)).toBeNull();
    const enq = await h.t.ctx.jobs.enqueue({ kind: DEALER_SYNC_ALL_JOB, portalId: h.portalId, payload: { portalId: h.portalId } });
    await waitFor(async () => (await h.t.ctx.jobs.get(enq.id))?.status === 'done', 10_000, 'full sync job');
  });

  it('when the same APP_SID or event_token is recorded twice, then the second is refused on this backend too', async () => {
    const nonces = createSqlNonceStore(h.t.ctx.db.sequelize);
    expect(await nonces.claim(h.portalId, 'sid-contract-1', 60_000)).toBe(true);
    expect(await nonces.claim(h.portalId, 'sid-contract-1', 60_000)).toBe(false);
    expect(await nonces.claim(h.portalId + 1, 'sid-contract-1', 60_000)).toBe(true);
    const runs = createRobotRunsRepository(h.t.ctx.db.sequelize);
    const input = { portalId: h.portalId, tokenHash: 'hash-1', code: 'dh_notify_dealer', workflowId: 'wf', documentId: 'DYNAMIC_1_1' };
    const [r1, r2] = await Promise.all([runs.open(input), runs.open(input)]);
    expect(r1.id).toBe(r2.id);
    await runs.markHandled(r1.id, 'ok', { dhResult: 'ok', notified: 2 }, 'log');
    expect(await runs.find(h.portalId, 'hash-1')).toMatchObject({ status: 'handled', returnValues: { dhResult: 'ok', notified: 2 } });
  });

  it('when dealer users are paged, then pages and totals are consistent', async () => {
    const d = (await h.t.ctx.dealers.findByCompanyId(h.portalId, a().companyId))[0]!;
    for (let i = 0; i < 5; i++) await h.t.ctx.dealers.upsertUser(h.portalId, { dealerId: d.id, b24UserId: 5000 + i, name: `Пользователь ${i}` });
    const p1 = await h.t.ctx.dealers.pageUsers(h.portalId, d.id, { limit: 2 });
    const p3 = await h.t.ctx.dealers.pageUsers(h.portalId, d.id, { limit: 2, offset: 4 });
    expect([p1.items.length, p3.items.length, p1.total]).toEqual([2, 1, 5]);
    expect(p1.items[0]!.role).toBe('dealer_head');
  });
});
