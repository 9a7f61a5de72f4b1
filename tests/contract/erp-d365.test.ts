import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog, formatLocal, type CatCustomer, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { d365Ids, startD365Emulator, D365_CATEGORY_HIERARCHY, type RunningD365Emulator } from '../../sandbox/erp/d365/index.js';
import { createD365Connector, createD365TokenProvider } from '../../server/erp/d365-odata/index.js';
import type { SubmitOrder } from '../../server/erp/port.js';
import { drain, erpErrorOf, runErpConnectorBattery } from './erp-connector.battery.js';

/** The contract battery against the D365 F&O adapter and the in-process emulator (port 0, 300 SKUs, pages of 70). */
runErpConnectorBattery('D365 F&O OData against the emulator', async () => {
  const catalog = generateCatalog({ seed: 'battery-d365', skus: 300, customers: 8, asOf: formatLocal(Date.now()) });
  const running = await startD365Emulator({ catalog, maxPageSize: 70 });
  const e = running.emulator;
  const connector = createD365Connector({
    baseUrl: running.url, authority: running.url, resource: e.resource, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret,
    company: 'rumf', categoryHierarchy: D365_CATEGORY_HIERARCHY, timeZone: 'UTC', timeoutMs: 5000,
  });
  const orderIndex = new Map(catalog.orders.map((o) => [o.ref, o.index]));
  return {
    connector,
    emulator: {
      catalog,
      faults: e.faults,
      findOrderByExternalId: (id) => e.findOrderByExternalId(id),
      setOrderStatus: (id, status) => e.setOrderStatus(id, status),
      updateProduct: (index, patch) => e.updateProduct(index, patch),
      close: () => running.close(),
    },
    options: {
      ids: {
        product: (p) => d365Ids.ref(d365Ids.item(p)),
        group: (g) => d365Ids.categoryRef(g),
        warehouse: (w) => d365Ids.ref(d365Ids.warehouse(w)),
        priceType: (t) => d365Ids.ref(d365Ids.priceGroup(t)),
        customer: (c) => d365Ids.ref(d365Ids.customer(c)),
        document: (d) => d365Ids.ref(d365Ids.invoice(d)),
        order: (ref) => d365Ids.ref(d365Ids.salesOrder({ index: orderIndex.get(ref) ?? -1 })),
      },
      // F&O has no brands, product attributes in this entity set, analogs or pictures; KPP is not a CustomersV3 field.
      productFields: ['sku', 'name', 'groupRef', 'barcodes', 'baseUnit', 'packUnits', 'vatRate', 'deleted', 'description'],
      customerKpp: false,
      documentKind: (d) => (d.kind === 'invoice' ? null : 'invoice'),
    },
    teardown: () => running.close(),
  };
});

