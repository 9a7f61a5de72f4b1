import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRobotRunsRepository, ROBOT_RUN_JOB } from '../../robots/index.js';
import { seedErpFinance, spyOnPortalCalls, startHarness, waitFor, type Harness } from './placements-fixture.js';

/**
 * Each robot end to end against the sandbox's business-process engine: a robot attached to an Orders or Claims stage,
 * an item moved into that stage, the portal posting to /robots/:code, our job running the handler, and the return
 * values arriving in the workflow through bizproc.event.send.
 */
describe('robots against the sandbox automation', () => {
  let h: Harness;
  let calls: Map<string, number>;
  let stageNo = 0;
  const orders = () => h.sp.orders!;
  const a = () => h.portal.users.dealers[0]!;
  const b = () => h.portal.users.dealers[1]!;

  /** Attaches a robot to a stage of its own and moves the item there; returns the finished workflow step. */
  async function runRobot(entity: 'orders' | 'claims', itemId: number, robot: string, properties: Record<string, unknown> = {}) {
    const sp = h.sp[entity]!;
    const stageKeys = entity === 'orders' ? ['approval', 'agreed', 'sentToErp', 'confirmed', 'invoiced', 'paid', 'shipped'] : ['review', 'approved', 'partsShipped'];
    const stageId = sp.stages[stageKeys[stageNo++ % stageKeys.length]!]!;
    h.portal.automation.detach({ entityTypeId: sp.entityTypeId, stageId });
    h.portal.automation.attach({ entityTypeId: sp.entityTypeId, stageId, robot, properties });
    // Leave the stage first so entering it starts a new workflow.
    await h.client.call('crm.item.update', { entityTypeId: sp.entityTypeId, id: itemId, fields: { stageId: sp.stages.new } });
    await h.client.call('crm.item.update', { entityTypeId: sp.entityTypeId, id: itemId, fields: { stageId } });
    const wf = await waitFor(() => h.portal.automation.log(sp.entityTypeId, itemId).find((w) => w.stageId === stageId && w.steps[0]?.robotCode === robot), 5000, 'workflow');
    const step = await waitFor(() => (['done', 'failed', 'skipped'].includes(wf.steps[0]!.status) ? wf.steps[0]! : null), 15_000, `robot ${robot} finished`);
    return step;
  }

  beforeAll(async () => {
    h = await startHarness();
    calls = spyOnPortalCalls(h);
    await seedErpFinance(h, [
      { erpId: 'ERP-A', name: 'ТехноСнаб', inn: '7701234567', debt: '30000.00', overdue: '0', overdueDays: 0 },
      { erpId: 'ERP-B', name: 'СтройДилер', inn: '7812345678', debt: '10000.00', overdue: '4000.00', overdueDays: 15 },
    ]);
  });
  afterAll(() => h?.close());

  describe('dh_check_dealer_credit', () => {
    let dealerA: number;
    let dealerB: number;
    beforeAll(async () => {
      dealerA = await h.createDealer({ title: a().title, companyId: a().companyId, managerId: a().managerId, creditLimit: '100000.00', blockOverLimit: true, blockOverdueDays: 10, erpCustomerId: 'ERP-A' });
      dealerB = await h.createDealer({ title: b().title, companyId: b().companyId, managerId: b().managerId, creditLimit: '100000.00', blockOverLimit: true, blockOverdueDays: 10, erpCustomerId: 'ERP-B' });
    });

    it('when the order fits the available credit, then ok with availableCredit, and the verdict is written into the order', async () => {
      const order = await h.createOrder({ dealerItemId: dealerA, companyId: a().companyId, number: 'CR-1', lines: [{ name: 'Насос', price: 25000, quantity: 2 }] });
      const step = await runRobot('orders', order, 'dh_check_dealer_credit');
      expect(step.status).toBe('done');
      expect(step.returnValues).toMatchObject({ dhResult: 'ok', availableCredit: '70000.00' });
      expect(String(step.returnValues!.dhMessage)).toContain('50000.00 RUB');
      const item = (await h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: orders().entityTypeId, id: order })).item;
      expect(String(item[orders().fields.creditCheck!.restName])).toMatch(/^ok: /);
    });

    it('when the order is larger than limit minus ERP debt, then blocked with the reason', async () => {
      const order = await h.createOrder({ dealerItemId: dealerA, companyId: a().companyId, number: 'CR-2', lines: [{ name: 'Котёл', price: 80000, quantity: 1 }] });
      const step = await runRobot('orders', order, 'dh_check_dealer_credit');
      expect(step.returnValues).toMatchObject({ dhResult: 'blocked', availableCredit: '70000.00' });
      expect(String(step.returnValues!.dhMessage)).toContain('80000.00 RUB');
      const item = (await h.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: orders().entityTypeId, id: order })).item;
      expect(String(item[orders().fields.creditCheck!.restName])).toMatch(/^blocked: /);
    });

    it('when the dealer is overdue longer than its rule allows, then blocked for the overdue even for a small order', async () => {
      const order = await h.createOrder({ dealerItemId: dealerB, companyId: b().companyId, number: 'CR-3', lines: [{ name: 'Кран', price: 100, quantity: 1 }] });
      const step = await runRobot('orders', order, 'dh_check_dealer_credit');
      expect(step.returnValues).toMatchObject({ dhResult: 'blocked' });
      expect(String(step.returnValues!.dhMessage)).toMatch(/просрочка 15 дн\./);
    });

    it('when the ERP has no figures for a dealer with credit rules, then error, never ok', async () => {
      const company = await h.client.call<number>('crm.company.add', { fields: { TITLE: 'ООО «Новичок»' } });
      const dealer = await h.createDealer({ title: 'ООО «Новичок»', companyId: company, creditLimit: '50000', blockOverLimit: true, erpCustomerId: 'ERP-NONE' });
      const order = await h.createOrder({ dealerItemId: dealer, companyId: company, number: 'CR-4', lines: [{ name: 'Кран', price: 100, quantity: 1 }] });
      const step = await runRobot('orders', order, 'dh_check_dealer_credit');
      expect(step.returnValues).toMatchObject({ dhResult: 'error' });
      expect(String(step.returnValues!.dhMessage)).toMatch(/нет данных ERP/);
    });

    it('when the order has no dealer, then error with the reason (the workflow can branch)', async () => {
      const order = (await h.client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: orders().entityTypeId, fields: { title: 'Без дилера', stageId: orders().stages.new } })).item.id;
      const step = await runRobot('orders', order, 'dh_check_dealer_credit');
      expect(step.returnValues).toMatchObject({ dhResult: 'error', dhMessage: 'the order is not linked to a dealer' });
    });

    it('when bizproc.event.send fails once, then the job retries the send only: the handler ran once, one answer arrived', async () => {
      const order = await h.createOrder({ dealerItemId: dealerA, companyId: a().companyId, number: 'CR-5', lines: [{ name: 'Насос', price: 1000, quantity: 1 }] });
      const updatesBefore = calls.get('crm.item.update') ?? 0;
      h.portal.faults.failNext(1, { method: 'bizproc.event.send', status: 500, code: 'INTERNAL_SERVER_ERROR' });
      const step = await runRobot('orders', order, 'dh_check_dealer_credit');
      expect(step.returnValues).toMatchObject({ dhResult: 'ok' });
      // Exactly one creditCheck write by the handler (the test's own stage moves go through h.client, not counted).
      expect((calls.get('crm.item.update') ?? 0) - updatesBefore).toBe(1);
      expect(h.portal.automation.log(orders().entityTypeId, order).at(-1)!.steps[0]!.status).toBe('done');
      const runs = await createRobotRunsRepository(h.t.ctx.db.sequelize).listForPortal(h.portalId, 1);
      expect(runs[0]).toMatchObject({ code: 'dh_check_dealer_credit', status: 'sent', result: 'ok' });
    });
  });

  describe('dh_request_manager_approval and dh_notify_dealer', () => {
    let dealerA: number;
    let order: number;
    beforeAll(async () => {
      dealerA = (await h.t.ctx.dealers.findByCompanyId(h.portalId, a().companyId))[0]!.b24ItemId;
      order = await h.createOrder({ dealerItemId: dealerA, companyId: a().companyId, number: 'N-1', lines: [{ name: 'Насос', price: 1000, quantity: 1 }] });
      // Dealer users: the head stays on, the buyer switched order-status notices off, a third user is inactive.
      const d = (await h.t.ctx.dealers.findByItemId(h.portalId, dealerA))!;
      const head = await h.t.ctx.dealers.upsertUser(h.portalId, { dealerId: d.id, b24UserId: a().userIds[0]!, name: 'Сергей Иванов' });
      const buyer = await h.t.ctx.dealers.upsertUser(h.portalId, { dealerId: d.id, b24UserId: a().userIds[1]!, name: 'Анна Смирнова' });
      const gone = await h.t.ctx.dealers.upsertUser(h.portalId, { dealerId: d.id, b24UserId: 9100, name: 'Ушедший Сотрудник', role: 'dealer_viewer' });
      await h.t.ctx.dealers.updateUserAccess(h.portalId, buyer.id, { notificationSettings: { order_status: false, order_changed: true } });
      await h.t.ctx.dealers.updateUserAccess(h.portalId, gone.id, { active: false });
      expect(head.role).toBe('dealer_head');
    });

    it("when approval is requested, then the dealer's personal manager gets a notice with a link and managerId comes back", async () => {
      const step = await runRobot('orders', order, 'dh_request_manager_approval', { comment: 'Проверьте скидку' });
      expect(step.returnValues).toMatchObject({ dhResult: 'ok', managerId: `user_${a().managerId}` });
      const note = h.portal.store.notifications.all().filter((n) => n.toUserId === a().managerId).at(-1)!;
      expect(note.message).toContain('N-1');
      expect(note.message).toContain('Проверьте скидку');
      expect(note.message).toContain(`[URL=http://${h.portal.domain}/crm/type/${orders().entityTypeId}/details/${order}/]`);
    });

    it('when the dealer has no personal manager, then error with the reason', async () => {
      const company = await h.client.call<number>('crm.company.add', { fields: { TITLE: 'ООО «Без менеджера»' } });
      const dealer = await h.createDealer({ title: 'ООО «Без менеджера»', companyId: company });
      const o = await h.createOrder({ dealerItemId: dealer, companyId: company, number: 'N-2' });
      const step = await runRobot('orders', o, 'dh_request_manager_approval');
      expect(step.returnValues).toMatchObject({ dhResult: 'error' });
      expect(String(step.returnValues!.dhMessage)).toMatch(/has no personal manager/);
    });

    it('when dealer users are notified, then only active users who did not switch that kind off get it; nothing is sent back (no subscription)', async () => {
      const sendsBefore = calls.get('bizproc.event.send') ?? 0;
      const before = h.portal.store.notifications.all().length;
      const step = await runRobot('orders', order, 'dh_notify_dealer', { message: 'Заказ подтверждён и передан на склад', kind: 'order_status' });
      expect(step.status).toBe('done');
      await waitFor(async () => (await createRobotRunsRepository(h.t.ctx.db.sequelize).listForPortal(h.portalId, 1))[0]?.status === 'done', 5000, 'notify run done');
      const sent = h.portal.store.notifications.all().slice(before);
      expect(sent.map((n) => n.toUserId)).toEqual([a().userIds[0]]);
      expect(sent[0]!.message).toContain('Заказ подтверждён и передан на склад');
      expect(sent[0]!.message).toContain('N-1');
      const run = (await createRobotRunsRepository(h.t.ctx.db.sequelize).listForPortal(h.portalId, 1))[0]!;
      expect(run.returnValues).toMatchObject({ dhResult: 'ok', notified: 1 });
      expect(calls.get('bizproc.event.send') ?? 0).toBe(sendsBefore);
    });

    it('when another kind is notified, then the buyer who only switched order_status off gets it too', async () => {
      const before = h.portal.store.notifications.all().length;
      await runRobot('orders', order, 'dh_notify_dealer', { message: 'В заказе изменены количества', kind: 'order_changed' });
      await waitFor(() => h.portal.store.notifications.all().length >= before + 2, 5000, 'two notices');
      expect(h.portal.store.notifications.all().slice(before).map((n) => n.toUserId).sort()).toEqual([...a().userIds].sort());
    });
  });

  describe('robots whose modules come later', () => {
    // Their real bodies (server/modules/orders) work on orders DealerHub submitted; the pipeline test covers those.
    it.each(['dh_send_order_to_erp', 'dh_reserve_stock', 'dh_recalculate_order_prices'])('when %s runs on an Orders item DealerHub did not submit, then it answers error and does nothing else', async (code) => {
      const dealer = (await h.t.ctx.dealers.findByCompanyId(h.portalId, a().companyId))[0]!.b24ItemId;
      const order = await h.createOrder({ dealerItemId: dealer, companyId: a().companyId, number: `L-${code}` });
      const writes = calls.get('crm.item.update') ?? 0;
      const step = await runRobot('orders', order, code);
      expect(step.returnValues).toMatchObject({ dhResult: 'error' });
      expect(String(step.returnValues!.dhMessage)).toMatch(/not submitted through DealerHub/);
      expect((calls.get('crm.item.update') ?? 0) - writes).toBe(0);
    });

    it('when dh_send_claim_to_erp runs on a claim, then it answers error "not available yet"', async () => {
      const dealer = (await h.t.ctx.dealers.findByCompanyId(h.portalId, a().companyId))[0]!.b24ItemId;
      const claim = await h.createClaim({ dealerItemId: dealer, companyId: a().companyId, number: 'RC-1' });
      const step = await runRobot('claims', claim, 'dh_send_claim_to_erp');
      expect(step.returnValues).toMatchObject({ dhResult: 'error' });
      expect(String(step.returnValues!.dhMessage)).toMatch(/^not available yet: /);
    });
  });

  it('when every robot ran, then each robot call made exactly one job', async () => {
    await waitFor(async () => (await h.t.ctx.jobs.counts({ kinds: [ROBOT_RUN_JOB] })).running === 0, 5000, 'no robot job running');
    const jobs = await h.t.ctx.jobs.list({ kind: ROBOT_RUN_JOB, limit: 500 });
    const keys = jobs.items.map((j) => j.dedupKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(jobs.items.filter((j) => j.status !== 'done').map((j) => [j.status, j.lastError])).toEqual([]);
  });
});
