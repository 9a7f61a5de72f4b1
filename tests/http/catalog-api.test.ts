import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { Dec } from '../../server/lib/decimal.js';
import { SESSION_HEADER } from '../../server/modules/access/index.js';
import { catalogFor, catalogRoutes, configureCatalog } from '../../server/modules/catalog/index.js';
import { switchLayout } from '../../server/modules/search/index.js';
import { createIngestSession, ingestProducts } from '../../server/erp/read-model/index.js';
import { toErpProduct } from '../../sandbox/erp/catalog/normalize.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { addDiscount, addOffer, seedCatalogPortal, type CatalogPortal } from './catalog.fixture.js';
import type { Express } from 'express';

/**
 * The catalog, prices and search API end to end: the app with the catalog's guard in front, a generated catalog in the read
 * model, three dealers and their rules. Whose prices, what a dealer may see, validation that names the parameter.
 */
interface Item {
  id: number;
  sku: string;
  name: string;
  brand: string | null;
  groupId: number;
  onSale: boolean;
  price: { unitPrice: string; basePrice: string; discountPercent: string; currency: string } | null;
  stock: { available: string; inStock: boolean };
}
interface Page {
  items: Item[];
  total: number;
  facets: Array<{ id: string; name: string; values: Array<{ value: string; count: number; selected: boolean }> }>;
  correctedQuery: string | null;
  priceType: { id: number; name: string } | null;
}

