import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type ComposedApp } from '../../server/compose-app.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

/** The app as npm start and production build it: every domain's routes behind the right guards. */
describe('composed app', () => {
  let t: TestContext;
  let composed: ComposedApp;
  let portalId: number;

  beforeAll(async () => {
    t = await createTestContext();
    composed = composeApp(t.ctx, { publicUrl: () => 'http://127.0.0.1:1' });
    portalId = (await t.ctx.portals.upsertInstalled({ memberId: 'm-compose', domain: 'c.bitrix24.ru', protocol: 'https' })).portal.id;
  });
  afterAll(() => t.close());

  const session = (role: 'admin' | 'manager' | 'dealer_head') =>
    issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: 1, role, dealerId: role === 'dealer_head' ? 5 : null, widget: 'admin' }).token;

  it('when an administrator asks for the sync health, then it answers for their portal', async () => {
    const res = await request(composed.app).get('/api/admin/sync/health').set('X-DealerHub-Session', session('admin'));
    expect(res.status).toBe(200);
    expect(res.body).toBeTypeOf('object');
  });

  it('when a manager, an unknown dealer user or nobody asks for the sync health, then 403 / 401 / 401', async () => {
    expect((await request(composed.app).get('/api/admin/sync/health').set('X-DealerHub-Session', session('manager'))).status).toBe(403);
    // a dealer session is re-checked against dealer_users on every call; this one has no row any more
    expect((await request(composed.app).get('/api/admin/sync/health').set('X-DealerHub-Session', session('dealer_head'))).status).toBe(401);
    expect((await request(composed.app).get('/api/admin/outbox?state=dead')).status).toBe(401);
  });

  it('when the domains are composed, then their schedules are all there, each named once', () => {
    const names = composed.schedules.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['orders-waiting-list', 'pricing-rules-full']));
    expect(names.length).toBeGreaterThan(3);
  });

  it('when the cart is asked for without a session, then the orders routes are mounted and guarded', async () => {
    expect((await request(composed.app).get('/api/cart')).status).toBe(401);
    expect((await request(composed.app).get('/api/orders')).status).toBe(401);
  });

  it('when staff open the catalog, then the catalog routes are mounted, load the portal catalog and answer', async () => {
    expect((await request(composed.app).get('/api/catalog/products')).status).toBe(401);
    const res = await request(composed.app).get('/api/catalog/products?pageSize=5').set('X-DealerHub-Session', session('manager'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], total: 0 });
    const groups = await request(composed.app).get('/api/catalog/groups').set('X-DealerHub-Session', session('manager'));
    expect(groups.status).toBe(200);
    expect(groups.body.groups).toEqual([]);
    // a dealer session without its dealer user row is refused here as everywhere
    expect((await request(composed.app).get('/api/search/suggest?q=ab').set('X-DealerHub-Session', session('dealer_head'))).status).toBe(401);
  });
});
