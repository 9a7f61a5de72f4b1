import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { ErpOrderStatus } from '../../../server/erp/port.js';
import { createFaults, TRANSPORT_FAULTS, type ErpFaults, type GeneratedCatalog } from '../catalog/index.js';
import { axIds } from './ax-ids.js';
import { aifFault, customerDoc, entityKeyList, itemDoc, nil, NS, salesOrderDoc, t } from './ax-render.js';
import { createAxStore, type AxSalesOrder, type AxStore } from './ax-store.js';

/**
 * A Dynamics AX 2012 AIF HTTP inbound port (IIS-hosted WCF, `/MicrosoftDynamicsAXAif60/<port>/xppservice.svc`) for
 * tests and the sandbox. SOAP 1.1 and 1.2, the CallContext header (Company, MessageId), document services
 * SalesOrderService (create/read/find/findKeys/getChangedKeys), CustomerService (read/find/findKeys/getChangedKeys),
 * ItemService (read/findKeys/getChangedKeys), AIF faults with an AifFault detail, MessageId idempotence (a repeated
 * MessageId gets the first answer, nothing is created twice: EnableIdempotence, AX 2012 docs "How to enable checking
 * for duplicate messages"), and our custom services (server/erp/ax2012-aif/CUSTOM-SERVICES.md).
 */

export interface Ax2012EmulatorOptions {
  catalog: GeneratedCatalog;
  company?: string;
  portName?: string;
  /** Basic credentials the port accepts (none: anonymous). */
  user?: string;
  password?: string;
  faults?: ErpFaults;
}

export interface Ax2012Emulator {
  url: string;
  /** The service URL to give createAx2012Connector as `endpoint`. */
  endpoint: string;
  company: string;
  catalog: GeneratedCatalog;
  faults: ErpFaults;
  store: AxStore;
  /** Requests seen: action, SOAP version, MessageId (tests assert on what went out). */
  requests: Array<{ action: string; soap: '1.1' | '1.2'; messageId?: string; company?: string }>;
  findOrderByExternalId(externalId: string): { erpId: string; number: string; externalId: string; posted: boolean; rawStatus: string; copies: number; lines: Array<{ productId: string; qty: string; price: string }> } | null;
  setOrderStatus(externalId: string, status: ErpOrderStatus): void;
  updateProduct(index: number, patch: { name?: string; deleted?: boolean }): void;
  close(): Promise<void>;
}

const ARRAYS = new Set(['EntityKey', 'KeyField', 'CriteriaElement', 'SalesLine', 'string']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, trimValues: true, isArray: (n) => ARRAYS.has(n) });

type X = Record<string, unknown>;
const o = (v: unknown): X | undefined => (Array.isArray(v) ? o(v[0]) : typeof v === 'object' && v !== null ? (v as X) : undefined);
const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : Array.isArray(v) ? s(v[0]) : o(v)?.['#text'] !== undefined ? s(o(v)?.['#text']) : '');
const arr = (v: unknown): X[] => (v === undefined || v === '' ? [] : (Array.isArray(v) ? v : [v]).filter((x): x is X => typeof x === 'object' && x !== null));

class AifBusinessFault extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

interface Criterion {
  field: string;
  operator: string;
  value1: string;
  value2: string;
}

function criteria(q: unknown): Criterion[] {
  return arr(o(q)?.['CriteriaElement']).map((c) => ({ field: s(c['FieldName']), operator: s(c['Operator']), value1: s(c['Value1']), value2: s(c['Value2']) }));
}