describe('D365 adapter against the emulator: protocol details', () => {
  let running: RunningD365Emulator;
  let catalog: GeneratedCatalog;
  const connect = (over: Partial<Parameters<typeof createD365Connector>[0]> = {}) => {
    const e = running.emulator;
    return createD365Connector({
      baseUrl: running.url, authority: running.url, resource: e.resource, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret,
      company: 'rumf', categoryHierarchy: D365_CATEGORY_HIERARCHY, timeZone: 'UTC', timeoutMs: 5000, pageSize: 40, ...over,
    });
  };
  const tokenFor = async () => {
    const e = running.emulator;
    const res = await axios.post(`${running.url}/${e.tenant}/oauth2/v2.0/token`, new URLSearchParams({
      grant_type: 'client_credentials', client_id: e.clientId, client_secret: e.clientSecret, scope: `${e.resource}/.default`,
    }).toString());
    return res.data as { access_token: string; expires_in: number; token_type: string };
  };

  beforeAll(async () => {
    catalog = generateCatalog({ seed: 'details-d365', skus: 150, customers: 4, asOf: formatLocal(Date.now()) });
    running = await startD365Emulator({ catalog, maxPageSize: 50 });
  });
  afterAll(() => running.close());

  it('when a token is asked like Entra ID, then it comes with type and lifetime; a wrong secret or scope is refused', async () => {
    const t = await tokenFor();
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(t.access_token.length).toBeGreaterThan(20);
    const e = running.emulator;
    const bad = await axios.post(`${running.url}/${e.tenant}/oauth2/v2.0/token`, new URLSearchParams({
      grant_type: 'client_credentials', client_id: e.clientId, client_secret: 'nope', scope: `${e.resource}/.default`,
    }).toString(), { validateStatus: () => true });
    expect(bad.status).toBe(401);
    expect(bad.data.error).toBe('invalid_client');
    const err = await erpErrorOf(() => connect({ clientSecret: 'nope' }).warehouses());
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('invalid_client');
    const scope = await erpErrorOf(() => connect({ resource: 'https://other.operations.dynamics.com' }).warehouses());
    expect(scope.kind).toBe('auth');
  });

  it('when many calls are made, then one token serves them all; a clock past expiry renews it once for concurrent callers', async () => {
    let clock = Date.now();
    const e = running.emulator;
    const tokens = createD365TokenProvider({ authority: running.url, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret, resource: e.resource, now: () => clock });
    const [a, b, c] = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(tokens.fetched).toBe(1);
    clock += 3_600_000;
    const [d, f] = await Promise.all([tokens.get(), tokens.get()]);
    expect(d).toBe(f);
    expect(d).not.toBe(a);
    expect(tokens.fetched).toBe(2);
  });

  it('when the server refuses an expired token, then the client fetches a new one and the call succeeds', async () => {
    const short = await startD365Emulator({ catalog, tokenTtlSeconds: 1 });
    try {
      const e = short.emulator;
      const c = createD365Connector({ baseUrl: short.url, authority: short.url, resource: e.resource, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret, company: 'rumf' });
      // expires_in 1 s is shorter than the 60 s renewal margin: every call renews; the server-side expiry is what we test.
      expect((await c.warehouses()).length).toBe(catalog.warehouses.length);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await c.warehouses()).length).toBe(catalog.warehouses.length);
    } finally {
      await short.close();
    }
  });

  it('when a request omits cross-company=true, then F&O answers for the default company only (why the adapter always sends it)', async () => {
    const t = await tokenFor();
    const headers = { Authorization: `Bearer ${t.access_token}` };
    const plain = await axios.get(`${running.url}/data/Warehouses`, { headers });
    expect(plain.data.value).toEqual([]);
    const cross = await axios.get(`${running.url}/data/Warehouses?cross-company=true&$filter=dataAreaId eq 'rumf'&$select=WarehouseId,WarehouseName`, { headers });
    expect(cross.data.value).toHaveLength(catalog.warehouses.length);
    expect(Object.keys(cross.data.value[0])).toEqual(['WarehouseId', 'WarehouseName']);
    const wild = await axios.get(`${running.url}/data/ReleasedProductsV2?cross-company=true&$filter=ItemNumber eq '${catalog.product(0).sku.slice(0, 3)}*'&$select=ItemNumber&$count=true`, { headers });
    expect(wild.data['@odata.count']).toBeGreaterThan(0);
    expect(wild.data.value.every((r: { ItemNumber: string }) => r.ItemNumber.startsWith(catalog.product(0).sku.slice(0, 3)))).toBe(true);
    const badField = await axios.get(`${running.url}/data/CustomersV3?cross-company=true&$select=NoSuchField`, { headers, validateStatus: () => true });
    expect(badField.status).toBe(400);
    expect(badField.data.error.message).toContain("Could not find a property named 'NoSuchField'");
  });

  it('when products are paged, then the adapter follows @odata.nextLink and refuses next links to other hosts', async () => {
    const c = connect();
    const first = await c.products(null);
    expect(first.items).toHaveLength(40);
    expect(first.total).toBe(150);
    expect(JSON.parse(first.next?.token ?? '{}').next).toContain('$skiptoken=40');
    const all = await drain((cur) => c.products(cur));
    expect(all.items.map((p) => p.sku)).toEqual([...catalog.products()].map((p) => p.sku).sort());
    const evil = await erpErrorOf(() => c.products({ token: JSON.stringify({ k: 'products', next: 'http://169.254.169.254/latest/meta-data' }) }));
    expect(evil.kind).toBe('validation');
  });

  it('when service protection trips, then the adapter reports rate-limited with the Retry-After the server sent', async () => {
    const limited = await startD365Emulator({ catalog, serviceProtection: { requests: 3, windowMs: 30_000 } });
    try {
      const e = limited.emulator;
      const c = createD365Connector({ baseUrl: limited.url, authority: limited.url, resource: e.resource, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret, company: 'rumf' });
      await c.warehouses();
      await c.priceTypes();
      await c.warehouses();
      const err = await erpErrorOf(() => c.warehouses());
      expect(err.kind).toBe('rate-limited');
      expect(err.retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
    } finally {
      await limited.close();
    }
  });

  it('when a header exists but its lines were cut short, then the next submit adds only the missing lines', async () => {
    const t = await tokenFor();
    const headers = { Authorization: `Bearer ${t.access_token}` };
    const id = randomUUID();
    const customer = catalog.customers[0] as CatCustomer;
    const h = await axios.post(`${running.url}/data/SalesOrderHeadersV2`, { dataAreaId: 'rumf', OrderingCustomerAccountNumber: d365Ids.customer(customer), CustomersOrderReference: id }, { headers });
    const p1 = catalog.product(1);
    const p2 = catalog.product(2);
    await axios.post(`${running.url}/data/SalesOrderLines`, { dataAreaId: 'rumf', SalesOrderNumber: h.data.SalesOrderNumber, LineNumber: 1, ItemNumber: p1.sku, OrderedSalesQuantity: 1, SalesPrice: 10 }, { headers });
    const cmd: SubmitOrder = {
      externalId: id, number: 'DH-9', currency: 'RUB', post: false, customerRef: { erpId: d365Ids.ref(d365Ids.customer(customer)) },
      lines: [p1, p2].map((p) => ({ productRef: { erpId: d365Ids.ref(p.sku) }, qty: '1', price: '10.00' })),
    };
    const result = await connect().submitOrder(cmd);
    expect(result).toMatchObject({ state: 'created', number: h.data.SalesOrderNumber });
    expect(running.emulator.findOrderByExternalId(id)?.lines.map((l) => l.productId)).toEqual([d365Ids.ref(p1.sku), d365Ids.ref(p2.sku)]);
    expect((await connect().submitOrder(cmd)).state).toBe('already-exists');
    const wrongCompany = await erpErrorOf(() => connect().submitOrder({ ...cmd, externalId: randomUUID(), customerRef: { erpId: 'usmf|US-001' } }));
    expect(wrongCompany.kind).toBe('validation');
  });

  it('when an order line names an obsolete item, then the write failure comes back as validation with the infolog text', async () => {
    const obsolete = [...catalog.products()].find((p) => p.deleted);
    if (!obsolete) throw new Error('no obsolete item in the catalog');
    const customer = catalog.customers[1] as CatCustomer;
    const err = await erpErrorOf(() => connect().submitOrder({
      externalId: randomUUID(), number: 'DH-10', currency: 'RUB', post: false, customerRef: { erpId: d365Ids.ref(d365Ids.customer(customer)) },
      lines: [{ productRef: { erpId: d365Ids.ref(obsolete.sku) }, qty: '1', price: '1.00' }],
    }));
    expect(err.kind).toBe('validation');
    expect(err.message).toContain('stopped for sales');
    expect(err.erpCode).toContain('AxODataWriteException');
  });
});
