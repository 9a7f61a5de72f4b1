import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPayload, main, COUNT_KEYS } from '../../../../server/erp/cli.js';
import { payloadFormats } from '../../../../server/erp/formats.js';
import { buildEnvelope } from '../../../../server/erp/ax2012-aif/soap-envelope.js';
import { generateCatalog, type GeneratedCatalog } from '../../../../sandbox/erp/catalog/index.js';
import { axIds, startAx2012Emulator } from '../../../../sandbox/erp/ax2012/index.js';
import { renderCommerceMl, writeZip } from '../../../../sandbox/erp/onec-commerceml/index.js';
import { writeCatalogFiles } from '../files/files-erp.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../../..');
const FIXTURES = process.env.ERP_FIXTURES_DIR ?? resolve(ROOT, '../shared/fixtures/erp');

let dir: string;
let cat: GeneratedCatalog;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dh-inspect-'));
  cat = generateCatalog({ seed: 'inspect', skus: 40 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('inspect: formats', () => {
  it('when the registry is listed, then every adapter family is there', () => {
    expect(payloadFormats.map((f) => f.id)).toEqual(['commerceml', 'ax2012-aif', '1c-odata', 'd365-odata', 'files-csv', 'files-xml']);
  });

  it('when a zipped CommerceML 3.1 exchange in windows-1251 is inspected, then the entries are read together', async () => {
    const src = join(dir, 'cml31');
    const files = await renderCommerceMl(cat, src, { version: '3.1', encoding: 'windows-1251' });
    const zip = join(dir, 'exchange.zip');
    await writeZip(zip, [...files.map((f) => ({ name: f.name, path: f.path })), { name: 'import_files/a.jpg', data: Buffer.from([0xff, 0xd8, 0xff]) }]);
    const r = await inspectPayload(zip);
    expect(r.format).toBe('commerceml-3.1');
    expect(r.counts).toMatchObject({ products: 40, groups: cat.groups.length, priceTypes: cat.priceTypes.length, prices: 40 * cat.priceTypes.length, warehouses: cat.warehouses.length, stock: [...cat.stock()].length });
    expect(r.samples['products']).toMatchObject({ ref: { erpId: cat.product(0).ref }, name: cat.product(0).name });
  });

  it('when a zip holds a broken XML entry, then the error names the entry and the position', async () => {
    const zip = join(dir, 'broken.zip');
    await writeZip(zip, [{ name: 'import.xml', data: Buffer.from('<?xml version="1.0"?>\n<КоммерческаяИнформация ВерсияСхемы="2.10">\n<Каталог></Товары>') }]);
    await expect(inspectPayload(zip)).rejects.toThrow(/^import\.xml: malformed XML at line 3:\d+/);
  });

  it('when CommerceML 2.10 offers come in windows-1251, then the version and the Cyrillic names are right', async () => {
    const [offers] = await renderCommerceMl(cat, join(dir, 'cml210'), { version: '2.10', encoding: 'windows-1251', offersOnly: true });
    const r = await inspectPayload(offers?.path as string);
    expect(r.format).toBe('commerceml-2.10');
    expect(r.samples['warehouses']).toMatchObject({ name: cat.warehouses[0]?.name });
  });

  it('when drop-folder files are inspected, then the kind comes from the name or, for another name, from the header', async () => {
    const drop = join(dir, 'drop');
    await writeCatalogFiles(cat, drop);
    const prices = await inspectPayload(join(drop, 'in', 'prices.csv'));
    expect(prices.format).toBe('files-csv');
    expect(prices.counts.prices).toBe(40 * cat.priceTypes.length);
    const renamed = join(dir, 'export-2026-11-20.txt');
    await writeFile(renamed, await readFile(join(drop, 'in', 'stock.csv')));
    expect((await inspectPayload(renamed)).counts.stock).toBe([...cat.stock()].length);
    const customers = await inspectPayload(join(drop, 'in', 'customers.csv'));
    expect(customers.samples['customers']).toMatchObject({ name: cat.customers[0]?.name, inn: cat.customers[0]?.inn });
    const finance = await inspectPayload(join(drop, 'in', 'finance.csv'));
    expect(finance.counts).toEqual(Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])));
    expect(finance.samples['finance']).toMatchObject({ customerRef: { erpId: cat.customers[0]?.ref } });
    expect(Number((finance.samples['finance'] as { debt: string }).debt)).toBe(Number(cat.finance[0]?.debt));
    const bad = join(dir, 'prices.csv');
    await writeFile(bad, iconv.encode('product_id;price_type_id;price\np-1;t;10\np-2;t;дорого\n', 'windows-1251'));
    await expect(inspectPayload(bad)).rejects.toThrow('invalid prices file at line 3, column 3 (price): "дорого" is not a number (use 1234.50 or 1234,50)');
  });

  it('when an AIF answer saved from the HTTP port is inspected, then its on-hand rows are counted as stock', async () => {
    const emu = await startAx2012Emulator({ catalog: cat });
    try {
      const body = `<DhInventOnhandServiceGetOnhandRequest xmlns="http://tempuri.org"><_request xmlns:b="http://schemas.datacontract.org/2004/07/Dynamics.Ax.Application"><b:PageSize>50</b:PageSize></_request></DhInventOnhandServiceGetOnhandRequest>`;
      const res = await fetch(emu.endpoint, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"http://tempuri.org/DhInventOnhandService/getOnhand"' }, body: buildEnvelope('1.1', { company: emu.company }, body) });
      const file = join(dir, 'onhand-answer.xml');
      await writeFile(file, await res.text());
      const r = await inspectPayload(file);
      expect(r.format).toBe('ax2012-aif');
      expect(r.counts.stock).toBeGreaterThan(0);
      expect(r.samples['stock']).toMatchObject({ productRef: { erpId: axIds.item(cat.product(0)) } });
    } finally {
      await emu.close();
    }
  });

  it('when a saved D365 F&O answer is inspected, then it is d365-odata with its entity set', async () => {
    const file = join(dir, 'onhand.json');
    await writeFile(file, JSON.stringify({
      '@odata.context': 'https://contoso.operations.dynamics.com/data/$metadata#WarehousesOnHandV2',
      value: [{ dataAreaId: 'usmf', ItemNumber: 'A0001', InventoryWarehouseId: '11', OnHandQuantity: 10, ReservedOnHandQuantity: 2.5, AvailableOnHandQuantity: 7.5 }],
    }));
    const r = await inspectPayload(file);
    expect(r.format).toBe('d365-odata/WarehousesOnHandV2');
    expect(r.counts.stock).toBe(1);
    expect(r.samples['stock']).toMatchObject({ productRef: { erpId: 'usmf|A0001' }, available: '7.5' });
  });

  it('when the file is empty, unknown, in an unknown encoding or missing, then the reason says so', async () => {
    const empty = join(dir, 'empty.xml');
    await writeFile(empty, '');
    await expect(inspectPayload(empty)).rejects.toThrow(/^empty file$/);
    const blank = join(dir, 'blank.json');
    await writeFile(blank, '  \n ');
    await expect(inspectPayload(blank)).rejects.toThrow(/^empty file$/);
    const weird = join(dir, 'weird.xml');
    await writeFile(weird, '<?xml version="1.0" encoding="x-mac-klingon"?><a/>');
    await expect(inspectPayload(weird)).rejects.toThrow('unsupported encoding "x-mac-klingon"');
    const other = join(dir, 'other.json');
    await writeFile(other, '{"hello": "world"}');
    await expect(inspectPayload(other)).rejects.toThrow(/^unknown format/);
    await expect(inspectPayload(join(dir, 'nope.xml'))).rejects.toThrow(/^cannot read .*nope\.xml: ENOENT$/);
  });

  it('when main runs in-process, then stdout gets exactly one JSON line and errors one stderr line', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]) => ({ write: (s: string) => into.push(s) }) as unknown as NodeJS.WritableStream;
    expect(await main(['inspect', join(FIXTURES, 'commerceml-3.1_bitrix-module_prices.xml')], sink(out), sink(err))).toBe(0);
    expect(out).toHaveLength(1);
    expect(Object.keys(JSON.parse(out[0] as string))).toEqual(['format', 'counts', 'samples']);
    expect(err).toEqual([]);
    expect(await main(['inspect', join(FIXTURES, 'SOURCES.md')], sink(out), sink(err))).toBe(1);
    expect(err).toHaveLength(1);
    expect(await main([], sink(out), sink(err))).toBe(2);
  });
});

describe('inspect: the CLI process', () => {
  const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'server/erp/cli.ts'), ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

  it('when a fixture is inspected, then the process prints one JSON object and exits 0', async () => {
    const r = await cli(['inspect', join(FIXTURES, 'commerceml-2.07_offers_with-warehouses.xml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const json = JSON.parse(r.stdout) as { format: string; counts: Record<string, number>; samples: Record<string, unknown> };
    expect(json.format).toBe('commerceml-2.07');
    expect(Object.keys(json.counts)).toEqual([...COUNT_KEYS]);
    expect(json.counts).toMatchObject({ prices: 44, stock: 132, warehouses: 3, priceTypes: 1 });
  }, 30_000);

  it('when the file cannot be read, then the process exits 1 with one line on stderr and nothing on stdout', async () => {
    const bad = join(dir, 'bad.xml');
    await writeFile(bad, '<?xml version="1.0"?>\n<КоммерческаяИнформация>\n<Каталог>\n</КоммерческаяИнформация>');
    const r = await cli(['inspect', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: malformed XML at line 4:\d+: .+\n$/);
    const usage = await cli([]);
    expect(usage.code).toBe(2);
  }, 30_000);
});
