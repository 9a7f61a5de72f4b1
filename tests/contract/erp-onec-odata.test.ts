import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog, formatLocal, type CatCustomer, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createOnecOdataConnector } from '../../server/erp/onec-odata/index.js';
import type { SubmitOrder } from '../../server/erp/port.js';
import { drain, erpErrorOf, runErpConnectorBattery } from './erp-connector.battery.js';

/** The contract battery against the 1C OData adapter and the in-process УТ 11 emulator (port 0, 300 SKUs). */
runErpConnectorBattery('1C OData (УТ 11) against the emulator', async () => {
  // The emulator keeps 1C "local" time in UTC; the catalog's today is now, so overdue days agree with the adapter's.
  const catalog = generateCatalog({ seed: 'battery-1c', skus: 300, customers: 8, asOf: formatLocal(Date.now()) });
  const running = await startOnecOdataEmulator({ catalog });
  const connector = createOnecOdataConnector({
    baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', pageSize: 120, timeoutMs: 5000,
  });
  return {
    connector,
    emulator: {
      catalog,
      faults: running.emulator.faults,
      findOrderByExternalId: (id) => running.emulator.findOrderByExternalId(id),
      setOrderStatus: (id, status) => running.emulator.setOrderStatus(id, status),
      updateProduct: (index, patch) => running.emulator.updateProduct(index, patch),
      close: () => running.close(),
    },
    options: { pictureKeys: 'erp-keys' },
    teardown: () => running.close(),
  };
});

/** The same battery against the БП 3.0 profile: customers are Контрагенты, stock and debts come from Хозрасчетный. */
runErpConnectorBattery('1C OData (БП 3.0) against the emulator', async () => {
  const catalog = generateCatalog({ seed: 'battery-bp', skus: 200, customers: 6, asOf: formatLocal(Date.now()) });
  const running = await startOnecOdataEmulator({ catalog, configuration: 'bp30', base: 'accounting' });
  const connector = createOnecOdataConnector({
    baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'bp30', timeZone: 'UTC', pageSize: 80, timeoutMs: 5000,
  });
  return {
    connector,
    emulator: {
      catalog,
      faults: running.emulator.faults,
      findOrderByExternalId: (id) => running.emulator.findOrderByExternalId(id),
      setOrderStatus: (id, status) => running.emulator.setOrderStatus(id, status),
      updateProduct: (index, patch) => running.emulator.updateProduct(index, patch),
      close: () => running.close(),
    },
    options: {
      ids: { customer: (c) => c.counterpartyRef },
      // БП keeps no brands, packs, barcodes, pictures, analogs or additional properties in these objects.
      productFields: ['sku', 'name', 'fullName', 'groupRef', 'baseUnit', 'description', 'vatRate', 'deleted'],
      stockExpected: false,
      stockReserve: false,
      // Sales are the only customer documents; a СчетНаОплатуПокупателю is the order itself.
      documentKind: (d) => (d.kind === 'invoice' ? null : 'waybill'),
      orderStatuses: [{ set: 'confirmed', expect: 'confirmed' }, { set: 'shipped', expect: 'shipped' }],
    },
    teardown: () => running.close(),
  };
});

