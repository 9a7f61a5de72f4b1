import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErpError, isErpError,
  type Capabilities, type Cursor, type ErpConnector, type ErpDocument, type ErpDocumentKind, type ErpOrderStatus,
  type ErpProduct, type ErpRef, type Page, type SubmitOrder,
} from '../../server/erp/port.js';
import { sniffContentType } from '../../server/erp/file-type.js';
import { addDecimals, compareDecimals, isDecimalString, multiplyDecimals } from '../../server/lib/decimal.js';
import {
  renderProductPicture, toErpProduct,
  type CatCustomer, type CatDocument, type CatGroup, type CatPriceType, type CatProduct, type CatWarehouse,
  type ErpFaults, type GeneratedCatalog,
} from '../../sandbox/erp/catalog/index.js';

/**
 * The ErpConnector contract battery (DESIGN.md §7: one suite, every adapter). A runner file per adapter starts that
 * adapter's emulator (in-process, port 0, a catalog of a few hundred SKUs) and calls
 * `runErpConnectorBattery(name, setup)`. The battery checks the adapter's answers against the generated catalog the
 * emulator serves, its idempotent order submission, its error classification under injected faults, and that its
 * capability flags tell the truth: an operation a flag denies must throw ErpError 'unsupported'; an operation that
 * throws 'unsupported' must be denied by its flag.
 *
 * Cursor contract it relies on: a caller keeps the last non-null `next` it was given and starts the next run from it.
 * So an incremental adapter ends a pass with a page whose `next` (the resume point: a watermark, a version map…)
 * leads to a page with nothing new and `next: null`; a snapshot adapter just ends with `next: null`.
 */

/** An order as the emulator holds it, seen from the ERP side (not through the adapter). */
export interface EmulatedOrder {
  erpId: string;
  number: string;
  externalId: string;
  posted: boolean;
  /** The ERP's own status word (1C «Статус», D365 SalesOrderStatus). */
  rawStatus: string;
  /** How many ERP documents carry this external id: idempotency means exactly 1. */
  copies: number;
  lines: Array<{ productId: string; qty: string; price: string }>;
}

export interface ErpEmulatorHandle {
  catalog: GeneratedCatalog;
  faults: ErpFaults;
  findOrderByExternalId(externalId: string): Promise<EmulatedOrder | null> | EmulatedOrder | null;
  /** Moves the order as the ERP's users would (approval, reservation, shipment with its documents, closing). */
  setOrderStatus(externalId: string, status: ErpOrderStatus): Promise<void> | void;
  /** Changes a product inside the ERP (new version), for incremental pulls. Optional. */
  updateProduct?(index: number, patch: { name?: string; deleted?: boolean }): Promise<void> | void;
  close(): Promise<void>;
}

/** How this ERP keys the catalog's objects, when not by the catalog GUIDs (1C Ref_Key, CommerceML Ид). */
export interface BatteryIds {
  product?(p: CatProduct): string;
  group?(g: CatGroup): string;
  warehouse?(w: CatWarehouse): string;
  priceType?(t: CatPriceType): string;
  customer?(c: CatCustomer): string;
  document?(d: CatDocument): string;
  /** The ERP id an order of the catalog has (for documents' orderRef). */
  order?(orderRef: string): string;
}

export type ProductField = 'sku' | 'name' | 'fullName' | 'groupRef' | 'brand' | 'barcodes' | 'baseUnit' | 'packUnits' | 'properties'
  | 'analogRefs' | 'pictures' | 'description' | 'vatRate' | 'deleted';

export interface ErpBatteryOptions {
  ids?: BatteryIds;
  /** Product fields this ERP carries and the battery compares one by one (default: all of ProductField). */
  productFields?: readonly ProductField[];
  /** Whether stock rows carry expected arrivals (default true). */
  stockExpected?: boolean;
  /** Whether the ERP keeps reserves (default true); without them reserved is 0 and available equals on hand (БП 3.0). */
  stockReserve?: boolean;
  /** Whether customers carry КПП (default true; D365 CustomersV3 has no such field). */
  customerKpp?: boolean;
  /** Which kind a catalog document has in this ERP, or null when the ERP does not report it (default: same kind). */
  documentKind?(d: CatDocument): ErpDocumentKind | null;
  /** Statuses the emulator moves an order through and the normalized status the adapter must then report. */
  orderStatuses?: Array<{ set: ErpOrderStatus; expect: ErpOrderStatus }>;
  /** How pictures are named: the catalog's file names (default), or keys of the ERP's own (1C: attached file refs). */
  pictureKeys?: 'file-names' | 'erp-keys';
  /** A cheap read that must fail under transport faults (default: warehouses()). */
  probe?(connector: ErpConnector): Promise<unknown>;
}