describe('catalog API', () => {
  let t: TestContext;
  let app: Express;
  let p: CatalogPortal;
  let deletedProductId: number;
  let ids: { productA: number; productOffer: number; productBulk: number; groupA: number };
  let tokens: { a: string; b: string; c: string; manager: string; admin: string; orphan: string };

  const get = (path: string, token: string) => request(app).get(path).set(SESSION_HEADER, token);
  const base = (productIndex: number, tier: 'A' | 'B' | 'C') => {
    const type = p.cat.priceTypes.find((x) => x.dealerTier === tier)!.ref;
    return new Dec(p.cat.pricesOf(productIndex).find((x) => x.priceTypeRef === type)!.price);
  };
  const productIdOf = async (erpId: string) => {
    const catalog = await catalogFor(t.ctx, p.portalId);
    return catalog.snapshot!.index.products.find((x) => x.erpId === erpId)!.id;
  };

  beforeAll(async () => {
    t = await createTestContext({ LOG_LEVEL: 'warn' });
    configureCatalog(t.ctx, { checkIntervalMs: 0 });
    p = await seedCatalogPortal(t.ctx, { skus: 300 });
    // One product taken off sale by the ERP (deletion mark).
    const gone = p.cat.product(7);
    await ingestProducts(createIngestSession(t.ctx.db, p.portalId, { logger: t.ctx.logger }), [{ ...toErpProduct(p.cat, gone), deleted: true }]);
    app = createApp(t.ctx, [(a, c) => a.use('/api', catalogRoutes(c))]);
    deletedProductId = await productIdOf(gone.ref);
    const catalog = await catalogFor(t.ctx, p.portalId);
    const products = catalog.snapshot!.index.products;
    const onSale = products.filter((x) => x.onSale);
    ids = {
      productA: onSale[3]!.id,
      productOffer: onSale[4]!.id,
      productBulk: onSale[5]!.id,
      groupA: onSale[10]!.groupId!,
    };
    await addDiscount(t.ctx, p.portalId, { kind: 'fixed_price', value: '777', audience: { kind: 'dealer', dealerId: p.dealers.a.id }, target: { kind: 'product', productId: String(ids.productA) } });
    await addDiscount(t.ctx, p.portalId, { kind: 'percent', value: '10', audience: { kind: 'dealer_group', group: 'A' }, target: { kind: 'group', groupId: String(ids.groupA) } });
    await addDiscount(t.ctx, p.portalId, { kind: 'percent', value: '20', minQty: '10', audience: { kind: 'dealer_group', group: 'B' }, target: { kind: 'product', productId: String(ids.productBulk) } });
    await addOffer(t.ctx, p.portalId, { kind: 'percent', value: '5', title: 'Осенняя акция', conditions: 'до конца месяца', target: { kind: 'product', productId: String(ids.productOffer) } });
    await catalog.check();
    tokens = {
      a: await p.session('dealer_buyer', p.dealers.a),
      b: await p.session('dealer_head', p.dealers.b),
      c: await p.session('dealer_buyer', p.dealers.c),
      manager: await p.session('manager', null),
      admin: await p.session('admin', null),
      orphan: await p.session('dealer_viewer', null),
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const catIndex = async (productId: number) => {
    const catalog = await catalogFor(t.ctx, p.portalId);
    const erpId = catalog.snapshot!.index.products[catalog.snapshot!.index.slotOf(productId)!]!.erpId;
    return p.cat.productIndexOf(erpId)!;
  };

  it('when no session is sent, then every catalog route answers 401', async () => {
    for (const path of ['/api/catalog/groups', '/api/catalog/products', '/api/search/suggest?q=га', '/api/catalog/price-list']) {
      expect((await request(app).get(path)).status).toBe(401);
    }
  });

  it('when the group tree is asked, then it comes with on-sale counts that add up to the catalog', async () => {
    const res = await get('/api/catalog/groups', tokens.a);
    expect(res.status).toBe(200);
    const roots = res.body.groups as Array<{ name: string; productCount: number; children: unknown[] }>;
    expect(roots.length).toBeGreaterThan(1);
    const all = await get('/api/catalog/products?pageSize=1', tokens.a);
    expect(roots.reduce((n, g) => n + g.productCount, 0)).toBe(all.body.total);
    expect(roots.every((g) => g.children.length > 0)).toBe(true);
  });

  it('when dealers A and B list the same goods, then each sees only their own price type and rules', async () => {
    const listA = (await get(`/api/catalog/products?group=${ids.groupA}&pageSize=200`, tokens.a)).body as Page;
    const listB = (await get(`/api/catalog/products?group=${ids.groupA}&pageSize=200`, tokens.b)).body as Page;
    expect(listA.priceType?.name).toBe('Дилерская A');
    expect(listB.priceType?.name).toBe('Дилерская B');
    const item = listA.items.find((i) => i.id !== ids.productA && i.id !== ids.productOffer && i.id !== ids.productBulk)!;
    const idx = await catIndex(item.id);
    // A: its dealer-A base with the group A rule (-10%); B: its dealer-B base, no rule.
    expect(item.price).toMatchObject({ basePrice: base(idx, 'A').toFixed(2), unitPrice: base(idx, 'A').times('0.9').toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2), discountPercent: '10.00' });
    const sameForB = listB.items.find((i) => i.id === item.id)!;
    expect(sameForB.price).toMatchObject({ basePrice: base(idx, 'B').toFixed(2), unitPrice: base(idx, 'B').toFixed(2), discountPercent: '0.00' });
    // A's personal fixed price never leaks to B.
    const personal = await get(`/api/catalog/products/${ids.productA}`, tokens.a);
    expect(personal.body.price.unitPrice).toBe('777.00');
    const forB = await get(`/api/catalog/products/${ids.productA}`, tokens.b);
    expect(forB.body.price.unitPrice).not.toBe('777.00');
    expect(JSON.stringify(forB.body)).not.toContain('777.00');
  });

  it('when a dealer user asks for another dealer’s prices, then 403 names dealerId', async () => {
    const res = await get(`/api/catalog/products?dealerId=${p.dealers.b.id}`, tokens.a);
    expect(res.status).toBe(403);
    expect(res.body.error.details[0].field).toBe('dealerId');
    const own = await get(`/api/catalog/products?dealerId=${p.dealers.a.id}&pageSize=1`, tokens.a);
    expect(own.status).toBe(200);
    // A dealer session with no dealer user behind it is refused as carts and orders refuse it: open the cabinet again.
    expect((await get('/api/catalog/products', tokens.orphan)).status).toBe(401);
  });

  it('when a dealer user is switched off, then the catalog refuses them: at once from this process, within 2 s from another', async () => {
    const userId = 9_001;
    const token = await p.session('dealer_buyer', p.dealers.a, userId);
    const user = (await t.ctx.dealers.findUser(p.portalId, userId))!;
    const status = async () => (await get('/api/catalog/products?pageSize=1', token)).status;
    // A burst of calls (a page's requests, keystrokes in the search box) reads the dealer user once.
    const findUser = t.ctx.dealers.findUser;
    let reads = 0;
    t.ctx.dealers.findUser = (...a) => (reads++, findUser(...a));
    try {
      expect(await Promise.all([status(), status(), status()])).toEqual([200, 200, 200]);
      expect(await status()).toBe(200);
      expect(reads).toBe(1);
    } finally {
      t.ctx.dealers.findUser = findUser;
    }
    await t.ctx.dealers.updateUserAccess(p.portalId, user.id, { active: false });
    expect(await status()).toBe(401);
    await t.ctx.dealers.updateUserAccess(p.portalId, user.id, { active: true });
    expect(await status()).toBe(200);
    // Another process switches the user off (a write this process's repository did not make).
    await t.ctx.db.sequelize.query('UPDATE dealer_users SET active = :off WHERE id = :id', { replacements: { off: false, id: user.id } });
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await status()).toBe(401);
  });

  it('when staff list without a dealer, then base prices show; with dealerId, that dealer’s prices', async () => {
    const asBase = (await get(`/api/catalog/products/${ids.productA}`, tokens.manager)).body;
    expect(asBase.price.discountPercent).toBe('0.00');
    expect(asBase.quote.breakdown).toHaveLength(1);
    const asA = (await get(`/api/catalog/products/${ids.productA}?dealerId=${p.dealers.a.id}`, tokens.manager)).body;
    expect(asA.price.unitPrice).toBe('777.00');
    const missing = await get('/api/catalog/products?dealerId=999999', tokens.admin);
    expect(missing.status).toBe(404);
    expect(missing.body.error.details[0].field).toBe('dealerId');
  });

  it('when a dealer has no price type of their own, then their ERP customer’s agreement price type prices them', async () => {
    const page = (await get('/api/catalog/products?pageSize=1', tokens.c)).body as Page;
    const customerType = p.cat.priceTypes.find((x) => x.ref === p.cat.customers[0]!.priceTypeRef)!;
    expect(page.priceType?.name).toBe(customerType.name);
  });

  it('when parameters are wrong, then 400 names each bad parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/api/catalog/products?pageSize=500', 'pageSize'],
      ['/api/catalog/products?page=0', 'page'],
      ['/api/catalog/products?sort=cheapest', 'sort'],
      ['/api/catalog/products?dir=up', 'dir'],
      ['/api/catalog/products?group=abc', 'group'],
      ['/api/catalog/products?inStock=maybe', 'inStock'],
      ['/api/catalog/products?warehouse=999999', 'warehouse'],
      ['/api/catalog/products?city=Атлантида', 'city'],
      ['/api/catalog/products?filters[nonexistent][]=x', 'filters.nonexistent'],
      ['/api/catalog/products/abc', 'id'],
      [`/api/catalog/products/${ids.productA}?qty=-1`, 'qty'],
      ['/api/catalog/prices/breakdown?qty=2', 'productId'],
      ['/api/search/suggest', 'q'],
      ['/api/search/suggest?q=ab&limit=100', 'limit'],
      ['/api/catalog/price-list?format=pdf', 'format'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path, tokens.a);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field), path).toContain(field);
      expect(res.body.error.details[0].message.length, path).toBeGreaterThan(5);
    }
    const noGroup = await get('/api/catalog/products?group=999999', tokens.a);
    expect(noGroup.status).toBe(404);
    expect(noGroup.body.error.details[0].field).toBe('group');
  });

  it('when goods are not on sale, then dealers never see them: not listed, not found, not suggested, not in the price list', async () => {
    const gone = p.cat.product(7);
    const all = (await get('/api/catalog/products?pageSize=200&page=1', tokens.a)).body as Page;
    const page2 = (await get('/api/catalog/products?pageSize=200&page=2', tokens.a)).body as Page;
    expect([...all.items, ...page2.items].some((i) => i.id === deletedProductId)).toBe(false);
    expect((await get(`/api/catalog/products/${deletedProductId}`, tokens.a)).status).toBe(404);
    const bySku = (await get(`/api/search/suggest?q=${encodeURIComponent(gone.sku)}`, tokens.a)).body;
    expect(bySku.items.some((i: { id: number }) => i.id === deletedProductId)).toBe(false);
    const list = (await get('/api/catalog/price-list?format=json', tokens.a)).body;
    expect(list.items.some((i: { id: number }) => i.id === deletedProductId)).toBe(false);
    // Staff may open its card (to answer questions about it), marked as not on sale.
    const staff = await get(`/api/catalog/products/${deletedProductId}`, tokens.manager);
    expect(staff.status).toBe(200);
    expect(staff.body.onSale).toBe(false);
  });

  it('when a facet value is chosen, then the list narrows and each facet counts against the other filters', async () => {
    const roots = (await get('/api/catalog/groups', tokens.a)).body.groups as Array<{ id: number }>;
    let group = 0;
    let before: Page | null = null;
    for (const g of roots) {
      const page = (await get(`/api/catalog/products?group=${g.id}&pageSize=200`, tokens.a)).body as Page;
      if ((page.facets.find((f) => f.id === 'brand')?.values.length ?? 0) > 1) {
        group = g.id;
        before = page;
        break;
      }
    }
    expect(before).not.toBeNull();
    const brand = before!.facets.find((f) => f.id === 'brand')!;
    const chosen = brand.values[0]!;
    const after = (await get(`/api/catalog/products?group=${group}&pageSize=200&filters[brand][]=${encodeURIComponent(chosen.value)}`, tokens.a)).body as Page;
    expect(after.total).toBe(chosen.count);
    expect(after.total).toBeLessThan(before!.total);
    expect(after.items.every((i) => i.brand === chosen.value)).toBe(true);
    const brandAfter = after.facets.find((f) => f.id === 'brand')!;
    expect(brandAfter.values.find((v) => v.value === chosen.value)).toMatchObject({ count: chosen.count, selected: true });
    expect(brandAfter.values.map((v) => v.value).sort()).toEqual(brand.values.map((v) => v.value).sort());
    // Another property's facet now counts only the chosen brand's goods.
    const other = after.facets.find((f) => f.id !== 'brand' && f.values.length > 0);
    if (other) expect(other.values.reduce((n, v) => n + v.count, 0)).toBeLessThanOrEqual(after.total * 1);
  });

  it('when the warehouses are asked, then every ERP warehouse comes with its city, and the cities list has each once', async () => {
    expect((await request(app).get('/api/catalog/warehouses')).status).toBe(401);
    const res = await get('/api/catalog/warehouses', tokens.a);
    expect(res.status).toBe(200);
    const body = res.body as { warehouses: Array<{ id: number; name: string; city: string | null }>; cities: string[] };
    expect(body.warehouses.map((w) => w.name).sort()).toEqual(p.cat.warehouses.map((w) => w.name).sort());
    expect(body.cities).toEqual([...new Set(p.cat.warehouses.map((w) => w.city).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'ru')));
    // The ids are the ones the products list takes as its stock scope.
    const one = body.warehouses[0]!;
    expect((await get(`/api/catalog/products?warehouse=${one.id}&pageSize=1`, tokens.a)).status).toBe(200);
  });

  it('when in-stock goods of one city are asked, then every item has stock in that city', async () => {
    const city = p.cat.warehouses[1]!.city;
    const page = (await get(`/api/catalog/products?inStock=1&city=${encodeURIComponent(city)}&pageSize=200`, tokens.a)).body as Page;
    expect(page.total).toBeGreaterThan(0);
    for (const item of page.items) {
      expect(item.stock.inStock).toBe(true);
      const idx = await catIndex(item.id);
      const expected = p.cat
        .stockOf(idx)
        .filter((s) => p.cat.warehouses.find((w) => w.ref === s.warehouseRef)!.city === city)
        .reduce((sum, s) => sum.plus(s.available), new Dec(0));
      expect(new Dec(item.stock.available).equals(expected)).toBe(true);
    }
  });

  it('when sorted by price, then items follow the dealer’s own unit price both ways', async () => {
    const asc = (await get(`/api/catalog/products?group=${ids.groupA}&sort=price&pageSize=200`, tokens.a)).body as Page;
    const prices = asc.items.filter((i) => i.price).map((i) => new Dec(i.price!.unitPrice));
    for (let i = 1; i < prices.length; i++) expect(prices[i]!.greaterThanOrEqualTo(prices[i - 1]!)).toBe(true);
    const desc = (await get(`/api/catalog/products?group=${ids.groupA}&sort=price&dir=desc&pageSize=200`, tokens.a)).body as Page;
    const down = desc.items.filter((i) => i.price).map((i) => new Dec(i.price!.unitPrice));
    for (let i = 1; i < down.length; i++) expect(down[i]!.lessThanOrEqualTo(down[i - 1]!)).toBe(true);
    expect(new Set(desc.items.map((i) => i.id))).toEqual(new Set(asc.items.map((i) => i.id)));
    expect(down[0]!.equals(prices.at(-1)!)).toBe(true);
  });

  it('when a query is typed on the wrong keyboard layout, then it is corrected and finds the goods', async () => {
    const catalog = await catalogFor(t.ctx, p.portalId);
    const product = catalog.snapshot!.index.products.find((x) => x.onSale)!;
    const word = product.name.split(' ')[0]!.toLowerCase();
    const wrong = switchLayout(word);
    const page = (await get(`/api/catalog/products?q=${encodeURIComponent(wrong)}&pageSize=50`, tokens.a)).body as Page;
    expect(page.correctedQuery).toBe(word);
    expect(page.total).toBeGreaterThan(0);
    expect(page.items[0]!.name.toLowerCase()).toContain(word);
    const typedRight = (await get(`/api/catalog/products?q=${encodeURIComponent(word)}&pageSize=50`, tokens.a)).body as Page;
    expect(page.items.map((i) => i.id)).toEqual(typedRight.items.map((i) => i.id));
    expect(typedRight.correctedQuery).toBeNull();
    const suggest = (await get(`/api/search/suggest?q=${encodeURIComponent(wrong.slice(0, 4))}`, tokens.a)).body;
    expect(suggest.correctedQuery).toBe(word.slice(0, 4));
    expect(suggest.items.length).toBeGreaterThan(0);
  });

  it('when two letters are typed, then suggestions come with the dealer’s price, stock and picture; one letter gives none', async () => {
    const catalog = await catalogFor(t.ctx, p.portalId);
    const product = catalog.snapshot!.index.products.find((x) => x.id === ids.productA)!;
    const res = (await get(`/api/search/suggest?q=${encodeURIComponent(product.sku!)}`, tokens.a)).body;
    expect(res.items[0]).toMatchObject({ kind: 'product', id: ids.productA, match: 'code', price: { unitPrice: '777.00' } });
    expect(res.items[0].stock).toHaveProperty('available');
    expect(res.items[0]).toHaveProperty('picture');
    const two = (await get(`/api/search/suggest?q=${encodeURIComponent(product.name.slice(0, 2))}`, tokens.a)).body;
    expect(two.items.length).toBeGreaterThan(0);
    expect((await get(`/api/search/suggest?q=${encodeURIComponent(product.name.slice(0, 1))}`, tokens.a)).body.items).toEqual([]);
  });

  it('when a card is opened, then it has properties, pictures, analogs priced for the dealer, stock per warehouse and city, and the breakdown for the quantity', async () => {
    const catalog = await catalogFor(t.ctx, p.portalId);
    const withAnalogs = catalog.snapshot!.index.products.find((x) => x.onSale && x.analogIds.some((a) => catalog.snapshot!.index.products[catalog.snapshot!.index.slotOf(a)!]!.onSale))!;
    const card = (await get(`/api/catalog/products/${withAnalogs.id}?qty=3`, tokens.b)).body;
    const idx = await catIndex(withAnalogs.id);
    const source = p.cat.product(idx);
    expect(card.properties.map((x: { name: string; value: string }) => `${x.name}=${x.value}`).sort()).toEqual(source.properties.map((x) => `${x.name}=${x.value}`).sort());
    expect(card.pictures).toEqual(source.pictures);
    expect(card.analogs.length).toBeGreaterThan(0);
    expect(card.analogs[0].price.basePrice).toBe(base(await catIndex(card.analogs[0].id), 'B').toFixed(2));
    expect(card.stockByWarehouse).toHaveLength(p.cat.warehouses.length);
    const total = p.cat.stockOf(idx).reduce((sum, s) => sum.plus(s.available), new Dec(0));
    expect(new Dec(card.stock.available).equals(total)).toBe(true);
    expect(card.stockByCity.reduce((sum: InstanceType<typeof Dec>, c: { available: string }) => sum.plus(c.available), new Dec(0)).equals(total)).toBe(true);
    expect(card.quote).toMatchObject({ qty: '3', unitPrice: card.price.unitPrice });
    expect(card.quote.lineTotal).toBe(new Dec(card.price.unitPrice).times(3).toFixed(2));
  });

  it('when the breakdown is asked for a quantity, then minimum-quantity rules and offers show as steps', async () => {
    const one = (await get(`/api/catalog/prices/breakdown?productId=${ids.productBulk}&qty=1`, tokens.b)).body;
    const ten = (await get(`/api/catalog/prices/breakdown?productId=${ids.productBulk}&qty=10`, tokens.b)).body;
    expect(one.breakdown.map((s: { kind: string }) => s.kind)).toEqual(['base']);
    expect(ten.breakdown.map((s: { kind: string }) => s.kind)).toEqual(['base', 'rule']);
    expect(ten.unitPrice).toBe(new Dec(one.unitPrice).times('0.8').toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2));
    const offer = (await get(`/api/catalog/prices/breakdown?productId=${ids.productOffer}&qty=1`, tokens.c)).body;
    expect(offer.breakdown.at(-1)).toMatchObject({ kind: 'offer', title: 'Осенняя акция', how: '-5%', conditions: 'до конца месяца' });
    // A viewer may not see breakdowns (dealer_viewer has catalog.read only).
    expect((await get(`/api/catalog/prices/breakdown?productId=${ids.productOffer}`, await p.session('dealer_viewer', p.dealers.c))).status).toBe(403);
  });

  it('when the price list is downloaded, then JSON, CSV and XLSX hold every on-sale product at the dealer’s prices', async () => {
    const catalog = await catalogFor(t.ctx, p.portalId);
    const onSale = catalog.snapshot!.index.products.filter((x) => x.onSale).length;
    const json = await get('/api/catalog/price-list?format=json', tokens.a);
    expect(json.status).toBe(200);
    expect(json.headers['cache-control']).toContain('no-store');
    expect(json.body.meta.dealer.id).toBe(p.dealers.a.id);
    expect(json.body.items).toHaveLength(onSale);
    expect(json.body.items.find((i: { id: number }) => i.id === ids.productA).unitPrice).toBe('777.00');

    const csv = await get('/api/catalog/price-list?format=csv', tokens.a).buffer(true).parse((res, cb) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => cb(null, text));
    });
    expect((csv.body as string).startsWith('\ufeffsku,code,name')).toBe(true);
    const lines = (csv.body as string).slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(onSale + 1);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="price-list-\d+-\d{4}-\d{2}-\d{2}\.csv"/);

    const xlsx = await get('/api/catalog/price-list?format=xlsx', tokens.a).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(xlsx.body as Buffer).buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(onSale + 1);
    const skuA = catalog.snapshot!.index.products[catalog.snapshot!.index.slotOf(ids.productA)!]!.sku;
    let found = false;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === skuA) {
        found = true;
        expect(row.getCell(7).value).toBe(777);
      }
    });
    expect(found).toBe(true);
  });

  it('when a dealer pages through a group, then pages do not overlap and the total stays', async () => {
    const first = (await get(`/api/catalog/products?pageSize=10&page=1`, tokens.b)).body as Page;
    const second = (await get(`/api/catalog/products?pageSize=10&page=2`, tokens.b)).body as Page;
    expect(second.total).toBe(first.total);
    expect(first.items.some((i) => second.items.some((j) => j.id === i.id))).toBe(false);
    const names = [...first.items, ...second.items].map((i) => i.name);
    expect(names).toHaveLength(20);
  });
});