/** AIF query semantics: ranges on one field are OR'ed, different fields AND'ed. */
function matches(get: (field: string) => string | undefined, cs: Criterion[]): boolean {
  const byField = new Map<string, Criterion[]>();
  for (const c of cs) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  for (const [field, list] of byField) {
    const v = get(field);
    if (v === undefined) throw new AifBusinessFault([`Field ${field} is not valid for the query.`]);
    const ok = list.some((c) => {
      switch (c.operator) {
        case 'Equal': return v === c.value1;
        case 'NotEqual': return v !== c.value1;
        case 'Greater': return v > c.value1;
        case 'GreaterOrEqual': return v >= c.value1;
        case 'Less': return v < c.value1;
        case 'LessOrEqual': return v <= c.value1;
        case 'Range': return v >= c.value1 && v <= c.value2;
        default: throw new AifBusinessFault([`Operator ${c.operator} is not supported.`]);
      }
    });
    if (!ok) return false;
  }
  return true;
}

function keysOf(list: unknown, field: string): string[] {
  return arr(o(list)?.['EntityKey']).flatMap((k) => arr(o(k['KeyData'])?.['KeyField']).filter((f) => s(f['Field']) === field).map((f) => s(f['Value'])));
}

const strings = (v: unknown) => (Array.isArray(o(v)?.['string']) ? (o(v)?.['string'] as unknown[]).map(s).filter(Boolean) : []);

