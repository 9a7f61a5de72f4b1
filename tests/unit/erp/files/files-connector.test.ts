import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { ErpError, type Cursor, type SubmitOrder } from '../../../../server/erp/port.js';
import { createFilesConnector } from '../../../../server/erp/files/create-files-connector.js';
import { writeCsv } from './files-erp.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop() as string, { recursive: true, force: true });
});

async function drop(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dh-drop-unit-'));
  dirs.push(dir);
  await mkdir(join(dir, 'in'), { recursive: true });
  return dir;
}

const put = (dir: string, name: string, text: string) => writeCsvText(join(dir, 'in', name), text);
async function writeCsvText(path: string, text: string) {
  await writeFile(path, text);
  const old = new Date(Date.now() - 60_000);
  await utimes(path, old, old);
}

const PRODUCTS = 'id;name;sku;deleted\np-1;Пила;SAW-1;0\np-2;Топор;AXE-1;0\np-3;Старый;OLD-1;1\n';

const order = (externalId: string, lines: SubmitOrder['lines']): SubmitOrder => ({
  externalId, number: 'DH-000777', customerRef: { erpId: 'c-1' }, currency: 'RUB', post: false, comment: 'Склад «Север»; 2 этаж', lines,
});

describe('drop folder: files in', () => {
  it('when a file has a bad value, then it moves to failed/ with a report naming line and column, and the last good snapshot stays', async () => {
    const dir = await drop();
    await put(dir, 'prices.csv', 'product_id,price_type_id,price\np-1,t-1,100\np-2,t-1,200\n');
    const c = createFilesConnector({ dir, settleMs: 0 });
    expect((await c.prices({}, null)).items.map((p) => p.price)).toEqual(['100', '200']);
    await put(dir, 'prices.csv', 'product_id,price_type_id,price,currency\np-1,t-1,110,RUB\np-2,t-1,\np-3,t-1,12.5x,RUB\n');
    const report = await c.importInbox();
    expect(report.accepted).toEqual([]);
    expect(report.rejected[0]?.errors).toEqual([
      'line 3, column 3 (price): is required',
      'line 4, column 3 (price): "12.5x" is not a number (use 1234.50 or 1234,50)',
    ]);
    expect(await readdir(join(dir, 'in'))).toEqual([]);
    const failed = await readdir(join(dir, 'failed'));
    expect(failed).toHaveLength(2);
    const text = await readFile(join(dir, 'failed', failed.find((f) => f.endsWith('.errors.txt')) as string), 'utf8');
    expect(text).toContain('prices.csv: 2 error(s); the file was not applied.');
    expect(text).toContain('line 4, column 3 (price)');
    expect((await c.prices({}, null)).items.map((p) => p.price)).toEqual(['100', '200']);
  });

  it('when a required column is missing, then the report says which', async () => {
    const dir = await drop();
    await put(dir, 'stock.csv', 'product_id;on_hand\np-1;5\n');
    const report = await createFilesConnector({ dir, settleMs: 0 }).importInbox();
    expect(report.rejected[0]?.errors).toEqual(['line 1, column ? (warehouse_id): required column "warehouse_id" is missing from the header']);
  });

  it('when a new snapshot arrives during a paged pass, then the pass ends on its own file and the next pass sees the new one', async () => {
    const dir = await drop();
    await put(dir, 'products.csv', PRODUCTS);
    const c = createFilesConnector({ dir, settleMs: 0, pageSize: 2 });
    const first = await c.products(null);
    expect(first.items.map((p) => p.ref.erpId)).toEqual(['p-1', 'p-2']);
    await put(dir, 'products.csv', 'id;name\np-9;Новый\n');
    const rest = await c.products(first.next as Cursor);
    expect(rest).toMatchObject({ items: [{ ref: { erpId: 'p-3' }, deleted: true }], next: null });
    expect((await c.products(null)).items.map((p) => p.ref.erpId)).toEqual(['p-9']);
    expect((await readdir(join(dir, 'processed'))).filter((f) => f.endsWith('products.csv'))).toHaveLength(2);
  });

  it('when a file is still being written or has a temporary name, then it is left for later', async () => {
    const dir = await drop();
    await writeFile(join(dir, 'in', 'products.csv'), PRODUCTS);
    await put(dir, 'products.csv.part', PRODUCTS);
    const c = createFilesConnector({ dir, settleMs: 5000 });
    expect((await c.products(null)).items).toEqual([]);
    expect((await readdir(join(dir, 'in'))).sort()).toEqual(['products.csv', 'products.csv.part']);
    const old = new Date(Date.now() - 10_000);
    await utimes(join(dir, 'in', 'products.csv'), old, old);
    expect((await c.products(null)).items).toHaveLength(3);
  });

  it('when products come as products.xml, then they are read with the same fields', async () => {
    const dir = await drop();
    await writeCsvText(join(dir, 'in', 'products.xml'), '<?xml version="1.0" encoding="utf-8"?>\n<products xmlns="urn:dealerhub:erp-files:1">\n<product id="p-1" sku="S-1" group="g-1"><name>Пила &amp; диск</name><unit code="796">шт</unit><barcode>4601234567893</barcode><pack ratio="6">упак</pack><property name="Цвет">Синий</property><vatRate>20</vatRate></product>\n</products>\n');
    const [p] = (await createFilesConnector({ dir, settleMs: 0 }).products(null)).items;
    expect(p).toEqual({
      ref: { erpId: 'p-1' }, sku: 'S-1', name: 'Пила & диск', groupRef: { erpId: 'g-1' }, baseUnit: { name: 'шт', code: '796', ratio: '1' }, deleted: false,
      barcodes: ['4601234567893'], packUnits: [{ name: 'упак', ratio: '6' }], properties: [{ id: 'Цвет', name: 'Цвет', value: 'Синий' }], vatRate: '20',
    });
  });

  it('when order states arrive out of order, then the newest updated_at per order wins', async () => {
    const dir = await drop();
    const c = createFilesConnector({ dir, settleMs: 0 });
    await writeCsv(join(dir, 'in', 'order-states-1.csv'), [{ external_id: 'x-1', erp_id: 'E1', number: 'ЗК-1', status: 'shipped', updated_at: '2026-11-20T10:00:00' }]);
    await writeCsv(join(dir, 'in', 'order-states-2.csv'), [{ external_id: 'x-1', erp_id: 'E1', number: 'ЗК-1', status: 'confirmed', updated_at: '2026-11-19T10:00:00' }]);
    expect((await c.orderStates({ externalIds: ['x-1'] }, null)).items.map((s) => s.status)).toEqual(['shipped']);
    expect((await c.orderStates({ since: '2026-11-20T00:00:00' }, null)).items).toHaveLength(1);
    expect((await c.orderStates({ since: '2026-11-21T00:00:00' }, null)).items).toHaveLength(0);
  });

  it('when the root folder is gone (an unmounted share), then health is not ok and pulls fail as transient', async () => {
    const c = createFilesConnector({ dir: join(tmpdir(), `dh-nowhere-${Date.now()}`), settleMs: 0 });
    expect((await c.health()).ok).toBe(false);
    const err = await c.products(null).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ErpError);
    expect((err as ErpError).kind).toBe('transient');
  });
});

