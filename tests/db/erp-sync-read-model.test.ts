import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, tuneSqlite, type Database } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import type { ErpPrice, ErpProduct, ErpStock } from '../../server/erp/port.js';
import {
  createIngestSession,
  ingestCustomerFinance,
  ingestCustomers,
  ingestGroups,
  ingestOrderStates,
  ingestPrices,
  ingestProducts,
  ingestStock,
  ingestWarehouses,
  listStoredProducts,
  openPriceSnapshot,
  markMissingDeleted,
  readModelTotals,
  readPriceMap,
  readStockMap,
} from '../../server/erp/read-model/index.js';
import { selectRows } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import { createMariaDbDatabase, STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

const logger = createLogger('silent');
let portalSeq = 100;

const product = (n: number, extra: Partial<ErpProduct> = {}): ErpProduct => ({
  ref: { erpId: `p-${n}`, code: `C${n}` },
  sku: `SKU-${n}`,
  name: `Товар №${n}`,
  groupRef: { erpId: `g-${n % 3}` },
  brand: 'МАЙ',
  barcodes: [`460000000${String(n).padStart(4, '0')}`],
  baseUnit: { code: '796', name: 'шт', ratio: '1' },
  deleted: false,
  version: 'v1',
  ...extra,
});
const price = (p: number, type: string, value: string): ErpPrice => ({ productRef: { erpId: `p-${p}` }, priceTypeRef: { erpId: type }, price: value, currency: 'RUB' });
const stock = (p: number, w: string, onHand: string, reserved = '0'): ErpStock => ({
  productRef: { erpId: `p-${p}` },
  warehouseRef: { erpId: w },
  onHand,
  reserved,
  available: String(Number(onHand) - Number(reserved)),
});

describe.each(STORAGE_BACKENDS)('ERP read model ingest on $name', ({ create }) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await create();
    db = createDatabase({ url: testDb.url });
    await tuneSqlite(db);
    await migrateUp(db);
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('when products are ingested twice, then the second pass writes nothing and a change touches only that row', async () => {
    const portalId = ++portalSeq;
    const items = Array.from({ length: 50 }, (_, i) => product(i + 1));
    const first = await ingestProducts(createIngestSession(db, portalId, { logger }), items);
    expect(first).toMatchObject({ received: 50, inserted: 50, updated: 0, unchanged: 0 });
    const before = new Map((await listStoredProducts(db, portalId)).map((p) => [p.erpId, p.updatedAt.getTime()]));
    await new Promise((r) => setTimeout(r, 20));

    const again = await ingestProducts(createIngestSession(db, portalId, { logger }), items);
    expect(again).toMatchObject({ received: 50, inserted: 0, updated: 0, unchanged: 50 });

    const changed = items.map((p) => (p.ref.erpId === 'p-7' ? { ...p, name: 'Новое имя', version: 'v2' } : p));
    const third = await ingestProducts(createIngestSession(db, portalId, { logger }), changed);
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 49 });
    const after = await listStoredProducts(db, portalId);
    expect(after.filter((p) => p.updatedAt.getTime() !== before.get(p.erpId)).map((p) => p.erpId)).toEqual(['p-7']);
    expect(after.find((p) => p.erpId === 'p-7')).toMatchObject({ name: 'Новое имя', version: 'v2', onSale: true, groupErpId: 'g-1' });
  });

  it('when a product names a group that has not arrived, then a stub group is linked and later filled in', async () => {
    const portalId = ++portalSeq;
    const session = createIngestSession(db, portalId, { logger });
    const counts = await ingestProducts(session, [product(1, { groupRef: { erpId: 'g-late' } })]);
    expect(counts.stubs).toBe(1);
    const [stub] = await selectRows(db, 'SELECT id, name, is_stub FROM erp_product_groups WHERE portal_id = :portalId', { portalId });
    expect(Number(stub!.is_stub)).toBe(1);
    await ingestGroups(createIngestSession(db, portalId, { logger }), [
      { ref: { erpId: 'g-late' }, name: 'Пилы', parentRef: { erpId: 'g-root' } },
      { ref: { erpId: 'g-root' }, name: 'Инструмент', parentRef: null },
    ]);
    const groups = await selectRows(db, 'SELECT id, erp_id, name, parent_id, is_stub FROM erp_product_groups WHERE portal_id = :portalId ORDER BY erp_id', { portalId });
    expect(groups.map((g) => [g.erp_id, g.name, Number(g.is_stub)])).toEqual([
      ['g-late', 'Пилы', 0],
      ['g-root', 'Инструмент', 0],
    ]);
    expect(Number(groups[0]!.id)).toBe(Number(stub!.id));
    expect(Number(groups[0]!.parent_id)).toBe(Number(groups[1]!.id));
    const [p] = await selectRows(db, 'SELECT group_id FROM erp_products WHERE portal_id = :portalId', { portalId });
    expect(Number(p!.group_id)).toBe(Number(stub!.id));
  });

  it('when text carries quotes, backslashes, emoji and Cyrillic, and ids differ only in case, then everything round-trips exactly', async () => {
    const portalId = ++portalSeq;
    const tricky = "Кабель 3×2,5 \"ВВГнг\" 'LS' \\ C:\\path\n😀 ё; DROP TABLE erp_products; --";
    await ingestProducts(createIngestSession(db, portalId, { logger }), [product(1, { ref: { erpId: 'Ab-1' }, name: tricky }), product(2, { ref: { erpId: 'ab-1' }, name: 'lower' })]);
    const rows = await listStoredProducts(db, portalId);
    expect(rows.map((r) => [r.erpId, r.name])).toEqual([
      ['Ab-1', tricky],
      ['ab-1', 'lower'],
    ]);
    const [found] = await selectRows(db, "SELECT search_text FROM erp_products WHERE portal_id = :portalId AND erp_id = 'Ab-1'", { portalId });
    expect(String(found!.search_text)).toContain('кабель 3×2,5 "ввгнг"');
    expect(String(found!.search_text)).toContain(' е;');
  });

  it('when barcodes move between products, then the barcode lookup follows them', async () => {
    const portalId = ++portalSeq;
    await ingestProducts(createIngestSession(db, portalId, { logger }), [product(1, { barcodes: ['111', '222'] }), product(2, { barcodes: ['333'] })]);
    await ingestProducts(createIngestSession(db, portalId, { logger }), [product(1, { barcodes: ['111'] }), product(2, { barcodes: ['333', '222'] })]);
    const rows = await selectRows(db, 'SELECT b.barcode, p.erp_id FROM erp_product_barcodes b JOIN erp_products p ON p.id = b.product_id WHERE b.portal_id = :portalId ORDER BY b.barcode', { portalId });
    expect(rows.map((r) => `${r.barcode}:${r.erp_id}`)).toEqual(['111:p-1', '222:p-2', '333:p-2']);
  });

  it('when a full pull no longer returns a product, then it is marked deleted and off sale, and comes back if the ERP does', async () => {
    const portalId = ++portalSeq;
    const session = createIngestSession(db, portalId, { logger });
    await ingestProducts(session, [product(1), product(2), product(3)]);
    expect(await markMissingDeleted(session, 'products', new Set(['p-1', 'p-3']))).toBe(1);
    expect((await listStoredProducts(db, portalId)).filter((p) => p.deleted).map((p) => [p.erpId, p.onSale])).toEqual([['p-2', false]]);
    expect((await ingestProducts(session, [product(2)])).updated).toBe(1);
    expect((await listStoredProducts(db, portalId, { erpIds: ['p-2'] }))[0]).toMatchObject({ deleted: false, onSale: true });
  });

  it('when a price list is replaced, then changed rows update, missing rows go, unchanged rows stay untouched, and decimals stay exact', async () => {
    const portalId = ++portalSeq;
    await ingestProducts(createIngestSession(db, portalId, { logger }), [product(1), product(2), product(3)]);
    const first = await ingestPrices(createIngestSession(db, portalId, { logger }), [price(1, 'base', '100'), price(2, 'base', '1 234,5'), price(3, 'base', '0.00005'), price(1, 'dealer', '90.1')], { mode: 'replace' });
    expect(first).toMatchObject({ received: 4, inserted: 4, stubs: 2 });
    expect(Object.fromEntries(await readPriceMap(db, portalId))).toEqual({
      'p-1|base': '100.0000 RUB',
      'p-2|base': '1234.5000 RUB',
      'p-3|base': '0.0001 RUB',
      'p-1|dealer': '90.1000 RUB',
    });
    const second = await ingestPrices(createIngestSession(db, portalId, { logger }), [price(1, 'base', '100.00'), price(2, 'base', '1300')], { mode: 'replace' });
    expect(second).toMatchObject({ received: 2, inserted: 0, updated: 1, unchanged: 1, deleted: 1 });
    // 'dealer' was not part of this pull, so its price list stays as it was.
    expect(Object.fromEntries(await readPriceMap(db, portalId))).toEqual({ 'p-1|base': '100.0000 RUB', 'p-2|base': '1300.0000 RUB', 'p-1|dealer': '90.1000 RUB' });
    const emptied = await ingestPrices(createIngestSession(db, portalId, { logger }), [], { mode: 'replace', priceTypeRefs: [{ erpId: 'dealer' }] });
    expect(emptied.deleted).toBe(1);
    const merged = await ingestPrices(createIngestSession(db, portalId, { logger }), [price(3, 'base', '5')], { mode: 'merge' });
    expect(merged).toMatchObject({ inserted: 1, deleted: 0 });
    expect((await readPriceMap(db, portalId)).size).toBe(3);
  });

  it('when a price pull streams pages mixing price types, then only changes are written and finish removes what the pull did not bring', async () => {
    const portalId = ++portalSeq;
    await ingestProducts(createIngestSession(db, portalId, { logger }), [product(1), product(2), product(3)]);
    await ingestPrices(createIngestSession(db, portalId, { logger }), [price(1, 'base', '10'), price(2, 'base', '20'), price(3, 'base', '30'), price(1, 'dealer', '9'), price(1, 'old', '1')], { mode: 'replace' });
    const snapshot = openPriceSnapshot(createIngestSession(db, portalId, { logger }));
    const page1 = await snapshot.write([price(1, 'base', '10'), price(1, 'dealer', '8.5')]);
    expect(page1).toMatchObject({ received: 2, unchanged: 1, updated: 1 });
    const page2 = await snapshot.write([price(2, 'base', '20'), price(2, 'dealer', '19'), price(2, 'dealer', '19')]);
    // A key repeated within the pull is written again (new rows keep no fingerprint in memory).
    expect(page2).toMatchObject({ received: 3, unchanged: 1, inserted: 1, updated: 1 });
    const done = await snapshot.finish([{ erpId: 'base' }, { erpId: 'dealer' }, { erpId: 'old' }]);
    expect(done.deleted).toBe(2);
    expect(Object.fromEntries(await readPriceMap(db, portalId))).toEqual({ 'p-1|base': '10.0000 RUB', 'p-2|base': '20.0000 RUB', 'p-1|dealer': '8.5000 RUB', 'p-2|dealer': '19.0000 RUB' });
  });

  it('when a price or stock row names an unknown product, then a stub product (not on sale) keeps it until the product arrives', async () => {
    const portalId = ++portalSeq;
    const counts = await ingestStock(createIngestSession(db, portalId, { logger }), [stock(9, 'w1', '5')], { mode: 'replace' });
    expect(counts.stubs).toBe(2);
    expect((await listStoredProducts(db, portalId))[0]).toMatchObject({ erpId: 'p-9', isStub: true, onSale: false });
    const filled = await ingestProducts(createIngestSession(db, portalId, { logger }), [product(9)]);
    expect(filled.inserted).toBe(1);
    expect((await listStoredProducts(db, portalId))[0]).toMatchObject({ erpId: 'p-9', isStub: false, onSale: true, name: 'Товар №9' });
    expect(Object.fromEntries(await readStockMap(db, portalId))).toEqual({ 'p-9|w1': '5.000/0.000/5.000' });
  });

  it('when a stock snapshot replaces a warehouse, then other warehouses keep theirs and totals add up', async () => {
    const portalId = ++portalSeq;
    const s = createIngestSession(db, portalId, { logger });
    await ingestWarehouses(s, [{ ref: { erpId: 'w1' }, name: 'Москва', city: 'Москва' }, { ref: { erpId: 'w2' }, name: 'Казань', city: 'Казань' }]);
    await ingestStock(s, [stock(1, 'w1', '10', '2'), stock(2, 'w1', '5'), stock(1, 'w2', '7')], { mode: 'replace' });
    const next = await ingestStock(createIngestSession(db, portalId, { logger }), [stock(1, 'w1', '10', '2'), stock(3, 'w1', '1.5')], { mode: 'replace' });
    expect(next).toMatchObject({ inserted: 1, unchanged: 1, deleted: 1, updated: 0 });
    const totals = await readModelTotals(db, portalId);
    expect(totals.stock).toEqual([
      { erpId: 'w1', rows: 2, sum: '11.500' },
      { erpId: 'w2', rows: 1, sum: '7.000' },
    ]);
    expect(totals.warehouses).toBe(2);
  });

  it('when finance is refreshed for customers, then each customer snapshot is replaced and a customer with no answer loses its debt', async () => {
    const portalId = ++portalSeq;
    const s = createIngestSession(db, portalId, { logger });
    await ingestCustomers(s, [{ ref: { erpId: 'c1' }, name: 'ООО Дилер', inn: '7700000001', priceTypeRef: { erpId: 'dealer' } }, { ref: { erpId: 'c2' }, name: 'ИП Петров' }]);
    const asOf = '2026-11-23T00:00:00Z';
    await ingestCustomerFinance(s, [
      { customerRef: { erpId: 'c1' }, currency: 'RUB', debt: '1000.5', overdue: '0', creditLimit: '50000', creditLimitEnforced: true, asOf },
      { customerRef: { erpId: 'c1' }, currency: 'USD', debt: '10', overdue: '10', overdueDays: 12, creditLimitEnforced: false, asOf },
      { customerRef: { erpId: 'c2' }, currency: 'RUB', debt: '5', overdue: '0', creditLimitEnforced: false, asOf },
    ]);
    const counts = await ingestCustomerFinance(s, [{ customerRef: { erpId: 'c1' }, currency: 'RUB', debt: '1000.50', overdue: '0', creditLimit: '50000', creditLimitEnforced: true, asOf }], {
      customerRefs: [{ erpId: 'c1' }, { erpId: 'c2' }],
    });
    expect(counts).toMatchObject({ unchanged: 1, deleted: 2 });
    const rows = await selectRows(db, 'SELECT c.erp_id, f.currency, f.debt, f.credit_limit, f.credit_limit_enforced FROM erp_customer_finance f JOIN erp_customers c ON c.id = f.customer_id WHERE f.portal_id = :portalId', { portalId });
    expect(rows.map((r) => [r.erp_id, r.currency, r.debt, r.credit_limit, Number(r.credit_limit_enforced)])).toEqual([['c1', 'RUB', '1000.50', '50000.00', 1]]);
    const [customer] = await selectRows(db, "SELECT price_type_id FROM erp_customers WHERE portal_id = :portalId AND erp_id = 'c1'", { portalId });
    expect(customer!.price_type_id).not.toBeNull();
  });

  it('when order states arrive, then only changed states are reported (for the stage hook)', async () => {
    const portalId = ++portalSeq;
    const s = createIngestSession(db, portalId, { logger });
    const state = { externalId: 'ord-1', erpRef: { erpId: 'o-1' }, number: 'ЗК-1', status: 'confirmed' as const, rawStatus: 'Согласован', posted: true, total: '100' };
    expect((await ingestOrderStates(s, [state])).changed.map((c) => c.erpId)).toEqual(['o-1']);
    expect((await ingestOrderStates(s, [state])).changed).toEqual([]);
    const shipped = await ingestOrderStates(s, [{ ...state, status: 'shipped', rawStatus: 'Отгружен' }]);
    expect(shipped.changed.map((c) => c.item.status)).toEqual(['shipped']);
    expect(shipped.counts.updated).toBe(1);
  });

  it('when portals ingest the same ERP ids, then each sees only its own rows', async () => {
    const a = ++portalSeq;
    const b = ++portalSeq;
    await ingestProducts(createIngestSession(db, a, { logger }), [product(1)]);
    await ingestProducts(createIngestSession(db, b, { logger }), [product(1, { name: 'B' })]);
    await ingestPrices(createIngestSession(db, a, { logger }), [price(1, 'base', '1')], { mode: 'replace' });
    await ingestPrices(createIngestSession(db, b, { logger }), [price(1, 'base', '2')], { mode: 'replace' });
    expect(Object.fromEntries(await readPriceMap(db, a))).toEqual({ 'p-1|base': '1.0000 RUB' });
    expect(Object.fromEntries(await readPriceMap(db, b))).toEqual({ 'p-1|base': '2.0000 RUB' });
    expect((await listStoredProducts(db, b))[0]!.name).toBe('B');
  });
});

