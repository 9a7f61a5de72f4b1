import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWidgetsBuilt, seedErpFinance, startHarness, type Harness } from './placements-fixture.js';

/**
 * What each widget's API answers with real data of its card (the sandbox portal), and the scope rules: a dealer
 * user's session reaches only its own dealer through every /api route, staff-only routes refuse dealer users.
 */
describe('widget API', () => {
  let h: Harness;
  let dealerA: number;
  let dealerB: number;
  let orderA: number;
  let orderB: number;
  let claimB: number;
  let managerSession: string;
  let headA: string;
  let buyerA: string;
  let headB: string;
  const a = () => h.portal.users.dealers[0]!;
  const b = () => h.portal.users.dealers[1]!;
  const open = async (userId: number, path = '/placement/cabinet', placement = 'LEFT_MENU', options: Record<string, unknown> = {}) => {
    const res = await h.placementPost(userId, path, { placement, options });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    return h.bootstrapOf(res).session;
  };

  beforeAll(async () => {
    ensureWidgetsBuilt();
    h = await startHarness();
    // A holding: dealer A's main company plus a second legal entity with its own requisites.
    const second = await h.client.call<number>('crm.company.add', { fields: { TITLE: 'ИП Смирнов А. В.' } });
    await h.client.call('crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: second, PRESET_ID: 1, NAME: 'Реквизиты', RQ_INN: '770987654321' } });
    await seedErpFinance(h, [
      { erpId: 'ERP-TS', name: 'ТехноСнаб', inn: '7701234567', kpp: '770101001', debt: '120000.50', overdue: '20000.00', overdueDays: 12 },
      { erpId: 'ERP-SM', name: 'ИП Смирнов', inn: '770987654321', debt: '5000.00', overdue: '0' },
    ]);
    dealerA = await h.createDealer({
      title: a().title, companyId: a().companyId, legalEntityCompanyIds: [second], managerId: a().managerId, creditLimit: '500000.00', paymentTermDays: 30,
      dealerGroup: 'A', city: 'Москва', region: 'Московская область', priceType: 'Оптовая', blockOverLimit: true, blockOverdueDays: 10,
    });
    dealerB = await h.createDealer({ title: b().title, companyId: b().companyId, managerId: b().managerId, creditLimit: '100000', dealerGroup: 'B', city: 'Санкт-Петербург' });
    managerSession = await open(h.portal.users.managers[0]!);
    headA = await open(a().userIds[0]!, '/placement/cabinet', 'IM_NAVIGATION');
    buyerA = await open(a().userIds[1]!, '/placement/cabinet', 'IM_NAVIGATION');
    headB = await open(b().userIds[0]!, '/placement/cabinet', 'IM_NAVIGATION');
    orderA = await h.createOrder({
      dealerItemId: dealerA, companyId: a().companyId, number: 'A-1001', submittedBy: a().userIds[0], deliveryMethod: 'carrier', deliveryAddress: 'Москва, ул. Складская, 5',
      lines: [
        { name: 'Насос циркуляционный PMP-25', price: 12500.5, quantity: 3, taxRate: 20 },
        { name: 'Фильтр сетчатый 1"', price: 899.99, quantity: 10 },
      ],
    });
    orderB = await h.createOrder({ dealerItemId: dealerB, companyId: b().companyId, number: 'B-2001', lines: [{ name: 'Кран шаровой', price: 450, quantity: 4 }] });
    claimB = await h.createClaim({ dealerItemId: dealerB, companyId: b().companyId, number: 'R-77', serial: 'SN-000123', defect: 'Течь по корпусу', resolution: 'repair', lines: [{ name: 'Ремонт корпуса', price: 1500, quantity: 1 }] });
  });
  afterAll(() => h?.close());

  it('when a manager opens the order tab, then its header and lines come with decimal totals', async () => {
    const tab = await open(h.portal.users.managers[0]!, '/placement/order-tab', `CRM_DYNAMIC_${h.sp.orders!.entityTypeId}_DETAIL_TAB`, { ID: String(orderA) });
    const res = await h.api(tab).get(`/orders/${orderA}`);
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({
      id: orderA,
      number: 'A-1001',
      stage: { key: 'new', name: 'Новый' },
      dealer: { itemId: dealerA, title: a().title, cardPath: `/crm/type/${h.sp.dealers!.entityTypeId}/details/${dealerA}/` },
      legalEntity: { companyId: a().companyId, inn: '7701234567' },
      delivery: { method: { key: 'carrier', label: 'Транспортная компания' }, address: 'Москва, ул. Складская, 5' },
      erp: { number: null },
      currency: 'RUB',
    });
    expect(res.body.lines.map((l: { name: string; quantity: string; price: string; sum: string }) => [l.name, l.quantity, l.price, l.sum])).toEqual([
      ['Насос циркуляционный PMP-25', '3', '12500.50', '37501.50'],
      ['Фильтр сетчатый 1"', '10', '899.99', '8999.90'],
    ]);
    expect(res.body.totals).toEqual({ lines: 2, quantity: '13', discount: '0.00', amount: '46501.40' });
    expect(res.body.order.opportunity).toBe('46501.40');
  });

  it('when the order tab opens in English, then stage and option labels are English', async () => {
    const res = await h.placementPost(h.portal.users.managers[0]!, '/placement/order-tab', { placement: `CRM_DYNAMIC_${h.sp.orders!.entityTypeId}_DETAIL_TAB`, options: { ID: String(orderA) }, lang: 'en' });
    const card = await h.api(h.bootstrapOf(res).session).get(`/orders/${orderA}`);
    expect(card.body.order.stage.name).toBe('New');
    expect(card.body.order.delivery.method.label).toBe('Carrier');
  });

  it('when the dealer tab opens, then terms, blocking rules, holding legal entities with ERP ids, users and ERP finance are there', async () => {
    const res = await h.api(managerSession).get(`/dealers/${dealerA}`);
    expect(res.status).toBe(200);
    expect(res.body.dealer).toMatchObject({
      itemId: dealerA, erpCustomerId: 'ERP-TS', priceType: 'Оптовая', dealerGroup: { key: 'A', label: 'Категория A' }, city: 'Москва', region: 'Московская область',
      creditLimit: '500000.00', paymentTermDays: 30, blocking: { overLimit: true, overdueDays: 10 }, manager: { id: a().managerId, name: 'Мария Соколова' },
    });
    expect(res.body.legalEntities.map((e: { name: string; inn: string; erpCustomerId: string; isMain: boolean }) => [e.inn, e.erpCustomerId, e.isMain])).toEqual([
      ['7701234567', 'ERP-TS', true],
      ['770987654321', 'ERP-SM', false],
    ]);
    expect(res.body.users.map((u: { role: string }) => u.role).sort()).toEqual(['dealer_buyer', 'dealer_head']);
    expect(res.body.finance).toMatchObject({ hasErpData: true, debt: '125000.50', overdue: '20000.00', overdueDays: 12, creditLimit: '500000.00', availableCredit: '374999.50', erpCustomerIds: ['ERP-TS', 'ERP-SM'] });
  });

  it('when the claim tab opens, then product, serial, defect, resolution and lines are there', async () => {
    const res = await h.api(managerSession).get(`/claims/${claimB}`);
    expect(res.status).toBe(200);
    expect(res.body.claim).toMatchObject({ number: 'R-77', product: { sku: 'PMP-25-40', serialNumber: 'SN-000123' }, defect: 'Течь по корпусу', resolution: { key: 'repair', label: 'Ремонт' }, dealer: { itemId: dealerB } });
    expect(res.body.totals.amount).toBe('1500.00');
  });

  it('when the company tab opens on a dealer company, a holding entity and another company, then each says what it is', async () => {
    const main = await h.api(managerSession).get(`/companies/${a().companyId}/dealer`);
    expect(main.body.dealers.map((d: { itemId: number; companyRole: string }) => [d.itemId, d.companyRole])).toEqual([[dealerA, 'main']]);
    const legal = (await h.api(managerSession).get(`/dealers/${dealerA}`)).body.legalEntities[1].companyId;
    const holding = await h.api(managerSession).get(`/companies/${legal}/dealer`);
    expect(holding.body.dealers.map((d: { companyRole: string }) => d.companyRole)).toEqual(['legal-entity']);
    const other = await h.api(managerSession).get(`/companies/${h.portal.users.myCompanyId}/dealer`);
    expect(other.body).toMatchObject({ company: { id: h.portal.users.myCompanyId }, dealers: [] });
  });

  it('when dealer A users open the cabinet, then they see dealer A, their role and manager; B sees B', async () => {
    const ha = await h.api(headA).get('/cabinet');
    expect(ha.body).toMatchObject({ kind: 'dealer', me: { role: 'dealer_head' }, dealer: { itemId: dealerA, title: a().title, manager: { id: a().managerId } } });
    expect(ha.body.legalEntities).toHaveLength(2);
    const hb = await h.api(headB).get('/cabinet');
    expect(hb.body).toMatchObject({ kind: 'dealer', dealer: { itemId: dealerB } });
    expect(JSON.stringify(hb.body)).not.toContain(a().title);
  });

  it("when a dealer A session asks for dealer B's data through any route, then it is not found or forbidden", async () => {
    const api = h.api(headA);
    const answers = await Promise.all([
      api.get(`/orders/${orderB}`),
      api.get(`/claims/${claimB}`),
      api.get(`/dealers/${dealerB}`),
      api.get(`/dealers/${dealerB}/users`),
      api.patch(`/dealers/${dealerB}/users/1`).send({ active: false }),
      api.post(`/dealers/${dealerB}/sync`),
      api.get(`/companies/${b().companyId}/dealer`),
      api.get('/dealers'),
      api.get('/admin/settings'),
      api.get('/admin/employees'),
      api.put('/admin/settings/roles').send({ serviceUserIds: [] }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 403, 403, 403, 403, 403, 403]);
    for (const r of answers) expect(JSON.stringify(r.body)).not.toContain(b().title);
    expect((await api.get(`/orders/${orderA}`)).status).toBe(200);
  });

  it('when a buyer (own orders only) reads an order someone else submitted, then it is not found; company-wide roles see it', async () => {
    expect((await h.api(buyerA).get(`/orders/${orderA}`)).status).toBe(404);
    const mine = await h.createOrder({ dealerItemId: dealerA, companyId: a().companyId, number: 'A-1002', submittedBy: a().userIds[1] });
    expect((await h.api(buyerA).get(`/orders/${mine}`)).status).toBe(200);
    expect((await h.api(buyerA).get(`/dealers/${dealerA}/users`)).status).toBe(403);
  });

  it('when a dealer user is limited to one legal entity, then orders of the other entity are not found', async () => {
    const legal = (await h.api(headA).get(`/dealers/${dealerA}`)).body.legalEntities as Array<{ id: number; companyId: number }>;
    const buyer = (await h.t.ctx.dealers.findUser(h.portalId, a().userIds[1]!))!;
    const patched = await h.api(headA).patch(`/dealers/${dealerA}/users/${buyer.id}`).send({ legalEntityIds: [legal[1]!.id], grants: ['orders.read.company'] });
    expect(patched.status).toBe(200);
    expect(patched.body.user).toMatchObject({ legalEntityIds: [legal[1]!.id], grants: ['orders.read.company'] });
    const session = await open(a().userIds[1]!, '/placement/cabinet', 'IM_NAVIGATION');
    expect((await h.api(session).get(`/orders/${orderA}`)).status).toBe(404);
    const other = await h.createOrder({ dealerItemId: dealerA, companyId: legal[1]!.companyId, number: 'A-1003' });
    expect((await h.api(session).get(`/orders/${other}`)).status).toBe(200);
    const cabinet = await h.api(session).get('/cabinet');
    expect(cabinet.body.legalEntities.map((e: { id: number }) => e.id)).toEqual([legal[1]!.id]);
  });

  it('when the head changes a user\'s role, then the user\'s open session follows at once', async () => {
    const buyer = (await h.t.ctx.dealers.findUser(h.portalId, a().userIds[1]!))!;
    const session = await open(a().userIds[1]!, '/placement/cabinet', 'IM_NAVIGATION');
    expect((await h.api(session).get(`/dealers/${dealerA}/users`)).status).toBe(403);
    await h.api(headA).patch(`/dealers/${dealerA}/users/${buyer.id}`).send({ role: 'dealer_head' });
    expect((await h.api(session).get(`/dealers/${dealerA}/users`)).status).toBe(200);
    expect((await h.api(session).get('/me')).body.role).toBe('dealer_head');
    await h.api(headA).patch(`/dealers/${dealerA}/users/${buyer.id}`).send({ role: buyer.role });
    expect((await h.api(session).get(`/dealers/${dealerA}/users`)).status).toBe(403);
  });

  it('when user changes are invalid, then 4xx says what to fix, and the last active head cannot be removed', async () => {
    const head = (await h.t.ctx.dealers.findUser(h.portalId, a().userIds[0]!))!;
    const lastHead = await h.api(headA).patch(`/dealers/${dealerA}/users/${head.id}`).send({ role: 'dealer_viewer' });
    expect(lastHead.status).toBe(409);
    expect(lastHead.body.error.message).toMatch(/at least one active head/);
    const staffGrant = await h.api(headA).patch(`/dealers/${dealerA}/users/${head.id}`).send({ grants: ['admin.settings'] });
    expect(staffGrant.status).toBe(400);
    expect(staffGrant.body.error.details[0].field).toBe('grants');
    const foreignEntity = await h.api(headA).patch(`/dealers/${dealerA}/users/${head.id}`).send({ legalEntityIds: [999999] });
    expect(foreignEntity.status).toBe(400);
    const empty = await h.api(headA).patch(`/dealers/${dealerA}/users/${head.id}`).send({});
    expect(empty.status).toBe(400);
    const audit = await h.t.ctx.audit.listForPortal(h.portalId);
    expect(audit.some((e) => e.action === 'dealer.user.changed')).toBe(true);
  });

  it('when a head switches themselves off while another head exists, then their next API call is refused at once', async () => {
    const buyer = (await h.t.ctx.dealers.findUser(h.portalId, a().userIds[1]!))!;
    await h.api(managerSession).patch(`/dealers/${dealerA}/users/${buyer.id}`).send({ role: 'dealer_head', legalEntityIds: [] });
    const head = (await h.t.ctx.dealers.findUser(h.portalId, a().userIds[0]!))!;
    expect((await h.api(headA).patch(`/dealers/${dealerA}/users/${head.id}`).send({ active: false })).status).toBe(200);
    const after = await h.api(headA).get('/cabinet');
    expect(after.status).toBe(401);
    await h.api(managerSession).patch(`/dealers/${dealerA}/users/${head.id}`).send({ active: true });
  });

  it('when the admin sets service engineers, then only employees are accepted and the list is paged from the portal', async () => {
    const admin = await open(h.portal.users.admin, '/app', 'DEFAULT');
    const bad = await h.api(admin).put('/admin/settings/roles').send({ serviceUserIds: [a().userIds[0]] });
    expect(bad.status).toBe(400);
    const service = h.portal.users.service[0]!;
    const ok = await h.api(admin).put('/admin/settings/roles').send({ serviceUserIds: [service] });
    expect(ok.body.roles.serviceUsers).toEqual([{ id: service, name: 'Дмитрий Кузнецов' }]);
    const settings = await h.api(admin).get('/admin/settings');
    expect(settings.body.installer.smartProcesses.find((s: { key: string }) => s.key === 'orders')).toMatchObject({ installed: true, entityTypeId: h.sp.orders!.entityTypeId, fields: 13, fieldsExpected: 13 });
    const employees = await h.api(admin).get('/admin/employees').query({ q: 'Кузнецов' });
    expect(employees.body.items.map((e: { id: number }) => e.id)).toEqual([service]);
    expect((await h.api(managerSession).get('/admin/settings')).status).toBe(403);
  });

  it('when the staff dealer list is paged and searched, then it answers pages with totals', async () => {
    const page = await h.api(managerSession).get('/dealers').query({ limit: 1 });
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page.body.items).toHaveLength(1);
    const found = await h.api(managerSession).get('/dealers').query({ q: 'СтройДилер' });
    expect(found.body.items.map((d: { itemId: number }) => d.itemId)).toEqual([dealerB]);
    expect((await h.api(managerSession).get('/dealers').query({ limit: 1000 })).status).toBe(400);
  });
});
