import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { dec, toDecimal } from '../../lib/decimal.js';
import {
  ErpError,
  type Capabilities, type Cursor, type ErpConnector, type ErpCustomer, type ErpCustomerFinance, type ErpDocument, type ErpFile, type ErpOrderState,
  type ErpPrice, type ErpProduct, type ErpRef, type ErpStock, type ErpUnit, type Page, type SubmitOrder, type SubmitResult,
} from '../port.js';
import { contentTypeOf } from '../file-type.js';
import { mapLimit } from './map-limit.js';
import { and, anyGuid, chunk, dateLit, eq, fnArgs, guidLit, isGuid, keyPath, strLit } from './odata-query.js';
import { createOnecHttpClient } from './onec-http-client.js';
import {
  buildOrderBody, currencyOf, decimalOf, externalIdFromComment, externalIdMarker, mapCustomer, mapDocument, mapGroup, mapOrderState, mapPack,
  mapPrice, mapPriceType, mapProduct, mapStockBalance, mapUnit, mapWarehouse, pickAgreement, refOf, saleKindOf, str, type OnecRow,
} from './onec-mapper.js';
import { assertOnecProfile, parseOnecMetadata } from './onec-metadata-check.js';
import { resolveOnecProfile, type OnecProfile, type OnecProfileName } from './onec-profile.js';
import { VersionMap } from './version-map.js';
import { localTimestamp, readingTime, toBaseLocal } from './local-time.js';

export { localTimestamp };

/**
 * ErpConnector over the 1C:Enterprise standard OData interface (erp-integration.md §1, §5).
 *
 * - Catalog: `$top/$skip` pages with a stable `$orderby=Ref_Key`; incremental by DataVersion compare: the cursor
 *   carries a key→version hash map, a later pull scans `Ref_Key,DataVersion` and fetches only changed keys, ≤ 20 per
 *   `or` filter. A pass ends with a resume cursor whose next call finds nothing new and answers `next: null`.
 * - Prices, stock, debts: register virtual tables (SliceLast, Balance) as snapshots.
 * - Documents: a date window on `Date`. Order states: our orders, found by the external-id marker.
 * - Orders: the external id (our UUID) is stored in «Комментарий» as `[DealerHub:<uuid>]` and searched with
 *   `substringof`; Number stays 1C's own sequence and «НомерПоДаннымКлиента» carries our human number. Submission is
 *   find → POST (inline Товары with LineNumber) → `/Post`; a document created but not posted (crash, or a posting
 *   refusal) is posted on the next submit instead of being created again.
 */

export interface OnecOdataConnectorDeps {
  /** …/<base>/odata/standard.odata */
  baseUrl: string;
  user: string;
  password: string;
  profile: OnecProfileName | (Partial<OnecProfile> & { base?: OnecProfileName });
  logger?: Logger;
  http?: AxiosInstance;
  timeoutMs?: number;
  /** Items per page of products, prices, stock, customers, documents (default 500). */
  pageSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** The base's local time zone: 1C dates carry none (default Europe/Moscow). */
  timeZone?: string;
  now?: () => Date;
  /** Organization for new orders when the customer's agreement names none. */
  organizationRef?: string;
  /** Check the profile against $metadata before the first call (default true). */
  checkMetadata?: boolean;
  /** How long dictionaries (units, brands, currencies…) are reused (default 5 min). */
  dictionaryTtlMs?: number;
}

type Cur<K extends string, T> = T & { k: K };
type ProductsCursor = Cur<'products', { p: 'full'; skip: number; pass: string; t?: number } | { p: 'delta'; m: string; q?: string[] }>;
type SkipCursor<K extends string> = Cur<K, { skip: number; part?: number }>;
type StockCursor = Cur<'stock', { pass: string; slice: number; phase: 'free' | 'incoming'; skip: number }>;

const encode = (c: object): Cursor => ({ token: JSON.stringify(c) });

function decode<T extends { k: string }>(cursor: Cursor, kind: T['k']): T {
  let c: T;
  try {
    c = JSON.parse(cursor.token) as T;
  } catch {
    throw new ErpError('validation', `1C OData: the ${kind} cursor is not valid JSON`);
  }
  if (c?.k !== kind) throw new ErpError('validation', `1C OData: the cursor belongs to "${String(c?.k)}", not to ${kind}`);
  return c;
}

