import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { SESSION_HEADER } from '../../server/modules/access/index.js';
import { catalogRoutes, configureCatalog } from '../../server/modules/catalog/index.js';
import { pricingDate } from '../../server/modules/pricing/index.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { addOffer, seedCatalogPortal, type CatalogPortal } from './catalog.fixture.js';

/** GET /api/catalog/offers: the special offers a dealer can use today (the cabinet home's promotions banner). */
describe('catalog offers API', () => {
  let t: TestContext;
  let app: Express;
  let p: CatalogPortal;
  let titles: Record<string, string>;
  const get = (path: string, token: string) => request(app).get(path).set(SESSION_HEADER, token);

  beforeAll(async () => {
    t = await createTestContext({ LOG_LEVEL: 'warn' });
    configureCatalog(t.ctx, { checkIntervalMs: 0 });
    p = await seedCatalogPortal(t.ctx, { skus: 50 });
    // The portal's pricing day (default zone Moscow), as the catalog computes it; offers are stored before the catalog loads.
    const today = pricingDate('Europe/Moscow');
    const shift = (days: number) => new Date(new Date(`${today}T12:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const offers = {
      forAll: await addOffer(t.ctx, p.portalId, { kind: 'percent', value: '7', title: 'Для всех', banner: '−7% на всё', validFrom: shift(-3), validTo: shift(10) }),
      groupA: await addOffer(t.ctx, p.portalId, { kind: 'percent', value: '3', title: 'Группа A', audience: { kind: 'dealer_group', group: 'A' } }),
      dealerB: await addOffer(t.ctx, p.portalId, { kind: 'fixed_price', value: '100', title: 'Лично B', audience: { kind: 'dealer', dealerId: p.dealers.b.id } }),
      expired: await addOffer(t.ctx, p.portalId, { kind: 'percent', value: '9', title: 'Прошла', validTo: shift(-1) }),
      future: await addOffer(t.ctx, p.portalId, { kind: 'percent', value: '9', title: 'Будущая', validFrom: shift(1) }),
      inactive: await addOffer(t.ctx, p.portalId, { kind: 'percent', value: '9', title: 'Выключена', active: false }),
    };
    titles = Object.fromEntries(Object.entries(offers).map(([k, o]) => [k, o.title]));
    app = createApp(t.ctx, [(a, c) => a.use('/api', catalogRoutes(c))]);
  }, 60_000);
  afterAll(() => t?.close());

  it('when a dealer of group A asks, then they get the offers for all and for their group valid today, not another dealer’s, expired, future or inactive ones', async () => {
    const res = await get('/api/catalog/offers', await p.session('dealer_buyer', p.dealers.a));
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: { title: string }) => o.title).sort()).toEqual([titles.forAll, titles.groupA].sort());
    expect(res.body.items.find((o: { title: string }) => o.title === titles.forAll)).toMatchObject({ banner: '−7% на всё', kind: 'percent', value: '7' });
  });

  it('when dealer B asks, then their personal offer is there and group A’s is not', async () => {
    const res = await get('/api/catalog/offers', await p.session('dealer_viewer', p.dealers.b));
    expect(res.body.items.map((o: { title: string }) => o.title).sort()).toEqual([titles.forAll, titles.dealerB].sort());
  });

  it('when staff act for a dealer, then they see that dealer’s offers; a dealer user naming another dealer gets 403; no session is 401', async () => {
    const manager = await p.session('manager', null);
    const acting = await get(`/api/catalog/offers?dealerId=${p.dealers.b.id}`, manager);
    expect(acting.body.items.map((o: { title: string }) => o.title)).toContain(titles.dealerB);
    const plain = await get('/api/catalog/offers', manager);
    expect(plain.body.items.map((o: { title: string }) => o.title)).toEqual([titles.forAll]);
    expect((await get(`/api/catalog/offers?dealerId=${p.dealers.b.id}`, await p.session('dealer_head', p.dealers.a))).status).toBe(403);
    expect((await request(app).get('/api/catalog/offers')).status).toBe(401);
  });
});
