import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { PNG } from 'pngjs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import type { ErpOrderState, InboundBatches, InboundEvent } from '../../server/erp/port.js';
import { compareDecimals } from '../../server/lib/decimal.js';
import { createCommerceMlFeed, type CmlOrdersSource, type CommerceMlFeed, type CommerceMlFeedDeps } from '../../server/erp/onec-commerceml/create-commerceml-feed.js';
import { portalExchangeCredentials, setExchangeCredentials } from '../../server/erp/onec-commerceml/exchange-credentials.js';
import { parseCommerceMl } from '../../server/erp/onec-commerceml/parse-commerceml.js';
import type { CmlExportOrder } from '../../server/erp/onec-commerceml/render-orders-xml.js';
import { generateCatalog, renderProductPicture, toErpPrice, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { renderCommerceMl, runCommerceMlExchange, writeZip } from '../../sandbox/erp/onec-commerceml/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

/** 1C's «обмен с сайтом» against our exchange endpoint: protocol answers, files, imports, orders both ways. */

const LOGIN = 'site-exchange';
const PASSWORD = 'Obmen-2026!secret';
const EVENTS: InboundEvent[] = ['groups', 'products', 'priceTypes', 'prices', 'warehouses', 'stock', 'orderStates'];

interface Harness {
  t: TestContext;
  feed: CommerceMlFeed;
  app: ReturnType<typeof createApp>;
  base: string;
  memberId: string;
  portalId: number;
  storageDir: string;
  received: { [E in InboundEvent]: InboundBatches[E] };
  metas: Array<{ event: InboundEvent; portalId: number; fullSnapshot: boolean; size: number }>;
  exported: Array<{ ids: string[]; portalId: number }>;
  pending: CmlExportOrder[];
  listen(): Promise<string>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

async function harness(opts: Partial<CommerceMlFeedDeps> & { slowMs?: number } = {}): Promise<Harness> {
  const t = await createTestContext();
  const memberId = `m-${randomUUID().slice(0, 8)}`;
  const { portal } = await t.ctx.portals.upsertInstalled({ memberId, domain: 'dealer.bitrix24.ru', protocol: 'https' });
  await setExchangeCredentials(t.ctx.portals, portal.id, { login: LOGIN, password: PASSWORD });
  const storageDir = await mkdtemp(join(tmpdir(), 'dh-cml-store-'));
  const received = Object.fromEntries(EVENTS.map((e) => [e, []])) as unknown as Harness['received'];
  const metas: Harness['metas'] = [];
  const exported: Harness['exported'] = [];
  const pending: CmlExportOrder[] = [];
  const ordersSource: CmlOrdersSource = {
    pendingOrders: async (portalId) => (portalId === portal.id ? [...pending] : []),
    markExported: async (ids, portalId) => {
      exported.push({ ids, portalId });
      for (const id of ids) pending.splice(pending.findIndex((o) => o.externalId === id), 1);
    },
  };
  const feed = createCommerceMlFeed({
    ctx: t.ctx, storageDir, credentials: portalExchangeCredentials(t.ctx.portals), fileLimitBytes: 64 * 1024, importStepMs: 5000, ordersSource, ...opts,
  });
  for (const e of EVENTS) {
    feed.on(e, async (batch, meta) => {
      if (opts.slowMs) await new Promise((r) => setTimeout(r, opts.slowMs));
      (received[e] as unknown[]).push(...batch);
      metas.push({ event: e, ...meta, size: batch.length });
    });
  }
  const app = createApp(t.ctx, [(a) => a.use(feed.router())]);
  let server: Server | undefined;
  cleanups.push(async () => {
    await feed.close();
    if (server) await new Promise<void>((r) => server?.close(() => r()));
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });
  return {
    t, feed, app, base: `/erp/1c-exchange/${memberId}`, memberId, portalId: portal.id, storageDir, received, metas, exported, pending,
    async listen() {
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server?.once('listening', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/erp/1c-exchange/${memberId}`;
    },
  };
}

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const linesOf = (text: string) => text.split('\n');

async function login(h: Harness, type: 'catalog' | 'sale' = 'catalog'): Promise<{ cookie: string; sessid: string }> {
  const res = await request(h.app).get(h.base).query({ type, mode: 'checkauth' }).set('Authorization', basic(LOGIN, PASSWORD));
  const l = linesOf(res.text);
  expect(l[0]).toBe('success');
  return { cookie: `${l[1]}=${l[2]}`, sessid: (l[3] ?? '').replace('sessid=', '') };
}

async function upload(h: Harness, cookie: string, type: 'catalog' | 'sale', name: string, bytes: Buffer, partSize = 64 * 1024) {
  for (let o = 0; o < bytes.length; o += partSize) {
    const res = await request(h.app).post(h.base).query({ type, mode: 'file', filename: name }).set('Cookie', cookie)
      .set('Content-Type', 'application/octet-stream').send(bytes.subarray(o, o + partSize));
    expect(res.text.split('\n')[0], res.text).toBe('success');
  }
}

async function importUntilDone(h: Harness, cookie: string, name: string): Promise<{ answers: string[]; last: string[] }> {
  const answers: string[] = [];
  for (let i = 0; i < 500; i++) {
    const res = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'import', filename: name }).set('Cookie', cookie);
    answers.push(res.text);
    const l = linesOf(res.text);
    if (l[0] !== 'progress') return { answers, last: l };
  }
  throw new Error('import never finished');
}

async function renderFiles(cat: GeneratedCatalog, version: '2.10' | '3.1', encoding: 'utf-8' | 'windows-1251') {
  const dir = await mkdtemp(join(tmpdir(), 'dh-cml-src-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return { dir, files: await renderCommerceMl(cat, dir, { version, encoding }) };
}

describe('CommerceML exchange: authentication and session', () => {
  it('when checkauth has wrong, missing or foreign credentials, then the answer is failure and no session opens', async () => {
    const h = await harness();
    for (const auth of [basic(LOGIN, 'wrong-password'), basic('someone', PASSWORD), undefined]) {
      const r = request(h.app).get(h.base).query({ type: 'catalog', mode: 'checkauth' });
      const res = await (auth ? r.set('Authorization', auth) : r);
      expect(linesOf(res.text)[0]).toBe('failure');
    }
    const other = await request(h.app).get('/erp/1c-exchange/not-a-portal').query({ type: 'catalog', mode: 'checkauth' }).set('Authorization', basic(LOGIN, PASSWORD));
    expect(linesOf(other.text)[0]).toBe('failure');
    expect(existsSync(join(h.storageDir, 'sessions')) ? await readdir(join(h.storageDir, 'sessions')) : []).toEqual([]);
  });

  it('when checkauth succeeds, then it answers success, cookie name, cookie value and sessid, and later calls need that cookie', async () => {
    const h = await harness();
    const res = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'checkauth' }).set('Authorization', basic(LOGIN, PASSWORD));
    const l = linesOf(res.text);
    expect(l[0]).toBe('success');
    expect(l[1]).toBe('DH_1C_EXCHANGE');
    expect(l[2]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(l[3]).toMatch(/^sessid=[A-Za-z0-9_-]{32}$/);
    expect(l[4]).toMatch(/^timestamp=\d{10}$/);
    expect(String(res.headers['set-cookie'])).toContain(`DH_1C_EXCHANGE=${l[2]}`);
    const noCookie = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init' });
    expect(linesOf(noCookie.text)[0]).toBe('failure');
    expect(noCookie.text).toContain('checkauth');
    const forged = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init' }).set('Cookie', `DH_1C_EXCHANGE=${'x'.repeat(32)}`);
    expect(linesOf(forged.text)[0]).toBe('failure');
    const badSessid = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init', sessid: 'nope' }).set('Cookie', `${l[1]}=${l[2]}`);
    expect(linesOf(badSessid.text)[0]).toBe('failure');
    const init = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init', version: '3.1', sessid: (l[3] ?? '').slice(7) }).set('Cookie', `${l[1]}=${l[2]}`);
    expect(linesOf(init.text)).toEqual(['zip=yes', 'file_limit=65536', l[3], 'version=3.1']);
    // The same cookie does not open another portal's exchange.
    const h2path = '/erp/1c-exchange/some-other-member';
    const cross = await request(h.app).get(h2path).query({ type: 'catalog', mode: 'init' }).set('Cookie', `${l[1]}=${l[2]}`);
    expect(linesOf(cross.text)[0]).toBe('failure');
    expect(h.t.logs.text).not.toContain(PASSWORD);
    expect(h.t.logs.text).not.toContain(l[2]);
  });
});

describe('CommerceML exchange: files and import', () => {
  it('when import.xml and offers.xml arrive in parts of file_limit, then import delivers the catalog, prices and stock of each warehouse', async () => {
    const h = await harness();
    const cat = generateCatalog({ seed: 'cml-http-1', skus: 90 });
    const { files } = await renderFiles(cat, '2.10', 'utf-8');
    const { cookie } = await login(h);
    await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init' }).set('Cookie', cookie);
    for (const f of files) {
      const bytes = await readFile(f.path);
      expect(bytes.length).toBeGreaterThan(64 * 1024);
      await upload(h, cookie, 'catalog', f.name, bytes);
    }
    for (const f of files) expect((await importUntilDone(h, cookie, f.name)).last[0]).toBe('success');
    expect(h.received.products).toHaveLength(90);
    expect(h.received.groups).toHaveLength(cat.groups.length);
    expect(h.received.prices).toHaveLength(90 * cat.priceTypes.length);
    const p = cat.product(17);
    const got = h.received.products.find((x) => x.ref.erpId === p.ref);
    expect(got).toMatchObject({ sku: p.sku, name: p.name, fullName: p.fullName, brand: p.brand, deleted: p.deleted, groupRef: { erpId: p.groupRef } });
    expect(got?.barcodes).toEqual(p.barcodes);
    expect(got?.properties?.map((x) => `${x.name}=${x.value}`)).toEqual(p.properties.map((x) => `${x.name}=${x.value}`));
    for (const pr of cat.pricesOf(17).map(toErpPrice)) {
      const a = h.received.prices.find((x) => x.productRef.erpId === pr.productRef.erpId && x.priceTypeRef.erpId === pr.priceTypeRef.erpId);
      expect(a && compareDecimals(a.price, pr.price), `${pr.priceTypeRef.erpId}`).toBe(0);
      expect(a?.currency).toBe('RUB');
    }
    const stock = cat.stockOf(17);
    expect(h.received.stock.filter((s) => s.productRef.erpId === p.ref).map((s) => [s.warehouseRef.erpId, s.available]).sort()).toEqual(stock.map((s) => [s.warehouseRef, s.available]).sort());
    expect(h.metas.every((m) => m.portalId === h.portalId && m.fullSnapshot)).toBe(true);
  });

  it('when the sink is slow, then import answers progress and 1C calls again until success', async () => {
    const h = await harness({ importStepMs: 40, batchSize: 20, slowMs: 15 });
    const cat = generateCatalog({ seed: 'cml-http-2', skus: 160 });
    const { files } = await renderFiles(cat, '2.10', 'utf-8');
    const { cookie } = await login(h);
    const importXml = files[0] as (typeof files)[number];
    await upload(h, cookie, 'catalog', importXml.name, await readFile(importXml.path));
    const { answers, last } = await importUntilDone(h, cookie, importXml.name);
    expect(last[0]).toBe('success');
    expect(answers.filter((a) => a.startsWith('progress\n')).length).toBeGreaterThanOrEqual(2);
    expect(answers[0]).toMatch(/^progress\nОбработка файла import\.xml: \d+%/);
    expect(h.received.products).toHaveLength(160);
    expect(new Set(h.received.products.map((p) => p.ref.erpId)).size).toBe(160);
    expect(Math.max(...h.metas.map((m) => m.size))).toBeLessThanOrEqual(20);
  });

  it('when the XML is broken, then import answers failure with line and position, and asking again gives the same failure', async () => {
    const h = await harness();
    const { cookie } = await login(h);
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10">\n<Каталог><Товары>\n<Товар><Ид>1</Ид><Наименование>A</Наименование></Товар>\n<Товар><Ид>2</Ид><Наименование>B</Товар>\n</Товары></Каталог></КоммерческаяИнформация>\n';
    await upload(h, cookie, 'catalog', 'import.xml', Buffer.from(xml));
    const first = await importUntilDone(h, cookie, 'import.xml');
    expect(first.last[0]).toBe('failure');
    expect(first.last[1]).toMatch(/^Ошибка XML в файле import\.xml, строка 5, позиция \d+: /);
    const again = await importUntilDone(h, cookie, 'import.xml');
    expect(again.last).toEqual(first.last);
    const missing = await importUntilDone(h, cookie, 'offers.xml');
    expect(missing.last[0]).toBe('failure');
  });

  it('when a file name tries to leave the session directory, then it is refused and nothing is written outside', async () => {
    const h = await harness();
    const { cookie } = await login(h);
    const names = ['../evil.xml', '../../evil.xml', '/tmp/evil.xml', 'a/../../evil.xml', '..\\evil.xml', 'C:\\evil.xml', 'import_files//x.jpg', 'x\u0000.xml', '.'];
    for (const name of names) {
      const res = await request(h.app).post(h.base).query({ type: 'catalog', mode: 'file', filename: name }).set('Cookie', cookie).set('Content-Type', 'application/octet-stream').send(Buffer.from('<x/>'));
      expect(linesOf(res.text)[0], name).toBe('failure');
      const imp = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'import', filename: name }).set('Cookie', cookie);
      expect(linesOf(imp.text)[0], name).toBe('failure');
    }
    const sessions = await readdir(join(h.storageDir, 'sessions'));
    for (const dir of [h.storageDir, join(h.storageDir, 'sessions'), join(h.storageDir, 'sessions', sessions[0] as string), dirname(h.storageDir)]) {
      expect((await readdir(dir)).filter((f) => f.includes('evil'))).toEqual([]);
    }
    // Sub folders that stay inside are fine (pictures, the Bitrix module's goods/1/…).
    const ok = await request(h.app).post(h.base).query({ type: 'catalog', mode: 'file', filename: 'import_files/5a/pic.jpg' }).set('Cookie', cookie).send(Buffer.from('jpg'));
    expect(linesOf(ok.text)[0]).toBe('success');
  });

  it('when a part is larger than file_limit, then it is refused with 413', async () => {
    const h = await harness();
    const { cookie } = await login(h);
    const res = await request(h.app).post(h.base).query({ type: 'catalog', mode: 'file', filename: 'import.xml' }).set('Cookie', cookie)
      .set('Content-Type', 'application/octet-stream').send(Buffer.alloc(64 * 1024 + 4096, 0x20));
    expect(res.status).toBe(413);
    expect(linesOf(res.text)[0]).toBe('failure');
  });

  it('when 1C sends one zip archive (zip=yes), then the files inside are imported in order by their names', async () => {
    const h = await harness();
    const cat = generateCatalog({ seed: 'cml-http-3', skus: 50 });
    const { dir, files } = await renderFiles(cat, '3.1', 'windows-1251');
    const zipPath = join(dir, 'exchange.zip');
    await writeZip(zipPath, files.map((f) => ({ name: f.name, path: f.path })));
    const { cookie } = await login(h);
    await upload(h, cookie, 'catalog', 'exchange.zip', await readFile(zipPath));
    for (const f of files) expect((await importUntilDone(h, cookie, f.name)).last[0], f.name).toBe('success');
    expect(h.received.products).toHaveLength(50);
    expect(h.received.priceTypes).toHaveLength(cat.priceTypes.length);
    expect(h.received.prices).toHaveLength(50 * cat.priceTypes.length);
    expect(h.received.stock.length).toBe([...cat.stock()].length);
    // windows-1251 came through as text: a Cyrillic name is intact.
    expect(h.received.products.find((p) => p.ref.erpId === cat.product(3).ref)?.name).toBe(cat.product(3).name);
  });
});

describe('CommerceML exchange: orders (sale)', () => {
  const order = (cat: GeneratedCatalog, k: number): CmlExportOrder => {
    const c = cat.customers[k] as GeneratedCatalog['customers'][number];
    const p = cat.product(k + 2);
    return {
      externalId: randomUUID(), number: `DH-00012${k}`, createdAt: '2026-11-20T10:15:00', currency: 'RUB',
      customer: { ref: { erpId: c.ref }, name: c.name, inn: c.inn, ...(c.kpp ? { kpp: c.kpp } : {}) },
      lines: [{ productRef: { erpId: p.ref }, qty: '3', price: '1499.50', name: p.name, sku: p.sku }],
      comment: 'Доставка до склада «Север»',
    };
  };

  it('when 1C asks sale query, then orders come as CommerceML in windows-1251, and success marks exactly them exported', async () => {
    const h = await harness();
    const cat = generateCatalog({ seed: 'cml-sale', skus: 20 });
    h.pending.push(order(cat, 0), order(cat, 1));
    const ids = h.pending.map((o) => o.externalId);
    const { cookie } = await login(h, 'sale');
    const res = await request(h.app).get(h.base).query({ type: 'sale', mode: 'query' }).set('Cookie', cookie).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.headers['content-type']).toBe('application/xml; charset=windows-1251');
    const bytes = res.body as Buffer;
    expect(bytes.includes(iconv.encode('Заказ товара', 'windows-1251'))).toBe(true);
    expect(bytes.includes(Buffer.from('Заказ товара', 'utf8'))).toBe(false);
    expect(iconv.decode(bytes, 'windows-1251')).toContain('encoding="windows-1251"');
    const states: ErpOrderState[] = [];
    await parseCommerceMl(Readable.from([bytes]), async (e, items) => {
      if (e === 'orderStates') states.push(...(items as ErpOrderState[]));
    });
    expect(states.map((s) => s.externalId)).toEqual(ids);
    expect(states[0]).toMatchObject({ number: 'DH-000120', status: 'confirmed', total: '4498.5', lines: [{ qty: '3', price: '1499.5' }] });
    expect(h.exported).toEqual([]);
    const ok = await request(h.app).get(h.base).query({ type: 'sale', mode: 'success' }).set('Cookie', cookie);
    expect(ok.text).toBe('success');
    expect(h.exported).toEqual([{ ids, portalId: h.portalId }]);
  });

  it('when 1C sends documents.xml back, then order states with 1C numbers and statuses are delivered', async () => {
    const h = await harness();
    const id1 = randomUUID();
    const id2 = randomUUID();
    const doc = (id: string, number: string, reqs: Array<[string, string]>) =>
      `<Документ><Ид>${id}</Ид><Номер>${number}</Номер><Дата>2026-11-20</Дата><ХозОперация>Заказ товара</ХозОперация><Сумма>2998.00</Сумма>`
      + '<Товары><Товар><Ид>p-1#v-9</Ид><ЦенаЗаЕдиницу>1499</ЦенаЗаЕдиницу><Количество>2</Количество></Товар><Товар><Ид>ORDER_DELIVERY</Ид><ЦенаЗаЕдиницу>300</ЦенаЗаЕдиницу><Количество>1</Количество></Товар></Товары>'
      + `<ЗначенияРеквизитов>${reqs.map(([n, v]) => `<ЗначениеРеквизита><Наименование>${n}</Наименование><Значение>${v}</Значение></ЗначениеРеквизита>`).join('')}</ЗначенияРеквизитов></Документ>`;
    const xml = `<?xml version="1.0" encoding="windows-1251"?>\n<КоммерческаяИнформация ВерсияСхемы="2.08">${doc(id1, 'DH-1', [['Номер по 1С', 'ЗК00-000777'], ['Проведен', 'true'], ['Статус заказа', '[W] В работе'], ['Статуса заказа ИД', 'W']])}${doc(id2, 'DH-2', [['Проведен', 'true'], ['Отменен', 'true']])}</КоммерческаяИнформация>`;
    const { cookie } = await login(h, 'sale');
    const res = await request(h.app).post(h.base).query({ type: 'sale', mode: 'file', filename: 'documents.xml' }).set('Cookie', cookie).send(iconv.encode(xml, 'windows-1251'));
    expect(linesOf(res.text)[0]).toBe('success');
    expect(h.received.orderStates).toHaveLength(2);
    expect(h.received.orderStates[0]).toMatchObject({ externalId: id1, number: 'ЗК00-000777', erpRef: { erpId: 'ЗК00-000777' }, status: 'in_fulfilment', rawStatus: '[W] В работе', posted: true, total: '2998' });
    expect(h.received.orderStates[0]?.lines).toEqual([{ lineNo: 1, productRef: { erpId: 'p-1' }, qty: '2', price: '1499', reserved: '0', waiting: '0', cancelled: false }]);
    expect(h.received.orderStates[1]).toMatchObject({ externalId: id2, status: 'cancelled' });
  });
});

describe('CommerceML exchange: the 1C emulator end to end', () => {
  it('when 1C exchanges CML 2.10 (UTF-8) and CML 3.1 delta (windows-1251, zipped), then the site gets the catalog and 1C gets the orders and answers statuses', async () => {
    const h = await harness({ importStepMs: 200 });
    const url = await h.listen();
    const cat = generateCatalog({ seed: 'cml-e2e', skus: 120 });
    const full = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '2.10', encoding: 'utf-8', zip: false, catalogOnly: true });
    expect(full.ok, full.message).toBe(true);
    expect(full.files.map((f) => f.name)).toEqual(['import.xml', 'offers.xml']);
    expect(full.files.every((f) => f.parts === Math.ceil(f.bytes / full.fileLimit))).toBe(true);
    expect(h.received.products).toHaveLength(120);
    expect(h.metas.every((m) => m.fullSnapshot)).toBe(true);

    h.pending.push({
      externalId: randomUUID(), number: 'DH-000501', createdAt: '2026-11-20T11:00:00', currency: 'RUB',
      customer: { ref: { erpId: (cat.customers[0] as GeneratedCatalog['customers'][number]).ref }, name: 'ООО «Дилер»' },
      lines: [{ productRef: { erpId: cat.product(1).ref }, qty: '2', price: '100.00', name: cat.product(1).name }],
    });
    const before = h.metas.length;
    const delta = await runCommerceMlExchange({
      baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '3.1', encoding: 'windows-1251', zip: true, delta: true,
      statusFor: () => ({ id: 'S', name: 'Отгружен', posted: true }),
    });
    expect(delta.ok, delta.message).toBe(true);
    expect(delta.version).toBe('3.1');
    expect(delta.zip).toBe(true);
    expect(delta.files.map((f) => f.name)).toEqual(['exchange.zip', 'documents.xml']);
    const deltaMetas = h.metas.slice(before).filter((m) => m.event !== 'orderStates');
    expect(deltaMetas.filter((m) => m.event === 'products').every((m) => !m.fullSnapshot)).toBe(true);
    expect(deltaMetas.filter((m) => m.event === 'prices').every((m) => !m.fullSnapshot)).toBe(true);
    expect(h.received.products).toHaveLength(120 + 12);
    expect(delta.orders).toHaveLength(1);
    expect(delta.orders[0]?.lines).toEqual([{ id: cat.product(1).ref, qty: '2', price: '100.00' }]);
    expect(delta.saleContentType).toBe('application/xml; charset=windows-1251');
    expect(h.exported.map((e) => e.ids)).toEqual([[delta.orders[0]?.id]]);
    expect(h.received.orderStates).toHaveLength(1);
    expect(h.received.orderStates[0]).toMatchObject({ externalId: delta.orders[0]?.id, status: 'shipped', posted: true });
  });

  it('when the connection drops in the middle of a file, then 1C stops, and the next exchange imports everything exactly once', async () => {
    const h = await harness();
    const url = await h.listen();
    const cat = generateCatalog({ seed: 'cml-drop', skus: 80 });
    const dropped = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '2.10', encoding: 'windows-1251', zip: false, fault: 'drop-mid-file', catalogOnly: true });
    expect(dropped.ok).toBe(false);
    expect(dropped.stage).toBe('file');
    expect(h.received.products).toEqual([]);
    const again = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '2.10', encoding: 'windows-1251', zip: false, catalogOnly: true });
    expect(again.ok, again.message).toBe(true);
    expect(h.received.products).toHaveLength(80);
    expect(new Set(h.received.products.map((p) => p.ref.erpId)).size).toBe(80);
  });

  it('when 1C has the wrong password or sends broken XML, then the exchange stops at checkauth or at import with the reason', async () => {
    const h = await harness();
    const url = await h.listen();
    const cat = generateCatalog({ seed: 'cml-faults', skus: 30 });
    const creds = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '3.1', encoding: 'utf-8', zip: false, fault: 'bad-credentials' });
    expect(creds).toMatchObject({ ok: false, stage: 'checkauth' });
    const broken = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '3.1', encoding: 'utf-8', zip: false, fault: 'broken-xml' });
    expect(broken).toMatchObject({ ok: false, stage: 'import' });
    expect(broken.message).toMatch(/строка \d+, позиция \d+/);
    expect(h.received.products).toEqual([]);
  });
});

describe('CommerceML exchange: product pictures (import_files)', () => {
  const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = renderProductPicture('PIC-1', 'tool', 0);
  // Only the JPEG magic and a JFIF header: enough for the type check, and different from the PNG.
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(300, 7)]);
  const productXml = (pictures: string[]) => '<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10">\n'
    + '<Каталог СодержитТолькоИзменения="false"><Ид>cat-1</Ид><Наименование>Каталог</Наименование><Товары>\n'
    + `<Товар><Ид>p-1</Ид><Артикул>PIC-1</Артикул><Наименование>Дрель</Наименование><БазоваяЕдиница Код="796">шт</БазоваяЕдиница>${pictures.map((x) => `<Картинка>${x}</Картинка>`).join('')}</Товар>\n`
    + '</Товары></Каталог></КоммерческаяИнформация>\n';
  const keys = ['import_files/ab/pic1.png', 'import_files/cd/pic2.jpg'];
  const storeFiles = async (h: Harness) => {
    const dir = join(h.storageDir, 'pictures', String(h.portalId), 'import_files');
    return existsSync(dir) ? (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort() : [];
  };

  for (const mode of ['separate files', 'zip archive'] as const) {
    it(`when 1C sends import.xml with two <Картинка> and the pictures as ${mode}, then after import the feed serves their exact bytes`, async () => {
      const h = await harness();
      const { cookie } = await login(h);
      await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init' }).set('Cookie', cookie);
      const files: Array<[string, Buffer]> = [['import.xml', Buffer.from(productXml(keys))], [keys[0] as string, png], [keys[1] as string, jpeg]];
      if (mode === 'zip archive') {
        const dir = await mkdtemp(join(tmpdir(), 'dh-cml-pic-'));
        cleanups.push(() => rm(dir, { recursive: true, force: true }));
        await writeZip(join(dir, 'exchange.zip'), files.map(([name, data]) => ({ name, data })));
        await upload(h, cookie, 'catalog', 'exchange.zip', await readFile(join(dir, 'exchange.zip')));
      } else {
        for (const [name, bytes] of files) await upload(h, cookie, 'catalog', name, bytes);
      }
      await expect(h.feed.productPicture(h.portalId, keys[0] as string)).rejects.toMatchObject({ kind: 'not-found' });
      expect((await importUntilDone(h, cookie, 'import.xml')).last[0]).toBe('success');
      expect(h.received.products[0]?.pictures).toEqual(keys);

      const first = await h.feed.productPicture(h.portalId, keys[0] as string);
      expect(first.contentType).toBe('image/png');
      expect(first.fileName).toBe('pic1.png');
      expect(Buffer.from(first.bytes).equals(png)).toBe(true);
      const second = await h.feed.productPicture(h.portalId, keys[1] as string);
      expect(second.contentType).toBe('image/jpeg');
      expect(Buffer.from(second.bytes).equals(jpeg)).toBe(true);
      // Kept per portal, outside the session: a new exchange (init clears the session's files) and the idle sweep
      // (it removes whole session directories) leave them.
      expect(await storeFiles(h)).toEqual(['pic1.png', 'pic2.jpg']);
      await request(h.app).get(h.base).query({ type: 'catalog', mode: 'init' }).set('Cookie', cookie);
      await rm(join(h.storageDir, 'sessions'), { recursive: true, force: true });
      expect(Buffer.from((await h.feed.productPicture(h.portalId, keys[0] as string)).bytes).equals(png)).toBe(true);
      // Another portal's id does not reach them.
      await expect(h.feed.productPicture(h.portalId + 1, keys[0] as string)).rejects.toMatchObject({ kind: 'not-found' });
    });
  }

  it('when a picture arrives after an import, then the next import or complete stores it, and a picture sent again replaces the old one', async () => {
    const h = await harness();
    const { cookie } = await login(h);
    await upload(h, cookie, 'catalog', 'import.xml', Buffer.from(productXml(keys)));
    await upload(h, cookie, 'catalog', keys[0] as string, jpeg);
    expect((await importUntilDone(h, cookie, 'import.xml')).last[0]).toBe('success');
    expect((await h.feed.productPicture(h.portalId, keys[0] as string)).contentType).toBe('image/jpeg');
    // 1C sends the second picture (and pic1 anew) after import.xml was imported, then ends the exchange.
    await upload(h, cookie, 'catalog', keys[1] as string, jpeg);
    await upload(h, cookie, 'catalog', keys[0] as string, png);
    const done = await request(h.app).get(h.base).query({ type: 'catalog', mode: 'complete' }).set('Cookie', cookie);
    expect(done.text).toBe('success');
    expect(Buffer.from((await h.feed.productPicture(h.portalId, keys[1] as string)).bytes).equals(jpeg)).toBe(true);
    const replaced = await h.feed.productPicture(h.portalId, keys[0] as string);
    expect(replaced.contentType).toBe('image/png');
    expect(Buffer.from(replaced.bytes).equals(png)).toBe(true);
    expect(await storeFiles(h)).toEqual(['pic1.png', 'pic2.jpg']); // no temporary files left behind
  });

  it('when a file under import_files is not an image, then it is not stored; a key leaving the store is refused; a missing one is not found', async () => {
    const h = await harness();
    const { cookie } = await login(h);
    const fakes: Array<[string, Buffer]> = [
      ['import_files/x/page.png', Buffer.from('<html><script>alert(1)</script></html>')], // image name, not image bytes
      ['import_files/x/notes.txt', png], // image bytes, not an image name
      ['import_files/x/empty.jpg', Buffer.alloc(0)],
    ];
    await upload(h, cookie, 'catalog', 'import.xml', Buffer.from(productXml([...keys, ...fakes.map(([n]) => n)])));
    await upload(h, cookie, 'catalog', keys[0] as string, png);
    for (const [name, bytes] of fakes) {
      if (bytes.length) await upload(h, cookie, 'catalog', name, bytes);
      else await request(h.app).post(h.base).query({ type: 'catalog', mode: 'file', filename: name }).set('Cookie', cookie).set('Content-Type', 'application/octet-stream').send(bytes);
    }
    expect((await importUntilDone(h, cookie, 'import.xml')).last[0]).toBe('success');
    expect(await storeFiles(h)).toEqual(['pic1.png']);
    for (const [name] of fakes) await expect(h.feed.productPicture(h.portalId, name), name).rejects.toMatchObject({ name: 'ErpError', kind: 'not-found' });
    expect(h.t.logs.text).toContain('import_files/x/page.png');

    await expect(h.feed.productPicture(h.portalId, keys[1] as string)).rejects.toMatchObject({ name: 'ErpError', kind: 'not-found' });
    await expect(h.feed.productPicture(h.portalId, 'import_files/ab/nothing.png')).rejects.toMatchObject({ name: 'ErpError', kind: 'not-found' });
    const traversal = ['../1/import_files/ab/pic1.png', 'import_files/../../1/import_files/ab/pic1.png', '/etc/passwd', 'C:\\import_files\\a.png', 'import_files\\..\\..\\x.png', 'import.xml', 'https://example.com/a.png', ''];
    for (const key of traversal) await expect(h.feed.productPicture(h.portalId, key), key).rejects.toMatchObject({ name: 'ErpError', kind: 'validation' });
    await expect(h.feed.productPicture(0, keys[0] as string)).rejects.toMatchObject({ name: 'ErpError', kind: 'validation' });
  });

  it('when the 1C emulator exchanges the catalog (separate files and zip), then every product picture key resolves to a 200 px PNG; with pictures off none is sent', async () => {
    const h = await harness({ importStepMs: 200 });
    const url = await h.listen();
    const cat = generateCatalog({ seed: 'cml-pictures', skus: 30 });
    const expected = Array.from({ length: cat.productCount }, (_, i) => cat.product(i).pictures.length).reduce((a, b) => a + b, 0);
    expect(expected).toBeGreaterThan(0);

    const off = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version: '2.10', encoding: 'utf-8', zip: false, catalogOnly: true, pictures: false });
    expect(off.ok, off.message).toBe(true);
    expect(off.pictures.files).toBe(0);
    const withPicture = h.received.products.find((p) => p.pictures?.length);
    const firstKey = withPicture?.pictures?.[0] as string;
    expect(firstKey).toMatch(/^import_files\/.+\.png$/);
    await expect(h.feed.productPicture(h.portalId, firstKey)).rejects.toMatchObject({ kind: 'not-found' });

    for (const [version, zip] of [['2.10', false], ['3.1', true]] as const) {
      await rm(join(h.storageDir, 'pictures'), { recursive: true, force: true });
      h.received.products.length = 0;
      const report = await runCommerceMlExchange({ baseUrl: url, login: LOGIN, password: PASSWORD, catalog: cat, version, encoding: 'windows-1251', zip, catalogOnly: true });
      expect(report.ok, report.message).toBe(true);
      expect(report.zip).toBe(zip);
      expect(report.pictures.files).toBe(expected); // on by default for a catalog this size
      const product = h.received.products.find((p) => p.pictures?.length) as (typeof h.received.products)[number];
      const i = Array.from({ length: cat.productCount }, (_, k) => k).find((k) => cat.product(k).ref === product.ref.erpId) as number;
      const file = await h.feed.productPicture(h.portalId, product.pictures?.[0] as string);
      expect(file.contentType).toBe('image/png');
      const bytes = Buffer.from(file.bytes);
      expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(PNG.sync.read(bytes).width).toBe(200);
      expect(bytes.equals(renderProductPicture(cat.product(i).sku, cat.product(i).kind, 0))).toBe(true);
      // Every key any product names resolves.
      const all = h.received.products.flatMap((p) => p.pictures ?? []);
      expect(all).toHaveLength(expected);
      for (const key of all) expect((await h.feed.productPicture(h.portalId, key)).contentType, key).toBe('image/png');
    }
  });
});
