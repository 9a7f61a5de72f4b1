import type { DecimalString } from '../../../server/lib/decimal.js';
import type { ErpOrderStatus } from '../../../server/erp/port.js';
import { addDays, daysBetween, formatLocal, parseLocal } from './dates.js';
import {
  ALL_BRANDS, BRANDS, CITIES, GROUP_TREE, MODEL_SUFFIXES, PRICE_TYPES, PROPERTIES, PROPERTY_KEYS, makeCompanyName,
  type LeafSpec, type ProductKind,
} from './dictionary.js';
import { makeEan13 } from './ean13.js';
import { decimalToKop, kopToDecimal, vatIncludedKop } from './money.js';
import { Rng, hashSeed, makeGuid } from './prng.js';
import { makeInnLegal, makeInnPerson, makeKpp } from './russian-ids.js';
import type {
  CatCustomer, CatDocument, CatFinance, CatGroup, CatOrder, CatOrderLine, CatPack, CatPrice, CatPriceType, CatProduct,
  CatStock, CatWarehouse, CatalogOptions, GeneratedCatalog,
} from './catalog.types.js';

const DEFAULT_AS_OF = '2026-11-20T12:00:00';
const KIND_NAMES: Record<ProductKind, string> = {
  machine: 'Техника',
  tool: 'Инструмент',
  part: 'Запасная часть',
  consumable: 'Расходный материал',
  accessory: 'Аксессуар',
};

/**
 * Builds a deterministic, realistic catalog of a Russian garden/power-tool manufacturer (DESIGN.md §6): 3-level group
 * tree, products with articles, EAN-13 barcodes, packs, properties, analogs and pictures; warehouses in several cities;
 * price types with consistently ordered prices; stock per warehouse; dealers with agreements and credit terms; their
 * orders and documents, and the debts those documents leave.
 *
 * Products, prices and stock are produced on demand from (seed, index), so a 100 000-SKU catalog costs a few hundred
 * kilobytes until someone iterates it. Dealers, orders and documents are few and built eagerly.
 */
