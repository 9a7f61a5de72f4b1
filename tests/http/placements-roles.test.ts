import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWidgetsBuilt, startHarness, type Harness } from './placements-fixture.js';

/**
 * Who gets which role when they open a widget, against the sandbox portal: the portal admin, managers, a service
 * engineer named in the settings, extranet users of two dealers (each sees their own dealer), and an extranet user
 * whose company is not a dealer.
 */
describe('placement role resolution', () => {
  let h: Harness;
  let dealerA: number;
  let dealerB: number;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    h = await startHarness();
    const [a, b] = h.portal.users.dealers;
    dealerA = await h.createDealer({ title: a!.title, companyId: a!.companyId, managerId: a!.managerId, creditLimit: '500000', erpCustomerId: 'C-A' });
    dealerB = await h.createDealer({ title: b!.title, companyId: b!.companyId, managerId: b!.managerId, creditLimit: '300000', erpCustomerId: 'C-B' });
  });
  afterAll(() => h?.close());

  it('when the portal admin opens the app, then the admin settings page is served with an admin session', async () => {
    const res = await h.placementPost(h.portal.users.admin, '/app');
    expect(res.status).toBe(200);
    const boot = h.bootstrapOf(res);
    expect(boot.widget).toBe('admin');
    expect(boot.user).toMatchObject({ id: h.portal.users.admin, role: 'admin', dealerId: null });
    expect(res.headers['content-security-policy']).toContain(`frame-ancestors http://${h.portal.domain}`);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    // The page's own scripts come from /widgets/assets with a long, immutable cache (their names carry a hash).
    const script = /src="(\/widgets\/assets\/[^"]+\.js)"/.exec(res.text)![1]!;
    const asset = await request(h.server).get(script);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    expect((await request(h.server).get('/widgets/assets/nope.js')).status).toBe(404);
  });

  it('when a manager opens the app, then they get the cabinet as a manager (not the admin page)', async () => {
    const res = await h.placementPost(h.portal.users.managers[0]!, '/app');
    expect(res.status).toBe(200);
    expect(h.bootstrapOf(res)).toMatchObject({ widget: 'cabinet', user: { role: 'manager' } });
  });

  it('when a manager opens the admin widget directly, then it is a 403 page and no session', async () => {
    const res = await h.placementPost(h.portal.users.managers[0]!, '/placement/admin');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('dh-bootstrap');
  });

  it('when an employee is listed as a service engineer in the settings, then their role is service', async () => {
    const service = h.portal.users.service[0]!;
    const before = h.bootstrapOf(await h.placementPost(service, '/placement/cabinet', { placement: 'LEFT_MENU' }));
    expect(before.user.role).toBe('manager');
    await h.t.ctx.portals.updateSettings(h.portalId, (s) => ({ ...s, roles: { serviceUserIds: [service] } }));
    const after = h.bootstrapOf(await h.placementPost(service, '/placement/cabinet', { placement: 'LEFT_MENU' }));
    expect(after.user.role).toBe('service');
  });

  it('when extranet users of dealer A and dealer B open the cabinet, then each is linked to their own dealer; the first becomes head', async () => {
    const [a, b] = h.portal.users.dealers;
    const a1 = h.bootstrapOf(await h.placementPost(a!.userIds[0]!, '/placement/cabinet', { placement: 'IM_NAVIGATION' }));
    const a2 = h.bootstrapOf(await h.placementPost(a!.userIds[1]!, '/placement/cabinet', { placement: 'IM_NAVIGATION' }));
    const b1 = h.bootstrapOf(await h.placementPost(b!.userIds[0]!, '/placement/cabinet', { placement: 'IM_NAVIGATION' }));
    expect(a1.user).toMatchObject({ role: 'dealer_head', dealerId: dealerA });
    expect(a2.user).toMatchObject({ role: 'dealer_buyer', dealerId: dealerA });
    expect(b1.user).toMatchObject({ role: 'dealer_head', dealerId: dealerB });
    expect(a1.dealer).toMatchObject({ itemId: dealerA, title: a!.title });
    const linked = await h.t.ctx.dealers.findUser(h.portalId, a!.userIds[1]!);
    expect(linked).toMatchObject({ role: 'dealer_buyer', email: expect.stringContaining('@tehnosnab.example'), contactId: a!.contactIds[1] });
  });

  it('when an extranet user opens a CRM card tab, then it is refused (card tabs are for staff)', async () => {
    const a = h.portal.users.dealers[0]!;
    const res = await h.placementPost(a.userIds[0]!, '/placement/dealer-tab', { placement: `CRM_DYNAMIC_${h.sp.dealers!.entityTypeId}_DETAIL_TAB`, options: { ID: String(dealerA) } });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('dh-bootstrap');
  });

  it('when an extranet user has no dealer, then a clear "not connected to a dealer yet" page answers 403', async () => {
    // A new extranet user with a contact in a company that is not a dealer.
    const companyId = (await h.client.call<number>('crm.company.add', { fields: { TITLE: 'ООО «Не дилер»' } })) as number;
    const store = h.portal.store;
    const userId = 9001;
    const base = store.users.get(h.portal.users.dealers[0]!.userIds[0]!)!;
    store.users.insert({ ...base, ID: userId, EMAIL: 'nobody@nodealer.example', NAME: 'Ник', LAST_NAME: 'Никто', companyId });
    await h.client.call('crm.contact.add', { fields: { NAME: 'Ник', LAST_NAME: 'Никто', COMPANY_ID: companyId, EMAIL: [{ VALUE: 'nobody@nodealer.example', VALUE_TYPE: 'WORK' }] } });
    const res = await h.placementPost(userId, '/placement/cabinet', { placement: 'IM_NAVIGATION' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Вы ещё не подключены к дилеру');
    expect(res.text).not.toContain('dh-bootstrap');
    const en = await h.placementPost(userId, '/placement/cabinet', { placement: 'IM_NAVIGATION', lang: 'en' });
    expect(en.text).toContain('not connected to a dealer yet');
    expect(await h.t.ctx.dealers.findUser(h.portalId, userId)).toBeNull();
  });

  it('when the dealer head switches a user off, then that user gets the "access switched off" page', async () => {
    const a = h.portal.users.dealers[0]!;
    const head = h.bootstrapOf(await h.placementPost(a.userIds[0]!, '/placement/cabinet', { placement: 'IM_NAVIGATION' }));
    const buyer = (await h.t.ctx.dealers.findUser(h.portalId, a.userIds[1]!))!;
    const patched = await h.api(head.session).patch(`/dealers/${dealerA}/users/${buyer.id}`).send({ active: false });
    expect(patched.status).toBe(200);
    const res = await h.placementPost(a.userIds[1]!, '/placement/cabinet', { placement: 'IM_NAVIGATION' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Доступ к кабинету отключён');
    await h.api(head.session).patch(`/dealers/${dealerA}/users/${buyer.id}`).send({ active: true });
  });

  it("when a dealer user's CRM contact moves to dealer B's company, then the next open links them to B as a newcomer, not to A", async () => {
    const [a, b] = h.portal.users.dealers;
    const userId = a!.userIds[1]!;
    const before = (await h.t.ctx.dealers.findUser(h.portalId, userId))!;
    await h.t.ctx.dealers.updateUserAccess(h.portalId, before.id, { grants: ['orders.read.company'] });
    await h.client.call('crm.contact.update', { id: a!.contactIds[1], fields: { COMPANY_ID: b!.companyId, COMPANY_IDS: [b!.companyId] } });
    const boot = h.bootstrapOf(await h.placementPost(userId, '/placement/cabinet', { placement: 'IM_NAVIGATION' }));
    expect(boot.user).toMatchObject({ dealerId: dealerB, role: 'dealer_buyer' });
    expect(await h.t.ctx.dealers.findUser(h.portalId, userId)).toMatchObject({ grants: [], legalEntityIds: [] });
    const cabinet = await h.api(boot.session).get('/cabinet');
    expect(cabinet.body.dealer.itemId).toBe(dealerB);
    expect((await h.api(boot.session).get(`/dealers/${dealerA}`)).status).toBe(404);
    expect((await h.t.ctx.audit.listForPortal(h.portalId)).some((e) => e.action === 'dealer.user.moved')).toBe(true);
  });
});