/**
 * Atomicity needs a reader on another connection: MariaDB, and SQLite on a file (an in-memory SQLite database has one
 * connection, so there is no "other reader").
 */
describe.each([
  { name: 'mariadb', create: createMariaDbDatabase },
  { name: 'sqlite-file', create: async (): Promise<TestDatabase> => ({ kind: 'sqlite', url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'dh-atomic-')), 'db.sqlite')}`, drop: async () => {} }) },
])('stock snapshot atomicity on $name', ({ create }) => {
  it('when a warehouse snapshot is replaced while a reader polls it, then the reader only ever sees the whole old or the whole new snapshot', async () => {
    const testDb = await create();
    const writerDb = createDatabase({ url: testDb.url });
    await tuneSqlite(writerDb);
    await migrateUp(writerDb);
    const readerDb = createDatabase({ url: testDb.url });
    await tuneSqlite(readerDb);
    try {
      const portalId = 1;
      const n = 6_000;
      const snapshot = (qty: string, offset: number) => Array.from({ length: n }, (_, i) => stock(i + offset, 'w-main', qty));
      await ingestStock(createIngestSession(writerDb, portalId, { logger }), snapshot('1', 0), { mode: 'replace' });
      const seen = new Set<string>();
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const [row] = await selectRows(readerDb, 'SELECT COUNT(*) AS n, MIN(on_hand) AS lo, MAX(on_hand) AS hi, MIN(product_id) AS first FROM erp_stock WHERE portal_id = 1', {});
          seen.add(`${row!.n}|${Number(row!.lo)}|${Number(row!.hi)}`);
        }
      })();
      // Replace with different quantities and a shifted product range: updates, inserts and deletes in one snapshot.
      for (const [qty, offset] of [['2', 1_000], ['3', 0], ['4', 500]] as const) {
        await ingestStock(createIngestSession(writerDb, portalId, { logger }), snapshot(qty, offset), { mode: 'replace' });
        await new Promise((r) => setTimeout(r, 30));
      }
      writing = false;
      await reader;
      expect(seen.size).toBeGreaterThan(1);
      for (const s of seen) expect(['6000|1|1', '6000|2|2', '6000|3|3', '6000|4|4']).toContain(s);
    } finally {
      await readerDb.close();
      await writerDb.close();
      await testDb.drop();
    }
  });
});