describe('drop folder: orders out', () => {
  it('when an order is submitted, then out/ gets its CSV and XML complete, nothing temporary, and a resubmit writes nothing', async () => {
    const dir = await drop();
    await put(dir, 'products.csv', PRODUCTS);
    const c = createFilesConnector({ dir, settleMs: 0, now: () => new Date('2026-11-20T09:30:00Z') });
    const cmd = order('5f1c0e8a-1111-4222-8333-944455556666', [{ productRef: { erpId: 'p-1' }, qty: '2', price: '1499.50' }, { productRef: { erpId: 'p-2' }, qty: '1', price: '10' }]);
    expect(await c.submitOrder(cmd)).toEqual({ state: 'created', erpRef: { erpId: cmd.externalId }, number: 'DH-000777' });
    const names = (await readdir(join(dir, 'out'))).sort();
    expect(names).toEqual([`order_DH-000777__${cmd.externalId}.csv`, `order_DH-000777__${cmd.externalId}.xml`]);
    const csv = await readFile(join(dir, 'out', names[0] as string));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = Papa.parse<Record<string, string>>(csv.subarray(3).toString('utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => [r['line_no'], r['product_id'], r['qty'], r['price'], r['amount'], r['comment'], r['external_id']])).toEqual([
      ['1', 'p-1', '2', '1499.50', '2999.00', 'Склад «Север»; 2 этаж', cmd.externalId],
      ['2', 'p-2', '1', '10', '10.00', 'Склад «Север»; 2 этаж', cmd.externalId],
    ]);
    const xml = await readFile(join(dir, 'out', names[1] as string), 'utf8');
    expect(xml).toContain(`<order xmlns="urn:dealerhub:erp-files:1" externalId="${cmd.externalId}" number="DH-000777" createdAt="2026-11-20T09:30:00.000Z" post="false">`);
    expect(xml).toContain('<line no="1" product="p-1" qty="2" price="1499.50" amount="2999.00"/>');
    expect(await c.submitOrder(cmd)).toMatchObject({ state: 'already-exists', erpRef: { erpId: cmd.externalId } });
    expect(await readdir(join(dir, 'out'))).toHaveLength(2);
    expect(await c.findByExternalId('order', cmd.externalId)).toMatchObject({ number: 'DH-000777', status: 'draft', posted: false });
  });

  it('when an order has a zero quantity, an unknown or a deleted product, then it is refused as validation and nothing is written', async () => {
    const dir = await drop();
    await put(dir, 'products.csv', PRODUCTS);
    const c = createFilesConnector({ dir, settleMs: 0 });
    for (const [lines, message] of [
      [[{ productRef: { erpId: 'p-1' }, qty: '0', price: '1' }], 'line 1: quantity 0 must be positive'],
      [[{ productRef: { erpId: 'p-404' }, qty: '1', price: '1' }], "line 1: product p-404 is not in the ERP's product list"],
      [[{ productRef: { erpId: 'p-3' }, qty: '1', price: '1' }], 'line 1: product OLD-1 is marked deleted in the ERP'],
      [[], 'the order has no lines'],
    ] as const) {
      const err = await c.submitOrder(order(`x-${message.length}`, [...lines])).then(() => null, (e: unknown) => e);
      expect((err as ErpError).kind).toBe('validation');
      expect((err as Error).message).toBe(message);
    }
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });
});
