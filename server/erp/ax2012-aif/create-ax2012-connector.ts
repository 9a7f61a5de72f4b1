import { createHash } from 'node:crypto';
import type { Logger } from '../../lib/logger.js';
import {
  ErpError, isErpError,
  type Capabilities, type Cursor, type ErpConnector, type ErpCustomer, type ErpCustomerFinance, type ErpDocument, type ErpOrderState, type ErpPrice,
  type ErpProduct, type ErpRef, type ErpStock, type Page, type SubmitOrder, type SubmitResult,
} from '../port.js';
import { createAifClient } from './aif-client.js';
import { basicTransport, type AxTransport } from './aif-transport.js';
import { changedKeysRequest, contractRequest, entityKeyList, queryCriteria, salesOrderDocument, type Criterion } from './aif-requests.js';
import { list, obj, str, type XmlObject } from './aif-xml.js';
import {
  mapCategory, mapCustDocument, mapCustTable, mapFinance, mapInventTable, mapOnhand, mapPrice, mapPriceGroup, mapSalesTable, mapWarehouse,
} from './ax-mappers.js';
import type { SoapVersion } from './soap-envelope.js';

/**
 * ErpConnector for Dynamics AX 2012 through AIF document services on an HTTP inbound port, plus the custom services
 * described in CUSTOM-SERVICES.md for what AIF has no standard service for (on-hand, balances and credit limits, trade
 * agreement prices, customer documents). Incremental pulls use getChangedKeys (SQL change tracking on the port:
 * https://learn.microsoft.com/en-us/dynamicsax-2012/appuser-itpro/configuring-aif-for-change-tracking); order creation is
 * idempotent twice over: a find on PurchOrderFormNum before creating, and our external id as the AIF MessageId
 * (https://learn.microsoft.com/en-us/dynamicsax-2012/appuser-itpro/how-to-enable-checking-for-duplicate-messages).
 */

export interface Ax2012ConnectorDeps {
  /** The AIF service URL, e.g. http://aos.example.local/MicrosoftDynamicsAXAif60/DealerHubServices/xppservice.svc */
  endpoint: string;
  /** AX company (dataAreaId) sent in CallContext. */
  company: string;
  user?: string;
  password?: string;
  logger?: Logger;
  soapVersion?: SoapVersion;
  /** Replaces the Basic-auth fetch transport (the NTLM seam: see aif-transport.ts). */
  transport?: AxTransport;
  /** Rows per custom-service page (default 1000). */
  pageSize?: number;
  /** Keys per document read (default 100). */
  readChunk?: number;
  timeoutMs?: number;
}

/** getChangedKeys windows overlap by this much, since the watermark is the server's Date header (whole seconds). */
const OVERLAP_MS = 2000;

const CAPABILITIES: Capabilities = {
  catalog: 'pull',
  incremental: { products: 'change-keys', prices: 'snapshot', stock: 'snapshot', finance: 'snapshot', documents: 'modified-since', orderStates: 'change-keys' },
  stock: true,
  prices: true,
  finance: true,
  creditLimits: true,
  documents: true,
  documentFiles: false,
  productPictures: false,
  createOrder: true,
  postOrder: false,
  claims: false,
  reserve: false,
  waitingList: false,
  maxConcurrency: 4,
};

type ProductsToken = { p: 'full'; w: string; o: number } | { p: 'chg'; w: string; seen: Record<string, string> };
type OrdersToken = { w: string; seen: Record<string, string> };
type BookmarkToken = { b: string };

const encode = (v: unknown): Cursor => ({ token: JSON.stringify(v) });
function decode<T>(c: Cursor | null): T | null {
  if (!c) return null;
  try {
    return JSON.parse(c.token) as T;
  } catch {
    throw new ErpError('validation', 'AX cursor is not one this adapter issued');
  }
}

/** AIF MessageId for an external id: the UUID itself in braces, or a UUID derived from any other key. */
export function aifMessageId(externalId: string): string {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(externalId)
    ? externalId
    : (() => {
        const h = createHash('sha1').update(`dealerhub:${externalId}`).digest('hex');
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
      })();
  return `{${uuid.toUpperCase()}}`;
}

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
const keyValues = (keyList: unknown, field: string): string[] =>
  list(obj(keyList)?.['EntityKey']).flatMap((k) => list(obj(k['KeyData'])?.['KeyField']).filter((f) => str(f['Field']) === field).map((f) => str(f['Value']) ?? ''));