export interface ErpBatterySetup {
  connector: ErpConnector;
  emulator: ErpEmulatorHandle;
  options?: ErpBatteryOptions;
  teardown(): Promise<void>;
}

const ALL_PRODUCT_FIELDS: readonly ProductField[] = [
  'sku', 'name', 'fullName', 'groupRef', 'brand', 'barcodes', 'baseUnit', 'packUnits', 'properties', 'analogRefs', 'pictures',
  'description', 'vatRate', 'deleted',
];

const DEFAULT_STATUSES: Array<{ set: ErpOrderStatus; expect: ErpOrderStatus }> = [
  { set: 'confirmed', expect: 'confirmed' },
  { set: 'in_fulfilment', expect: 'in_fulfilment' },
  { set: 'shipped', expect: 'shipped' },
  { set: 'closed', expect: 'closed' },
];

/** Pages through a cursor-paged call to its end (next = null), with a guard against adapters that never end. */
export async function drain<T>(call: (c: Cursor | null) => Promise<Page<T>>, maxPages = 10_000): Promise<{ items: T[]; pages: number; last: Cursor | null }> {
  const items: T[] = [];
  let cursor: Cursor | null = null;
  let last: Cursor | null = null;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page: Page<T> = await call(cursor);
    items.push(...page.items);
    if (!page.next) return { items, pages, last };
    expect(typeof page.next.token).toBe('string');
    last = page.next;
    cursor = page.next;
  }
  throw new Error(`no end after ${maxPages} pages`);
}