describe('1C OData adapter against the emulator: protocol details', () => {
  let running: RunningOnecOdataEmulator;
  let catalog: GeneratedCatalog;
  const connect = (over: Partial<Parameters<typeof createOnecOdataConnector>[0]> = {}) => createOnecOdataConnector({
    baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', pageSize: 50, timeoutMs: 5000, ...over,
  });
  const raw = axios.create({ validateStatus: () => true, auth: { username: 'odata', password: 'odata' } });
  const url = (path: string) => `${running.baseUrl}/${encodeURI(path)}`;

  beforeAll(async () => {
    catalog = generateCatalog({ seed: 'details-1c', skus: 200, customers: 4, asOf: formatLocal(Date.now()) });
    running = await startOnecOdataEmulator({ catalog });
  });
  afterAll(() => running.close());

  const command = (externalId: string, productIndexes = [1, 2]): SubmitOrder => {
    const c = catalog.customers[0] as CatCustomer;
    return {
      externalId, number: 'DH-1', currency: 'RUB', post: true, customerRef: { erpId: c.ref },
      lines: productIndexes.map((i) => ({ productRef: { erpId: catalog.productRef(i) }, qty: '1', price: catalog.pricesOf(i)[0]?.price ?? '1.00' })),
    };
  };

  it('when faults and statuses are driven over the control API, then the OData side shows them', async () => {
    const control = axios.create({ baseURL: running.controlUrl, validateStatus: () => true });
    expect((await control.post('/faults', { kind: 'rate-limit', retryAfterSeconds: 3, times: 1 })).status).toBe(201);
    const limited = await raw.get(url('Catalog_Склады?$format=json'));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect((await raw.get(url('Catalog_Склады?$format=json'))).status).toBe(200);
    expect((await control.get('/faults')).data.faults).toEqual([]);
    const order = catalog.orders.find((o) => o.externalId && o.status === 'confirmed');
    if (!order) throw new Error('the catalog has no confirmed DealerHub order');
    const moved = await control.post(`/orders/${order.externalId}/status`, { status: 'КОтгрузке' });
    expect(moved.data).toMatchObject({ rawStatus: 'КОтгрузке', externalId: order.externalId });
    expect((await control.post(`/orders/${order.externalId}/status`, { status: 'confirmed' })).data.rawStatus).toBe('Согласован');
    expect((await control.post('/orders/nope/status', { status: 'closed' })).status).toBe(400);
    expect((await control.post('/faults', { kind: 'explode' })).status).toBe(400);
  });

  it('when the password is wrong, then the emulator answers 401 and the adapter reports auth', async () => {
    expect((await axios.get(`${running.baseUrl}/?$format=json`, { validateStatus: () => true })).status).toBe(401);
    const err = await erpErrorOf(() => connect({ password: 'wrong' }).warehouses());
    expect(err.kind).toBe('auth');
  });

  it('when the 1C web server stops listening (connection refused), then calls fail as transient and succeed once it is back', async () => {
    const c = connect();
    await c.warehouses();
    await running.pause();
    try {
      // A pooled keep-alive socket may die first (ECONNRESET); a new connection is then refused.
      const first = await erpErrorOf(() => c.warehouses());
      expect(first.kind).toBe('transient');
      expect(['ECONNRESET', 'ECONNREFUSED']).toContain(first.erpCode);
      const err = await erpErrorOf(() => c.warehouses());
      expect(err.kind).toBe('transient');
      expect(err.erpCode).toBe('ECONNREFUSED');
      expect((await c.health()).ok).toBe(false);
    } finally {
      await running.resume();
    }
    expect(await c.warehouses()).toHaveLength(catalog.warehouses.length);
  });

  it('when the profile does not fit the base ($metadata), then calls fail with the missing names and health says why', async () => {
    const bp = connect({ profile: 'bp30' });
    const err = await erpErrorOf(() => bp.warehouses());
    expect(err.kind).toBe('validation');
    expect(err.message).toContain('Catalog_ТипыЦенНоменклатуры');
    expect(err.message).toContain('AccountingRegister_Хозрасчетный');
    const h = await bp.health();
    expect(h.ok).toBe(false);
    expect(h.details).toContain('is not published');
  });

  it('when an order was created but not posted (crash between the steps), then the next submit posts the same document', async () => {
    const c = connect();
    const id = randomUUID();
    const created = await c.submitOrder({ ...command(id), post: false });
    expect(created.state).toBe('created');
    expect(running.emulator.findOrderByExternalId(id)?.posted).toBe(false);
    const resumed = await c.submitOrder(command(id));
    expect(resumed).toMatchObject({ state: 'posted', erpRef: { erpId: created.erpRef.erpId } });
    expect(running.emulator.findOrderByExternalId(id)).toMatchObject({ copies: 1, posted: true });
    const again = await c.postOrder?.(created.erpRef);
    expect(again?.state).toBe('posted');
  });

  it('when posting refuses a deleted product, then the error is validation with 1C\'s text and the document stays unposted', async () => {
    const deleted = [...catalog.products()].find((p) => p.deleted);
    if (!deleted) throw new Error('the catalog has no deleted product');
    const id = randomUUID();
    const err = await erpErrorOf(() => connect().submitOrder(command(id, [1, deleted.index])));
    expect(err.kind).toBe('validation');
    expect(err.message).toContain('помечена на удаление');
    expect(running.emulator.findOrderByExternalId(id)).toMatchObject({ copies: 1, posted: false });
  });

  it('when rows are posted to Document_ЗаказКлиента_Товары or without LineNumber, then 1C-style odata.error answers come back', async () => {
    const direct = await raw.post(url('Document_ЗаказКлиента_Товары?$format=json'), { Ref_Key: catalog.orders[0]?.ref, LineNumber: '9' });
    expect(direct.status).toBe(400);
    expect(direct.data).toEqual({ 'odata.error': { code: '13', message: { lang: 'ru', value: 'Создание строк табличной части напрямую не поддерживается' } } });
    const noLine = await raw.post(url('Document_ЗаказКлиента?$format=json'), { Партнер_Key: catalog.customers[0]?.ref, Товары: [{ Номенклатура_Key: catalog.productRef(0), Количество: 1 }] });
    expect(noLine.status).toBe(400);
    expect(noLine.data['odata.error'].message.value).toContain('LineNumber');
    const badFilter = await raw.get(url("Catalog_Номенклатура?$format=json&$filter=Артикул eq 'x"));
    expect(badFilter.status).toBe(400);
    expect(badFilter.data['odata.error'].message.lang).toBe('ru');
    const unknownField = await raw.get(url('Catalog_Номенклатура?$format=json&$filter=НетТакогоПоля eq 1'));
    expect(unknownField.data['odata.error'].message.value).toContain('НетТакогоПоля');
    expect((await raw.get(url('Catalog_Склады'), { headers: { Accept: 'application/atom+xml' } })).status).toBe(406);
  });

  it('when query options are combined, then $select, $orderby desc, $top/$skip, $inlinecount and Cyrillic literals work', async () => {
    const p = catalog.product(7);
    const res = await raw.get(url(`Catalog_Номенклатура?$format=json&$filter=IsFolder eq false and Артикул eq '${p.sku}'&$select=Ref_Key,Артикул,Description&$inlinecount=allpages`));
    expect(res.data['odata.count']).toBe('1');
    expect(res.data.value).toEqual([{ Ref_Key: p.ref, Артикул: p.sku, Description: p.name }]);
    const page = await raw.get(url('Catalog_Склады?$format=json&$orderby=Description desc&$top=2&$skip=1&$select=Description'));
    const names = catalog.warehouses.map((w) => w.name).sort().reverse();
    expect(page.data.value.map((w: { Description: string }) => w.Description)).toEqual(names.slice(1, 3));
    const byName = await raw.get(url(`Catalog_Склады?$format=json&$filter=substringof('${catalog.warehouses[1]?.city}', Description)`));
    expect(byName.data.value).toHaveLength(1);
    const one = await raw.get(url(`Catalog_Номенклатура(guid'${p.ref}')?$format=json`));
    expect(one.data['odata.metadata']).toMatch(/#Catalog_Номенклатура\/@Element$/);
    expect(one.data['Parent@navigationLinkUrl']).toBe(`Catalog_Номенклатура(guid'${p.ref}')/Parent`);
  });

  it('when finance is read from a base in another time zone, then asOf is the instant of the reading, not the base’s wall clock', async () => {
    const c = catalog.customers[0] as CatCustomer;
    const [f] = await connect({ timeZone: 'Asia/Vladivostok' }).customerFinance([{ erpId: c.ref }]);
    expect(f?.asOf).toMatch(/Z$/);
    expect(Math.abs(Date.parse(f!.asOf) - Date.now())).toBeLessThan(10_000);
  });

  it('when a picture is read, then its card comes from the attached-files catalog and its bytes from the file-data register as 1C sends them', async () => {
    const index = [...catalog.products()].find((x) => x.pictures.length > 0)?.index ?? 0;
    const p = catalog.product(index);
    const cards = await raw.get(url(`Catalog_НоменклатураПрисоединенныеФайлы?$format=json&$filter=ВладелецФайла_Key eq guid'${p.ref}'`));
    expect(cards.data.value).toHaveLength(p.pictures.length);
    const card = cards.data.value[0] as Record<string, string>;
    expect(card).toMatchObject({ Расширение: 'png', ТипХраненияФайла: 'ВИнформационнойБазе' });
    const key = `Файл='${card.Ref_Key}', Файл_Type='StandardODATA.Catalog_НоменклатураПрисоединенныеФайлы'`;
    const record = await raw.get(url(`InformationRegister_ДвоичныеДанныеФайлов(${key})?$format=json`));
    expect(record.status).toBe(200);
    const data = String(record.data.ДвоичныеДанныеФайла_Base64Data);
    // The platform wraps base64 at 76 characters with CRLF: a reader that does not strip them decodes garbage.
    expect(data).toContain('\r\n');
    expect(Buffer.from(data.replace(/\r\n/g, ''), 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    const missing = await raw.get(url(`InformationRegister_ДвоичныеДанныеФайлов(Файл='${randomUUID()}', Файл_Type='StandardODATA.Catalog_НоменклатураПрисоединенныеФайлы')?$format=json`));
    expect(missing.status).toBe(404);
    // The adapter's key names the card; the main picture (Номенклатура.ФайлКартинки) comes first.
    const product = (await drain((c) => connect().products(c))).items.find((x) => x.ref.erpId === p.ref);
    expect(product?.pictures?.[0]).toBe(`${card.Ref_Key}.png`);
  });

  it('when a product is marked deleted in 1C, then the next incremental pull brings just that product with the mark', async () => {
    const c = connect();
    const first = await drain((cur) => c.products(cur));
    expect(first.items).toHaveLength(200);
    const index = catalog.products().next().value?.deleted ? 1 : 0;
    running.emulator.updateProduct(index, { deleted: true });
    const second = await drain((cur) => c.products(cur ?? first.last));
    expect(second.items.map((p) => [p.ref.erpId, p.deleted])).toEqual([[catalog.productRef(index), true]]);
    const third = await drain((cur) => c.products(cur ?? second.last));
    expect(third.items).toEqual([]);
    running.emulator.updateProduct(index, { deleted: catalog.product(index).deleted });
  });

  it('when the process restarts in the middle of a full pull, then the next incremental pull makes up what was not recorded', async () => {
    const a = connect();
    const first = await a.products(null);
    expect(first.items).toHaveLength(50);
    const b = connect();
    // The rest of the pass (150) is followed, in the same run, by a delta that refetches the 50 the lost map missed.
    const rest = await drain((cur) => b.products(cur ?? first.next));
    expect(rest.items).toHaveLength(200);
    expect(new Set(rest.items.slice(150).map((p) => p.ref.erpId))).toEqual(new Set(first.items.map((p) => p.ref.erpId)));
    expect(new Set([...first.items, ...rest.items].map((p) => p.ref.erpId)).size).toBe(200);
    const quiet = await drain((cur) => b.products(cur ?? rest.last));
    expect(quiet.items).toEqual([]);
  });

  it('when stock is asked for more than 20 products and the pass moves to another connector instance, then rows are complete and unique', async () => {
    const refs = Array.from({ length: 45 }, (_, i) => ({ erpId: catalog.productRef(i) }));
    const expected = [...catalog.stock()].filter((r) => r.productIndex < 45);
    const a = connect();
    const firstPage = await a.stock({ productRefs: refs }, null);
    const b = connect();
    const rest = await drain((cur) => b.stock({ productRefs: refs }, cur ?? firstPage.next));
    const all = [...firstPage.items, ...rest.items];
    const keys = all.map((r) => `${r.productRef.erpId}|${r.warehouseRef.erpId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(expected.map((r) => `${r.productRef}|${r.warehouseRef}`)));
    const withExpected = all.filter((r) => r.expected).length;
    expect(withExpected).toBe(expected.filter((r) => r.expected).length);
  });

  it('when order states are asked for more than 20 external ids, then every known one is answered once', async () => {
    const ours = catalog.orders.filter((o) => o.externalId).map((o) => o.externalId as string);
    const ids = [...ours, ...Array.from({ length: 12 }, () => randomUUID())];
    expect(ids.length).toBeGreaterThan(20);
    const run = await drain((cur) => connect().orderStates({ externalIds: ids }, cur));
    expect(run.items.map((s) => s.externalId).sort()).toEqual([...ours].sort());
    const byId = new Map(catalog.orders.map((o) => [o.externalId ?? null, o]));
    for (const s of run.items) expect(s.status).toBe(byId.get(s.externalId ?? null)?.status);
  });
});
