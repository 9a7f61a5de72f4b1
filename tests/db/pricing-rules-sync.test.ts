import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstalled } from '../../installer/index.js';
import { reconcile } from '../../installer/reconcile/reconcile.js';
import { registerTenant, startSandboxWithApp } from '../../installer/testing/sandbox-tenant.js';
import { createApp } from '../../server/app.js';
import { Dec } from '../../server/lib/decimal.js';
import { issueWidgetSession, SESSION_HEADER } from '../../server/modules/access/index.js';
import { catalogFor, catalogRoutes, configureCatalog, enqueuePricingRulesSync, installCatalogModule } from '../../server/modules/catalog/index.js';
import type { Dealer } from '../../server/modules/dealers/index.js';
import { handleAppEvent, ZAppEvent } from '../../server/modules/portals/index.js';
import { createPricingRulesRepository, type TDiscountRule, type TSpecialOffer } from '../../server/modules/pricing/index.js';
import { generateCatalog } from '../../sandbox/erp/catalog/index.js';
import { resultOf } from '../../sandbox/testing/rest-call.js';
import { seedReadModel } from '../perf/load/seed-catalog.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

/**
 * The Discounts and Special offers smart processes → pricing_rules, against the sandbox portal set up by the real
 * installer: enumerations by xmlId, dealer links and targets resolved to our ids, rules that point at nothing
 * reported; item events enqueue a sync of that item; a change re-prices only the dealers in the rule's audience.
 */