/** Resolves with the ErpError a call rejects with (fails the test if it resolves or throws something else). */
export async function erpErrorOf(call: () => Promise<unknown> | unknown): Promise<ErpError> {
  try {
    await call();
  } catch (err) {
    if (isErpError(err)) return err;
    throw new Error(`expected an ErpError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail with an ErpError, but it succeeded');
}

/** Runs `call`; when the adapter says 'unsupported', checks that `flag` denies it and returns undefined. */
async function supported<T>(flag: boolean, what: string, call: () => Promise<T>): Promise<T | undefined> {
  if (!flag) {
    const err = await erpErrorOf(call);
    expect(err.kind, `${what} is denied by capabilities, so it must throw 'unsupported'`).toBe('unsupported');
    return undefined;
  }
  try {
    return await call();
  } catch (err) {
    if (isErpError(err) && err.kind === 'unsupported') throw new Error(`${what} threw 'unsupported' but capabilities claim it`, { cause: err });
    throw err;
  }
}

const byId = <T>(items: T[], id: (t: T) => string) => new Map(items.map((t) => [id(t), t]));
const sortedIds = (refs: Array<ErpRef | null | undefined> | undefined) => (refs ?? []).map((r) => r?.erpId ?? '').sort();
const day = (iso: string) => iso.slice(0, 10);

function sampleIndexes(count: number, n: number): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  const step = count / n;
  return Array.from({ length: n }, (_, i) => Math.min(count - 1, Math.floor(i * step + step / 2)));
}

export function runErpConnectorBattery(name: string, setup: () => Promise<ErpBatterySetup>): void {
  describe(`ErpConnector contract: ${name}`, () => {
    let s: ErpBatterySetup;
    let connector: ErpConnector;
    let cat: GeneratedCatalog;
    let caps: Capabilities;
    let o: Required<Pick<ErpBatteryOptions, 'productFields' | 'stockExpected' | 'orderStatuses'>> & ErpBatteryOptions;
    const ids = {
      product: (p: CatProduct) => o.ids?.product?.(p) ?? p.ref,
      productAt: (i: number) => (o.ids?.product ? o.ids.product(cat.product(i)) : cat.productRef(i)),
      group: (g: CatGroup) => o.ids?.group?.(g) ?? g.ref,
      warehouse: (w: CatWarehouse) => o.ids?.warehouse?.(w) ?? w.ref,
      priceType: (t: CatPriceType) => o.ids?.priceType?.(t) ?? t.ref,
      customer: (c: CatCustomer) => o.ids?.customer?.(c) ?? c.ref,
      document: (d: CatDocument) => o.ids?.document?.(d) ?? d.ref,
      order: (ref: string) => o.ids?.order?.(ref) ?? ref,
    };
    const groupByRef = () => new Map(cat.groups.map((g) => [g.ref, g]));
    const warehouseByRef = () => new Map(cat.warehouses.map((w) => [w.ref, w]));
    const priceTypeByRef = () => new Map(cat.priceTypes.map((t) => [t.ref, t]));
    const probe = () => (o.probe ? o.probe(connector) : connector.warehouses());

    beforeAll(async () => {
      s = await setup();
      connector = s.connector;
      cat = s.emulator.catalog;
      caps = connector.capabilities;
      o = { productFields: ALL_PRODUCT_FIELDS, stockExpected: true, orderStatuses: DEFAULT_STATUSES, ...s.options };
    });
    afterAll(async () => {
      s?.emulator.faults.clear();
      await s?.teardown();
    });

    /** A command for a fresh order of a dealer, priced by the dealer's price type. */
    function orderCommand(customer: CatCustomer, externalId: string): SubmitOrder {
      const lines = [];
      for (let i = 0; lines.length < 2 && i < cat.productCount; i++) {
        const p = cat.product((customer.index * 37 + i * 11) % cat.productCount);
        if (p.deleted) continue;
        const price = cat.pricesOf(p.index).find((x) => x.priceTypeRef === customer.priceTypeRef) ?? cat.pricesOf(p.index)[0];
        lines.push({ productRef: { erpId: ids.product(p) }, qty: String(lines.length + 2), price: price?.price ?? '0.00' });
      }
      const warehouse = cat.warehouses[0] as CatWarehouse;
      const priceType = cat.priceTypes.find((t) => t.ref === customer.priceTypeRef) as CatPriceType;
      return {
        externalId,
        number: `DH-${externalId.slice(0, 8).toUpperCase()}`,
        customerRef: { erpId: ids.customer(customer) },
        warehouseRef: { erpId: ids.warehouse(warehouse) },
        priceTypeRef: { erpId: ids.priceType(priceType) },
        currency: 'RUB',
        desiredDate: cat.asOf.slice(0, 10),
        comment: 'battery',
        lines,
        post: true,
      };
    }

    it('when health is asked, then the ERP answers ok with a latency', async () => {
      const h = await connector.health();
      expect(h.ok).toBe(true);
      expect(h.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('when capabilities are read, then they are complete and plausible', () => {
      expect(['pull', 'inbound', 'none']).toContain(caps.catalog);
      for (const k of ['products', 'prices', 'stock', 'finance', 'documents', 'orderStates'] as const) {
        expect(['change-keys', 'modified-since', 'version-compare', 'snapshot', 'none']).toContain(caps.incremental[k]);
      }
      expect(caps.maxConcurrency).toBeGreaterThanOrEqual(1);
      if (caps.postOrder) expect(caps.createOrder).toBe(true);
      if (caps.creditLimits) expect(caps.finance).toBe(true);
    });

    it('when product groups are read, then they are the catalog tree', async () => {
      const groups = await supported(caps.catalog === 'pull', 'productGroups', () => connector.productGroups());
      if (!groups) return;
      expect(groups).toHaveLength(cat.groups.length);
      const got = byId(groups, (g) => g.ref.erpId);
      const refs = groupByRef();
      for (const g of cat.groups) {
        const a = got.get(ids.group(g));
        expect(a, g.name).toBeDefined();
        expect(a?.name).toBe(g.name);
        const parent = g.parentRef ? refs.get(g.parentRef) : undefined;
        expect(a?.parentRef?.erpId ?? null).toBe(parent ? ids.group(parent) : null);
      }
    });

    it('when products are paged to the end, then they are exactly the catalog, sampled field by field', async () => {
      const run = await supported(caps.catalog === 'pull', 'products', () => drain((c) => connector.products(c)));
      if (!run) return;
      const got = byId(run.items, (p) => p.ref.erpId);
      expect(got.size, 'no duplicates across pages').toBe(run.items.length);
      expect(run.items).toHaveLength(cat.productCount);
      for (const i of sampleIndexes(cat.productCount, 40)) {
        const p = cat.product(i);
        const actual = got.get(ids.product(p));
        expect(actual, `product ${p.sku}`).toBeDefined();
        compareProduct(actual as ErpProduct, p);
      }
      expect(run.items.filter((p) => p.deleted).length).toBe([...cat.products()].filter((p) => p.deleted).length);
    });

    function compareProduct(actual: ErpProduct, p: CatProduct) {
      const e = toErpProduct(cat, p);
      const refs = groupByRef();
      const label = (f: string) => `${p.sku}.${f}`;
      for (const f of o.productFields) {
        switch (f) {
          case 'groupRef':
            expect(actual.groupRef?.erpId, label(f)).toBe(ids.group(refs.get(p.groupRef) as CatGroup));
            break;
          case 'analogRefs':
            expect(sortedIds(actual.analogRefs), label(f)).toEqual(p.analogRefs.map((r) => ids.productAt(cat.productIndexOf(r) ?? 0)).sort());
            break;
          case 'baseUnit':
            expect(actual.baseUnit.name, label(f)).toBe(e.baseUnit.name);
            expect(actual.baseUnit.ratio, label(f)).toBe('1');
            if (actual.baseUnit.code !== undefined) expect(actual.baseUnit.code, label(f)).toBe(e.baseUnit.code);
            break;
          case 'packUnits':
            expect((actual.packUnits ?? []).map((u) => u.ratio).sort(), label(f)).toEqual(p.packs.map((k) => k.ratio).sort());
            for (const u of actual.packUnits ?? []) expect(isDecimalString(u.ratio)).toBe(true);
            break;
          case 'properties':
            expect((actual.properties ?? []).map((x) => `${x.name}=${x.value}`).sort(), label(f)).toEqual(p.properties.map((x) => `${x.name}=${x.value}`).sort());
            break;
          case 'pictures':
            if (o.pictureKeys === 'erp-keys') expect((actual.pictures ?? []).length, label(f)).toBe(p.pictures.length);
            else expect([...(actual.pictures ?? [])].sort(), label(f)).toEqual([...p.pictures].sort());
            break;
          case 'barcodes':
            expect([...(actual[f] ?? [])].sort(), label(f)).toEqual([...(e[f] ?? [])].sort());
            break;
          case 'vatRate':
            expect(actual.vatRate === undefined ? undefined : compareDecimals(actual.vatRate, e.vatRate ?? '0'), label(f)).toBe(0);
            break;
          default:
            expect(actual[f], label(f)).toEqual(e[f]);
        }
      }
    }

    it('when a product has pictures, then productPicture gives the very image the ERP keeps, main picture first', async () => {
      if (caps.catalog !== 'pull' || !caps.productPictures || !connector.productPicture) return;
      const page = await connector.products(null);
      const withPictures = page.items.filter((x) => (x.pictures ?? []).length > 1).slice(0, 2);
      expect(withPictures.length).toBeGreaterThan(0);
      for (const item of withPictures) {
        const product = [...cat.products()].find((x) => ids.productAt(x.index) === item.ref.erpId);
        if (!product) throw new Error(`the pull gave a product the catalog lacks: ${item.ref.erpId}`);
        const keys = item.pictures ?? [];
        for (const [k, key] of keys.entries()) {
          const file = await connector.productPicture(key);
          expect(file.contentType, key).toBe('image/png');
          expect(Buffer.from(file.bytes).equals(renderProductPicture(product.sku, product.kind, k)), `${product.sku} picture ${k}`).toBe(true);
        }
      }
      expect((await erpErrorOf(() => (connector.productPicture as NonNullable<ErpConnector['productPicture']>)(`${randomUUID()}.png`))).kind).toBe('not-found');
    });

    it('when a product changes in the ERP, then the next pull from the saved cursor brings the change', async () => {
      if (caps.catalog !== 'pull' || !s.emulator.updateProduct) return;
      const first = await drain((c) => connector.products(c));
      const i = Math.floor(cat.productCount / 3);
      const newName = `${cat.product(i).name} (обновлено ${randomUUID().slice(0, 6)})`;
      await s.emulator.updateProduct(i, { name: newName });
      const incremental = caps.incremental.products !== 'snapshot' && caps.incremental.products !== 'none';
      const again = await drain((c) => connector.products(c ?? (incremental ? first.last : null)));
      const changed = again.items.find((p) => p.ref.erpId === ids.productAt(i));
      expect(changed?.name).toBe(newName);
      if (incremental) expect(again.items.length, 'an incremental pull brings only what changed').toBeLessThan(cat.productCount / 2);
      await s.emulator.updateProduct(i, { name: cat.product(i).name });
    });

    it('when warehouses are read, then they are the catalog warehouses', async () => {
      const list = await supported(caps.stock || caps.catalog === 'pull', 'warehouses', () => connector.warehouses());
      if (!list) return;
      expect(list).toHaveLength(cat.warehouses.length);
      const got = byId(list, (w) => w.ref.erpId);
      for (const w of cat.warehouses) expect(got.get(ids.warehouse(w))?.name).toBe(w.name);
    });

    it('when price types are read, then they are the catalog price types with currency and VAT mode', async () => {
      const list = await supported(caps.prices, 'priceTypes', () => connector.priceTypes());
      if (!list) return;
      expect(list).toHaveLength(cat.priceTypes.length);
      const got = byId(list, (t) => t.ref.erpId);
      for (const t of cat.priceTypes) {
        expect(got.get(ids.priceType(t)), t.name).toMatchObject({ name: t.name, currency: t.currency, vatIncluded: t.vatIncluded });
      }
    });

    it('when prices are paged for every type and for one type, then each catalog price comes back as a decimal string', async () => {
      const all = await supported(caps.prices, 'prices', () => drain((c) => connector.prices({}, c)));
      if (!all) return;
      expect(all.items).toHaveLength(cat.productCount * cat.priceTypes.length);
      const key = (productId: string, typeId: string) => `${productId}|${typeId}`;
      const got = byId(all.items, (p) => key(p.productRef.erpId, p.priceTypeRef.erpId));
      expect(got.size).toBe(all.items.length);
      for (const i of sampleIndexes(cat.productCount, 30)) {
        for (const pr of cat.pricesOf(i)) {
          const t = priceTypeByRef().get(pr.priceTypeRef) as CatPriceType;
          const a = got.get(key(ids.productAt(i), ids.priceType(t)));
          expect(a, `price of #${i} ${t.name}`).toBeDefined();
          expect(isDecimalString(a?.price)).toBe(true);
          expect(compareDecimals(a?.price ?? '0', pr.price)).toBe(0);
          expect(a?.currency).toBe(pr.currency);
        }
      }
      const dealer = cat.priceTypes.find((t) => t.dealerTier) ?? (cat.priceTypes[0] as CatPriceType);
      const one = await drain((c) => connector.prices({ priceTypeRefs: [{ erpId: ids.priceType(dealer) }] }, c));
      expect(one.items).toHaveLength(cat.productCount);
      expect(new Set(one.items.map((p) => p.priceTypeRef.erpId))).toEqual(new Set([ids.priceType(dealer)]));
    });

    it('when a stock snapshot is taken, then every warehouse row matches on hand, reserved and available', async () => {
      const snap = await supported(caps.stock, 'stock', () => drain((c) => connector.stock({}, c)));
      if (!snap) return;
      const whs = warehouseByRef();
      const key = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;
      const expected = new Map([...cat.stock()].map((r) => [key(ids.productAt(r.productIndex), ids.warehouse(whs.get(r.warehouseRef) as CatWarehouse)), r]));
      // An ERP balance table leaves out all-zero rows; an adapter may also report zero rows: those must be zero.
      const got = new Map<string, (typeof snap.items)[number]>();
      for (const r of snap.items) {
        const k = key(r.productRef.erpId, r.warehouseRef.erpId);
        expect(got.has(k), `duplicate stock row ${k}`).toBe(false);
        got.set(k, r);
        for (const v of [r.onHand, r.reserved, r.available]) expect(isDecimalString(v)).toBe(true);
        if (!expected.has(k)) expect([r.onHand, r.reserved, r.available].every((v) => compareDecimals(v, '0') === 0), k).toBe(true);
      }
      for (const [k, e] of expected) {
        const a = got.get(k);
        if (!a && e.onHand === '0' && e.reserved === '0' && !o.stockExpected) continue;
        expect(a, `stock row ${k}`).toBeDefined();
        if (o.stockReserve === false) {
          expect([compareDecimals(a?.onHand ?? '-1', e.onHand), compareDecimals(a?.reserved ?? '-1', '0'), compareDecimals(a?.available ?? '-1', e.onHand)], k).toEqual([0, 0, 0]);
        } else {
          expect([compareDecimals(a?.onHand ?? '-1', e.onHand), compareDecimals(a?.reserved ?? '-1', e.reserved), compareDecimals(a?.available ?? '-1', e.available)], k).toEqual([0, 0, 0]);
        }
        if (o.stockExpected && e.expected) expect(compareDecimals(a?.expected?.qty ?? '-1', e.expected.qty), `${k} expected`).toBe(0);
      }
      const w = cat.warehouses[cat.warehouses.length - 1] as CatWarehouse;
      const one = await drain((c) => connector.stock({ warehouseRefs: [{ erpId: ids.warehouse(w) }] }, c));
      expect(one.items.length).toBeGreaterThan(0);
      expect(new Set(one.items.map((r) => r.warehouseRef.erpId))).toEqual(new Set([ids.warehouse(w)]));
      const someProduct = [...expected.values()][0];
      if (someProduct) {
        const pid = ids.productAt(someProduct.productIndex);
        const forProduct = await drain((c) => connector.stock({ productRefs: [{ erpId: pid }] }, c));
        expect(forProduct.items.length).toBeGreaterThan(0);
        expect(new Set(forProduct.items.map((r) => r.productRef.erpId))).toEqual(new Set([pid]));
      }
    });

    it('when customers are paged, then they are the dealers with ИНН/КПП and their price type', async () => {
      const run = await supported(caps.finance || caps.catalog === 'pull', 'customers', () => drain((c) => connector.customers(c)));
      if (!run) return;
      expect(run.items).toHaveLength(cat.customers.length);
      const got = byId(run.items, (c) => c.ref.erpId);
      const types = priceTypeByRef();
      for (const c of cat.customers) {
        const a = got.get(ids.customer(c));
        expect(a, c.name).toBeDefined();
        expect(a?.name).toBe(c.name);
        expect(a?.inn).toBe(c.inn);
        if (o.customerKpp !== false) expect(a?.kpp ?? null).toBe(c.kpp);
        expect(a?.priceTypeRef?.erpId).toBe(ids.priceType(types.get(c.priceTypeRef) as CatPriceType));
      }
    });

    it('when finance is asked for several dealers, then debt, overdue, credit limit and enforcement match', async () => {
      const pick = [...cat.customers].sort((a, b) => a.index - b.index).slice(0, 6);
      const list = await supported(caps.finance, 'customerFinance', () => connector.customerFinance(pick.map((c) => ({ erpId: ids.customer(c) }))));
      if (!list) return;
      expect(list).toHaveLength(pick.length);
      const got = byId(list, (f) => f.customerRef.erpId);
      for (const c of pick) {
        const e = cat.finance[c.index];
        const a = got.get(ids.customer(c));
        expect(a, c.name).toBeDefined();
        if (!a || !e) continue;
        expect(compareDecimals(a.debt, e.debt), `${c.name} debt ${a.debt} vs ${e.debt}`).toBe(0);
        expect(compareDecimals(a.overdue, e.overdue), `${c.name} overdue ${a.overdue} vs ${e.overdue}`).toBe(0);
        if (a.overdueDays !== undefined) expect(a.overdueDays).toBe(e.overdueDays);
        if (caps.creditLimits) {
          expect(a.creditLimit == null ? null : compareDecimals(a.creditLimit, e.creditLimit ?? '-1') === 0 ? 'same' : a.creditLimit).toBe(e.creditLimit === null ? null : 'same');
          expect(a.creditLimitEnforced).toBe(e.creditLimitEnforced);
        }
        if (a.paymentTermDays !== undefined) expect(a.paymentTermDays).toBe(e.paymentTermDays);
        expect(a.currency).toBe('RUB');
        for (const v of [a.debt, a.overdue]) expect(isDecimalString(v)).toBe(true);
      }
      expect(list.some((f) => compareDecimals(f.debt, '0') > 0) || cat.finance.slice(0, 6).every((f) => f.debt === '0.00')).toBe(true);
    });

    it('when documents of a dealer are asked for a date window, then exactly the documents inside it come back', async () => {
      const kindOf = (d: CatDocument) => (o.documentKind ? o.documentKind(d) : d.kind);
      const counts = new Map<string, number>();
      for (const d of cat.documents) if (kindOf(d)) counts.set(d.customerRef, (counts.get(d.customerRef) ?? 0) + 1);
      const customer = [...cat.customers].sort((a, b) => (counts.get(b.ref) ?? 0) - (counts.get(a.ref) ?? 0))[0] as CatCustomer;
      const docs = cat.documents.filter((d) => d.customerRef === customer.ref && kindOf(d)).sort((a, b) => a.date.localeCompare(b.date));
      const from = day(docs[0]?.date ?? cat.asOf);
      const to = day(docs[Math.max(0, Math.floor(docs.length / 2))]?.date ?? cat.asOf);
      const q = { customerRef: { erpId: ids.customer(customer) }, from: `${from}T00:00:00`, to: `${to}T23:59:59` };
      const run = await supported(caps.documents, 'documents', () => drain((c) => connector.documents(q, c)));
      if (!run) return;
      const inWindow = docs.filter((d) => day(d.date) >= from && day(d.date) <= to);
      expect(inWindow.length).toBeGreaterThan(0);
      const got = byId(run.items, (d) => d.ref.erpId);
      expect(run.items.map((d) => d.ref.erpId).sort()).toEqual(inWindow.map((d) => ids.document(d)).sort());
      for (const d of inWindow) {
        const a = got.get(ids.document(d)) as ErpDocument;
        expect(a, d.number).toBeDefined();
        expect(a.kind).toBe(kindOf(d));
        expect(day(a.date)).toBe(day(d.date));
        expect(compareDecimals(a.amount, d.amount)).toBe(0);
        expect(a.customerRef.erpId).toBe(ids.customer(customer));
        expect(a.orderRef?.erpId).toBe(ids.order(d.orderRef));
        expect(a.currency).toBe('RUB');
      }
      if (caps.documentFiles && connector.documentFile) {
        // The documents' files: each one said to have a file gives real bytes of a type a browser can show.
        const withFile = run.items.filter((d) => d.hasFile);
        expect(withFile.length).toBeGreaterThan(0);
        for (const d of withFile.slice(0, 3)) {
          const file = await connector.documentFile(d.ref);
          expect(file.bytes.length, d.number).toBeGreaterThan(100);
          expect(sniffContentType(file.bytes), d.number).toBe(file.contentType);
          expect(file.fileName).toMatch(/\.\w+$/);
        }
        expect((await erpErrorOf(() => (connector.documentFile as NonNullable<ErpConnector['documentFile']>)({ erpId: randomUUID() }))).kind).toBe('not-found');
      }
      // Another dealer's window holds none of this dealer's documents.
      const other = cat.customers.find((c) => c.ref !== customer.ref);
      if (other) {
        const theirs = await drain((c) => connector.documents({ ...q, customerRef: { erpId: ids.customer(other) } }, c));
        expect(theirs.items.every((d) => d.customerRef.erpId === ids.customer(other))).toBe(true);
      }
    });

    it('when the same order is submitted twice, then the ERP holds one document and the second answer is already-exists', async () => {
      const customer = cat.customers[0] as CatCustomer;
      const cmd = orderCommand(customer, randomUUID());
      const first = await supported(caps.createOrder, 'submitOrder', () => connector.submitOrder(cmd));
      if (!first) return;
      expect(first.state).toBe(caps.postOrder ? 'posted' : 'created');
      const second = await connector.submitOrder(cmd);
      expect(second.state).toBe('already-exists');
      expect(second.erpRef.erpId).toBe(first.erpRef.erpId);
      const inErp = await s.emulator.findOrderByExternalId(cmd.externalId);
      expect(inErp?.copies).toBe(1);
      expect(inErp?.erpId).toBe(first.erpRef.erpId);
      expect(inErp?.posted).toBe(caps.postOrder);
      expect(inErp?.lines.map((l) => [l.productId, compareDecimals(l.qty, '0') > 0 ? l.qty : 'bad'])).toEqual(
        cmd.lines.map((l) => [l.productRef.erpId, l.qty]),
      );
      for (const [k, l] of (inErp?.lines ?? []).entries()) expect(compareDecimals(l.price, cmd.lines[k]?.price ?? '0')).toBe(0);
    });

    it('when an order is looked up by external id, then it is found with its state; an unknown id gives null', async () => {
      const cmd = orderCommand(cat.customers[1] ?? (cat.customers[0] as CatCustomer), randomUUID());
      const created = await supported(caps.createOrder, 'submitOrder', () => connector.submitOrder(cmd));
      if (!created) {
        const err = await erpErrorOf(() => connector.findByExternalId('order', randomUUID()));
        expect(err.kind).toBe('unsupported');
        return;
      }
      const found = await connector.findByExternalId('order', cmd.externalId);
      expect(found?.erpRef.erpId).toBe(created.erpRef.erpId);
      expect(found?.externalId).toBe(cmd.externalId);
      expect(found?.posted).toBe(caps.postOrder);
      expect(found?.number).toBeTruthy();
      if (found?.total !== undefined) {
        const sum = addDecimals(cmd.lines.map((l) => multiplyDecimals(l.qty, l.price)));
        expect(compareDecimals(found.total, sum)).toBe(0);
      }
      expect(await connector.findByExternalId('order', randomUUID())).toBeNull();
    });

    it('when the ERP moves an order through its statuses, then order states follow', async () => {
      if (!caps.createOrder || caps.incremental.orderStates === 'none') {
        const err = await erpErrorOf(() => connector.orderStates({ externalIds: [randomUUID()] }, null));
        expect(err.kind).toBe('unsupported');
        return;
      }
      const cmd = orderCommand(cat.customers[2] ?? (cat.customers[0] as CatCustomer), randomUUID());
      const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
      await connector.submitOrder(cmd);
      for (const step of o.orderStatuses) {
        await s.emulator.setOrderStatus(cmd.externalId, step.set);
        const run = await drain((c) => connector.orderStates({ externalIds: [cmd.externalId] }, c));
        expect(run.items, step.set).toHaveLength(1);
        expect(run.items[0]?.status, `after the ERP set ${step.set}`).toBe(step.expect);
        expect(run.items[0]?.rawStatus).toBeTruthy();
        expect(run.items[0]?.externalId).toBe(cmd.externalId);
      }
      const recent = await drain((c) => connector.orderStates({ since }, c));
      expect(recent.items.some((x) => x.externalId === cmd.externalId)).toBe(true);
    });

    it('when the ERP is down, then reads fail as transient and health reports not ok', async () => {
      const off = s.emulator.faults.inject({ kind: 'down' });
      try {
        expect((await erpErrorOf(probe)).kind).toBe('transient');
        expect((await connector.health()).ok).toBe(false);
      } finally {
        off();
      }
      const off503 = s.emulator.faults.inject({ kind: 'down', how: '503' });
      try {
        expect((await erpErrorOf(probe)).kind).toBe('transient');
      } finally {
        off503();
      }
      await probe();
    });

    it('when the ERP answers 429 with Retry-After, then the error is rate-limited with retryAfterMs', async () => {
      const off = s.emulator.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 7 });
      try {
        const err = await erpErrorOf(probe);
        expect(err.kind).toBe('rate-limited');
        expect(err.retryAfterMs).toBe(7000);
        expect(err.retryable).toBe(true);
      } finally {
        off();
      }
    });

    it('when credentials are rejected, then the error is auth and not retryable', async () => {
      const off = s.emulator.faults.inject({ kind: 'auth' });
      try {
        const err = await erpErrorOf(probe);
        expect(err.kind).toBe('auth');
        expect(err.retryable).toBe(false);
      } finally {
        off();
      }
    });

    it('when the ERP is slow, then the call still succeeds and health measures the latency', async () => {
      const off = s.emulator.faults.inject({ kind: 'slow', delayMs: 120 });
      try {
        const h = await connector.health();
        expect(h.ok).toBe(true);
        expect(h.latencyMs).toBeGreaterThanOrEqual(100);
      } finally {
        off();
      }
    });

    it('when the ERP rejects an order on business grounds, then the error is validation; after the fix a retry completes it once', async () => {
      if (!caps.createOrder) return;
      const cmd = orderCommand(cat.customers[3] ?? (cat.customers[0] as CatCustomer), randomUUID());
      const off = s.emulator.faults.inject({ kind: 'validation', message: 'Недостаточно свободного остатка на складе' });
      let err: ErpError;
      try {
        err = await erpErrorOf(() => connector.submitOrder(cmd));
      } finally {
        off();
      }
      expect(err.kind).toBe('validation');
      expect(err.retryable).toBe(false);
      expect(err.message).toContain('Недостаточно');
      const retry = await connector.submitOrder(cmd);
      expect(['created', 'posted', 'already-exists']).toContain(retry.state);
      const inErp = await s.emulator.findOrderByExternalId(cmd.externalId);
      expect(inErp?.copies).toBe(1);
      expect(inErp?.posted).toBe(caps.postOrder);
    });

    it('when an operation is not in the capabilities, then it throws unsupported', async () => {
      const checks: Array<[boolean, string, () => Promise<unknown>]> = [
        [caps.documentFiles, 'documentFile', () => (connector.documentFile ? connector.documentFile({ erpId: randomUUID() }) : Promise.reject(new ErpError('unsupported', 'absent')))],
        [caps.claims, 'submitClaim', () => (connector.submitClaim
          ? connector.submitClaim({ externalId: randomUUID(), number: 'C-1', customerRef: { erpId: 'x' }, productRef: { erpId: 'x' }, defect: 'x', lines: [] })
          : Promise.reject(new ErpError('unsupported', 'absent')))],
        [caps.postOrder, 'postOrder', () => (connector.postOrder ? connector.postOrder({ erpId: randomUUID() }) : Promise.reject(new ErpError('unsupported', 'absent')))],
      ];
      for (const [flag, what, call] of checks) {
        if (flag) continue;
        const err = await erpErrorOf(call);
        expect(err.kind, what).toBe('unsupported');
      }
      if (!caps.creditLimits && caps.finance) {
        const [f] = await connector.customerFinance([{ erpId: ids.customer(cat.customers[0] as CatCustomer) }]);
        expect(f?.creditLimit ?? null).toBeNull();
      }
    });
  });
}
