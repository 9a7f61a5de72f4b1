import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErpError } from '../../../../server/erp/port.js';
import { createAifClient, classifyAifFault } from '../../../../server/erp/ax2012-aif/aif-client.js';
import { basicTransport, type AxTransport } from '../../../../server/erp/ax2012-aif/aif-transport.js';
import { entityKeyList, salesOrderDocument } from '../../../../server/erp/ax2012-aif/aif-requests.js';
import { aifMessageId, createAx2012Connector } from '../../../../server/erp/ax2012-aif/create-ax2012-connector.js';
import { axOrderStatus } from '../../../../server/erp/ax2012-aif/ax-mappers.js';
import { generateCatalog, type GeneratedCatalog } from '../../../../sandbox/erp/catalog/index.js';
import { axIds, startAx2012Emulator, type Ax2012Emulator } from '../../../../sandbox/erp/ax2012/index.js';

/** AIF on the wire: SOAP 1.1/1.2, CallContext, MessageId idempotence, faults, the transport seam. */

let cat: GeneratedCatalog;
let emu: Ax2012Emulator;
const USER = 'CONTOSO\\dealerhub';
const PASS = 'aif-secret';

beforeAll(async () => {
  cat = generateCatalog({ seed: 'ax-protocol', skus: 60, customers: 4 });
  emu = await startAx2012Emulator({ catalog: cat, company: 'dhru', user: USER, password: PASS });
});
afterAll(() => emu.close());

const line = (i: number) => ({ itemId: cat.product(i).sku, qty: '2', price: '100.00' });

describe('AIF message idempotence', () => {
  it('when the same MessageId creates twice, then AX answers the first SalesId and holds one order; a new MessageId creates another', async () => {
    const client = createAifClient({ endpoint: emu.endpoint, company: 'dhru', transport: basicTransport({ user: USER, password: PASS }) });
    const externalId = randomUUID();
    const doc = salesOrderDocument({ custAccount: axIds.customer({ index: 0 }), currency: 'RUB', externalId, lines: [line(1)] });
    const messageId = aifMessageId(externalId);
    const a = await client.call('SalesOrderService', 'create', doc, { messageId });
    const b = await client.call('SalesOrderService', 'create', doc, { messageId });
    expect(b.body).toEqual(a.body);
    expect(emu.findOrderByExternalId(externalId)?.copies).toBe(1);
    await client.call('SalesOrderService', 'create', doc, { messageId: aifMessageId(randomUUID()) });
    expect(emu.findOrderByExternalId(externalId)?.copies).toBe(2);
  });

  it('when the connector submits an order, then the MessageId is our external id as {GUID} and the company rides in CallContext', async () => {
    const connector = createAx2012Connector({ endpoint: emu.endpoint, company: 'DHRU', user: USER, password: PASS });
    const externalId = randomUUID();
    const before = emu.requests.length;
    const r = await connector.submitOrder({
      externalId, number: 'DH-1', customerRef: { erpId: axIds.customer({ index: 1 }) }, currency: 'RUB', post: false,
      lines: [{ productRef: { erpId: cat.product(3).sku }, qty: '4', price: '10.50' }],
    });
    expect(r.state).toBe('created');
    const sent = emu.requests.slice(before);
    expect(sent.map((x) => x.action.split('/').slice(-2).join('.'))).toEqual(['SalesOrderService.find', 'SalesOrderService.find', 'SalesOrderService.create']);
    expect(sent[2]?.messageId).toBe(`{${externalId.toUpperCase()}}`);
    expect(sent.every((x) => x.company === 'DHRU' && x.soap === '1.1')).toBe(true);
    expect(aifMessageId('DH-000123')).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/);
    expect(aifMessageId('DH-000123')).toBe(aifMessageId('DH-000123'));
  });
});