export function createAx2012Connector(deps: Ax2012ConnectorDeps): ErpConnector {
  const client = createAifClient({
    endpoint: deps.endpoint,
    company: deps.company,
    soapVersion: deps.soapVersion ?? '1.1',
    transport: deps.transport ?? basicTransport({ user: deps.user, password: deps.password, timeoutMs: deps.timeoutMs }),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const pageSize = deps.pageSize ?? 1000;
  const readChunk = deps.readChunk ?? 100;
  /** Item keys of the full pass in progress (findKeys once per pass, not per page). */
  let fullPass: { w: string; keys: string[] } | null = null;

  const watermark = (serverDate: Date | null) => new Date((serverDate?.getTime() ?? Date.now()) - OVERLAP_MS).toISOString();
  const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

  async function readItems(keys: string[], signal?: AbortSignal): Promise<ErpProduct[]> {
    const out: ErpProduct[] = [];
    for (const part of chunks(keys, readChunk)) out.push(...(await readItemChunk(part, signal)));
    return out;
  }

  /** AIF read fails the whole chunk when one key is gone (an item deleted meanwhile): split and skip the missing ones. */
  async function readItemChunk(part: string[], signal?: AbortSignal): Promise<ErpProduct[]> {
    try {
      const { body } = await client.call('ItemService', 'read', entityKeyList('ItemId', part), opts(signal));
      return list(obj(body['Item'])?.['InventTable']).map(mapInventTable);
    } catch (err) {
      if (!isErpError(err) || err.kind !== 'not-found') throw err;
      if (part.length === 1) return [];
      const mid = Math.ceil(part.length / 2);
      return [...(await readItemChunk(part.slice(0, mid), signal)), ...(await readItemChunk(part.slice(mid), signal))];
    }
  }

  async function readOrders(ids: string[], signal?: AbortSignal): Promise<ErpOrderState[]> {
    const out: ErpOrderState[] = [];
    for (const part of chunks(ids, readChunk)) {
      const { body } = await client.call('SalesOrderService', 'read', entityKeyList('SalesId', part), opts(signal));
      out.push(...list(obj(body['SalesOrder'])?.['SalesTable']).map(mapSalesTable));
    }
    return out;
  }

  async function findOrders(field: 'PurchOrderFormNum' | 'CustomerRef', values: string[], signal?: AbortSignal): Promise<ErpOrderState[]> {
    const out: ErpOrderState[] = [];
    for (const part of chunks(values, 20)) {
      const criteria = part.map((v): Criterion => ({ dataSource: 'SalesTable', field, operator: 'Equal', value1: v }));
      const { body } = await client.call('SalesOrderService', 'find', queryCriteria(criteria), opts(signal));
      out.push(...list(obj(body['SalesOrder'])?.['SalesTable']).map(mapSalesTable));
    }
    return out;
  }

  async function custom(service: string, operation: string, members: Record<string, string | number | string[] | null | undefined>, signal?: AbortSignal): Promise<XmlObject> {
    const { body } = await client.call(service, operation, Object.keys(members).length ? contractRequest(members) : '', opts(signal));
    return obj(body['response']) ?? {};
  }

  const bookmarkOf = (response: XmlObject) => str(response['Bookmark']);
  const pageFrom = <T>(items: T[], response: XmlObject): Page<T> => {
    const b = bookmarkOf(response);
    return { items, next: b ? encode({ b } satisfies BookmarkToken) : null };
  };

  async function changes(service: 'ItemService' | 'SalesOrderService', criterion: Criterion, token: { w: string; seen: Record<string, string> }, read: (keys: string[]) => Promise<Array<{ key: string; version: string; item: unknown }>>, field: string, signal?: AbortSignal) {
    const { body, serverDate } = await client.call(service, 'getChangedKeys', changedKeysRequest(criterion, new Date(token.w)), opts(signal));
    const keys = keyValues(body['EntityKeyList'], field);
    const read_ = keys.length ? await read(keys) : [];
    const fresh = read_.filter((r) => token.seen[r.key] !== r.version);
    const seen = Object.fromEntries(read_.map((r) => [r.key, r.version]));
    return { fresh, next: fresh.length ? { w: watermark(serverDate), seen } : null };
  }

  const connector: ErpConnector = {
    kind: 'ax2012-aif',
    capabilities: CAPABILITIES,

    async health(signal) {
      const started = performance.now();
      try {
        await custom('DhCatalogService', 'getWarehouses', {}, signal);
        return { ok: true, latencyMs: Math.round(performance.now() - started) };
      } catch (err) {
        return { ok: false, latencyMs: Math.round(performance.now() - started), details: (err as Error).message };
      }
    },

    async productGroups(signal) {
      const r = await custom('DhCatalogService', 'getCategories', {}, signal);
      return list(obj(r['Categories'])?.['DhCategory']).map(mapCategory);
    },

    async products(cursor, signal) {
      const token = decode<ProductsToken>(cursor);
      if (!token || token.p === 'full') {
        let pass = token && fullPass?.w === token.w ? fullPass : null;
        if (!pass) {
          const { body, serverDate } = await client.call('ItemService', 'findKeys', queryCriteria([{ dataSource: 'InventTable', field: 'ItemId', operator: 'NotEqual', value1: '' }]), opts(signal));
          pass = { w: token?.w ?? watermark(serverDate), keys: keyValues(body['EntityKeyList'], 'ItemId') };
          fullPass = pass;
        }
        const offset = token?.o ?? 0;
        const keys = pass.keys.slice(offset, offset + readChunk);
        const items = await readItems(keys, signal);
        const end = offset + keys.length >= pass.keys.length;
        if (end) fullPass = null;
        return { items, total: pass.keys.length, next: encode(end ? { p: 'chg', w: pass.w, seen: {} } : { p: 'full', w: pass.w, o: offset + keys.length }) };
      }
      const r = await changes('ItemService', { dataSource: 'InventTable', field: 'ItemId', operator: 'NotEqual', value1: '' }, token, async (keys) =>
        (await readItems(keys, signal)).map((p) => ({ key: p.ref.erpId, version: p.version ?? '', item: p })), 'ItemId', signal);
      return { items: r.fresh.map((x) => x.item as ErpProduct), next: r.next ? encode({ p: 'chg', ...r.next } satisfies ProductsToken) : null };
    },

    async warehouses(signal) {
      const r = await custom('DhCatalogService', 'getWarehouses', {}, signal);
      return list(obj(r['Warehouses'])?.['DhWarehouse']).map(mapWarehouse);
    },

    async priceTypes(signal) {
      const r = await custom('DhCatalogService', 'getPriceGroups', {}, signal);
      return list(obj(r['PriceGroups'])?.['DhPriceGroup']).map(mapPriceGroup);
    },

    async prices(q, cursor, signal): Promise<Page<ErpPrice>> {
      const t = decode<BookmarkToken>(cursor);
      const r = await custom('DhCatalogService', 'getPrices', { Bookmark: t?.b ?? null, PageSize: pageSize, PriceGroupIds: (q.priceTypeRefs ?? []).map((x) => x.erpId) }, signal);
      return pageFrom(list(obj(r['Prices'])?.['DhPrice']).map(mapPrice), r);
    },

    async stock(q, cursor, signal): Promise<Page<ErpStock>> {
      const t = decode<BookmarkToken>(cursor);
      const r = await custom('DhInventOnhandService', 'getOnhand', {
        Bookmark: t?.b ?? null,
        InventLocationIds: (q.warehouseRefs ?? []).map((x) => x.erpId),
        ItemIds: (q.productRefs ?? []).map((x) => x.erpId),
        PageSize: pageSize,
      }, signal);
      return pageFrom(list(obj(r['Lines'])?.['DhOnhandLine']).map(mapOnhand), r);
    },

    async customers(_cursor, signal): Promise<Page<ErpCustomer>> {
      const { body } = await client.call('CustomerService', 'find', queryCriteria([{ dataSource: 'CustTable', field: 'AccountNum', operator: 'NotEqual', value1: '' }]), opts(signal));
      return { items: list(obj(body['Customer'])?.['CustTable']).map(mapCustTable), next: null };
    },

    async customerFinance(refs, signal): Promise<ErpCustomerFinance[]> {
      const out: ErpCustomerFinance[] = [];
      for (const part of chunks(refs.map((r) => r.erpId), 100)) {
        const r = await custom('DhCustFinanceService', 'getFinance', { AccountNums: part }, signal);
        out.push(...list(obj(r['Lines'])?.['DhCustFinance']).map(mapFinance));
      }
      return out;
    },

    async documents(q, cursor, signal): Promise<Page<ErpDocument>> {
      const t = decode<BookmarkToken>(cursor);
      const r = await custom('DhCustDocumentService', 'findDocuments', {
        AccountNum: q.customerRef?.erpId ?? null, Bookmark: t?.b ?? null, FromDate: q.from.slice(0, 10), PageSize: pageSize, ToDate: q.to.slice(0, 10),
      }, signal);
      return pageFrom(list(obj(r['Documents'])?.['DhCustDocument']).map(mapCustDocument), r);
    },

    async orderStates(q, cursor, signal): Promise<Page<ErpOrderState>> {
      if (q.externalIds?.length && !cursor) return { items: await findOrders('PurchOrderFormNum', q.externalIds, signal), next: null };
      const token = decode<OrdersToken>(cursor) ?? { w: q.since ? new Date(`${q.since}${/Z|[+-]\d\d:\d\d$/.test(q.since) ? '' : 'Z'}`).toISOString() : new Date(Date.now() - 30 * 86_400_000).toISOString(), seen: {} };
      const r = await changes('SalesOrderService', { dataSource: 'SalesTable', field: 'SalesId', operator: 'NotEqual', value1: '' }, token, async (keys) =>
        (await readOrders(keys, signal)).map((s) => ({ key: s.erpRef.erpId, version: `${s.rawStatus}|${s.updatedAt ?? ''}`, item: s })), 'SalesId', signal);
      return { items: r.fresh.map((x) => x.item as ErpOrderState), next: r.next ? encode(r.next satisfies OrdersToken) : null };
    },

    async findByExternalId(kind, externalId, signal) {
      if (kind !== 'order') throw new ErpError('unsupported', 'AX 2012: claims are not exchanged with this adapter');
      // PurchOrderFormNum first; CustomerRef holds the same id and survives a user editing the former in AX.
      const found = await findOrders('PurchOrderFormNum', [externalId], signal);
      const hit = found.find((s) => s.externalId === externalId);
      if (hit) return hit;
      const byRef = (await findOrders('CustomerRef', [externalId], signal))[0];
      return byRef ? { ...byRef, externalId } : null;
    },

    async submitOrder(cmd: SubmitOrder, signal): Promise<SubmitResult> {
      const existing = await connector.findByExternalId('order', cmd.externalId, signal);
      if (existing) return { state: 'already-exists', erpRef: existing.erpRef, number: existing.number };
      const doc = salesOrderDocument({
        custAccount: cmd.customerRef.erpId,
        currency: cmd.currency,
        externalId: cmd.externalId,
        ...(cmd.desiredDate ? { deliveryDate: cmd.desiredDate.slice(0, 10) } : {}),
        ...(cmd.warehouseRef ? { inventLocationId: cmd.warehouseRef.erpId } : {}),
        lines: cmd.lines.map((l) => ({ itemId: l.productRef.erpId, qty: l.qty, price: l.price, ...(l.unit ? { unit: l.unit } : {}) })),
      });
      const { body } = await client.call('SalesOrderService', 'create', doc, { messageId: aifMessageId(cmd.externalId), ...opts(signal) });
      const salesId = keyValues(body['EntityKeyList'], 'SalesId')[0];
      if (!salesId) throw new ErpError('transient', 'AX AIF SalesOrderService.create answered without a SalesId');
      return { state: 'created', erpRef: { erpId: salesId, code: salesId } satisfies ErpRef, number: salesId };
    },
  };
  return connector;
}
