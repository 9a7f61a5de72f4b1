import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCartService, parseCsv, parseXlsx, portFor, resolveQuickOrder } from '../../server/modules/carts/index.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { seedOrderPortal, type OrderPortal } from './orders.fixture.js';

describe.each(STORAGE_BACKENDS)('carts and quick order on $name', ({ create }) => {
  let testDb: TestDatabase;
  let t: TestContext;
  let p: OrderPortal;
  let goods: Awaited<ReturnType<OrderPortal['products']>>;

  beforeAll(async () => {
    testDb = await create();
    t = await createTestContext({ DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' });
    p = await seedOrderPortal(t.ctx, { skus: 1_700 });
    goods = await p.products();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await testDb?.drop();
  });

  it('when a user adds the same product twice and changes a line, then one line adds up, totals are exact and the revision moves', async () => {
    const carts = createCartService(t.ctx);
    const actor = await p.actor(p.users.headA);
    const [x, y] = goods.priced;
    await carts.clear(actor);
    await carts.addLines(actor, [{ productId: x!.id, sku: null, qty: '2', unit: 'base' }]);
    const view = await carts.addLines(actor, [
      { productId: x!.id, sku: null, qty: '3', unit: 'base' },
      { productId: y!.id, sku: null, qty: '1', unit: 'base' },
    ]);
    expect(view.lines.map((l) => [l.productId, l.qty])).toEqual([
      [x!.id, '5'],
      [y!.id, '1'],
    ]);
    const first = view.lines[0]!;
    expect(first.price!.lineTotal).toBe((Math.round(Number(first.price!.unitPrice) * 100 * 5) / 100).toFixed(2));
    expect(view.totals.amount).toBe((Number(view.lines[0]!.price!.lineTotal) + Number(view.lines[1]!.price!.lineTotal)).toFixed(2));
    expect(first.price!.breakdown[0]).toMatchObject({ kind: 'base' });
    const updated = await carts.updateLine(actor, first.id!, { qty: '7' });
    expect(updated.lines[0]!.qty).toBe('7');
    expect(updated.revision).toBeGreaterThan(view.revision);
    const removed = await carts.removeLine(actor, updated.lines[1]!.id!);
    expect(removed.lines).toHaveLength(1);
  });

  it('when a holding user switches legal entities, then each has its own active cart', async () => {
    const carts = createCartService(t.ctx);
    const main = await p.actor(p.users.headA, p.companies.a1);
    const second = await p.actor(p.users.headA, p.companies.a2);
    await carts.clear(second);
    await carts.addLines(second, [{ productId: goods.priced[2]!.id, sku: null, qty: '1', unit: 'base' }]);
    const a1 = await carts.current(main);
    const a2 = await carts.current(second);
    expect(a1.id).not.toBe(a2.id);
    expect(a2.lines.map((l) => l.productId)).toEqual([goods.priced[2]!.id]);
    expect(a2.legalEntity).toMatchObject({ companyId: p.companies.a2, name: 'ИП А' });
    await expect(p.actor(p.users.headA, p.companies.b1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('when a cart is saved, loaded, updated and deleted, then each step keeps its lines and another user cannot reach it', async () => {
    const carts = createCartService(t.ctx);
    const actor = await p.actor(p.users.headA);
    await carts.clear(actor);
    await carts.addLines(actor, [{ productId: goods.priced[3]!.id, sku: null, qty: '4', unit: 'base' }]);
    const saved = await carts.saveCurrent(actor, { name: 'Еженедельный' });
    expect(saved).toMatchObject({ kind: 'saved', name: 'Еженедельный' });
    await carts.clear(actor);
    const loaded = await carts.loadSaved(actor, saved.id, 'replace');
    expect(loaded.lines.map((l) => [l.productId, l.qty])).toEqual([[goods.priced[3]!.id, '4']]);
    await carts.addLines(actor, [{ productId: goods.priced[4]!.id, sku: null, qty: '1', unit: 'base' }]);
    const overwritten = await carts.updateSaved(actor, saved.id, { fromCurrent: true, name: 'Еженедельный 2' });
    expect(overwritten.lines).toHaveLength(2);
    expect((await carts.listSaved(actor)).map((s) => [s.name, s.lineCount])).toContainEqual(['Еженедельный 2', 2]);
    const other = await p.actor(p.users.headB);
    await expect(carts.getSaved(other, saved.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await carts.deleteSaved(actor, saved.id);
    await expect(carts.getSaved(actor, saved.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('when a CSV mixes good and bad lines, then every bad line is reported with its number and reason and the good ones are added', async () => {
    const actor = await p.actor(p.users.buyerA);
    const port = await portFor(t.ctx, actor);
    const [g1, g2] = goods.priced;
    const rows = [
      'Артикул;Количество',
      `${g1!.sku};3`,
      `${g2!.sku};2,5`,
      'NO-SUCH-SKU;1',
      `${g1!.sku};abc`,
      `${g1!.sku};0`,
      `${goods.notOnSale!.sku};1`,
      `${g2!.sku};2 уп`,
      `${goods.packed!.sku};2 уп`,
      `  ${g2!.sku.toLowerCase()} ;1`,
    ];
    const csv = iconv.encode(rows.join('\r\n'), 'win1251');
    const r = resolveQuickOrder(port, parseCsv(csv));
    expect(r.format).toBe('csv');
    expect(r.rejected.map((x) => [x.lineNo, x.code])).toEqual([
      [3, 'BAD_MULTIPLICITY'],
      [4, 'UNKNOWN_SKU'],
      [5, 'BAD_QTY'],
      [6, 'ZERO_QTY'],
      [7, 'NOT_ON_SALE'],
      [8, 'NO_PACK'],
    ]);
    expect(r.rejected[1]!.message.ru).toContain('NO-SUCH-SKU');
    expect(r.rejected[1]!.message.en).toContain('not in the catalog');
    expect(r.accepted.map((x) => [x.lineNo, x.productId, x.baseQty])).toEqual([
      [2, g1!.id, '3'],
      [9, goods.packed!.id, String(2 * Number(goods.packed!.ratio))],
      [10, g2!.id, '1'],
    ]);
    const carts = createCartService(t.ctx);
    await carts.clear(actor);
    await carts.addResolved(actor, r.cartLines);
    const cart = await carts.current(actor);
    expect(cart.lines).toHaveLength(3);
    expect(cart.lines.find((l) => l.unit === 'pack')).toMatchObject({ qty: '2', baseQty: String(2 * Number(goods.packed!.ratio)) });
  });

  it('when an XLSX is uploaded, then its rows resolve like CSV lines', async () => {
    const actor = await p.actor(p.users.buyerA);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Заказ');
    ws.addRow(['SKU', 'Qty']);
    ws.addRow([goods.priced[5]!.sku, 4]);
    ws.addRow(['MISSING-1', 2]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = resolveQuickOrder(await portFor(t.ctx, actor), await parseXlsx(bytes));
    expect(r.format).toBe('xlsx');
    expect(r.accepted.map((x) => [x.productId, x.qty])).toEqual([[goods.priced[5]!.id, '4']]);
    expect(r.rejected.map((x) => [x.lineNo, x.code])).toEqual([[3, 'UNKNOWN_SKU']]);
  });

  it('when a quick order has 1,000+ lines, then it is resolved and added in one pass quickly', async () => {
    const actor = await p.actor(p.users.headA, p.companies.a2);
    const lines = goods.priced.slice(0, 1_050).map((g, i) => `${g.sku};${(i % 5) + 1}`);
    lines.push('BROKEN-SKU;1');
    expect(lines.length).toBeGreaterThan(1_000);
    const started = performance.now();
    const r = resolveQuickOrder(await portFor(t.ctx, actor), parseCsv(Buffer.from(lines.join('\n'), 'utf8')));
    const carts = createCartService(t.ctx);
    await carts.clear(actor);
    await carts.addResolved(actor, r.cartLines);
    const cart = await carts.current(actor);
    const ms = performance.now() - started;
    expect(r.accepted).toHaveLength(lines.length - 1);
    expect(r.rejected).toEqual([expect.objectContaining({ lineNo: lines.length, code: 'UNKNOWN_SKU' })]);
    expect(cart.lines).toHaveLength(lines.length - 1);
    expect(cart.totals.orderable).toBe(lines.length - 1);
    expect(ms).toBeLessThan(5_000);
  }, 60_000);
});