describe('AIF transport and envelopes', () => {
  it('when SOAP 1.2 is used, then reads and an order round trip work the same', async () => {
    const connector = createAx2012Connector({ endpoint: emu.endpoint, company: 'dhru', user: USER, password: PASS, soapVersion: '1.2' });
    const before = emu.requests.length;
    expect((await connector.warehouses()).map((w) => w.ref.erpId)).toEqual(cat.warehouses.map((w) => axIds.warehouse(w)));
    const externalId = randomUUID();
    await connector.submitOrder({ externalId, number: 'DH-2', customerRef: { erpId: axIds.customer({ index: 2 }) }, currency: 'RUB', post: false, lines: [{ productRef: { erpId: cat.product(5).sku }, qty: '1', price: '99.90' }] });
    const found = await connector.findByExternalId('order', externalId);
    expect(found).toMatchObject({ externalId, status: 'confirmed', rawStatus: 'Backorder/None', posted: false, total: '99.90' });
    expect(emu.requests.slice(before).every((x) => x.soap === '1.2')).toBe(true);
    // A user edited PurchOrderFormNum in AX: the order is still found by CustomerRef.
    const order = emu.store.ordersByExternalId(externalId)[0];
    if (order) order.purchOrderFormNum = 'changed by hand';
    expect(await connector.findByExternalId('order', externalId)).toMatchObject({ externalId, number: order?.salesId });
  });

  it('when a value holds XML characters, then it is escaped on the wire and AX answers about that exact value', async () => {
    const connector = createAx2012Connector({ endpoint: emu.endpoint, company: 'dhru', user: USER, password: PASS });
    const err = await connector.submitOrder({
      externalId: randomUUID(), number: 'DH-3', customerRef: { erpId: 'RU-<&>"' }, currency: 'RUB', post: false,
      lines: [{ productRef: { erpId: cat.product(1).sku }, qty: '1', price: '1' }],
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ErpError);
    expect((err as ErpError).kind).toBe('validation');
    expect((err as Error).message).toContain('Customer account RU-<&>" does not exist.');
  });

  it('when a key does not exist, the company is wrong or the password is wrong, then the errors are not-found, validation and auth', async () => {
    const client = createAifClient({ endpoint: emu.endpoint, company: 'dhru', transport: basicTransport({ user: USER, password: PASS }) });
    const nf = await client.call('SalesOrderService', 'read', entityKeyList('SalesId', ['SO-999999'])).then(() => null, (e: unknown) => e);
    expect((nf as ErpError).kind).toBe('not-found');
    const wrongCompany = createAifClient({ endpoint: emu.endpoint, company: 'zzz', transport: basicTransport({ user: USER, password: PASS }) });
    expect(((await wrongCompany.call('DhCatalogService', 'getWarehouses', '').then(() => null, (e: unknown) => e)) as ErpError).kind).toBe('validation');
    const badPass = createAx2012Connector({ endpoint: emu.endpoint, company: 'dhru', user: USER, password: 'nope' });
    expect(((await badPass.warehouses().then(() => null, (e: unknown) => e)) as ErpError).kind).toBe('auth');
    const wrongPort = createAx2012Connector({ endpoint: `${emu.url}/MicrosoftDynamicsAXAif60/Other/xppservice.svc`, company: 'dhru', user: USER, password: PASS });
    expect(((await wrongPort.warehouses().then(() => null, (e: unknown) => e)) as ErpError).kind).toBe('not-found');
  });

  it('when a transport is plugged in (the NTLM seam), then every call goes through it', async () => {
    const seen: string[] = [];
    const inner = basicTransport({ user: USER, password: PASS });
    const transport: AxTransport = async (req) => {
      seen.push(req.headers['SOAPAction'] ?? '');
      return inner(req);
    };
    const connector = createAx2012Connector({ endpoint: emu.endpoint, company: 'dhru', transport });
    expect(await connector.priceTypes()).toHaveLength(cat.priceTypes.length);
    expect(seen).toEqual(['"http://tempuri.org/DhCatalogService/getPriceGroups"']);
  });

  it('when orders change in AX, then orderStates from a since cursor brings each change once and ends with next null', async () => {
    const connector = createAx2012Connector({ endpoint: emu.endpoint, company: 'dhru', user: USER, password: PASS });
    const externalId = randomUUID();
    await connector.submitOrder({ externalId, number: 'DH-4', customerRef: { erpId: axIds.customer({ index: 3 }) }, currency: 'RUB', post: false, lines: [{ productRef: { erpId: cat.product(7).sku }, qty: '1', price: '5' }] });
    const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    const first = await connector.orderStates({ since }, null);
    expect(first.items.filter((s) => s.externalId === externalId)).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const quiet = await connector.orderStates({}, first.next);
    expect(quiet).toEqual({ items: [], next: null });
    emu.setOrderStatus(externalId, 'shipped');
    const moved = await connector.orderStates({}, first.next);
    expect(moved.items.map((s) => [s.externalId, s.status])).toEqual([[externalId, 'shipped']]);
  });
});

describe('AIF fault and status mapping', () => {
  it('when infolog messages are classified, then auth, not-found, transient, conflict and validation come out', () => {
    expect(classifyAifFault(['User is not authorized to access this service.'], 's:Client', true)).toBe('auth');
    expect(classifyAifFault(['No valid document identified from the entity key.'], 's:Client', true)).toBe('not-found');
    expect(classifyAifFault(['Deadlock, where one or more users have simultaneously locked the whole table'], 's:Client', true)).toBe('transient');
    expect(classifyAifFault(['Record already exists.'], 's:Client', true)).toBe('conflict');
    expect(classifyAifFault(['Customer account 9999 does not exist.'], 's:Client', true)).toBe('validation');
    expect(classifyAifFault(['Credit limit exceeded for customer'], 's:Client', true)).toBe('validation');
    expect(classifyAifFault(['The server was unable to process the request due to an internal error.'], 'a:InternalServiceFault', false)).toBe('transient');
  });

  it('when SalesStatus and DocumentStatus combine, then the normalized status follows the order lifecycle', () => {
    expect(axOrderStatus(undefined, undefined)).toBe('draft');
    expect(axOrderStatus('Backorder', 'None')).toBe('confirmed');
    expect(axOrderStatus('Backorder', 'Confirmation')).toBe('confirmed');
    expect(axOrderStatus('Backorder', 'PickingList')).toBe('in_fulfilment');
    expect(axOrderStatus('Backorder', 'PackingSlip')).toBe('shipped');
    expect(axOrderStatus('Delivered', 'PackingSlip')).toBe('shipped');
    expect(axOrderStatus('Invoiced', 'Invoice')).toBe('invoiced');
    expect(axOrderStatus('Canceled', 'None')).toBe('cancelled');
  });
});
