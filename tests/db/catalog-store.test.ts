import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestSession, fixScale, ingestPrices, ingestProducts, ingestStock } from '../../server/erp/read-model/index.js';
import { sqlTime } from '../../server/jobs/sql.js';
import { Dec } from '../../server/lib/decimal.js';
import { catalogFor, configureCatalog, notifyCatalogChanged, PortalCatalog } from '../../server/modules/catalog/index.js';
import { toErpPrice, toErpProduct, toErpStock } from '../../sandbox/erp/catalog/normalize.js';
import { addDiscount, seedCatalogPortal, type CatalogPortal } from '../http/catalog.fixture.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

/**
 * The catalog store on both storage backends: loading the read model into memory, and noticing what the sync changed
 * — stock without a rebuild, one price type's prices without touching the others, products by a rebuild, dealers and
 * rules by re-signing only the dealers they affect — whether told (change stamps) or not (the sync's run log).
 */
describe.each(STORAGE_BACKENDS)('catalog store on $name', ({ create }) => {
  let testDb: TestDatabase;
  let t: TestContext;
  let p: CatalogPortal;
  let catalog: PortalCatalog;

  beforeAll(async () => {
    testDb = await create();
    t = await createTestContext({ DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' });
    configureCatalog(t.ctx, { checkIntervalMs: 60_000 });
    p = await seedCatalogPortal(t.ctx, { skus: 200, seed: 'catalog-store' });
    catalog = await catalogFor(t.ctx, p.portalId);
  });
  afterAll(async () => {
    await t.close();
    await testDb.drop();
  });

  const slotOfIndex = (i: number) => {
    const erpId = p.cat.productRef(i);
    const s = catalog.snapshot!;
    return s.index.products.findIndex((x) => x.erpId === erpId);
  };
  const session = () => createIngestSession(t.ctx.db, p.portalId, { logger: t.ctx.logger });

  it('when the catalog loads, then products, groups, every price type’s prices, stock and search match what was ingested', () => {
    const s = catalog.snapshot!;
    expect(s.size).toBe(200);
    expect(s.groups.size).toBe(p.cat.groups.length);
    expect(s.priceTypes.size).toBe(p.cat.priceTypes.length);
    for (const i of [0, 57, 199]) {
      const slot = slotOfIndex(i);
      const product = p.cat.product(i);
      expect(s.index.products[slot]).toMatchObject({ name: product.name, sku: product.sku, brand: product.brand, onSale: !product.deleted });
      for (const price of p.cat.pricesOf(i)) {
        const column = [...s.priceTypes.values()].find((c) => c.type.erpId === price.priceTypeRef)!;
        expect(column.text(slot)).toBe(fixScale(price.price, 4));
      }
      const stock = p.cat.stockOf(i).reduce((sum, x) => sum.plus(x.available), new Dec(0));
      expect(s.index.availableIn(slot) / 1000).toBe(stock.toNumber());
      expect(s.search.search(product.sku, { includeNotOnSale: true }).hits[0]?.doc.payload).toBe(slot);
    }
    const withAnalog = s.index.products.find((x) => x.analogIds.length)!;
    expect(s.index.slotOf(withAnalog.analogIds[0]!)).toBeDefined();
  });

  it('when a warehouse’s stock is replaced, then the next check reloads that stock without rebuilding the catalog', async () => {
    const before = { ...catalog.stats };
    const warehouse = p.cat.warehouses[0]!;
    const rows = [...p.cat.stock()].filter((x) => x.warehouseRef === warehouse.ref).map(toErpStock);
    const changed = rows[0]!;
    await ingestStock(session(), [{ ...changed, onHand: '977', reserved: '0', available: '977' }, ...rows.slice(1)], { mode: 'replace', warehouseRefs: [{ erpId: warehouse.ref }] });
    await notifyCatalogChanged(t.ctx, p.portalId, ['stock']);
    const slot = slotOfIndex(p.cat.productIndexOf(changed.productRef.erpId)!);
    const here = catalog.snapshot!.index.stockOf(slot).find((w) => w.name === warehouse.name)!;
    expect(here.available).toBe(977_000);
    expect(catalog.stats.stockReloads).toBe(before.stockReloads + 1);
    expect(catalog.stats.rebuilds).toBe(before.rebuilds);
  });

  it('when one price type’s prices change, then only that column reloads and only its dealers’ sort keys are rebuilt', async () => {
    const date = catalog.today();
    const a = catalog.dealerPricing(p.dealers.a.id)!;
    const b = catalog.dealerPricing(p.dealers.b.id)!;
    catalog.priceSortKey(a, date)(0);
    catalog.priceSortKey(b, date)(0);
    const columnB = catalog.snapshot!.priceTypes.get(b.priceType!.id)!;
    const built = catalog.stats.sortKeysBuilt;
    const reloads = catalog.stats.priceReloads;
    const slot = 0;
    const erpId = catalog.snapshot!.index.products[slot]!.erpId;
    const price = p.cat.pricesOf(p.cat.productIndexOf(erpId)!).find((x) => x.priceTypeRef === a.priceType!.erpId)!;
    await ingestPrices(session(), [{ ...toErpPrice(price), price: '12345.6700' }], { mode: 'merge' });
    await notifyCatalogChanged(t.ctx, p.portalId, ['prices']);
    expect(catalog.stats.priceReloads).toBe(reloads + 1);
    expect(catalog.snapshot!.priceTypes.get(a.priceType!.id)!.text(slot)).toBe('12345.6700');
    expect(catalog.snapshot!.priceTypes.get(b.priceType!.id)).toBe(columnB);
    catalog.priceSortKey(catalog.dealerPricing(p.dealers.b.id)!, date)(0);
    expect(catalog.stats.sortKeysBuilt).toBe(built);
    expect(catalog.priceSortKey(catalog.dealerPricing(p.dealers.a.id)!, date)(slot)).toBe(1_234_567);
    expect(catalog.stats.sortKeysBuilt).toBe(built + 1);
  });

  it('when the ERP sync records a finished run, then the change is noticed without an explicit notice', async () => {
    const warehouse = p.cat.warehouses[1]!;
    const rows = [...p.cat.stock()].filter((x) => x.warehouseRef === warehouse.ref).map(toErpStock);
    await ingestStock(session(), rows.slice(1), { mode: 'replace', warehouseRefs: [{ erpId: warehouse.ref }] });
    const now = new Date();
    await t.ctx.db.sequelize.query(
      "INSERT INTO sync_runs (portal_id, entity, mode, trigger_source, status, started_at, finished_at, heartbeat_at, progress_current) VALUES (:p, 'stock', 'full', 'schedule', 'ok', :at, :at, :at, 0)",
      { replacements: { p: p.portalId, at: sqlTime(now, t.ctx.db.dialect) } },
    );
    const reloads = catalog.stats.stockReloads;
    await catalog.check();
    expect(catalog.stats.stockReloads).toBe(reloads + 1);
    const slot = slotOfIndex(p.cat.productIndexOf(rows[0]!.productRef.erpId)!);
    expect(catalog.snapshot!.index.stockOf(slot).find((w) => w.name === warehouse.name)!.available).toBe(0);
  });

  it('when products change, then a new snapshot is built and swapped in, and another instance converges from the database', async () => {
    const other = new PortalCatalog(p.portalId, t.ctx.db, t.ctx.logger);
    await other.ready();
    const generation = catalog.snapshot!.generation;
    const product = p.cat.product(11);
    await ingestProducts(session(), [{ ...toErpProduct(p.cat, product), name: 'Культиватор переименованный КП-1' }]);
    await notifyCatalogChanged(t.ctx, p.portalId, ['catalog']);
    expect(catalog.snapshot!.generation).not.toBe(generation);
    const slot = slotOfIndex(11);
    expect(catalog.snapshot!.index.products[slot]!.name).toBe('Культиватор переименованный КП-1');
    expect(catalog.snapshot!.search.search('переименованный').hits[0]?.doc.payload).toBe(slot);
    // The second instance was told nothing; its own check finds the stamp and the changed products.
    await other.check();
    expect(other.snapshot!.index.products.find((x) => x.erpId === product.ref)!.name).toBe('Культиватор переименованный КП-1');
  });

  it('when a dealer’s price type changes, then that dealer alone is priced anew', async () => {
    const a = catalog.dealerPricing(p.dealers.a.id)!;
    const b = catalog.dealerPricing(p.dealers.b.id)!;
    const tierC = p.cat.priceTypes.find((x) => x.dealerTier === 'C')!;
    const dealer = await t.ctx.dealers.findById(p.portalId, p.dealers.b.id);
    await t.ctx.dealers.upsertFromItem({ ...dealer!, priceTypeErpId: tierC.ref }, new Date(Date.now() + 1_000));
    const invalidations = catalog.pricing.invalidations;
    await notifyCatalogChanged(t.ctx, p.portalId, ['dealers']);
    expect(catalog.dealerPricing(p.dealers.b.id)!.priceType!.erpId).toBe(tierC.ref);
    expect(catalog.dealerPricing(p.dealers.b.id)!.signature).not.toBe(b.signature);
    expect(catalog.dealerPricing(p.dealers.a.id)!.compiled).toBe(a.compiled);
    expect(catalog.pricing.invalidations).toBe(invalidations + 1);
  });

  it('when a dealer changes and nobody says so, then the periodic comparison still re-signs that dealer', async () => {
    const other = new PortalCatalog(p.portalId, t.ctx.db, t.ctx.logger, { sweepIntervalMs: 0 });
    await other.ready();
    other.dealerPricing(p.dealers.c.id);
    const a = other.dealerPricing(p.dealers.a.id)!;
    const invalidations = other.pricing.invalidations;
    const dealer = await t.ctx.dealers.findById(p.portalId, p.dealers.c.id);
    await t.ctx.dealers.upsertFromItem({ ...dealer!, dealerGroup: 'PARTNER' });
    await other.check();
    expect(other.pricing.dealers.get(p.dealers.c.id)!.group).toBe('PARTNER');
    expect(other.pricing.invalidations).toBe(invalidations + 1);
    expect(other.dealerPricing(p.dealers.a.id)!.compiled).toBe(a.compiled);
  });

  it('when a rule for dealer group A changes, then A’s prices change and B’s and C’s pricing stays as it was', async () => {
    const a = catalog.dealerPricing(p.dealers.a.id)!;
    const b = catalog.dealerPricing(p.dealers.b.id)!;
    const c = catalog.dealerPricing(p.dealers.c.id)!;
    const slot = 5;
    const column = catalog.snapshot!.priceTypes.get(a.priceType!.id)!;
    const facts = catalog.snapshot!.facts(slot);
    const before = a.compiled.quick(facts, column.scaled[slot]!, catalog.today())!;
    await addDiscount(t.ctx, p.portalId, { kind: 'percent', value: '15', audience: { kind: 'dealer_group', group: 'A' } });
    await catalog.check();
    const after = catalog.dealerPricing(p.dealers.a.id)!;
    expect(after.signature).not.toBe(a.signature);
    expect(after.compiled.quick(facts, column.scaled[slot]!, catalog.today())!.unitPrice).toBe(new Dec(before.unitPrice).times('0.85').toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2));
    expect(catalog.dealerPricing(p.dealers.b.id)!.compiled).toBe(b.compiled);
    expect(catalog.dealerPricing(p.dealers.c.id)!.compiled).toBe(c.compiled);
  });
});
