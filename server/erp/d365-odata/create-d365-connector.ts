import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { dec, toDecimal } from '../../lib/decimal.js';
import {
  ErpError,
  type Capabilities, type Cursor, type ErpConnector, type ErpCustomerFinance, type ErpDocument, type ErpOrderState, type ErpProduct, type ErpRef,
  type ErpStock, type ErpUnit, type Page, type SubmitOrder, type SubmitResult,
} from '../port.js';
import { readingTime } from '../onec-odata/local-time.js';
import { mapLimit } from '../onec-odata/map-limit.js';
import { createD365HttpClient } from './d365-http-client.js';
import {
  buildHeaderBody, buildLineBody, mapAgreement, mapCategory, mapConversion, mapCustomer, mapInvoice, mapOnHand, mapOrderState, mapPriceGroup,
  mapReleasedProduct, mapWarehouse, paymentDaysOf, type D365Row,
} from './d365-mapper.js';
import { and, anyOf, chunk, dateTimeLit, eq, splitRef, v4Url } from './d365-query.js';
import { createD365TokenProvider } from './d365-token.js';

/**
 * ErpConnector over Dynamics 365 Finance & Operations OData v4 (erp-integration.md §3, §5).
 *
 * - Auth: Entra ID client credentials, one cached token renewed before expiry (and once more on a 401).
 * - Reads: `cross-company=true` with `dataAreaId eq '<company>'` (otherwise F&O answers for the user's default company
 *   only), `$select` always (ReleasedProductsV2 has ~285 fields), server-driven paging by following `@odata.nextLink`
 *   (`Prefer: odata.maxpagesize`), side entities by ≤ 20-item `or` chains (no `in` in F&O).
 * - Orders: header first (SalesOrderHeadersV2 with CustomersOrderReference = our external id), then lines one by one
 *   (SalesOrderLines; the docs advise single-threaded writes). A header whose lines were cut short is completed on the
 *   next submit. There is no posting step: confirmation and invoicing are F&O business processes.
 * - Finance: credit limit from CustomersV3; debts from open customer transactions (CustCollectionsBICustTrans by
 *   default: verify that the entity is public in the environment, or name another one in `entities.openTransactions`).
 */