export async function startAx2012Emulator(options: Ax2012EmulatorOptions): Promise<Ax2012Emulator> {
  const cat = options.catalog;
  const company = options.company ?? 'dhru';
  const portName = options.portName ?? 'DealerHubServices';
  const path = `/MicrosoftDynamicsAXAif60/${portName}/xppservice.svc`;
  const faults = options.faults ?? createFaults();
  const store = createAxStore(cat, company);
  const idempotent = new Map<string, string>();
  const requests: Ax2012Emulator['requests'] = [];

  const orderField = (so: AxSalesOrder) => (f: string) => ({ SalesId: so.salesId, PurchOrderFormNum: so.purchOrderFormNum, CustomerRef: so.customerRef, CustAccount: so.custAccount, SalesStatus: so.salesStatus } as Record<string, string>)[f];

  function page<T>(all: T[], req: X): { items: T[]; bookmark: string } {
    const size = Math.max(1, Math.min(10_000, Number(s(req['PageSize'])) || 1000));
    const from = Number(s(req['Bookmark'])) || 0;
    const items = all.slice(from, from + size);
    return { items, bookmark: from + size < all.length ? String(from + size) : '' };
  }

  const handlers: Record<string, (body: X, messageId: string | undefined) => string> = {
    'SalesOrderService.create': (body) => {
      const table = o(o(body['SalesOrder'])?.['SalesTable']);
      if (!table) throw new AifBusinessFault(['The document is missing the SalesTable entity.']);
      const account = s(table['CustAccount']);
      if (!store.customer(account)) throw new AifBusinessFault([`Customer account ${account} does not exist.`]);
      const lines = arr(table['SalesLine']).map((l, k) => {
        const itemId = s(l['ItemId']);
        if (store.itemIndex(itemId) === undefined) throw new AifBusinessFault([`Item number ${itemId} does not exist.`]);
        const qty = s(l['SalesQty']);
        if (!(Number(qty) > 0)) throw new AifBusinessFault([`Quantity ${qty} is not valid for item ${itemId}.`]);
        return { lineNum: k + 1, itemId, qty, price: s(l['SalesPrice']) || '0', amount: '0', unit: s(l['SalesUnit']) || cat.units.piece.name };
      });
      if (lines.length === 0) throw new AifBusinessFault(['The sales order has no lines.']);
      const order = store.createOrder({
        custAccount: account, currency: s(table['CurrencyCode']) || 'RUB', purchOrderFormNum: s(table['PurchOrderFormNum']), customerRef: s(table['CustomerRef']),
        deliveryDate: s(table['DeliveryDate']), inventLocationId: s(table['InventLocationId']), salesName: store.customer(account)?.name ?? '', lines,
      });
      return entityKeyList('SalesId', [order.salesId]);
    },
    'SalesOrderService.read': (body) => {
      const ids = keysOf(body['EntityKeyList'], 'SalesId');
      const found = ids.map((id) => store.orders.get(id));
      if (found.some((x) => !x)) throw new AifBusinessFault(['No valid document identified from the entity key.']);
      return salesOrderDoc(store, found as AxSalesOrder[]);
    },
    'SalesOrderService.find': (body) => {
      const cs = criteria(body['QueryCriteria']);
      return salesOrderDoc(store, [...store.orders.values()].filter((so) => matches(orderField(so), cs)));
    },
    'SalesOrderService.findKeys': (body) => {
      const cs = criteria(body['QueryCriteria']);
      return entityKeyList('SalesId', [...store.orders.values()].filter((so) => matches(orderField(so), cs)).map((so) => so.salesId));
    },
    'SalesOrderService.getChangedKeys': (body) => {
      const cs = criteria(body['QueryCriteria']);
      const since = Date.parse(s(body['DateTime']));
      if (Number.isNaN(since)) throw new AifBusinessFault(['The changed date and time is not valid.']);
      return entityKeyList('SalesId', [...store.orders.values()].filter((so) => so.modifiedAt > since && matches(orderField(so), cs)).map((so) => so.salesId));
    },
    'CustomerService.read': (body) => {
      const ids = keysOf(body['EntityKeyList'], 'AccountNum');
      if (ids.some((id) => !store.customer(id))) throw new AifBusinessFault(['No valid document identified from the entity key.']);
      return customerDoc(store, ids);
    },
    'CustomerService.find': (body) => {
      const cs = criteria(body['QueryCriteria']);
      return customerDoc(store, cat.customers.map((c) => axIds.customer(c)).filter((a) => matches((f) => (f === 'AccountNum' ? a : undefined), cs)));
    },
    'CustomerService.findKeys': (body) => {
      const cs = criteria(body['QueryCriteria']);
      return entityKeyList('AccountNum', cat.customers.map((c) => axIds.customer(c)).filter((a) => matches((f) => (f === 'AccountNum' ? a : undefined), cs)));
    },
    'CustomerService.getChangedKeys': () => entityKeyList('AccountNum', []),
    'ItemService.read': (body) => {
      const ids = keysOf(body['EntityKeyList'], 'ItemId');
      const idx = ids.map((id) => store.itemIndex(id));
      if (idx.some((i) => i === undefined)) throw new AifBusinessFault(['No valid document identified from the entity key.']);
      return itemDoc(store, idx as number[]);
    },
    'ItemService.findKeys': (body) => {
      const cs = criteria(body['QueryCriteria']);
      const keys: string[] = [];
      for (let i = 0; i < cat.productCount; i++) {
        const id = cat.product(i).sku;
        if (matches((f) => (f === 'ItemId' ? id : undefined), cs)) keys.push(id);
      }
      return entityKeyList('ItemId', keys.sort());
    },
    'ItemService.getChangedKeys': (body) => {
      const since = Date.parse(s(body['DateTime']));
      if (Number.isNaN(since)) throw new AifBusinessFault(['The changed date and time is not valid.']);
      return entityKeyList('ItemId', store.changedItems(since).map((i) => cat.product(i).sku));
    },
    'DhCatalogService.getCategories': () =>
      `<b:Categories>${cat.groups.map((g) => `<b:DhCategory>${t('b:Code', axIds.category(g))}${t('b:Name', g.name)}${nil('b:', 'ParentCode', g.parentRef ? axIds.category(cat.groups.find((x) => x.ref === g.parentRef) ?? g) : null)}</b:DhCategory>`).join('')}</b:Categories>`,
    'DhCatalogService.getWarehouses': () =>
      `<b:Warehouses>${cat.warehouses.map((w) => `<b:DhWarehouse>${t('b:Address', w.address)}${t('b:City', w.city)}${t('b:InventLocationId', axIds.warehouse(w))}${t('b:Name', w.name)}</b:DhWarehouse>`).join('')}</b:Warehouses>`,
    'DhCatalogService.getPriceGroups': () =>
      `<b:PriceGroups>${cat.priceTypes.map((pt) => `<b:DhPriceGroup>${t('b:Currency', pt.currency)}${t('b:GroupId', axIds.priceGroup(pt))}${t('b:InclTax', pt.vatIncluded ? 'Yes' : 'No')}${t('b:Name', pt.name)}</b:DhPriceGroup>`).join('')}</b:PriceGroups>`,
    'DhCatalogService.getPrices': (body) => {
      const req = o(body['_request']) ?? {};
      const wanted = new Set(strings(req['PriceGroupIds']));
      const types = cat.priceTypes.filter((pt) => wanted.size === 0 || wanted.has(axIds.priceGroup(pt)));
      const size = Math.max(1, Math.min(10_000, Number(s(req['PageSize'])) || 1000));
      const from = Number(s(req['Bookmark'])) || 0;
      const total = cat.productCount * types.length;
      const rows: string[] = [];
      for (let k = from; k < Math.min(total, from + size); k++) {
        const i = Math.floor(k / types.length);
        const pt = types[k % types.length];
        const price = cat.pricesOf(i).find((x) => x.priceTypeRef === pt?.ref);
        if (!pt || !price) continue;
        rows.push(`<b:DhPrice>${t('b:Amount', price.price)}${t('b:Currency', price.currency)}${t('b:FromDate', price.validFrom.slice(0, 10))}${t('b:ItemId', cat.product(i).sku)}${t('b:PriceGroupId', axIds.priceGroup(pt))}${t('b:UnitId', cat.units.piece.name)}</b:DhPrice>`);
      }
      return `${nil('b:', 'Bookmark', from + size < total ? String(from + size) : null)}<b:Prices>${rows.join('')}</b:Prices>`;
    },
    'DhInventOnhandService.getOnhand': (body) => {
      const req = o(body['_request']) ?? {};
      const items = strings(req['ItemIds']);
      const locations = new Set(strings(req['InventLocationIds']));
      const size = Math.max(1, Math.min(10_000, Number(s(req['PageSize'])) || 1000));
      const indexes = items.length ? items.map((id) => store.itemIndex(id)).filter((i): i is number => i !== undefined) : null;
      const count = indexes ? indexes.length : cat.productCount;
      let pos = Number(s(req['Bookmark'])) || 0;
      const rows: string[] = [];
      const whById = new Map(cat.warehouses.map((w) => [w.ref, w]));
      while (pos < count && rows.length < size) {
        const i = indexes ? (indexes[pos] as number) : pos;
        for (const r of cat.stockOf(i)) {
          const wid = axIds.warehouse(whById.get(r.warehouseRef) ?? { index: 0 });
          if (locations.size && !locations.has(wid)) continue;
          rows.push(`<b:DhOnhandLine>${t('b:AvailPhysical', r.available)}${nil('b:', 'ExpectedDate', r.expected?.date.slice(0, 10))}${t('b:ExpectedQty', r.expected?.qty ?? '0')}${t('b:InventLocationId', wid)}${t('b:ItemId', cat.product(i).sku)}${t('b:PhysicalInvent', r.onHand)}${t('b:ReservPhysical', r.reserved)}</b:DhOnhandLine>`);
        }
        pos += 1;
      }
      return `${nil('b:', 'Bookmark', pos < count ? String(pos) : null)}<b:Lines>${rows.join('')}</b:Lines>`;
    },
    'DhCustFinanceService.getFinance': (body) => {
      const req = o(body['_request']) ?? {};
      const rows = strings(req['AccountNums']).map((a) => {
        const c = store.customer(a);
        const f = c ? cat.finance[c.index] : undefined;
        if (!c || !f) return '';
        return `<b:DhCustFinance>${t('b:AccountNum', a)}${t('b:AsOf', f.asOf)}${t('b:Balance', f.debt)}${nil('b:', 'CreditMax', f.creditLimit)}${t('b:CurrencyCode', f.currency)}${t('b:MandatoryCreditLimit', f.creditLimitEnforced ? 'Yes' : 'No')}${t('b:OverdueAmount', f.overdue)}${t('b:OverdueDays', f.overdueDays)}${t('b:PaymTermDays', f.paymentTermDays)}</b:DhCustFinance>`;
      });
      return `<b:Lines>${rows.join('')}</b:Lines>`;
    },
    'DhCustDocumentService.findDocuments': (body) => {
      const req = o(body['_request']) ?? {};
      const account = s(req['AccountNum']);
      const from = s(req['FromDate']).slice(0, 10);
      const to = s(req['ToDate']).slice(0, 10) || '9999-12-31';
      const customer = account ? store.customer(account) : undefined;
      if (account && !customer) return '<b:Bookmark i:nil="true"/><b:Documents/>';
      const type = { invoice: 'Invoice', waybill: 'PackingSlip', upd: 'PackingSlip', act: 'FreeTextInvoice' } as const;
      const orderByRef = new Map(cat.orders.map((x) => [x.ref, x]));
      const all = cat.documents.filter((d) => (!customer || d.customerRef === customer.ref) && d.date.slice(0, 10) >= from && d.date.slice(0, 10) <= to);
      const { items, bookmark } = page(all, req);
      const rows = items.map((d) => {
        const ord = orderByRef.get(d.orderRef);
        const c = cat.customers[d.customerIndex];
        return `<b:DhCustDocument>${t('b:AccountNum', c ? axIds.customer(c) : '')}${t('b:Amount', d.amount)}${t('b:CurrencyCode', d.currency)}${t('b:DocumentDate', d.date.slice(0, 10))}${t('b:DocumentId', axIds.document(d))}${t('b:DocumentType', type[d.kind])}${nil('b:', 'PurchOrderFormNum', d.orderExternalId)}${nil('b:', 'SalesId', ord ? axIds.order(ord) : null)}</b:DhCustDocument>`;
      });
      return `${nil('b:', 'Bookmark', bookmark || null)}<b:Documents>${rows.join('')}</b:Documents>`;
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String((err as Error)?.message ?? err));
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path || req.method !== 'POST') {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>404 - File or directory not found.</h1></body></html>');
      return;
    }
    const ctype = String(req.headers['content-type'] ?? '');
    const soap12 = ctype.includes('application/soap+xml');
    const action = soap12 ? (/action="([^"]+)"/.exec(ctype)?.[1] ?? '') : String(req.headers['soapaction'] ?? '').replace(/^"|"$/g, '');
    const [operation = '', service = ''] = action.split('/').reverse();
    const target = `${service}/${operation}`;

    const slow = faults.take(target, ['slow']);
    if (slow?.delayMs) await new Promise((r) => setTimeout(r, slow.delayMs));
    const f = faults.take(target, TRANSPORT_FAULTS);
    if (f?.kind === 'down') {
      if (f.how === '503') {
        res.writeHead(503, { 'Content-Type': 'text/html', 'Retry-After': '5' });
        res.end('<html><body><h1>Service Unavailable</h1></body></html>');
      } else req.socket.destroy();
      return;
    }
    if (f?.kind === 'auth') {
      res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Type': 'text/html' });
      res.end('<html><body>401 - Unauthorized: Access is denied due to invalid credentials.</body></html>');
      return;
    }
    if (f?.kind === 'rate-limit') {
      res.writeHead(429, { 'Retry-After': String(f.retryAfterSeconds ?? 30), 'Content-Type': 'text/plain' });
      res.end('Too Many Requests');
      return;
    }
    if (f?.kind === 'server-error') {
      res.writeHead(500, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>Server Error</h1></body></html>');
      return;
    }
    if (options.user !== undefined) {
      const expected = `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="AOS"', 'Content-Type': 'text/html' });
        res.end('<html><body>401 - Unauthorized</body></html>');
        return;
      }
    }
    const soapNs = soap12 ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/';
    const send = (status: number, bodyXml: string) => {
      res.writeHead(status, { 'Content-Type': soap12 ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8' });
      res.end(`<s:Envelope xmlns:s="${soapNs}"><s:Header/><s:Body>${bodyXml}</s:Body></s:Envelope>`);
    };
    let env: X | undefined;
    try {
      env = o(o(parser.parse(text) as X)?.['Envelope']);
    } catch {
      env = undefined;
    }
    if (!env) return send(500, aifFault(['The request is not a valid SOAP envelope.'], soap12));
    const ctx = o(o(env['Header'])?.['CallContext']);
    const messageId = s(ctx?.['MessageId']) || undefined;
    const comp = s(ctx?.['Company']);
    requests.push({ action, soap: soap12 ? '1.2' : '1.1', ...(messageId ? { messageId } : {}), ...(comp ? { company: comp } : {}) });
    const handler = handlers[`${service}.${operation}`];
    const wrapper = `${service}${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
    const envBody = o(env['Body']);
    const body = envBody && `${wrapper}Request` in envBody ? (o(envBody[`${wrapper}Request`]) ?? {}) : undefined;
    if (!handler || !body) return send(500, aifFault([`The action ${action} is not valid for this port.`], soap12));
    if (comp && comp.toLowerCase() !== company.toLowerCase()) return send(500, aifFault([`The company ${comp} is not valid for this port.`], soap12));
    const isWrite = operation === 'create' || operation === 'update' || operation === 'delete';
    const key = messageId && isWrite ? `${target}|${messageId.toUpperCase()}` : undefined;
    const ns = service.startsWith('Dh') ? 'http://tempuri.org' : 'http://schemas.microsoft.com/dynamics/2008/01/services';
    const wrap = (inner: string) => service.startsWith('Dh')
      ? `<${wrapper}Response xmlns="${ns}"><response xmlns:b="${NS.contract}" xmlns:i="${NS.xsi}">${inner}</response></${wrapper}Response>`
      : `<${wrapper}Response xmlns="${ns}">${inner}</${wrapper}Response>`;
    if (key && idempotent.has(key)) return send(200, idempotent.get(key) as string);
    if (isWrite) {
      const v = faults.take(target, ['validation']);
      if (v) return send(500, aifFault([v.message ?? 'Validation failed.'], soap12));
    }
    try {
      const out = wrap(handler(body, messageId));
      if (key) idempotent.set(key, out);
      send(200, out);
    } catch (err) {
      if (err instanceof AifBusinessFault) return send(500, aifFault(err.messages, soap12));
      throw err;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const postedStatuses = new Set(['Confirmation', 'PickingList', 'PackingSlip', 'Invoice']);

  return {
    url: base,
    endpoint: `${base}${path}`,
    company,
    catalog: cat,
    faults,
    store,
    requests,
    findOrderByExternalId(externalId) {
      const found = store.ordersByExternalId(externalId);
      const first = found[0];
      if (!first) return null;
      return {
        erpId: first.salesId, number: first.salesId, externalId, copies: found.length,
        posted: postedStatuses.has(first.documentStatus) || first.salesStatus !== 'Backorder', rawStatus: `${first.salesStatus}/${first.documentStatus}`,
        lines: first.lines.map((l) => ({ productId: l.itemId, qty: l.qty, price: l.price })),
      };
    },
    setOrderStatus(externalId, status) {
      const first = store.ordersByExternalId(externalId)[0];
      if (!first) throw new Error(`no order with PurchOrderFormNum ${externalId}`);
      store.setOrderStatus(first.salesId, status);
    },
    updateProduct: (index, patch) => store.updateItem(index, patch),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