export function generateCatalog(input: CatalogOptions): GeneratedCatalog {
  const options: Required<CatalogOptions> = {
    seed: input.seed,
    skus: input.skus,
    warehouses: clamp(input.warehouses ?? 5, 1, CITIES.length),
    priceTypes: clamp(input.priceTypes ?? PRICE_TYPES.length, 1, PRICE_TYPES.length),
    customers: Math.max(0, input.customers ?? 12),
    ordersPerCustomer: Math.max(0, input.ordersPerCustomer ?? 6),
    asOf: input.asOf ?? DEFAULT_AS_OF,
  };
  if (!Number.isInteger(options.skus) || options.skus < 1) throw new Error(`skus must be a positive integer, got ${options.skus}`);
  const seed = String(options.seed);
  const asOf = formatLocal(parseLocal(options.asOf));
  const guid = (kind: string, i: number) => makeGuid(seed, kind, i);

  const orgRng = Rng.of(seed, 'organization');
  const organization = {
    ref: guid('organization', 0),
    name: 'ООО «МАЙ Техника»',
    inn: makeInnLegal(orgRng, '50'),
    kpp: makeKpp(orgRng, '50'),
  };
  const currency = { ref: guid('currency', 0), code: '643', name: 'руб.' };
  const units = {
    piece: { ref: guid('unit', 0), okei: '796', name: 'шт', fullName: 'Штука' },
    pack: { ref: guid('unit', 1), okei: '778', name: 'упак', fullName: 'Упаковка' },
  };
  const brands = ALL_BRANDS.map((name, i) => ({ ref: guid('brand', i), name }));
  const brandRef = new Map(brands.map((b) => [b.name, b.ref]));
  const productKinds = (Object.keys(KIND_NAMES) as ProductKind[]).map((kind, i) => ({ ref: guid('kind', i), kind, name: KIND_NAMES[kind] }));
  const kindRef = new Map(productKinds.map((k) => [k.kind, k.ref]));
  const properties = PROPERTY_KEYS.map((key, i) => ({ ref: guid('property', i), key, name: PROPERTIES[key].name }));
  const propertyRef = new Map(properties.map((p) => [p.key, p.ref]));

  // Group tree and the contiguous product range of each leaf (largest-remainder split of the SKUs by share).
  const groups: CatGroup[] = [];
  const leaves: CatGroup[] = [];
  for (const root of GROUP_TREE) {
    const r = addGroup(groups, guid, root.name, null, 1);
    for (const branch of root.branches) {
      const b = addGroup(groups, guid, branch.name, r.ref, 2);
      for (const leaf of branch.leaves) {
        const g = addGroup(groups, guid, leaf.name, b.ref, 3);
        g.leaf = leaf;
        leaves.push(g);
      }
    }
  }
  const counts = splitByShare(options.skus, leaves.map((g) => g.leaf?.share ?? 1));
  let start = 0;
  leaves.forEach((g, i) => {
    g.range = [start, start + (counts[i] ?? 0)];
    start += counts[i] ?? 0;
  });
  const leafStarts = leaves.map((g) => g.range?.[0] ?? 0);
  /** The leaf holding product #index: the last leaf whose range starts at or before it (empty leaves never win). */
  const leafOf = (index: number): CatGroup => {
    let lo = 0;
    let hi = leaves.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((leafStarts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return leaves[lo] as CatGroup;
  };

  const groupCodeBase = groups.length;
  const companyPrefix = 1000 + (hashSeed(seed, 'gs1') % 8000);
  const productRef = (index: number) => guid('product', index);
  /** Own random stream so stock and prices can skip deleted items without generating the product. */
  const isDeleted = (index: number) => Rng.of(seed, 'deleted', index).chance(0.015);
  const versionOf = (index: number) => Rng.of(seed, 'version', index).int(1, 60);

  function product(index: number): CatProduct {
    if (!Number.isInteger(index) || index < 0 || index >= options.skus) throw new RangeError(`no product #${index} in a catalog of ${options.skus}`);
    const group = leafOf(index);
    const leaf = group.leaf as LeafSpec;
    const rng = Rng.of(seed, 'product', index);
    const brand = rng.pick(BRANDS[leaf.kind]);
    const isPartLike = leaf.kind === 'part' || leaf.kind === 'consumable';
    const series = isPartLike
      ? `${rng.pick(['LM', 'BT', 'CS', 'TR', 'CL', 'ST', 'GG'])}-${rng.int(30, 99)}`
      : `${leaf.sku}-${rng.int(30, 99)}${rng.pick(MODEL_SUFFIXES)}`;
    const sku = `${leaf.sku}-${String(index + 1).padStart(6, '0')}${rng.pick(['', '', '', 'S', 'E', '/17', '-01'])}`;
    const props = leaf.props.map((key) => ({
      propertyRef: propertyRef.get(key) as string,
      key,
      name: PROPERTIES[key].name,
      value: PROPERTIES[key].gen(rng, series),
    }));
    const detail = props.find((p) => p.key === 'cutWidth' || p.key === 'powerHp' || p.key === 'powerW' || p.key === 'volume' || p.key === 'diameter');
    const detailText = detail ? `, ${detail.value} ${detail.name.split(', ')[1] ?? ''}`.trimEnd() : '';
    const name = isPartLike
      ? `${leaf.noun} ${brand} для ${series} (${sku})`
      : `${leaf.noun} ${brand} ${series}${detailText}`;
    const barcodes: string[] = [];
    const barcodeRoll = rng.next();
    if (barcodeRoll < 0.95) {
      const item = String(index % 100_000).padStart(5, '0');
      barcodes.push(makeEan13(`460${String(companyPrefix + Math.floor(index / 100_000)).padStart(4, '0')}${item}`));
      if (barcodeRoll < 0.05) barcodes.push(makeEan13(`469${rng.digits(9)}`));
    }
    const packs: CatPack[] = [];
    if (leaf.packs && rng.chance(0.7)) {
      const sizes = rng.chance(0.3) ? [6, 12] : [rng.pick([6, 12])];
      sizes.forEach((size, k) => packs.push({ ref: guid('pack', index * 2 + k), name: `упак (${size} шт)`, ratio: String(size) as DecimalString }));
    }
    const [from, to] = group.range as [number, number];
    const analogRefs: string[] = [];
    if (isPartLike && to - from > 1 && rng.chance(0.4)) {
      const n = rng.int(1, Math.min(3, to - from - 1));
      for (let k = 0; k < n; k++) {
        const j = from + ((index - from + rng.int(1, to - from - 1)) % (to - from));
        const ref = productRef(j);
        if (j !== index && !analogRefs.includes(ref)) analogRefs.push(ref);
      }
    }
    const pictureCount = isPartLike ? rng.int(0, 1) : rng.int(1, 4);
    const pictures = Array.from({ length: pictureCount }, (_, k) => `${sku.replace(/[^A-Za-z0-9-]/g, '_')}_${k + 1}.png`);
    const weight = props.find((p) => p.key === 'weight');
    return {
      index,
      ref: productRef(index),
      code: String(groupCodeBase + index + 1).padStart(11, '0'),
      sku,
      name,
      fullName: `${name} (${KIND_NAMES[leaf.kind].toLowerCase()}, ${brand})`,
      groupRef: group.ref,
      kind: leaf.kind,
      kindRef: kindRef.get(leaf.kind) as string,
      brand,
      brandRef: brandRef.get(brand) as string,
      barcodes,
      baseUnitRef: units.piece.ref,
      packs,
      properties: props,
      analogRefs,
      pictures,
      description: `${leaf.noun} ${brand} серии ${series}. ${isPartLike ? 'Оригинальная запасная часть, подходит к технике указанной серии.' : 'Гарантийное и сервисное обслуживание в дилерских центрах.'}`,
      vatRate: '20' as DecimalString,
      weightKg: (weight?.value ?? null) as DecimalString | null,
      deleted: isDeleted(index),
      versionNo: versionOf(index),
    };
  }

  const productBrief = (index: number) => ({
    ref: productRef(index),
    groupRef: leafOf(index).ref,
    deleted: isDeleted(index),
    versionNo: versionOf(index),
  });

  function* products(from = 0, to = options.skus): IterableIterator<CatProduct> {
    for (let i = Math.max(0, from); i < Math.min(to, options.skus); i++) yield product(i);
  }

  let refIndex: Map<string, number> | null = null;
  const productIndexOf = (ref: string): number | undefined => {
    if (!refIndex) {
      refIndex = new Map();
      for (let i = 0; i < options.skus; i++) refIndex.set(productRef(i), i);
    }
    return refIndex.get(ref);
  };

  const warehouses: CatWarehouse[] = CITIES.slice(0, options.warehouses).map((c, i) => ({
    index: i,
    ref: guid('warehouse', i),
    code: String(i + 1).padStart(9, '0'),
    name: i === 0 ? `Основной склад (${c.city})` : `Склад ${c.city}`,
    city: c.city,
    region: c.region,
    address: `г. ${c.city}, ${c.street}`,
  }));

  const priceTypes: CatPriceType[] = PRICE_TYPES.slice(0, options.priceTypes).map((p, i) => ({
    index: i,
    ref: guid('price-type', i),
    code: String(i + 1).padStart(9, '0'),
    name: p.name,
    ident: p.ident,
    currency: 'RUB',
    vatIncluded: true,
    discountPercent: Math.round(p.discount * 100),
    ...(p.dealerTier ? { dealerTier: p.dealerTier } : {}),
  }));

  /** Base price in kopecks: a "…90" retail-looking number inside the leaf's range. */
  const basePriceKop = (index: number): number => {
    const leaf = leafOf(index).leaf as LeafSpec;
    const r = Rng.of(seed, 'price', index);
    const raw = r.int(leaf.price[0], leaf.price[1]);
    const rub = raw >= 1000 ? Math.max(leaf.price[0], Math.round(raw / 100) * 100 - 10) : Math.max(leaf.price[0], Math.round(raw / 10) * 10 - 1);
    return rub * 100;
  };

  function pricesOf(index: number): CatPrice[] {
    const base = basePriceKop(index);
    const validFrom = addDays(asOf.slice(0, 10), -Rng.of(seed, 'price-date', index).int(5, 300)).slice(0, 10) + 'T00:00:00';
    const ref = productRef(index);
    return priceTypes.map((t) => ({
      productIndex: index,
      productRef: ref,
      priceTypeRef: t.ref,
      price: kopToDecimal(Math.floor((base * (100 - t.discountPercent)) / 100)),
      currency: t.currency,
      validFrom,
    }));
  }

  function* prices(): IterableIterator<CatPrice> {
    for (let i = 0; i < options.skus; i++) yield* pricesOf(i);
  }

  function stockOf(index: number): CatStock[] {
    const rng = Rng.of(seed, 'stock', index);
    const kind = (leafOf(index).leaf as LeafSpec).kind;
    if (isDeleted(index)) return [];
    const ref = productRef(index);
    const max = kind === 'machine' ? 40 : kind === 'tool' ? 80 : 500;
    const rows: CatStock[] = [];
    for (const w of warehouses) {
      const present = rng.chance(w.index === 0 ? 0.85 : 0.55);
      const expecting = rng.chance(0.12);
      const zero = rng.chance(0.15);
      const onHand = present && !zero ? rng.int(1, max) : 0;
      const reserved = onHand > 0 && rng.chance(0.35) ? rng.int(0, Math.ceil(onHand * 0.4)) : 0;
      const expected = expecting ? { qty: String(rng.int(5, Math.max(10, max / 2))) as DecimalString, date: addDays(asOf.slice(0, 10), rng.int(3, 45)) } : undefined;
      if (onHand === 0 && !expected) continue;
      rows.push({
        productIndex: index,
        productRef: ref,
        warehouseRef: w.ref,
        onHand: String(onHand) as DecimalString,
        reserved: String(reserved) as DecimalString,
        available: String(onHand - reserved) as DecimalString,
        ...(expected ? { expected } : {}),
      });
    }
    return rows;
  }

  function* stock(): IterableIterator<CatStock> {
    for (let i = 0; i < options.skus; i++) yield* stockOf(i);
  }

  const customers = buildCustomers(seed, options.customers, priceTypes, guid);
  const { orders, documents } = buildOrders(seed, options, asOf, customers, warehouses, guid, product, isDeleted, pricesOf);
  const finance = customers.map((c) => financeOf(c, documents, asOf));

  return {
    seed,
    options,
    asOf,
    organization,
    currency,
    units,
    brands,
    productKinds,
    properties,
    groups,
    productCount: options.skus,
    product,
    products,
    productRef,
    productBrief,
    productIndexOf,
    warehouses,
    priceTypes,
    pricesOf,
    prices,
    stockOf,
    stock,
    customers,
    orders,
    documents,
    finance,
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.trunc(n)));
}

function addGroup(groups: CatGroup[], guid: (k: string, i: number) => string, name: string, parentRef: string | null, level: 1 | 2 | 3): CatGroup {
  const index = groups.length;
  const g: CatGroup = { index, ref: guid('group', index), code: String(index + 1).padStart(11, '0'), name, parentRef, level };
  groups.push(g);
  return g;
}

/** Largest-remainder apportionment of `total` by `shares`. */
function splitByShare(total: number, shares: number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (total * s) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

function buildCustomers(seed: string, count: number, priceTypes: CatPriceType[], guid: (k: string, i: number) => string): CatCustomer[] {
  const dealerTypes = priceTypes.filter((t) => t.dealerTier);
  const others = priceTypes.filter((t) => !t.dealerTier && t.discountPercent > 0);
  const out: CatCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const rng = Rng.of(seed, 'customer', i);
    const isPerson = rng.chance(0.3);
    const city = CITIES[rng.weighted(CITIES.map((_, k) => (k < 5 ? 3 : 1)))] ?? CITIES[0];
    const region = city?.region ?? '77';
    const names = makeCompanyName(rng, isPerson);
    const pool = dealerTypes.length > 0 && (others.length === 0 || rng.chance(0.8)) ? dealerTypes : others.length > 0 ? others : priceTypes;
    const priceType = rng.pick(pool);
    const hasLimit = rng.chance(0.8);
    out.push({
      index: i,
      ref: guid('partner', i),
      code: String(i + 1).padStart(9, '0'),
      counterpartyRef: guid('counterparty', i),
      agreementRef: guid('agreement', i),
      agreementNumber: `Д-${String(i + 1).padStart(4, '0')}/${rng.int(20, 26)}`,
      contractRef: guid('contract', i),
      settlementKeyRef: guid('settlement-key', i),
      name: names.short,
      fullName: names.full,
      isPerson,
      inn: isPerson ? makeInnPerson(rng, region) : makeInnLegal(rng, region),
      kpp: isPerson ? null : makeKpp(rng, region),
      city: city?.city ?? 'Москва',
      address: `г. ${city?.city ?? 'Москва'}, ул. ${rng.pick(['Ленина', 'Мира', 'Садовая', 'Заводская', 'Промышленная', 'Советская'])}, д. ${rng.int(1, 180)}`,
      email: `zakaz${i + 1}@dealer${hashSeed(seed, i) % 1000}.ru`,
      phone: `+7 (${rng.int(300, 999)}) ${rng.int(100, 999)}-${rng.int(10, 99)}-${rng.int(10, 99)}`,
      priceTypeRef: priceType.ref,
      creditLimit: hasLimit ? (`${rng.pick([300_000, 500_000, 1_000_000, 1_500_000, 3_000_000, 5_000_000])}.00` as DecimalString) : null,
      creditLimitEnforced: hasLimit && rng.chance(0.7),
      paymentTermDays: rng.pick([7, 14, 21, 30, 45, 60]),
    });
  }
  return out;
}

function statusByAge(rng: Rng, ageDays: number): ErpOrderStatus {
  if (ageDays <= 2) return rng.chance(0.4) ? 'draft' : 'confirmed';
  if (ageDays <= 7) return rng.chance(0.5) ? 'confirmed' : 'in_fulfilment';
  if (ageDays <= 14) return rng.chance(0.5) ? 'in_fulfilment' : 'shipped';
  const r = rng.next();
  return r < 0.3 ? 'shipped' : r < 0.9 ? 'closed' : 'cancelled';
}

function uuidFrom(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + rng.int(0, 3)).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function buildOrders(
  seed: string,
  options: Required<CatalogOptions>,
  asOf: string,
  customers: CatCustomer[],
  warehouses: CatWarehouse[],
  guid: (k: string, i: number) => string,
  product: (i: number) => CatProduct,
  isDeleted: (i: number) => boolean,
  pricesOf: (i: number) => CatPrice[],
): { orders: CatOrder[]; documents: CatDocument[] } {
  type Draft = Omit<CatOrder, 'index' | 'ref' | 'number'> & { rng: Rng };
  const drafts: Draft[] = [];
  for (const c of customers) {
    for (let k = 0; k < options.ordersPerCustomer; k++) {
      const rng = Rng.of(seed, 'order', c.index, k);
      const r = rng.next();
      // Recent orders are the open ones; squaring skews ages towards today so every status occurs.
      const ageDays = Math.floor(121 * r * r);
      const date = formatLocal(parseLocal(asOf) - ageDays * 86_400_000 - rng.int(0, 8 * 3600) * 1000);
      const status = statusByAge(rng, ageDays);
      const lines: CatOrderLine[] = [];
      const lineCount = rng.int(1, 8);
      let total = 0;
      const used = new Set<number>();
      for (let n = 0; n < lineCount; n++) {
        let j = rng.int(0, options.skus - 1);
        for (let tries = 0; tries < 10 && (used.has(j) || isDeleted(j)); tries++) j = (j + 1) % options.skus;
        if (used.has(j)) continue;
        used.add(j);
        const p = product(j);
        const price = pricesOf(j).find((x) => x.priceTypeRef === c.priceTypeRef) ?? pricesOf(j)[0];
        const priceKop = decimalToKop(price?.price ?? '0');
        const qty = p.kind === 'machine' ? rng.int(1, 3) : p.kind === 'tool' ? rng.int(1, 6) : rng.int(2, 40);
        const amount = priceKop * qty;
        const cancelled = status === 'cancelled';
        if (!cancelled) total += amount;
        lines.push({
          lineNo: lines.length + 1,
          productIndex: j,
          productRef: p.ref,
          qty: String(qty) as DecimalString,
          price: kopToDecimal(priceKop),
          amount: kopToDecimal(amount),
          vatAmount: kopToDecimal(vatIncludedKop(amount)),
          cancelled,
        });
      }
      const fromPortal = rng.chance(0.6);
      drafts.push({
        rng,
        date,
        customerIndex: c.index,
        customerRef: c.ref,
        externalId: fromPortal ? uuidFrom(rng) : null,
        status,
        warehouseRef: (warehouses[rng.weighted(warehouses.map((w) => (w.index === 0 ? 4 : 1)))] ?? warehouses[0])?.ref ?? '',
        priceTypeRef: c.priceTypeRef,
        shipDate: addDays(date.slice(0, 10), rng.int(1, 7)),
        lines,
        total: kopToDecimal(total),
        comment: fromPortal ? 'Заказ из дилерского кабинета' : rng.pick(['', 'Доставка транспортной компанией', 'Самовывоз']),
      });
    }
  }
  drafts.sort((a, b) => a.date.localeCompare(b.date) || a.customerIndex - b.customerIndex);
  const orders: CatOrder[] = [];
  const documents: CatDocument[] = [];
  const addDoc = (d: Omit<CatDocument, 'index' | 'ref' | 'number'>, prefix: string, counter: Map<string, number>) => {
    const n = (counter.get(prefix) ?? 0) + 1;
    counter.set(prefix, n);
    documents.push({ ...d, index: documents.length, ref: guid(`document-${d.kind}`, n), number: `${prefix}00-${String(n).padStart(6, '0')}` });
  };
  const counter = new Map<string, number>();
  drafts.forEach((d, index) => {
    const { rng, ...rest } = d;
    const order: CatOrder = { ...rest, index, ref: guid('order', index), number: `ЗК00-${String(index + 1).padStart(6, '0')}` };
    if (order.externalId) order.externalId = order.externalId.toLowerCase();
    orders.push(order);
    const customer = customers[order.customerIndex] as CatCustomer;
    const totalKop = decimalToKop(order.total);
    if (order.status !== 'draft' && order.status !== 'cancelled') {
      addDoc({
        kind: 'invoice', date: clampDate(addDays(order.date, rng.int(0, 1)), asOf), customerIndex: order.customerIndex, customerRef: order.customerRef,
        orderRef: order.ref, orderExternalId: order.externalId, amount: order.total, vatAmount: kopToDecimal(vatIncludedKop(totalKop)),
        currency: 'RUB', dueDate: null, paid: order.status === 'closed',
      }, 'СЧ', counter);
    }
    if (order.status === 'shipped' || order.status === 'closed') {
      const shipped = clampDate(addDays(order.date, rng.int(1, 6)), asOf);
      const due = addDays(shipped, customer.paymentTermDays);
      const paid = order.status === 'closed';
      addDoc({
        kind: rng.chance(0.65) ? 'upd' : 'waybill', date: shipped, customerIndex: order.customerIndex, customerRef: order.customerRef,
        orderRef: order.ref, orderExternalId: order.externalId, amount: order.total, vatAmount: kopToDecimal(vatIncludedKop(totalKop)),
        currency: 'RUB', dueDate: due, paid,
      }, 'РТ', counter);
      if (rng.chance(0.25)) {
        const actKop = rng.pick([1500, 2500, 3500, 5000]) * 100;
        addDoc({
          kind: 'act', date: shipped, customerIndex: order.customerIndex, customerRef: order.customerRef, orderRef: order.ref,
          orderExternalId: order.externalId, amount: kopToDecimal(actKop), vatAmount: kopToDecimal(vatIncludedKop(actKop)),
          currency: 'RUB', dueDate: due, paid,
        }, 'АК', counter);
      }
    }
  });
  return { orders, documents };
}

function clampDate(date: string, asOf: string): string {
  return date > asOf ? asOf : date;
}

function financeOf(c: CatCustomer, documents: CatDocument[], asOf: string): CatFinance {
  let debt = 0;
  let overdue = 0;
  let overdueDays = 0;
  const open: CatFinance['open'] = [];
  for (const d of documents) {
    if (d.customerRef !== c.ref || d.paid || d.dueDate === null) continue;
    const kop = decimalToKop(d.amount);
    debt += kop;
    open.push({ documentRef: d.ref, dueDate: d.dueDate, amount: d.amount });
    // Overdue from the day after the due date, in whole days (how 1C reports debts by terms).
    if (d.dueDate.slice(0, 10) < asOf.slice(0, 10)) {
      overdue += kop;
      overdueDays = Math.max(overdueDays, daysBetween(d.dueDate.slice(0, 10), asOf.slice(0, 10)));
    }
  }
  return {
    customerRef: c.ref,
    currency: 'RUB',
    debt: kopToDecimal(debt),
    overdue: kopToDecimal(overdue),
    overdueDays,
    creditLimit: c.creditLimit,
    creditLimitEnforced: c.creditLimitEnforced,
    paymentTermDays: c.paymentTermDays,
    asOf,
    open,
  };
}