export interface D365ConnectorDeps {
  /** Environment URL, e.g. https://contoso.operations.dynamics.com (OData at /data). */
  baseUrl: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** Entra ID authority (default https://login.microsoftonline.com). */
  authority?: string;
  /** Token scope resource (default: baseUrl). */
  resource?: string;
  /** Legal entity (dataAreaId) to work in. */
  company: string;
  logger?: Logger;
  http?: AxiosInstance;
  timeoutMs?: number;
  /** Items per page asked with Prefer: odata.maxpagesize (default 1000; F&O caps at 10 000). */
  pageSize?: number;
  /** Requests in flight (default 8; F&O allows 52 per user and web server). */
  concurrency?: number;
  /** Category hierarchy that holds the dealer catalog tree (default: every hierarchy). */
  categoryHierarchy?: string;
  languageId?: string;
  currency?: string;
  pricesIncludeTax?: boolean;
  /** Product lifecycle states that mean "no longer sold" (default Obsolete). */
  obsoleteLifecycleStates?: string[];
  timeZone?: string;
  now?: () => Date;
  entities?: { openTransactions?: string };
}

type PagedCursor<K extends string> = { k: K; next?: string; part?: number };

const encode = (c: object): Cursor => ({ token: JSON.stringify(c) });
function decode<T extends { k: string }>(cursor: Cursor | null, kind: T['k']): T {
  if (!cursor) return { k: kind } as T;
  let c: T;
  try {
    c = JSON.parse(cursor.token) as T;
  } catch {
    throw new ErpError('validation', `D365: the ${kind} cursor is not valid JSON`);
  }
  if (c?.k !== kind) throw new ErpError('validation', `D365: the cursor belongs to "${String(c?.k)}", not to ${kind}`);
  return c;
}

const s = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

export function createD365Connector(deps: D365ConnectorDeps): ErpConnector {
  const company = deps.company.toLowerCase();
  const tokens = createD365TokenProvider({
    authority: deps.authority ?? 'https://login.microsoftonline.com', tenant: deps.tenant, clientId: deps.clientId, clientSecret: deps.clientSecret,
    resource: deps.resource ?? deps.baseUrl, http: deps.http, timeoutMs: deps.timeoutMs,
  });
  const concurrency = Math.min(deps.concurrency ?? 8, 52);
  const http = createD365HttpClient({ baseUrl: deps.baseUrl, tokens, http: deps.http, timeoutMs: deps.timeoutMs, concurrency, logger: deps.logger });
  const pageSize = deps.pageSize ?? 1000;
  const language = deps.languageId ?? 'ru';
  const obsolete = deps.obsoleteLifecycleStates ?? ['Obsolete'];
  const openTransSet = deps.entities?.openTransactions ?? 'CustCollectionsBICustTrans';
  const inCompany = (filter?: string | null) => and(eq('dataAreaId', company), filter);
  const q = (set: string, filter: string | null | undefined, select: string[], orderby?: string) => v4Url(set, { crossCompany: true, filter: inCompany(filter), select, ...(orderby ? { orderby } : {}) });
  const keyOf = (r: ErpRef) => {
    const { company: c, key } = splitRef(r.erpId, company);
    if (c !== company) throw new ErpError('validation', `D365: ${r.erpId} belongs to company ${c}, this connector works in ${company}`);
    return key;
  };

  /** Rows of a shared or company entity whose `field` is one of `values`, ≤ 20 per request. */
  async function byValues(set: string, field: string, values: string[], select: string[], extra?: string, companyScoped = true, signal?: AbortSignal): Promise<D365Row[]> {
    const unique = [...new Set(values.filter(Boolean))];
    const pages = await mapLimit(chunk(unique), concurrency, (part) => http.all<D365Row>(
      companyScoped ? q(set, and(anyOf(field, part), extra), select) : v4Url(set, { filter: and(anyOf(field, part), extra), select }), signal));
    return pages.flat();
  }
  const groupBy = (rows: D365Row[], field: string) => {
    const m = new Map<string, D365Row[]>();
    for (const r of rows) m.set(s(r[field]), [...(m.get(s(r[field])) ?? []), r]);
    return m;
  };

  async function completeProducts(rows: D365Row[], signal?: AbortSignal): Promise<ErpProduct[]> {
    const items = rows.map((r) => s(r.ItemNumber));
    const [names, barcodes, conversions, categories] = await Promise.all([
      byValues('ProductTranslations', 'ProductNumber', items, ['ProductNumber', 'LanguageId', 'ProductName', 'Description'], eq('LanguageId', language), false, signal),
      byValues('ItemBarcodes', 'ItemNumber', items, ['ItemNumber', 'Barcode'], undefined, true, signal),
      byValues('ProductUnitOfMeasureConversions', 'ProductNumber', items, ['ProductNumber', 'FromUnitSymbol', 'ToUnitSymbol', 'Factor', 'Numerator', 'Denominator'], undefined, false, signal),
      byValues('ProductCategoryAssignments', 'ProductNumber', items, ['ProductNumber', 'ProductCategoryHierarchyName', 'ProductCategoryName'],
        deps.categoryHierarchy ? eq('ProductCategoryHierarchyName', deps.categoryHierarchy) : undefined, false, signal),
    ]);
    const nameBy = groupBy(names, 'ProductNumber');
    const barcodeBy = groupBy(barcodes, 'ItemNumber');
    const convBy = groupBy(conversions, 'ProductNumber');
    const catBy = groupBy(categories, 'ProductNumber');
    return rows.map((r) => {
      const item = s(r.ItemNumber);
      const t = nameBy.get(item)?.[0];
      const cat = catBy.get(item)?.[0];
      const base = s(r.InventoryUnitSymbol);
      const packs: ErpUnit[] = (convBy.get(item) ?? []).filter((c) => s(c.ToUnitSymbol) === base).map(mapConversion);
      return mapReleasedProduct(r, {
        company,
        hierarchy: s(cat?.ProductCategoryHierarchyName) || deps.categoryHierarchy || '',
        ...(t ? { name: s(t.ProductName), description: s(t.Description) } : {}),
        ...(cat ? { category: s(cat.ProductCategoryName) } : {}),
        barcodes: (barcodeBy.get(item) ?? []).map((b) => s(b.Barcode)).filter(Boolean),
        packs,
        obsoleteStates: obsolete,
      });
    });
  }

  const PRODUCT_SELECT = ['dataAreaId', 'ItemNumber', 'ProductNumber', 'SearchName', 'InventoryUnitSymbol', 'SalesUnitSymbol', 'SalesSalesTaxItemGroupCode', 'ProductLifecycleStateId'];

  async function products(cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpProduct>> {
    const c = decode<PagedCursor<'products'>>(cursor, 'products');
    const first = !c.next;
    const url = c.next ?? v4Url('ReleasedProductsV2', { crossCompany: true, filter: inCompany(), select: PRODUCT_SELECT, orderby: 'ItemNumber', count: true });
    const page = await http.page<D365Row>(url, pageSize, signal);
    const items = await completeProducts(page.value, signal);
    return { items, next: page.nextLink ? encode({ k: 'products', next: page.nextLink }) : null, ...(first && page.count !== undefined ? { total: page.count } : {}) };
  }

  /** Follows one paged query; `parts` lets a call walk several id chunks one after another. */
  async function paged<T>(kind: string, cursor: Cursor | null, parts: Array<string>, map: (rows: D365Row[]) => Promise<T[]> | T[], signal?: AbortSignal): Promise<Page<T>> {
    const c = decode<PagedCursor<string>>(cursor, kind);
    const part = c.part ?? 0;
    const url = c.next ?? parts[part];
    if (url === undefined) return { items: [], next: null };
    const page = await http.page<D365Row>(url, pageSize, signal);
    const items = await map(page.value);
    const next = page.nextLink ? encode({ k: kind, next: page.nextLink, part }) : part + 1 < parts.length ? encode({ k: kind, part: part + 1 }) : null;
    return { items, next };
  }

  async function invoicesOpenByOrder(orderNumbers: string[], signal?: AbortSignal): Promise<Map<string, boolean>> {
    if (orderNumbers.length === 0) return new Map();
    const invoices = await byValues('SalesInvoiceHeadersV2', 'SalesOrderNumber', orderNumbers, ['dataAreaId', 'InvoiceNumber', 'SalesOrderNumber'], undefined, true, signal);
    const open = await byValues(openTransSet, 'Invoice', invoices.map((i) => s(i.InvoiceNumber)), ['Invoice', 'OpenAmountMST'], undefined, true, signal);
    const openInvoices = new Set(open.filter((o) => dec(toDecimal((o.OpenAmountMST as number) ?? 0)).gt(0)).map((o) => s(o.Invoice)));
    const out = new Map<string, boolean>();
    for (const i of invoices) out.set(s(i.SalesOrderNumber), (out.get(s(i.SalesOrderNumber)) ?? false) || openInvoices.has(s(i.InvoiceNumber)));
    return out;
  }

  const HEADER_SELECT = ['dataAreaId', 'SalesOrderNumber', 'CustomersOrderReference', 'SalesOrderStatus', 'SalesOrderProcessingStatus', 'OrderingCustomerAccountNumber'];
  const LINE_SELECT = ['dataAreaId', 'SalesOrderNumber', 'LineNumber', 'ItemNumber', 'OrderedSalesQuantity', 'SalesPrice', 'LineAmount', 'SalesOrderLineStatus'];

  async function statesOf(headers: D365Row[], signal?: AbortSignal): Promise<ErpOrderState[]> {
    const numbers = headers.map((h) => s(h.SalesOrderNumber));
    const [lines, open] = await Promise.all([
      byValues('SalesOrderLines', 'SalesOrderNumber', numbers, LINE_SELECT, undefined, true, signal),
      invoicesOpenByOrder(headers.filter((h) => s(h.SalesOrderStatus) === 'Invoiced').map((h) => s(h.SalesOrderNumber)), signal),
    ]);
    const linesBy = groupBy(lines, 'SalesOrderNumber');
    return headers.map((h) => mapOrderState(h, linesBy.get(s(h.SalesOrderNumber)) ?? [], open.get(s(h.SalesOrderNumber))));
  }

  const findHeaders = (externalId: string, signal?: AbortSignal) =>
    http.all<D365Row>(q('SalesOrderHeadersV2', eq('CustomersOrderReference', externalId), HEADER_SELECT), signal);

  async function submitOrder(cmd: SubmitOrder, signal?: AbortSignal): Promise<SubmitResult> {
    if (cmd.lines.length === 0) throw new ErpError('validation', 'D365: an order needs at least one line');
    const customer = keyOf(cmd.customerRef);
    const items = cmd.lines.map((l) => keyOf(l.productRef));
    const warehouse = cmd.warehouseRef ? keyOf(cmd.warehouseRef) : undefined;
    let header = (await findHeaders(cmd.externalId, signal))[0];
    let created = false;
    if (!header) {
      header = await http.create<D365Row>('SalesOrderHeadersV2', buildHeaderBody(cmd, {
        company, customer, ...(warehouse ? { warehouse } : {}), ...(cmd.priceTypeRef ? { priceGroup: keyOf(cmd.priceTypeRef) } : {}),
      }), signal);
      created = true;
      deps.logger?.info({ erp: 'd365-odata', externalId: cmd.externalId, salesOrder: s(header.SalesOrderNumber) }, 'D365 sales order header created');
    }
    const number = s(header.SalesOrderNumber);
    if (!number) throw new ErpError('transient', 'D365: SalesOrderHeadersV2 answered without SalesOrderNumber');
    // Header first, then each missing line in order: a submit cut short between them resumes here.
    const existing = new Set((await byValues('SalesOrderLines', 'SalesOrderNumber', [number], ['LineNumber'], undefined, true, signal)).map((l) => Number(l.LineNumber)));
    for (const [k, line] of cmd.lines.entries()) {
      if (existing.has(k + 1)) continue;
      await http.create('SalesOrderLines', buildLineBody(company, number, k + 1, items[k] as string, line, warehouse), signal);
      created = true;
    }
    return { state: created ? 'created' : 'already-exists', erpRef: { erpId: `${company}|${number}`, code: number }, number };
  }

  async function customerFinance(refs: ErpRef[], signal?: AbortSignal): Promise<ErpCustomerFinance[]> {
    const accounts = refs.map(keyOf);
    const { asOf, today } = readingTime(deps.now?.() ?? new Date(), deps.timeZone ?? 'Europe/Moscow');
    const [customers, open] = await Promise.all([
      byValues('CustomersV3', 'CustomerAccount', accounts, ['CustomerAccount', 'CreditLimit', 'CreditLimitIsMandatory', 'PaymentTerms', 'SalesCurrencyCode'], undefined, true, signal),
      byValues(openTransSet, 'AccountNum', accounts, ['AccountNum', 'Invoice', 'DueDate', 'OpenAmountMST'], undefined, true, signal),
    ]);
    const byAccount = new Map(customers.map((c) => [s(c.CustomerAccount), c]));
    const openBy = groupBy(open, 'AccountNum');
    return accounts.map((account) => {
      const c = byAccount.get(account);
      let debt = dec(0);
      let overdue = dec(0);
      let days = 0;
      for (const t of openBy.get(account) ?? []) {
        const amount = dec(toDecimal((t.OpenAmountMST as number | string) ?? 0));
        debt = debt.plus(amount);
        const due = s(t.DueDate).slice(0, 10);
        if (due && due < today && amount.gt(0)) {
          overdue = overdue.plus(amount);
          days = Math.max(days, Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000));
        }
      }
      const limit = c ? dec(toDecimal((c.CreditLimit as number | string) ?? 0)) : dec(0);
      const out: ErpCustomerFinance = {
        customerRef: { erpId: `${company}|${account}` },
        currency: s(c?.SalesCurrencyCode) || deps.currency || 'RUB',
        debt: toDecimal(debt, 2),
        overdue: toDecimal(overdue, 2),
        overdueDays: days,
        creditLimit: limit.gt(0) ? toDecimal(limit, 2) : null,
        creditLimitEnforced: s(c?.CreditLimitIsMandatory) === 'Yes',
        asOf,
      };
      const term = paymentDaysOf(c?.PaymentTerms);
      if (term !== undefined) out.paymentTermDays = term;
      return out;
    });
  }

  const capabilities: Capabilities = {
    catalog: 'pull',
    incremental: { products: 'snapshot', prices: 'snapshot', stock: 'snapshot', finance: 'snapshot', documents: 'modified-since', orderStates: 'snapshot' },
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
    maxConcurrency: concurrency,
  };
  const unsupported = (what: string) => () => Promise.reject(new ErpError('unsupported', `D365 F&O: ${what} is not supported`));

  return {
    kind: 'd365-odata',
    capabilities,
    async health(signal) {
      const started = Date.now();
      try {
        await http.page(v4Url('Warehouses', { crossCompany: true, filter: inCompany(), select: ['WarehouseId'], top: 1 }), 1, signal);
        return { ok: true, latencyMs: Date.now() - started };
      } catch (err) {
        return { ok: false, latencyMs: Date.now() - started, details: (err as Error).message };
      }
    },
    async productGroups(signal) {
      const rows = await http.all<D365Row>(v4Url('ProductCategories', {
        filter: deps.categoryHierarchy ? eq('ProductCategoryHierarchyName', deps.categoryHierarchy) : undefined,
        select: ['ProductCategoryHierarchyName', 'ProductCategoryName', 'ProductCategoryCode', 'ParentProductCategoryName'],
      }), signal);
      return rows.map(mapCategory);
    },
    products,
    async warehouses(signal) {
      return (await http.all<D365Row>(q('Warehouses', null, ['dataAreaId', 'WarehouseId', 'WarehouseName', 'PrimaryAddressCity', 'FormattedPrimaryAddress'], 'WarehouseId'), signal)).map(mapWarehouse);
    },
    async priceTypes(signal) {
      const rows = await http.all<D365Row>(q('PriceCustomerGroups', null, ['dataAreaId', 'GroupCode', 'GroupName'], 'GroupCode'), signal);
      return rows.map((r) => mapPriceGroup(r, deps.currency ?? 'RUB', deps.pricesIncludeTax ?? true));
    },
    async prices(query, cursor, signal) {
      const groups = query.priceTypeRefs?.length ? anyOf('PriceCustomerGroupCode', query.priceTypeRefs.map(keyOf)) : null;
      const url = q('SalesPriceAgreements', and(groups, eq('CustomerAccountNumber', '')),
        ['dataAreaId', 'ItemNumber', 'PriceCustomerGroupCode', 'Price', 'PriceCurrencyCode', 'PriceApplicableFromDate', 'SalesPriceQuantity'], 'ItemNumber,PriceCustomerGroupCode');
      return paged('prices', cursor, [url], (rows) => rows.map(mapAgreement), signal);
    },
    async stock(query, cursor, signal): Promise<Page<ErpStock>> {
      const warehouses = query.warehouseRefs?.length ? anyOf('InventoryWarehouseId', query.warehouseRefs.map(keyOf)) : null;
      const productChunks = query.productRefs?.length ? chunk(query.productRefs.map(keyOf)) : [null];
      const select = ['dataAreaId', 'ItemNumber', 'ProductConfigurationId', 'ProductColorId', 'ProductSizeId', 'ProductStyleId', 'InventoryWarehouseId',
        'OnHandQuantity', 'ReservedOnHandQuantity', 'AvailableOnHandQuantity', 'OrderedQuantity'];
      const parts = productChunks.map((items) => q('WarehousesOnHandV2', and(warehouses, items ? anyOf('ItemNumber', items) : null), select, 'ItemNumber,InventoryWarehouseId'));
      return paged('stock', cursor, parts, (rows) => rows.map(mapOnHand)
        .filter((r) => [r.onHand, r.reserved, r.available, r.expected?.qty ?? '0'].some((v) => v !== '0')), signal);
    },
    async customers(cursor, signal) {
      const url = q('CustomersV3', null, ['dataAreaId', 'CustomerAccount', 'OrganizationName', 'NameAlias', 'TaxExemptNumber', 'DiscountPriceGroupId'], 'CustomerAccount');
      return paged('customers', cursor, [url], (rows) => rows.map(mapCustomer), signal);
    },
    customerFinance,
    async documents(query, cursor, signal): Promise<Page<ErpDocument>> {
      const url = q('SalesInvoiceHeadersV2', and(
        query.customerRef ? eq('InvoiceCustomerAccountNumber', keyOf(query.customerRef)) : null,
        `InvoiceDate ge ${dateTimeLit(query.from)}`,
        `InvoiceDate le ${dateTimeLit(query.to)}`,
      ), ['dataAreaId', 'InvoiceNumber', 'InvoiceDate', 'InvoiceCustomerAccountNumber', 'SalesOrderNumber', 'TotalInvoiceAmount', 'CurrencyCode'], 'InvoiceDate,InvoiceNumber');
      return paged('documents', cursor, [url], async (rows) => {
        const headers = await byValues('SalesOrderHeadersV2', 'SalesOrderNumber', rows.map((r) => s(r.SalesOrderNumber)), ['SalesOrderNumber', 'CustomersOrderReference'], undefined, true, signal);
        const ext = new Map(headers.map((h) => [s(h.SalesOrderNumber), s(h.CustomersOrderReference) || null]));
        return rows.map((r) => mapInvoice(r, ext));
      }, signal);
    },
    async orderStates(query, cursor, signal) {
      // F&O exposes no change date on the header we could filter with; states are asked for by external id, or for
      // every order that carries one (`since` does not narrow it).
      const parts = query.externalIds?.length
        ? chunk(query.externalIds).map((ids) => q('SalesOrderHeadersV2', anyOf('CustomersOrderReference', ids), HEADER_SELECT, 'SalesOrderNumber'))
        : [q('SalesOrderHeadersV2', "CustomersOrderReference ne ''", HEADER_SELECT, 'SalesOrderNumber')];
      return paged('orderStates', cursor, parts, (rows) => statesOf(rows, signal), signal);
    },
    async findByExternalId(kind, externalId, signal) {
      if (kind !== 'order') throw new ErpError('unsupported', 'D365 F&O: claims are not supported');
      const headers = await findHeaders(externalId, signal);
      if (!headers[0]) return null;
      return (await statesOf([headers[0]], signal))[0] ?? null;
    },
    submitOrder,
    postOrder: unsupported('posting an order (confirmation is an F&O process)'),
    submitClaim: unsupported('claims'),
    documentFile: unsupported('printed forms'),
  };
}