describe.each(STORAGE_BACKENDS)('pricing rules sync on $name', ({ create }) => {
  let testDb: TestDatabase;
  let app: Awaited<ReturnType<typeof startSandboxWithApp>>;
  let t: TestContext;
  let portalId: number;
  let dealers: { a: Dealer; b: Dealer };
  let hook: <T>(method: string, params: Record<string, unknown>) => Promise<T>;
  let eti: { discounts: number; offers: number; dealers: number };
  let field: (key: 'discounts' | 'offers', f: string) => string;
  let option: (key: 'discounts' | 'offers', f: string, xmlId: string) => Promise<number>;
  const cat = generateCatalog({ seed: 'pricing-sync', skus: 120, warehouses: 2, customers: 2 });
  const items: Record<string, number> = {};

  const rules = async () => createPricingRulesRepository(t.ctx.db).list(portalId);
  const ruleOf = async (source: 'discount' | 'offer', itemId: number) => (await rules()).find((r) => r.source === source && r.b24ItemId === itemId);
  const addItem = async (key: 'discounts' | 'offers', fields: Record<string, unknown>) => (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: eti[key], fields })).item.id;
  const event = (name: string, key: 'discounts' | 'offers', id: number, ts: number) =>
    handleAppEvent(
      t.ctx,
      ZAppEvent.parse({ event: name, data: { FIELDS: { ID: String(id), ENTITY_TYPE_ID: String(eti[key]) } }, ts: String(ts), auth: { domain: app.sandbox.domain, member_id: app.sandbox.memberId, application_token: app.applicationToken } }),
    );

  beforeAll(async () => {
    testDb = await create();
    app = await startSandboxWithApp();
    t = await createTestContext({ DATABASE_URL: testDb.url, APP_CLIENT_ID: app.clientId, APP_CLIENT_SECRET: app.clientSecret, B24_OAUTH_SERVERS: app.sandbox.serverEndpoint, LOG_LEVEL: 'warn' });
    portalId = await registerTenant(t.ctx, app);
    const run = await reconcile({ ctx: t.ctx, portalId, publicUrl: app.publicUrl });
    expect(run.status).toBe('done');
    configureCatalog(t.ctx, { checkIntervalMs: 60_000 });
    installCatalogModule(t.ctx);
    await seedReadModel(t.ctx.db, portalId, cat, t.ctx.logger);
    hook = (method, params) => resultOf(app.sandbox.webhookUrl, method, params);
    const installed = readInstalled((await t.ctx.portals.findById(portalId))!.settings);
    eti = { discounts: installed.entityTypeIds.discounts, offers: installed.entityTypeIds.offers, dealers: installed.entityTypeIds.dealers };
    field = (key, f) => installed.smartProcess(key).field(f).restName;
    option = async (key, f, xmlId) => {
      const got = await hook<{ field: { enum: Array<{ id: string; xmlId: string }> } }>('userfieldconfig.get', { moduleId: 'crm', id: installed.smartProcess(key).field(f).id });
      return Number(got.field.enum.find((e) => e.xmlId === xmlId)!.id);
    };
    // Two dealers as the Dealers smart process has them, and their copies in DealerHub.
    const dealerItem = async (title: string) => (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: eti.dealers, fields: { title } })).item.id;
    const dealerRow = async (b24ItemId: number, group: string, tier: 'A' | 'B') =>
      t.ctx.dealers.upsertFromItem({
        portalId,
        b24ItemId,
        title: `Дилер ${group}`,
        stage: 'active',
        companyId: null,
        erpCustomerId: null,
        priceTypeErpId: cat.priceTypes.find((x) => x.dealerTier === tier)!.ref,
        dealerGroup: group,
        city: null,
        region: null,
        creditLimit: null,
        currency: 'RUB',
        paymentTermDays: null,
        blockOverLimit: false,
        blockOverdueDays: null,
        managerUserId: null,
      });
    dealers = { a: await dealerRow(await dealerItem('ТехноСнаб'), 'A', 'A'), b: await dealerRow(await dealerItem('СтройДилер'), 'B', 'B') };
  });
  afterAll(async () => {
    await t.close();
    await app.close();
    await testDb.drop();
  });

  it('when the reference book is synced, then every item is stored as a rule: enumerations by xmlId, dealers and targets resolved to our ids', async () => {
    const catalog = await catalogFor(t.ctx, portalId);
    const s = catalog.snapshot!;
    const groups = [...s.groups.values()];
    const group = groups.find((g) => groups.filter((x) => x.name === g.name).length === 1 && !groups.some((c) => c.parentId === g.id))!;
    const product = s.index.products.find((x) => x.onSale)!;
    const offerProduct = s.index.products.filter((x) => x.onSale)[1]!;
    const brand = s.index.products.find((x) => x.brand)!.brand!;
    const d = (f: string) => field('discounts', f);
    const o = (f: string) => field('offers', f);
    items.group = await addItem('discounts', {
      title: 'Сезон: газонокосилки',
      [d('audience')]: await option('discounts', 'audience', 'all'),
      [d('target')]: await option('discounts', 'target', 'group'),
      [d('targetRef')]: group.name.toUpperCase(),
      [d('kind')]: await option('discounts', 'kind', 'percent'),
      [d('value')]: 12.5,
      [d('priority')]: 2,
      [d('validFrom')]: '2026-01-01',
      [d('validTo')]: '2030-12-31',
      [d('active')]: 'Y',
    });
    items.personal = await addItem('discounts', {
      title: 'Персональная цена',
      [d('audience')]: await option('discounts', 'audience', 'dealer'),
      [d('dealer')]: dealers.a.b24ItemId,
      [d('target')]: await option('discounts', 'target', 'product'),
      [d('targetRef')]: product.sku,
      [d('kind')]: await option('discounts', 'kind', 'fixed_price'),
      [d('value')]: 999,
    });
    items.brandB = await addItem('discounts', {
      title: 'Бренд для группы B',
      [d('audience')]: await option('discounts', 'audience', 'dealer_group'),
      [d('dealerGroup')]: await option('discounts', 'dealerGroup', 'B'),
      [d('target')]: await option('discounts', 'target', 'brand'),
      [d('targetRef')]: brand.toLowerCase(),
      [d('kind')]: await option('discounts', 'kind', 'percent'),
      [d('value')]: 7,
    });
    items.nowhere = await addItem('discounts', {
      title: 'Ошибка в группе',
      [d('audience')]: await option('discounts', 'audience', 'all'),
      [d('target')]: await option('discounts', 'target', 'group'),
      [d('targetRef')]: 'Нет такой группы',
      [d('kind')]: await option('discounts', 'kind', 'percent'),
      [d('value')]: 5,
    });
    items.unknownDealer = await addItem('discounts', {
      title: 'Чужой дилер',
      [d('audience')]: await option('discounts', 'audience', 'dealer'),
      [d('dealer')]: 987_654,
      [d('target')]: await option('discounts', 'target', 'all'),
      [d('kind')]: await option('discounts', 'kind', 'percent'),
      [d('value')]: 3,
    });
    items.offer = await addItem('offers', {
      title: 'Осенняя распродажа',
      [o('audience')]: await option('offers', 'audience', 'all'),
      [o('target')]: await option('offers', 'target', 'product'),
      [o('targetRef')]: offerProduct.erpId,
      [o('kind')]: await option('offers', 'kind', 'percent'),
      [o('value')]: 5,
      [o('conditions')]: 'при заказе до 30 ноября',
      [o('banner')]: 'Скидка 5%',
    });

    await enqueuePricingRulesSync(t.ctx, portalId);
    await t.ctx.jobs.drain();

    expect((await ruleOf('discount', items.group!))!.rule).toMatchObject({
      id: items.group,
      audience: { kind: 'all' },
      target: { kind: 'group', groupId: String(group.id) },
      kind: 'percent',
      value: '12.5',
      priority: 2,
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
      active: true,
    } satisfies Partial<TDiscountRule>);
    expect((await ruleOf('discount', items.personal!))!.rule).toMatchObject({ audience: { kind: 'dealer', dealerId: dealers.a.id }, target: { kind: 'product', productId: String(product.id) }, kind: 'fixed_price', value: '999' });
    expect((await ruleOf('discount', items.brandB!))!.rule).toMatchObject({ audience: { kind: 'dealer_group', group: 'B' }, target: { kind: 'brand', brand } });
    expect((await ruleOf('offer', items.offer!))!.rule).toMatchObject({
      target: { kind: 'product', productId: String(offerProduct.id) },
      conditions: 'при заказе до 30 ноября',
      banner: 'Скидка 5%',
    } satisfies Partial<TSpecialOffer>);
    const problems = await createPricingRulesRepository(t.ctx.db).problems(portalId);
    expect(problems.map((r) => [r.b24ItemId, r.status]).sort()).toEqual([
      [items.nowhere, 'unresolved'],
      [items.unknownDealer, 'unresolved'],
    ].sort());
    expect(problems.find((r) => r.b24ItemId === items.nowhere)!.problem).toContain('Нет такой группы');

    // The admin sees them through the API.
    const api = createApp(t.ctx, [(a, c) => a.use('/api', catalogRoutes(c))]);
    const admin = issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: 1, role: 'admin', dealerId: null, widget: 'admin' }).token;
    const res = await request(api).get('/api/pricing/rules/problems').set(SESSION_HEADER, admin);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { title: string }) => i.title).sort()).toEqual(['Ошибка в группе', 'Чужой дилер']);
    await t.ctx.dealers.upsertUser(portalId, { dealerId: dealers.a.id, b24UserId: 77, name: 'Head', role: 'dealer_head' });
    const dealerUser = issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: 77, role: 'dealer_head', dealerId: dealers.a.b24ItemId, widget: 'cabinet' }).token;
    expect((await request(api).get('/api/pricing/rules/problems').set(SESSION_HEADER, dealerUser)).status).toBe(403);

    // Synced again with nothing changed: nothing is written.
    const before = (await rules()).map((r) => r.updatedAt.getTime());
    await enqueuePricingRulesSync(t.ctx, portalId);
    await t.ctx.jobs.drain();
    expect((await rules()).map((r) => r.updatedAt.getTime())).toEqual(before);
  });

  it('when a rule changes in the portal, then its event syncs that item and only dealers in its audience are re-priced', async () => {
    const catalog = await catalogFor(t.ctx, portalId);
    await catalog.check();
    const a = catalog.dealerPricing(dealers.a.id)!;
    const b = catalog.dealerPricing(dealers.b.id)!;
    const brandRule = (await ruleOf('discount', items.brandB!))!.rule as TDiscountRule;
    const groupRule = (await ruleOf('discount', items.group!))!.rule as TDiscountRule;
    const s = catalog.snapshot!;
    // A product of the brand outside the group of the (higher-priority) group rule.
    const slot = s.index.products.findIndex(
      (x, i) => x.onSale && x.brand?.toLowerCase() === (brandRule.target as { brand: string }).brand.toLowerCase() && !s.facts(i).groupPath.includes((groupRule.target as { groupId: string }).groupId),
    );
    expect(slot).toBeGreaterThanOrEqual(0);
    const column = s.priceTypes.get(b.priceType!.id)!;
    const date = catalog.today();
    const baseB = new Dec(column.text(slot)!).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
    expect(b.compiled.quick(s.facts(slot), column.scaled[slot]!, date)!.unitPrice).toBe(baseB.times('0.93').toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2));

    await hook('crm.item.update', { entityTypeId: eti.discounts, id: items.brandB, fields: { [field('discounts', 'value')]: 9 } });
    const ts = Math.floor(Date.now() / 1000);
    await event('ONCRMDYNAMICITEMUPDATE', 'discounts', items.brandB!, ts);
    await event('ONCRMDYNAMICITEMUPDATE', 'discounts', items.brandB!, ts); // a duplicate delivery: one job
    expect((await t.ctx.jobs.list({ kind: 'pricing.rule.sync', portalId, status: 'queued' })).items).toHaveLength(1);
    await t.ctx.jobs.drain();

    const afterB = catalog.dealerPricing(dealers.b.id)!;
    expect(afterB.signature).not.toBe(b.signature);
    expect(afterB.compiled.quick(s.facts(slot), column.scaled[slot]!, date)!.unitPrice).toBe(baseB.times('0.91').toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2));
    expect(catalog.dealerPricing(dealers.a.id)!.compiled).toBe(a.compiled);
  });

  it('when a rule is deleted in the portal, then its rule stops applying and only its audience is re-priced', async () => {
    const catalog = await catalogFor(t.ctx, portalId);
    const a = catalog.dealerPricing(dealers.a.id)!;
    const b = catalog.dealerPricing(dealers.b.id)!;
    expect(a.compiled.ruleCount).toBeGreaterThan(b.compiled.ruleCount - 1);
    await hook('crm.item.delete', { entityTypeId: eti.discounts, id: items.personal });
    await event('ONCRMDYNAMICITEMDELETE', 'discounts', items.personal!, Math.floor(Date.now() / 1000));
    await t.ctx.jobs.drain();
    expect(await ruleOf('discount', items.personal!)).toBeUndefined();
    const afterA = catalog.dealerPricing(dealers.a.id)!;
    expect(afterA.compiled.ruleCount).toBe(a.compiled.ruleCount - 1);
    expect(afterA.shared).toBeUndefined();
    expect(catalog.dealerPricing(dealers.b.id)!.compiled).toBe(b.compiled);
  });
});
