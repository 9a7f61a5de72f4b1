import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { TRANSPORT_FAULTS, type ErpFaults, type FaultRule } from '../catalog/index.js';
import { FilterSyntaxError, filterMembers, parseFilter } from '../onec-odata/odata-filter.js';
import { QueryError, type QueryEngine, type Row } from '../onec-odata/query-engine.js';
import { D365_COMPANY, D365_DEFAULT_COMPANY, d365Ids } from './d365-ids.js';
import type { D365EntitySet, D365Sources } from './d365-sources.js';
import type { D365Header, D365Line, D365State } from './d365-state.js';

/**
 * The HTTP face of the emulated Dynamics 365 Finance & Operations:
 * - an Entra ID-shaped token endpoint `POST /{tenant}/oauth2/v2.0/token` (client credentials, scope `<resource>/.default`;
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow);
 * - OData v4 at `/data/` (https://learn.microsoft.com/en-us/dynamics365/fin-ops-core/dev-itpro/data-entities/odata):
 *   `$filter` (v4 literals, `eq '*x*'` wildcards), `$select`, `$orderby`, `$top`, `$skip`, `$count`, server-driven
 *   paging with `@odata.nextLink` ($skiptoken; `Prefer: odata.maxpagesize`), the default company unless
 *   `cross-company=true`, 429 + Retry-After under service protection, and the OData v4 error shape.
 */

export interface D365RouterOptions {
  state: D365State;
  sources: D365Sources;
  engine: QueryEngine;
  faults: ErpFaults;
  clients: Array<{ tenant: string; clientId: string; clientSecret: string }>;
  /** `<resource>/.default` must name this environment (e.g. https://dealerhub.operations.dynamics.com). */
  resource: string;
  tokenTtlSeconds: number;
  maxPageSize: number;
  /** Service protection: at most `requests` per `windowMs` (default: unlimited). */
  serviceProtection?: { requests: number; windowMs: number };
}

class V4Failure extends Error {
  constructor(readonly status: number, message: string, readonly inner?: { message: string; type: string }) {
    super(message);
  }
}

const sendError = (res: Response, status: number, message: string, inner?: { message: string; type: string }) =>
  res.status(status).json({ error: { code: '', message, ...(inner ? { innererror: { ...inner, stacktrace: '' } } : {}) } });

const fail = (status: number, message: string, inner?: { message: string; type: string }): never => {
  throw new V4Failure(status, message, inner);
};

const writeFailure = (entity: string, message: string) => fail(400, 'An error has occurred.', {
  message: `Write failed for table row of type '${entity}'. Infolog: Error: ${message}`,
  type: 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException',
});

/** `dataAreaId='rumf',SalesOrderNumber='SO-000001'` → {dataAreaId: 'rumf', SalesOrderNumber: 'SO-000001'}. */
export function parseKey(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*'((?:[^']|'')*)'\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text)) !== null) {
    out[m[1] as string] = (m[2] as string).replace(/''/g, "'");
    consumed = re.lastIndex;
    if (consumed >= text.length) break;
  }
  if (consumed < text.trim().length) fail(400, `Bad key segment (${text})`);
  return out;
}