const daysBetween = (from: string, to: string) => Math.floor((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);

export function createOnecOdataConnector(deps: OnecOdataConnectorDeps): ErpConnector {
  const p = resolveOnecProfile(deps.profile);
  // Every request goes through one limiter so parallel side-table reads never flood a 1C web server.
  const http = createOnecHttpClient({
    baseUrl: deps.baseUrl, user: deps.user, password: deps.password, timeoutMs: deps.timeoutMs, logger: deps.logger, http: deps.http,
    concurrency: deps.concurrency ?? 4,
  });

  const pageSize = deps.pageSize ?? 500;
  const conc = deps.concurrency ?? 4;
  const timeZone = deps.timeZone ?? 'Europe/Moscow';
  const now = () => localTimestamp(deps.now?.() ?? new Date(), timeZone);
  const ttl = deps.dictionaryTtlMs ?? 300_000;

  // ---- start-up check against $metadata (memoized on success, retried after a failure)
  let metadataReady: Promise<void> | null = null;
  const ready = (signal?: AbortSignal): Promise<void> => {
    if (deps.checkMetadata === false) return Promise.resolve();
    metadataReady ??= (async () => {
      const xml = await http.text('$metadata', signal);
      assertOnecProfile(p, parseOnecMetadata(xml));
    })().catch((err: unknown) => {
      metadataReady = null;
      throw err;
    });
    return metadataReady;
  };

  // ---- dictionaries reused for a while
  const dictCache = new Map<string, { at: number; value: Promise<unknown> }>();
  function dict<T>(name: string, load: () => Promise<T>): Promise<T> {
    const hit = dictCache.get(name);
    if (hit && Date.now() - hit.at < ttl) return hit.value as Promise<T>;
    const value = load().catch((err: unknown) => {
      dictCache.delete(name);
      throw err;
    });
    dictCache.set(name, { at: Date.now(), value });
    return value;
  }
  const refMap = async (set: string, pick: (r: OnecRow) => string, signal?: AbortSignal) => {
    const rows = await http.listAll<OnecRow>(set, { orderby: 'Ref_Key' }, 1000, signal);
    return new Map(rows.map((r) => [str(r.Ref_Key).toLowerCase(), pick(r)]));
  };
  const currencies = (signal?: AbortSignal) => dict('currencies', () => refMap(p.currencies.set, (r) => currencyOf(r.Code, r.Description), signal));
  const units = (signal?: AbortSignal) => dict('units', async () => {
    const rows = await http.listAll<OnecRow>(p.units.set, { orderby: 'Ref_Key' }, 1000, signal);
    return new Map<string, ErpUnit>(rows.map((r) => {
      const { ownerRef: _owner, ...u } = mapUnit(r);
      return [str(r.Ref_Key).toLowerCase(), { ...u, ratio: '1' }];
    }));
  });
  const brands = (signal?: AbortSignal) => (p.brands ? dict('brands', () => refMap((p.brands as { set: string }).set, (r) => str(r.Description), signal)) : Promise.resolve(new Map<string, string>()));
  const propertyNames = (signal?: AbortSignal) => (p.propertyNames
    ? dict('propertyNames', () => refMap((p.propertyNames as { set: string; title: string }).set, (r) => str(r[(p.propertyNames as { title: string }).title]) || str(r.Description), signal))
    : Promise.resolve(new Map<string, string>()));
  const priceTypeRows = (signal?: AbortSignal) => dict('priceTypes', () => http.listAll<OnecRow>(p.priceTypes.set, {
    filter: p.priceTypes.hierarchical ? 'IsFolder eq false and DeletionMark eq false' : 'DeletionMark eq false', orderby: 'Ref_Key',
  }, 1000, signal));

  /** Rows of `set` whose `field` is one of `ids`, ≤ 20 ids per request. */
  async function byRefs(set: string, field: string, ids: string[], extra?: { filter?: string; select?: string[]; castTo?: string }, signal?: AbortSignal): Promise<OnecRow[]> {
    const unique = [...new Set(ids.filter((id) => isGuid(id)).map((id) => id.toLowerCase()))];
    const pages = await mapLimit(chunk(unique, 20), conc, (part) => http.list<OnecRow>(set, {
      filter: and(anyGuid(field, part, extra?.castTo), extra?.filter), ...(extra?.select ? { select: extra.select } : {}),
    }, signal));
    return pages.flat();
  }

  const groupBy = (rows: OnecRow[], field: string) => {
    const m = new Map<string, OnecRow[]>();
    for (const r of rows) {
      const k = str(r[field]).toLowerCase();
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };

  // ---- products
  const productSelect = [
    'Ref_Key', 'DataVersion', 'DeletionMark', 'Code', 'Description', 'Parent_Key', p.products.sku, p.products.fullName, p.products.unit,
    p.products.brand, p.products.vat, p.products.description, p.products.properties, p.pictures?.main,
  ].filter((f): f is string => !!f);

  async function completeProducts(rows: OnecRow[], signal?: AbortSignal): Promise<ErpProduct[]> {
    if (rows.length === 0) return [];
    const refs = rows.map((r) => str(r.Ref_Key));
    const [u, b, names, packs, barcodes, pictures, analogs] = await Promise.all([
      units(signal), brands(signal), propertyNames(signal),
      p.packs ? byRefs(p.packs.set, p.packs.owner, refs, { castTo: p.products.set, filter: 'DeletionMark eq false' }, signal) : Promise.resolve(null),
      p.barcodes ? byRefs(p.barcodes.set, p.barcodes.product, refs, {}, signal) : Promise.resolve(null),
      p.pictures ? byRefs(p.pictures.set, p.pictures.owner, refs, { filter: 'DeletionMark eq false' }, signal) : Promise.resolve(null),
      p.analogs ? byRefs(p.analogs.set, p.analogs.product, refs, {}, signal) : Promise.resolve(null),
    ]);
    const packsBy = packs && groupBy(packs, p.packs?.owner ?? 'Owner');
    const barcodesBy = barcodes && groupBy(barcodes, p.barcodes?.product ?? '');
    const picturesBy = pictures && groupBy(pictures, p.pictures?.owner ?? '');
    const analogsBy = analogs && groupBy(analogs, p.analogs?.product ?? '');
    return rows.map((row) => {
      const key = str(row.Ref_Key).toLowerCase();
      return mapProduct(row, p, {
        units: u,
        brands: b,
        propertyNames: names,
        ...(packsBy ? { packs: (packsBy.get(key) ?? []).map((r) => {
          const { ownerRef: _o, ...unit } = mapPack(r, p);
          return unit;
        }) } : {}),
        ...(barcodesBy ? { barcodes: (barcodesBy.get(key) ?? []).map((r) => str(r[p.barcodes?.barcode ?? ''])).filter(Boolean) } : {}),
        ...(picturesBy ? { pictures: pictureKeys(picturesBy.get(key) ?? [], p.pictures?.main ? str(row[p.pictures.main]) : '') } : {}),
        ...(analogsBy ? { analogs: (analogsBy.get(key) ?? []).map((r) => refOf(r[p.analogs?.analog ?? ''])).filter((x): x is ErpRef => !!x) } : {}),
      });
    });
  }

  /** A product's picture keys, «Ref_Key.ext» of each attached file, the product's main picture first. */
  function pictureKeys(files: OnecRow[], main: string): string[] {
    const ext = p.pictures?.extension ?? '';
    const isMain = (r: OnecRow) => str(r.Ref_Key).toLowerCase() === main.toLowerCase();
    return [...files.filter(isMain), ...files.filter((r) => !isMain(r))]
      .map((r) => (str(r[ext]) ? `${str(r.Ref_Key).toLowerCase()}.${str(r[ext]).toLowerCase()}` : str(r.Ref_Key).toLowerCase()));
  }

  const fullPasses = new Map<string, VersionMap>();

  async function products(cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpProduct>> {
    await ready(signal);
    const set = p.products.set;
    const c: ProductsCursor = cursor ? decode<ProductsCursor>(cursor, 'products') : { k: 'products', p: 'full', skip: 0, pass: randomUUID() };
    if (c.p === 'full') {
      // The versions delivered so far stay in memory during a full pass (a cursor per page would copy a growing map
      // every time); if the process restarted mid-pass the map lacks the earlier pages and the next delta refetches them.
      const map = fullPasses.get(c.pass) ?? new VersionMap();
      const total = c.skip === 0 ? await http.count(set, 'IsFolder eq false', signal) : c.t;
      const rows = await http.list<OnecRow>(set, { filter: 'IsFolder eq false', orderby: 'Ref_Key', top: pageSize, skip: c.skip, select: productSelect }, signal);
      const items = await completeProducts(rows, signal);
      for (const r of rows) map.set(str(r.Ref_Key), str(r.DataVersion));
      let next: ProductsCursor;
      if (rows.length < pageSize) {
        next = { k: 'products', p: 'delta', m: map.encode() };
        fullPasses.delete(c.pass);
      } else {
        next = { k: 'products', p: 'full', skip: c.skip + rows.length, pass: c.pass, ...(total === undefined ? {} : { t: total }) };
        fullPasses.set(c.pass, map);
        if (fullPasses.size > 4) fullPasses.delete(fullPasses.keys().next().value as string);
      }
      return { items, next: encode(next), ...(total === undefined ? {} : { total }) };
    }
    const map = VersionMap.decode(c.m);
    let queue = c.q;
    let base = map;
    if (!queue) {
      const keys = await http.listAll<OnecRow>(set, { filter: 'IsFolder eq false', orderby: 'Ref_Key', select: ['Ref_Key', 'DataVersion'] }, 5000, signal);
      base = new VersionMap();
      queue = [];
      for (const k of keys) {
        const ref = str(k.Ref_Key);
        if (map.changed(ref, str(k.DataVersion))) queue.push(ref);
        else base.set(ref, str(k.DataVersion));
      }
      if (queue.length === 0) return { items: [], next: null };
    }
    const take = queue.slice(0, pageSize);
    const rest = queue.slice(pageSize);
    const rows = await byRefs(set, 'Ref_Key', take, { select: productSelect }, signal);
    const items = await completeProducts(rows, signal);
    for (const r of rows) base.set(str(r.Ref_Key), str(r.DataVersion));
    return { items, next: encode({ k: 'products', p: 'delta', m: base.encode(), ...(rest.length ? { q: rest } : {}) } satisfies ProductsCursor) };
  }

  // ---- stock: free balance + goods to receive, merged per (product, warehouse)
  const stockPasses = new Map<string, { slice: number; incoming: Map<string, string>; seen: Set<string>; trusted: boolean }>();

  async function stock(q: { warehouseRefs?: ErpRef[]; productRefs?: ErpRef[] }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpStock>> {
    await ready(signal);
    if (p.stock.mode === 'accounting') return stockFromLedger(q, cursor, signal);
    const s = p.stock;
    const productSlices = q.productRefs?.length ? chunk(q.productRefs.map((r) => r.erpId), 20) : [null];
    const c: StockCursor = cursor ? decode<StockCursor>(cursor, 'stock') : { k: 'stock', pass: randomUUID(), slice: 0, phase: 'free', skip: 0 };
    const slice = productSlices[c.slice];
    if (slice === undefined) return { items: [], next: null };
    const condition = and(
      q.warehouseRefs?.length ? anyGuid(`${s.warehouse}_Key`, q.warehouseRefs.map((r) => r.erpId)) : null,
      slice ? anyGuid(`${s.product}_Key`, slice) : null,
    );
    const dims = `${s.product},${s.warehouse}`;
    const pair = (r: OnecRow) => `${str(r[`${s.product}_Key`]).toLowerCase()}|${str(r[`${s.warehouse}_Key`]).toLowerCase()}`;
    let pass = stockPasses.get(c.pass);
    if (!pass || pass.slice !== c.slice) {
      const incoming = new Map<string, string>();
      if (s.incoming) {
        const rows = await http.listAll<OnecRow>(`${s.incoming.register}/Balance(${fnArgs({ Dimensions: dims, Condition: condition })})`, { orderby: `${s.product}_Key,${s.warehouse}_Key` }, 5000, signal);
        for (const r of rows) {
          const qty = decimalOf(r[`${s.incoming.qty}Balance`]);
          if (dec(qty).gt(0)) incoming.set(pair(r), qty);
        }
      }
      pass = { slice: c.slice, incoming, seen: new Set(), trusted: c.phase === 'free' && c.skip === 0 };
      stockPasses.set(c.pass, pass);
      if (stockPasses.size > 16) stockPasses.delete(stockPasses.keys().next().value as string);
    }
    const nextSlice = (): Cursor | null => (c.slice + 1 < productSlices.length ? encode({ ...c, slice: c.slice + 1, phase: 'free', skip: 0 }) : null);
    if (c.phase === 'free') {
      const rows = await http.list<OnecRow>(`${s.free}/Balance(${fnArgs({ Dimensions: dims, Condition: condition })})`, {
        orderby: `${s.product}_Key,${s.warehouse}_Key`, top: pageSize, skip: c.skip,
      }, signal);
      const items = rows.map((r) => {
        const item = mapStockBalance(r, s);
        const key = pair(r);
        pass.seen.add(key);
        const expected = pass.incoming.get(key);
        return expected ? { ...item, expected: { qty: expected } } : item;
      });
      const next = rows.length < pageSize ? encode({ ...c, phase: 'incoming', skip: 0 }) : encode({ ...c, skip: c.skip + rows.length });
      return { items, next };
    }
    const entries = [...pass.incoming.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const page = entries.slice(c.skip, c.skip + pageSize);
    let present = pass.seen;
    if (!pass.trusted && page.length > 0) {
      // The pass cache was lost mid-pass (restart): ask the free register which of these pairs it already listed.
      const ids = [...new Set(page.map(([k]) => k.split('|')[0] as string))];
      const rows = (await mapLimit(chunk(ids, 20), conc, (part) => http.list<OnecRow>(`${s.free}/Balance(${fnArgs({ Dimensions: dims, Condition: and(condition, anyGuid(`${s.product}_Key`, part)) })})`, {}, signal))).flat();
      present = new Set(rows.map(pair));
    }
    const items: ErpStock[] = page.filter(([k]) => !present.has(k)).map(([k, qty]) => {
      const [productId, warehouseId] = k.split('|') as [string, string];
      return { productRef: { erpId: productId }, warehouseRef: { erpId: warehouseId }, onHand: '0', reserved: '0', available: '0', expected: { qty } };
    });
    const next = c.skip + pageSize < entries.length ? encode({ ...c, skip: c.skip + pageSize }) : nextSlice();
    if (!next) stockPasses.delete(c.pass);
    return { items, next };
  }

  /** ChartOfAccounts refs of the given account codes (41.01, 62.01…), looked up once. */
  const accountRefs = (chart: string, codes: string[], signal?: AbortSignal) => dict(`accounts:${chart}:${codes.join(',')}`, async () => {
    const rows = await http.list<OnecRow>(chart, { filter: codes.map((c) => eq('Code', strLit(c))).join(' or '), select: ['Ref_Key', 'Code'] }, signal);
    const missing = codes.filter((c) => !rows.some((r) => str(r.Code) === c));
    if (missing.length) throw new ErpError('validation', `1C OData: accounts ${missing.join(', ')} are not in ${chart}`);
    return rows.map((r) => str(r.Ref_Key).toLowerCase());
  });

  /** БП: quantity balances of 41.xx by Номенклатура (ExtDimension1) and Склад (ExtDimension3); no reserves in БП. */
  async function stockFromLedger(q: { warehouseRefs?: ErpRef[]; productRefs?: ErpRef[] }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpStock>> {
    const s = p.stock;
    if (s.mode !== 'accounting') throw new ErpError('unsupported', 'not an accounting profile');
    const accounts = await accountRefs(s.chart, s.accounts, signal);
    const productSlices = q.productRefs?.length ? chunk(q.productRefs.map((r) => r.erpId), 20) : [null];
    const c: StockCursor = cursor ? decode<StockCursor>(cursor, 'stock') : { k: 'stock', pass: '', slice: 0, phase: 'free', skip: 0 };
    const slice = productSlices[c.slice];
    if (slice === undefined) return { items: [], next: null };
    const rows = await http.list<OnecRow>(`${s.register}/Balance()`, {
      filter: and(
        anyGuid('Account_Key', accounts),
        q.warehouseRefs?.length ? anyGuid(s.warehouseDim, q.warehouseRefs.map((r) => r.erpId), 'Catalog_Склады') : null,
        slice ? anyGuid(s.productDim, slice, p.products.set) : null,
      ),
      orderby: `${s.productDim},${s.warehouseDim}`, top: pageSize, skip: c.skip,
    }, signal);
    const items: ErpStock[] = rows
      .filter((r) => str(r[`${s.productDim}_Type`]).endsWith(p.products.set) && refOf(r[s.productDim]) && refOf(r[s.warehouseDim]))
      .map((r) => {
        const qty = decimalOf(r[`${s.qty}Balance`]);
        return { productRef: refOf(r[s.productDim]) as ErpRef, warehouseRef: refOf(r[s.warehouseDim]) as ErpRef, onHand: qty, reserved: '0', available: dec(qty).isNegative() ? '0' : qty };
      });
    const next = rows.length === pageSize ? encode({ ...c, skip: c.skip + rows.length })
      : c.slice + 1 < productSlices.length ? encode({ ...c, slice: c.slice + 1, skip: 0 }) : null;
    return { items, next };
  }

  /** БП: debts are the 62.xx balance per Контрагент (ExtDimension1); overdue from each sale's date plus the contract's term. */
  async function financeFromLedger(ids: string[], signal?: AbortSignal): Promise<ErpCustomerFinance[]> {
    const f = p.finance;
    if (f.mode !== 'accounting') throw new ErpError('unsupported', 'not an accounting profile');
    const { asOf, today } = readingTime(deps.now?.() ?? new Date(), timeZone);
    const accounts = await accountRefs(f.chart, f.accounts, signal);
    const [rows, contracts] = await Promise.all([
      byRefs(`${f.register}/Balance()`, f.customerDim, ids, { castTo: p.customers.mode === 'counterparties' ? p.customers.counterparties : 'Catalog_Контрагенты', filter: anyGuid('Account_Key', accounts) }, signal),
      byRefs(p.agreements.set, p.agreements.customer, ids, { filter: 'DeletionMark eq false' }, signal),
    ]);
    const saleRefs = rows.filter((r) => str(r[`${f.documentDim}_Type`]).endsWith(p.sales.set)).map((r) => str(r[f.documentDim]));
    const sales = await byRefs(p.sales.set, 'Ref_Key', saleRefs, { select: ['Ref_Key', 'Date'] }, signal);
    const saleDate = new Map(sales.map((x) => [str(x.Ref_Key).toLowerCase(), str(x.Date)]));
    const contractsBy = groupBy(contracts, p.agreements.customer);
    return ids.map((id) => {
      const contract = pickAgreement(contractsBy.get(id) ?? [], p);
      const term = p.agreements.paymentTerm && contract ? Number(contract[p.agreements.paymentTerm]) : NaN;
      let debt = dec(0);
      let overdue = dec(0);
      let days = 0;
      for (const r of rows.filter((x) => str(x[f.customerDim]).toLowerCase() === id)) {
        const amount = dec(decimalOf(r[`${f.amount}Balance`]));
        debt = debt.plus(amount);
        const date = saleDate.get(str(r[f.documentDim]).toLowerCase());
        if (!date || !Number.isFinite(term) || !amount.gt(0)) continue;
        const due = new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + term * 86_400_000).toISOString().slice(0, 10);
        if (due < today) {
          overdue = overdue.plus(amount);
          days = Math.max(days, daysBetween(due, today));
        }
      }
      const limitValue = contract ? dec(decimalOf(contract[p.agreements.creditLimit])) : dec(0);
      const out: ErpCustomerFinance = {
        customerRef: { erpId: id }, currency: 'RUB', debt: toDecimal(debt, 2), overdue: toDecimal(overdue, 2), overdueDays: days,
        creditLimit: limitValue.gt(0) ? toDecimal(limitValue, 2) : null, creditLimitEnforced: contract?.[p.agreements.enforced] === true, asOf,
      };
      if (Number.isFinite(term)) out.paymentTermDays = term;
      return out;
    });
  }

  // ---- customers and finance
  async function customers(cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpCustomer>> {
    await ready(signal);
    const c = cursor ? decode<SkipCursor<'customers'>>(cursor, 'customers') : { k: 'customers' as const, skip: 0 };
    const cs = p.customers;
    const a = p.agreements;
    if (cs.mode === 'partners') {
      const rows = await http.list<OnecRow>(cs.partners, {
        filter: and(cs.isClient ? eq(cs.isClient, 'true') : null, 'IsFolder eq false', 'DeletionMark eq false'), orderby: 'Ref_Key', top: pageSize, skip: c.skip,
        select: ['Ref_Key', 'Code', 'Description'],
      }, signal);
      const refs = rows.map((r) => str(r.Ref_Key));
      const [parties, agreements] = await Promise.all([
        byRefs(cs.counterparties, cs.counterpartyPartner, refs, { filter: 'DeletionMark eq false' }, signal),
        byRefs(a.set, a.customer, refs, { filter: 'DeletionMark eq false' }, signal),
      ]);
      const partiesBy = groupBy(parties, cs.counterpartyPartner);
      const agreementsBy = groupBy(agreements, a.customer);
      const items = rows.map((r) => {
        const key = str(r.Ref_Key).toLowerCase();
        return mapCustomer(r, partiesBy.get(key)?.[0], pickAgreement(agreementsBy.get(key) ?? [], p), p);
      });
      return { items, next: rows.length < pageSize ? null : encode({ k: 'customers', skip: c.skip + rows.length }) };
    }
    const rows = await http.list<OnecRow>(cs.counterparties, {
      filter: and('IsFolder eq false', 'DeletionMark eq false', cs.isBuyer ? eq(cs.isBuyer, 'true') : null), orderby: 'Ref_Key', top: pageSize, skip: c.skip,
    }, signal);
    const agreements = await byRefs(a.set, a.customer, rows.map((r) => str(r.Ref_Key)), { filter: 'DeletionMark eq false' }, signal);
    const agreementsBy = groupBy(agreements, a.customer);
    const items = rows.map((r) => mapCustomer(r, r, pickAgreement(agreementsBy.get(str(r.Ref_Key).toLowerCase()) ?? [], p), p));
    return { items, next: rows.length < pageSize ? null : encode({ k: 'customers', skip: c.skip + rows.length }) };
  }

  async function customerFinance(refs: ErpRef[], signal?: AbortSignal): Promise<ErpCustomerFinance[]> {
    await ready(signal);
    const f = p.finance;
    const ids = refs.map((r) => r.erpId.toLowerCase());
    if (f.mode !== 'registers') return financeFromLedger(ids, signal);
    const { asOf, today } = readingTime(deps.now?.() ?? new Date(), timeZone);
    const [keys, agreements] = await Promise.all([
      byRefs(f.keys, f.keyPartner, ids, { select: ['Ref_Key', f.keyPartner] }, signal),
      byRefs(p.agreements.set, p.agreements.customer, ids, { filter: 'DeletionMark eq false' }, signal),
    ]);
    const partnerOfKey = new Map(keys.map((k) => [str(k.Ref_Key).toLowerCase(), str(k[f.keyPartner]).toLowerCase()]));
    const resource = `${f.byTerms}/Balance(${fnArgs({ Dimensions: `${f.dimension},${f.dueDate}` })})`;
    const debts = await byRefs(resource, `${f.dimension}_Key`, [...partnerOfKey.keys()], {}, signal);
    const agreementsBy = groupBy(agreements, p.agreements.customer);
    const totals = new Map<string, { debt: ReturnType<typeof dec>; overdue: ReturnType<typeof dec>; days: number }>();
    for (const row of debts) {
      const partner = partnerOfKey.get(str(row[`${f.dimension}_Key`]).toLowerCase());
      if (!partner) continue;
      const t = totals.get(partner) ?? { debt: dec(0), overdue: dec(0), days: 0 };
      const amount = dec(decimalOf(row[`${f.debt}Balance`]));
      t.debt = t.debt.plus(amount);
      const due = str(row[f.dueDate]);
      if (due && !due.startsWith('0001') && due.slice(0, 10) < today && amount.gt(0)) {
        t.overdue = t.overdue.plus(amount);
        t.days = Math.max(t.days, daysBetween(due, today));
      }
      totals.set(partner, t);
    }
    return ids.map((id) => {
      const t = totals.get(id);
      const agreement = pickAgreement(agreementsBy.get(id) ?? [], p);
      const limitValue = agreement ? dec(decimalOf(agreement[p.agreements.creditLimit])) : dec(0);
      const term = p.agreements.paymentTerm && agreement ? Number(agreement[p.agreements.paymentTerm]) : NaN;
      const out: ErpCustomerFinance = {
        customerRef: { erpId: id },
        currency: 'RUB',
        debt: toDecimal(t?.debt ?? 0, 2),
        overdue: toDecimal(t?.overdue ?? 0, 2),
        overdueDays: t?.days ?? 0,
        creditLimit: limitValue.gt(0) ? toDecimal(limitValue, 2) : null,
        creditLimitEnforced: agreement?.[p.agreements.enforced] === true,
        asOf,
      };
      if (Number.isFinite(term)) out.paymentTermDays = term;
      return out;
    });
  }

  // ---- documents
  const documentSets = () => [
    { set: p.sales.set, fields: p.sales, kindOf: (r: OnecRow) => saleKindOf(p.sales.variant ? r[p.sales.variant] : '') },
    ...(p.invoices ? [{ set: p.invoices.set, fields: p.invoices, kindOf: () => 'invoice' as const }] : []),
  ];

  async function externalIdsOfOrders(orderRefs: string[], signal?: AbortSignal): Promise<Map<string, string | null>> {
    const rows = await byRefs(p.orders.set, 'Ref_Key', orderRefs, { select: ['Ref_Key', p.orders.comment] }, signal);
    return new Map(rows.map((r) => [str(r.Ref_Key).toLowerCase(), externalIdFromComment(r[p.orders.comment])]));
  }

  async function documents(q: { customerRef?: ErpRef; from: string; to: string }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpDocument>> {
    await ready(signal);
    const c = cursor ? decode<SkipCursor<'documents'>>(cursor, 'documents') : { k: 'documents' as const, skip: 0, part: 0 };
    const sets = documentSets();
    const part = sets[c.part ?? 0];
    if (!part) return { items: [], next: null };
    const rows = await http.list<OnecRow>(part.set, {
      filter: and(q.customerRef ? eq(part.fields.customer, guidLit(q.customerRef.erpId)) : null, `Date ge ${dateLit(toBaseLocal(q.from, timeZone))}`, `Date le ${dateLit(toBaseLocal(q.to, timeZone))}`, 'DeletionMark eq false'),
      orderby: 'Date,Ref_Key', top: pageSize, skip: c.skip,
      select: ['Ref_Key', 'Number', 'Date', 'Posted', 'Валюта_Key', part.fields.customer, part.fields.order, part.fields.orderType, part.fields.amount,
        ...('variant' in part.fields && part.fields.variant ? [part.fields.variant] : [])].filter((x): x is string => !!x),
    }, signal);
    const [cur, ext, withFiles] = await Promise.all([
      currencies(signal), externalIdsOfOrders(rows.map((r) => str(r[part.fields.order])), signal), ownersWithFiles(part.set, rows.map((r) => str(r.Ref_Key)), signal),
    ]);
    const items = rows.map((r) => ({ ...mapDocument(r, part.kindOf(r), part.fields, cur, ext), hasFile: withFiles.has(str(r.Ref_Key).toLowerCase()) }));
    const next = rows.length === pageSize ? encode({ k: 'documents', skip: c.skip + rows.length, part: c.part ?? 0 })
      : (c.part ?? 0) + 1 < sets.length ? encode({ k: 'documents', skip: 0, part: (c.part ?? 0) + 1 }) : null;
    return { items, next };
  }

  // ---- attached files (БСП): pictures of products, scans and printed forms attached to documents
  const FILE_OWNER = 'ВладелецФайла_Key';

  async function ownersWithFiles(documentSet: string, refs: string[], signal?: AbortSignal): Promise<Set<string>> {
    const catalog = p.fileData ? p.documentFiles?.[documentSet] : undefined;
    if (!catalog || refs.length === 0) return new Set();
    const rows = await byRefs(catalog, FILE_OWNER, refs, { filter: 'DeletionMark eq false', select: ['Ref_Key', FILE_OWNER] }, signal);
    return new Set(rows.map((r) => str(r[FILE_OWNER]).toLowerCase()));
  }

  /** The bytes of an attached file of `catalog`: its card says where it is kept, the binary-data register holds it. */
  async function attachedFile(catalog: string, card: OnecRow, signal?: AbortSignal): Promise<ErpFile> {
    const fd = p.fileData;
    if (!fd) throw new ErpError('unsupported', `1C OData: profile "${p.id}" names no register of file data`);
    const ref = str(card.Ref_Key).toLowerCase();
    const extension = str(card.Расширение ?? card[p.pictures?.extension ?? '']);
    const fileName = extension ? `${str(card.Description) || ref}.${extension}` : str(card.Description) || ref;
    if (fd.storage && str(card[fd.storage]) === 'ВТомахНаДиске') {
      throw new ErpError('unsupported', `1C OData: the file "${fileName}" is kept in a file volume, which OData does not serve; store it in the infobase or publish an HTTP service`, { erpCode: 'file-in-volume' });
    }
    const row = await http.get<OnecRow>(`${fd.register}(${fnArgs({ [fd.file]: ref, [`${fd.file}_Type`]: `StandardODATA.${catalog}` })})`, { select: [`${fd.data}_Base64Data`] }, signal);
    // 1C wraps base64 at 76 characters with CRLF; Buffer.from ignores neither, so the breaks go first.
    const bytes = Buffer.from(str(row[`${fd.data}_Base64Data`]).replace(/[\r\n\s]/g, ''), 'base64');
    if (bytes.length === 0) throw new ErpError('not-found', `1C OData: the file "${fileName}" has no data in ${fd.register}`);
    return { bytes, fileName, contentType: contentTypeOf(bytes, fileName) };
  }

  async function fileCard(catalog: string, ref: string, signal?: AbortSignal): Promise<OnecRow> {
    return http.get<OnecRow>(`${catalog}(guid'${ref}')`, {}, signal);
  }

  async function productPicture(key: string, signal?: AbortSignal): Promise<ErpFile> {
    const ref = key.split('.')[0] ?? '';
    if (!p.pictures || !p.fileData) throw new ErpError('unsupported', `1C OData: profile "${p.id}" reads no product pictures`);
    if (!isGuid(ref)) throw new ErpError('validation', `1C OData: "${key}" is not a picture key of this connector`);
    await ready(signal);
    const card = await fileCard(p.pictures.set, ref.toLowerCase(), signal);
    return attachedFile(p.pictures.set, card, signal);
  }

  /** A document's file: the first attached file not marked for deletion, a PDF before anything else. */
  async function documentFile(docRef: ErpRef, signal?: AbortSignal): Promise<ErpFile> {
    if (!p.fileData || !p.documentFiles) throw new ErpError('unsupported', `1C OData: profile "${p.id}" reads no document files`);
    if (!isGuid(docRef.erpId)) throw new ErpError('validation', `1C OData: "${docRef.erpId}" is not a document reference`);
    await ready(signal);
    for (const catalog of Object.values(p.documentFiles)) {
      const cards = await http.list<OnecRow>(catalog, { filter: and(eq(FILE_OWNER, guidLit(docRef.erpId)), 'DeletionMark eq false'), orderby: 'Ref_Key' }, signal);
      const card = cards.find((c) => str(c.Расширение).toLowerCase() === 'pdf') ?? cards[0];
      if (card) return attachedFile(catalog, card, signal);
    }
    throw new ErpError('not-found', `1C OData: no file is attached to the document ${docRef.code ?? docRef.erpId}`);
  }

  // ---- orders
  const orderSelect = ['Ref_Key', 'Number', 'Date', 'Posted', 'DeletionMark', p.orders.comment, p.orders.amount, p.orders.lines, p.orders.status].filter((x): x is string => !!x);

  async function shippedOrders(rows: OnecRow[], signal?: AbortSignal): Promise<Set<string>> {
    const open = rows.filter((r) => !p.orders.status || ['КОбеспечению', 'КОтгрузке'].includes(str(r[p.orders.status])));
    if (open.length === 0) return new Set();
    const sales = await byRefs(p.sales.set, p.sales.order, open.map((r) => str(r.Ref_Key)), {
      filter: 'Posted eq true', select: ['Ref_Key', p.sales.order], ...(p.sales.orderType ? { castTo: p.orders.set } : {}),
    }, signal);
    return new Set(sales.map((s) => str(s[p.sales.order]).toLowerCase()));
  }

  async function toStates(rows: OnecRow[], signal?: AbortSignal): Promise<ErpOrderState[]> {
    const shipped = await shippedOrders(rows, signal);
    return rows.map((r) => mapOrderState(r, p, shipped.has(str(r.Ref_Key).toLowerCase()), externalIdFromComment(r[p.orders.comment])));
  }

  const markerFilter = (id: string) => `substringof(${strLit(externalIdMarker(id))}, ${p.orders.comment})`;

  async function findOrderRows(externalId: string, signal?: AbortSignal): Promise<OnecRow[]> {
    const rows = await http.list<OnecRow>(p.orders.set, { filter: and(markerFilter(externalId), 'DeletionMark eq false'), orderby: 'Date,Ref_Key', select: orderSelect }, signal);
    // substringof is a LIKE: confirm the marker really is ours.
    return rows.filter((r) => externalIdFromComment(r[p.orders.comment]) === externalId.toLowerCase());
  }

  async function orderStates(q: { since?: string; externalIds?: string[] }, cursor: Cursor | null, signal?: AbortSignal): Promise<Page<ErpOrderState>> {
    await ready(signal);
    const c = cursor ? decode<SkipCursor<'orderStates'>>(cursor, 'orderStates') : { k: 'orderStates' as const, skip: 0, part: 0 };
    const idChunks = q.externalIds?.length ? chunk(q.externalIds, 20) : [null];
    const ids = idChunks[c.part ?? 0];
    if (ids === undefined) return { items: [], next: null };
    const rows = await http.list<OnecRow>(p.orders.set, {
      filter: and(
        ids ? ids.map(markerFilter).join(' or ') : `substringof(${strLit('[DealerHub:')}, ${p.orders.comment})`,
        q.since ? `Date ge ${dateLit(toBaseLocal(q.since, timeZone))}` : null,
      ),
      orderby: 'Date,Ref_Key', top: pageSize, skip: c.skip, select: orderSelect,
    }, signal);
    const items = (await toStates(rows, signal)).filter((s) => s.externalId && (!ids || ids.map((x) => x.toLowerCase()).includes(s.externalId)));
    const next = rows.length === pageSize ? encode({ k: 'orderStates', skip: c.skip + rows.length, part: c.part ?? 0 })
      : (c.part ?? 0) + 1 < idChunks.length ? encode({ k: 'orderStates', skip: 0, part: (c.part ?? 0) + 1 }) : null;
    return { items, next };
  }

  async function findByExternalId(kind: 'order' | 'claim', externalId: string, signal?: AbortSignal): Promise<ErpOrderState | null> {
    if (kind !== 'order') throw new ErpError('unsupported', '1C OData: claims are not supported through the standard interface');
    await ready(signal);
    const rows = await findOrderRows(externalId, signal);
    if (rows.length === 0) return null;
    const best = rows.find((r) => r.Posted === true) ?? (rows[0] as OnecRow);
    const [state] = await toStates([best], signal);
    return state ?? null;
  }

  async function postOrder(ref: ErpRef, signal?: AbortSignal): Promise<SubmitResult> {
    await ready(signal);
    const path = keyPath(p.orders.set, ref.erpId);
    await http.post(path, signal);
    const row = await http.get<OnecRow>(path, { select: ['Ref_Key', 'Number', 'Posted'] }, signal);
    if (row.Posted !== true) throw new ErpError('transient', `1C OData: ${p.orders.set} ${ref.erpId} is still not posted after /Post`);
    return { state: 'posted', erpRef: { erpId: ref.erpId.toLowerCase(), code: str(row.Number) }, number: str(row.Number) };
  }

  async function submitOrder(cmd: SubmitOrder, signal?: AbortSignal): Promise<SubmitResult> {
    await ready(signal);
    if (!isGuid(cmd.customerRef.erpId)) throw new ErpError('validation', `1C OData: customer ref "${cmd.customerRef.erpId}" is not a GUID`);
    if (cmd.lines.length === 0) throw new ErpError('validation', '1C OData: an order needs at least one line');
    for (const l of cmd.lines) if (!isGuid(l.productRef.erpId)) throw new ErpError('validation', `1C OData: product ref "${l.productRef.erpId}" is not a GUID`);

    const existing = (await findOrderRows(cmd.externalId, signal)).sort((a, b) => Number(b.Posted === true) - Number(a.Posted === true))[0];
    if (existing) {
      const ref = { erpId: str(existing.Ref_Key).toLowerCase(), code: str(existing.Number) };
      if (cmd.post && existing.Posted !== true) return postOrder(ref, signal);
      return { state: 'already-exists', erpRef: ref, number: str(existing.Number) };
    }

    const agreementRows = cmd.agreementRef
      ? [await http.get<OnecRow>(keyPath(p.agreements.set, cmd.agreementRef.erpId), {}, signal)]
      : await byRefs(p.agreements.set, p.agreements.customer, [cmd.customerRef.erpId], { filter: 'DeletionMark eq false' }, signal);
    const agreement = pickAgreement(agreementRows, p);
    let counterpartyRef = agreement ? refOf(agreement.Контрагент_Key)?.erpId ?? null : null;
    if (!counterpartyRef && p.customers.mode === 'partners') {
      const parties = await byRefs(p.customers.counterparties, p.customers.counterpartyPartner, [cmd.customerRef.erpId], { filter: 'DeletionMark eq false' }, signal);
      counterpartyRef = refOf(parties[0]?.Ref_Key)?.erpId ?? null;
    }
    if (p.customers.mode === 'partners' && !counterpartyRef) {
      throw new ErpError('validation', `1C OData: the customer ${cmd.customerRef.erpId} has no counterparty (Контрагент) to order for`);
    }
    const body = buildOrderBody(cmd, p, {
      date: now(),
      organizationRef: cmd.organizationRef?.erpId ?? refOf(agreement?.Организация_Key)?.erpId ?? deps.organizationRef ?? null,
      counterpartyRef,
      agreementRef: p.flavor === 'ut' ? (refOf(agreement?.Ref_Key)?.erpId ?? null) : null,
      contractRef: p.flavor === 'bp' ? (refOf(agreement?.Ref_Key)?.erpId ?? null) : null,
      currencyRef: refOf(agreement?.Валюта_Key)?.erpId ?? null,
      priceTypeRef: cmd.priceTypeRef?.erpId ?? refOf(agreement?.[p.agreements.priceType])?.erpId ?? null,
      warehouseRef: cmd.warehouseRef?.erpId ?? refOf(agreement?.Склад_Key)?.erpId ?? null,
    });
    const created = await http.create<OnecRow>(p.orders.set, body, signal);
    const ref = { erpId: str(created.Ref_Key).toLowerCase(), code: str(created.Number) };
    if (!isGuid(ref.erpId)) throw new ErpError('transient', `1C OData: POST ${p.orders.set} answered without Ref_Key`);
    deps.logger?.info({ erp: '1c-odata', externalId: cmd.externalId, ref: ref.erpId, number: ref.code }, '1C order created');
    if (!cmd.post) return { state: 'created', erpRef: ref, number: ref.code };
    return postOrder(ref, signal);
  }

  const capabilities: Capabilities = {
    catalog: 'pull',
    incremental: { products: 'version-compare', prices: 'snapshot', stock: 'snapshot', finance: 'snapshot', documents: 'modified-since', orderStates: 'snapshot' },
    stock: true,
    prices: true,
    finance: true,
    creditLimits: true,
    documents: true,
    documentFiles: !!(p.fileData && p.documentFiles),
    productPictures: !!(p.pictures && p.fileData),
    createOrder: true,
    postOrder: true,
    claims: false,
    reserve: false,
    waitingList: false,
    maxConcurrency: deps.concurrency ?? 4,
  };

  const unsupported = (what: string) => () => Promise.reject(new ErpError('unsupported', `1C OData: ${what} is not supported`));

  return {
    kind: '1c-odata',
    capabilities,
    async health(signal) {
      const started = Date.now();
      try {
        await http.get('', {}, signal);
        await ready(signal);
        return { ok: true, latencyMs: Date.now() - started };
      } catch (err) {
        return { ok: false, latencyMs: Date.now() - started, details: (err as Error).message };
      }
    },
    async productGroups(signal) {
      await ready(signal);
      const rows = await http.listAll<OnecRow>(p.products.set, {
        filter: 'IsFolder eq true and DeletionMark eq false', orderby: 'Ref_Key', select: ['Ref_Key', 'Code', 'Description', 'Parent_Key'],
      }, 1000, signal);
      return rows.map(mapGroup);
    },
    products,
    async warehouses(signal) {
      await ready(signal);
      const rows = await http.listAll<OnecRow>(p.warehouses.set, { filter: 'IsFolder eq false and DeletionMark eq false', orderby: 'Ref_Key' }, 1000, signal);
      return rows.map((r) => mapWarehouse(r, p));
    },
    async priceTypes(signal) {
      await ready(signal);
      const [rows, cur] = await Promise.all([priceTypeRows(signal), currencies(signal)]);
      return rows.map((r) => mapPriceType(r, p, cur));
    },
    async prices(q, cursor, signal): Promise<Page<ErpPrice>> {
      await ready(signal);
      const c = cursor ? decode<SkipCursor<'prices'>>(cursor, 'prices') : { k: 'prices' as const, skip: 0 };
      const condition = q.priceTypeRefs?.length ? anyGuid(p.prices.priceType, q.priceTypeRefs.map((r) => r.erpId)) : undefined;
      const [rows, types, cur] = await Promise.all([
        http.list<OnecRow>(`${p.prices.register}/SliceLast(${fnArgs({ Condition: condition })})`, {
          orderby: `${p.prices.product},${p.prices.priceType}`, top: pageSize * 2, skip: c.skip,
        }, signal),
        priceTypeRows(signal),
        currencies(signal),
      ]);
      const typeCurrency = new Map(types.map((t) => [str(t.Ref_Key).toLowerCase(), cur.get(str(t[p.priceTypes.currency]).toLowerCase()) ?? 'RUB']));
      const items = rows.map((r) => mapPrice(r, p, typeCurrency));
      return { items, next: rows.length < pageSize * 2 ? null : encode({ k: 'prices', skip: c.skip + rows.length }) };
    },
    stock,
    customers,
    customerFinance,
    documents,
    orderStates,
    findByExternalId,
    submitOrder,
    postOrder,
    submitClaim: unsupported('claims'),
    // Attached files only: printed forms are made on demand by 1C and OData cannot call them (that needs an HTTP service).
    documentFile,
    productPicture,
  };
}