export function createD365Router(o: D365RouterOptions): { auth: Router; data: Router } {
  const tokens = new Map<string, number>();
  const hits: number[] = [];

  const auth = express.Router();
  auth.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const client = o.clients.find((c) => c.tenant === req.params.tenant && c.clientId === body.client_id);
    const tokenError = (status: number, error: string, description: string) =>
      res.status(status).json({ error, error_description: description, error_codes: [], timestamp: new Date().toISOString() });
    if (body.grant_type !== 'client_credentials') return tokenError(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${body.grant_type ?? ''}'.`);
    if (!client) return tokenError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${body.client_id ?? ''}' was not found in the directory '${req.params.tenant}'.`);
    if (client.clientSecret !== body.client_secret) return tokenError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    const scope = body.scope ?? '';
    if (scope !== `${o.resource.replace(/\/+$/, '')}/.default`) return tokenError(400, 'invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid (${scope}).`);
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, Date.now() + o.tokenTtlSeconds * 1000);
    res.json({ token_type: 'Bearer', expires_in: o.tokenTtlSeconds, ext_expires_in: o.tokenTtlSeconds, access_token: token });
  });

  const data = express.Router();
  data.use(express.json({ limit: '10mb' }));

  const origin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

  const renderFault = (req: Request, res: Response, rule: FaultRule) => {
    if (rule.kind === 'down') {
      if (rule.how === '503') res.status(503).type('text/html').send('<html><body><h1>Service Unavailable</h1></body></html>');
      else req.socket.destroy();
      return;
    }
    if (rule.kind === 'auth') {
      res.status(401).set('WWW-Authenticate', 'Bearer').end();
      return;
    }
    if (rule.kind === 'rate-limit') {
      res.status(429).set('Retry-After', String(rule.retryAfterSeconds ?? 1)).json({ error: { code: '', message: 'Too many requests. Retry after the time given in the Retry-After header.' } });
      return;
    }
    sendError(res, 500, rule.message ?? 'An error has occurred.');
  };

  const companyFilter = (set: D365EntitySet, req: Request): string | null => {
    if (!set.company) return null;
    const cross = new URL(req.originalUrl, 'http://x').searchParams.get('cross-company') === 'true';
    return cross ? null : `dataAreaId eq '${D365_DEFAULT_COMPANY}'`;
  };

  const checkFields = (set: D365EntitySet, filter: string | null, select: string | null, orderby: string | null) => {
    const known = new Set(set.props.map(([n]) => n));
    const members = new Set<string>();
    if (filter) {
      try {
        for (const m of filterMembers(parseFilter(filter))) members.add(m);
      } catch (err) {
        fail(400, `The query specified in the URI is not valid. ${(err as Error).message}`);
      }
    }
    for (const f of (select ?? '').split(',').map((x) => x.trim()).filter(Boolean)) members.add(f);
    for (const f of (orderby ?? '').split(',').map((x) => x.trim().split(/\s+/)[0]).filter((x): x is string => !!x)) members.add(f);
    for (const m of members) if (!known.has(m)) fail(400, `The query specified in the URI is not valid. Could not find a property named '${m}' on type 'Microsoft.Dynamics.DataEntities.${set.type}'.`);
  };

  const list = (req: Request, res: Response, set: D365EntitySet) => {
    const q = new URL(req.originalUrl, 'http://x').searchParams;
    const userFilter = q.get('$filter');
    checkFields(set, userFilter, q.get('$select'), q.get('$orderby'));
    if (q.get('$expand')) fail(400, 'The emulator does not support $expand.');
    const filter = [companyFilter(set, req), userFilter].filter((f): f is string => !!f).map((f) => `(${f})`).join(' and ') || null;
    const prefer = /odata\.maxpagesize=(\d+)/.exec(req.get('prefer') ?? '');
    const pageSize = Math.min(o.maxPageSize, prefer ? Number(prefer[1]) : o.maxPageSize);
    const skip = Number(q.get('$skip') ?? 0);
    const token = Number(q.get('$skiptoken') ?? 0);
    const top = q.get('$top') === null ? null : Number(q.get('$top'));
    if (![skip, token].every((n) => Number.isInteger(n) && n >= 0) || (top !== null && !(Number.isInteger(top) && top >= 0))) fail(400, 'Invalid $top, $skip or $skiptoken.');
    const all = o.engine.run(set.source, { filter, orderby: q.get('$orderby'), select: null, top: 0, evalOptions: { wildcardEq: true } });
    const limit = top === null ? all.total : Math.min(all.total, skip + top);
    const start = skip + token;
    const take = Math.max(0, Math.min(pageSize, limit - start));
    const page = o.engine.run(set.source, { filter, orderby: q.get('$orderby'), select: q.get('$select'), skip: start, top: take, evalOptions: { wildcardEq: true } });
    const body: Record<string, unknown> = { '@odata.context': `${origin(req)}/$metadata#${set.name}${q.get('$select') ? `(${q.get('$select')})` : ''}` };
    if (q.get('$count') === 'true') body['@odata.count'] = limit - skip;
    body.value = page.rows;
    if (start + take < limit) {
      const next = new URLSearchParams(q);
      next.set('$skiptoken', String(token + take));
      const query = [...next.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      body['@odata.nextLink'] = `${origin(req)}/${set.name}?${query}`;
    }
    res.json(body);
  };

  const findOne = (set: D365EntitySet, key: Record<string, string>): Row => {
    for (const k of set.keys) if (key[k] === undefined) fail(400, `The key of ${set.name} needs every key field (${set.keys.join(', ')}).`);
    const filter = set.keys.map((k) => `${k} eq '${(key[k] as string).replace(/'/g, "''")}'`).join(' and ');
    return o.engine.run(set.source, { filter }).rows[0] ?? fail(404, `No ${set.name} record with key (${Object.entries(key).map(([k, v]) => `${k}='${v}'`).join(',')}).`);
  };

  const createHeader = (body: Record<string, unknown>): D365Header => {
    const company = String(body.dataAreaId ?? D365_DEFAULT_COMPANY).toLowerCase();
    if (company !== D365_COMPANY) writeFailure('SalesOrderHeaderV2Entity', `Company '${company}' has no customers.`);
    const account = String(body.OrderingCustomerAccountNumber ?? '');
    if (!o.state.cat.customers.some((c) => d365Ids.customer(c) === account)) {
      writeFailure('SalesOrderHeaderV2Entity', `Customer account ${account} does not exist.`);
    }
    const number = typeof body.SalesOrderNumber === 'string' && body.SalesOrderNumber ? body.SalesOrderNumber : o.state.nextOrderNumber();
    if (o.state.header(number)) writeFailure('SalesOrderHeaderV2Entity', `Sales order ${number} already exists.`);
    const h: D365Header = {
      dataAreaId: D365_COMPANY, SalesOrderNumber: number, OrderingCustomerAccountNumber: account,
      InvoiceCustomerAccountNumber: String(body.InvoiceCustomerAccountNumber ?? account), CustomersOrderReference: String(body.CustomersOrderReference ?? ''),
      CustomerRequisitionNumber: String(body.CustomerRequisitionNumber ?? ''), SalesOrderStatus: 'Backorder', SalesOrderProcessingStatus: 'None',
      CurrencyCode: String(body.CurrencyCode ?? 'RUB'), RequestedShippingDate: String(body.RequestedShippingDate ?? `${o.state.now().slice(0, 10)}T00:00:00Z`),
      DefaultShippingWarehouseId: String(body.DefaultShippingWarehouseId ?? ''), DefaultShippingSiteId: String(body.DefaultShippingSiteId ?? ''),
      PriceCustomerGroupCode: String(body.PriceCustomerGroupCode ?? ''), SalesOrderName: String(body.SalesOrderName ?? ''),
      DeliveryAddressDescription: String(body.DeliveryAddressDescription ?? ''), LanguageId: String(body.LanguageId ?? 'ru'),
      OrderCreationDateTime: `${o.state.now()}Z`,
    };
    o.state.headers.push(h);
    o.state.bump();
    return h;
  };

  const createLine = (body: Record<string, unknown>): D365Line => {
    const injected = o.faults.take('SalesOrderLines', ['validation']);
    if (injected) writeFailure('SalesOrderLineV2Entity', injected.message ?? 'Validation failed.');
    const h = o.state.header(String(body.SalesOrderNumber ?? '')) ?? writeFailure('SalesOrderLineV2Entity', `Sales order ${String(body.SalesOrderNumber ?? '')} does not exist.`);
    const item = String(body.ItemNumber ?? '');
    const index = o.state.itemIndex(item);
    if (index === undefined) writeFailure('SalesOrderLineV2Entity', `Item number ${item} does not exist.`);
    if (o.state.cat.product(index as number).deleted || o.state.productPatches.get(index as number)?.deleted) writeFailure('SalesOrderLineV2Entity', `Item ${item} is stopped for sales (lifecycle state Obsolete).`);
    const qty = Number(body.OrderedSalesQuantity ?? 0);
    if (!(qty > 0)) writeFailure('SalesOrderLineV2Entity', 'Quantity must be positive.');
    const price = Number(body.SalesPrice ?? 0);
    const existing = o.state.linesOf(h.SalesOrderNumber);
    const l: D365Line = {
      dataAreaId: D365_COMPANY, SalesOrderNumber: h.SalesOrderNumber, InventoryLotId: o.state.nextLot(),
      LineNumber: body.LineNumber === undefined ? existing.length + 1 : Number(body.LineNumber), ItemNumber: item, OrderedSalesQuantity: qty, SalesPrice: price,
      LineAmount: body.LineAmount === undefined ? Math.round(qty * price * 100) / 100 : Number(body.LineAmount), SalesUnitSymbol: String(body.SalesUnitSymbol ?? 'шт'),
      ShippingWarehouseId: String(body.ShippingWarehouseId ?? h.DefaultShippingWarehouseId), ShippingSiteId: String(body.ShippingSiteId ?? h.DefaultShippingSiteId),
      SalesOrderLineStatus: 'Backorder', LineDescription: o.state.cat.product(index as number).name, CurrencyCode: h.CurrencyCode,
    };
    o.state.lines.push(l);
    o.state.bump();
    return l;
  };

  data.use(async (req, res) => {
    try {
      const slow = o.faults.take(`${req.method} ${decodeURIComponent(req.path)}`, ['slow']);
      if (slow) await new Promise((r) => setTimeout(r, slow.delayMs ?? 1000));
      const fault = o.faults.take(`${req.method} ${decodeURIComponent(req.path)}`, TRANSPORT_FAULTS);
      if (fault) return renderFault(req, res, fault);
      const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
      const expires = bearer ? tokens.get(bearer) : undefined;
      if (!expires || expires < Date.now()) {
        res.status(401).set('WWW-Authenticate', 'Bearer').end();
        return;
      }
      if (o.serviceProtection) {
        const now = Date.now();
        while (hits.length && (hits[0] as number) <= now - o.serviceProtection.windowMs) hits.shift();
        if (hits.length >= o.serviceProtection.requests) {
          const retry = Math.max(1, Math.ceil(((hits[0] as number) + o.serviceProtection.windowMs - now) / 1000));
          res.status(429).set('Retry-After', String(retry)).json({ error: { code: '', message: 'Exceeded the number of requests allowed per user per web server.' } });
          return;
        }
        hits.push(now);
      }
      const path = decodeURIComponent(req.path).replace(/^\/+/, '');
      if (path === '$metadata') {
        res.type('application/xml').send(renderD365Metadata(o.sources));
        return;
      }
      if (path === '') {
        res.json({ '@odata.context': `${origin(req)}/$metadata`, value: o.sources.sets.map((s) => ({ name: s.name, kind: 'EntitySet', url: s.name })) });
        return;
      }
      const m = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(path) ?? fail(404, `No HTTP resource was found that matches the request URI '${path}'.`);
      const set = o.sources.set(m[1] as string) ?? fail(404, `No HTTP resource was found that matches the request URI '${path}'.`);
      const key = m[2] === undefined ? null : parseKey(m[2]);
      if (req.method === 'GET') {
        if (!key) return list(req, res, set);
        res.json({ '@odata.context': `${origin(req)}/$metadata#${set.name}/$entity`, ...findOne(set, key) });
        return;
      }
      if (req.method === 'POST' && !key && set.name === 'SalesOrderHeadersV2') {
        const h = createHeader((req.body ?? {}) as Record<string, unknown>);
        res.status(201).json({ '@odata.context': `${origin(req)}/$metadata#${set.name}/$entity`, ...h });
        return;
      }
      if (req.method === 'POST' && !key && set.name === 'SalesOrderLines') {
        const l = createLine((req.body ?? {}) as Record<string, unknown>);
        res.status(201).json({ '@odata.context': `${origin(req)}/$metadata#${set.name}/$entity`, ...l });
        return;
      }
      if (req.method === 'PATCH' && key && set.name === 'SalesOrderHeadersV2') {
        const h = o.state.header(key.SalesOrderNumber ?? '') ?? fail(404, 'No such sales order.');
        const body = (req.body ?? {}) as Record<string, unknown>;
        for (const f of ['CustomerRequisitionNumber', 'RequestedShippingDate', 'DeliveryAddressDescription', 'SalesOrderName']) if (typeof body[f] === 'string') h[f] = body[f];
        o.state.bump();
        res.status(204).end();
        return;
      }
      return fail(405, `The ${req.method} method is not supported on ${set.name} by the emulator.`);
    } catch (err) {
      if (err instanceof V4Failure) return sendError(res, err.status, err.message, err.inner);
      if (err instanceof QueryError || err instanceof FilterSyntaxError) return sendError(res, 400, `The query specified in the URI is not valid. ${err.message}`);
      sendError(res, 500, `An error has occurred. ${(err as Error).message}`);
    }
  });
  data.use((err: Error, _req: Request, res: Response, _next: express.NextFunction) => {
    sendError(res, 400, `The request body is not valid JSON: ${err.message}`);
  });
  return { auth, data };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A small OData v4 CSDL for the entities served (a real F&O $metadata is tens of megabytes). */
export function renderD365Metadata(sources: D365Sources): string {
  const types = sources.sets.map((s) => `<EntityType Name="${esc(s.type)}"><Key>${s.keys.map((k) => `<PropertyRef Name="${esc(k)}"/>`).join('')}</Key>`
    + `${s.props.map(([n, t]) => `<Property Name="${esc(n)}" Type="${esc(t)}"/>`).join('')}</EntityType>`).join('');
  const sets = sources.sets.map((s) => `<EntitySet Name="${esc(s.name)}" EntityType="Microsoft.Dynamics.DataEntities.${esc(s.type)}"/>`).join('');
  return '<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>'
    + `<Schema Namespace="Microsoft.Dynamics.DataEntities" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types}`
    + '<EnumType Name="NoYes"><Member Name="No" Value="0"/><Member Name="Yes" Value="1"/></EnumType>'
    + '<EnumType Name="SalesStatus"><Member Name="None" Value="0"/><Member Name="Backorder" Value="1"/><Member Name="Delivered" Value="2"/><Member Name="Invoiced" Value="3"/><Member Name="Canceled" Value="4"/></EnumType>'
    + `<EntityContainer Name="Resources">${sets}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`;
}
