import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { toScaledInt } from '../pricing/index.js';
import { SearchIndex } from '../search/index.js';
import { CatalogIndex, type CatalogProductInput } from './catalog-index.js';
import { readGroups, readPrices, readPriceTypes, readPriceWindow, readProductPage, readStock, readWarehouses } from './catalog.repository.js';
import { CatalogSnapshot, type ProductExtras, type SearchPayload } from './catalog-snapshot.js';
import { PriceColumn, type PriceTypeInfo } from './price-table.js';

const PAGE = 5_000;
const NONE: never[] = [];
const DEFAULT_CURRENCY = 'RUB';

const parseJson = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

interface ErpUnitJson {
  code?: string;
  name?: string;
  ratio?: string;
}

/** Lets the event loop answer requests between chunks of a rebuild that runs beside live traffic. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Stock is kept in thousandths of the base unit (the read model's DECIMAL(18,3)): exact integers, summed exactly. */
export function stockThousandths(text: string): number {
  const v = toScaledInt(text, 3);
  return v === null ? Math.round(Number(text) * 1000) : v;
}

/**
 * Builds a portal's catalog snapshot from the read model: products page by page (keyset on id), groups, warehouses,
 * every price type's list and all stock, each one query or a few. Runs beside live traffic, so it yields between pages.
 */
export async function loadCatalog(db: Database, portalId: number, options: { logger: Logger; generation: number }): Promise<CatalogSnapshot> {
  const started = Date.now();
  const [groups, warehouses, priceTypes] = await Promise.all([readGroups(db, portalId), readWarehouses(db, portalId), readPriceTypes(db, portalId)]);
  const groupById = new Map(groups.map((g) => [g.id, g]));

  // Products page by page, each page turned into index input at once (the raw rows' JSON never piles up).
  const inputs: CatalogProductInput[] = [];
  const extras: ProductExtras[] = [];
  const analogRefs: Array<string[] | undefined> = [];
  // 100k products repeat a few dozen brands, units and pack names: one string each, and one empty array for all.
  const interned = new Map<string, string>();
  const intern = (s: string) => {
    const known = interned.get(s);
    if (known !== undefined) return known;
    interned.set(s, s);
    return s;
  };
  for (let after = 0; ; ) {
    const page = await readProductPage(db, portalId, after, PAGE);
    for (const r of page) {
      const unit = parseJson<ErpUnitJson>(r.baseUnit, {});
      const packList = parseJson<ErpUnitJson[]>(r.packUnits, []).filter((p) => p && p.name && p.ratio);
      const packs = packList.length ? packList.map((p) => ({ name: intern(String(p.name)), ratio: intern(String(p.ratio)) })) : NONE;
      const analogs = parseJson<string[]>(r.analogs, []);
      const properties = parseJson<Array<{ id: string; name: string; value: string }>>(r.properties, []).filter((p) => p && p.id && p.value !== undefined && p.value !== null);
      for (const p of properties) if (typeof p.value !== 'string') p.value = String(p.value);
      const pictures = parseJson<string[]>(r.pictures, []);
      analogRefs.push(analogs.length ? analogs : undefined);
      inputs.push({
        id: r.id,
        erpId: r.erpId,
        sku: r.sku,
        name: r.name,
        brand: r.brand === null ? null : intern(r.brand),
        groupId: r.groupId,
        unit: intern(unit.name || 'шт'),
        packRatio: packs[0]?.ratio ?? null,
        properties,
        barcodes: r.barcodes ? r.barcodes.split(' ') : NONE,
        analogIds: NONE,
        pictures: pictures.length ? pictures.map(String) : NONE,
        onSale: r.onSale,
        popularity: 0,
      });
      extras.push({ code: r.code, unitCode: unit.code ? intern(String(unit.code)) : null, packs });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
    await yieldToLoop();
  }
  // Analogs name products by ERP id, possibly ones on a later page.
  const idByErpId = new Map(inputs.map((p) => [p.erpId, p.id]));
  analogRefs.forEach((refs, slot) => {
    if (!refs) return;
    const ids = refs.map((e) => idByErpId.get(e)).filter((id): id is number => id !== undefined);
    if (ids.length) inputs[slot]!.analogIds = ids;
  });
  // Slots are positions in id order: known now, so prices and stock are read while the indexes are built.
  const slotById = new Map(inputs.map((p, slot) => [p.id, slot]));
  const columns = new Map(priceTypes.map((t) => [t.id, new PriceColumn({ id: t.id, erpId: t.erpId, name: t.name, currency: t.currency ?? DEFAULT_CURRENCY }, inputs.length)]));
  const maxId = inputs.length ? inputs[inputs.length - 1]!.id : 0;
  const pricesRead = readAllPrices(db, portalId, maxId, slotById, columns);
  const stockRead = readStock(db, portalId);

  const index = new CatalogIndex({
    products: inputs,
    groups: groups.map((g) => ({ id: g.id, name: g.name, parentId: g.parentId })),
    warehouses: warehouses.map((w) => ({ id: w.id, name: w.name, city: w.city })),
  });
  await yieldToLoop();

  const search = new SearchIndex<SearchPayload>();
  for (let slot = 0; slot < inputs.length; slot++) {
    const p = inputs[slot]!;
    const group = p.groupId === null ? undefined : groupById.get(p.groupId);
    search.upsert({
      id: String(p.id),
      kind: 'product',
      title: p.name,
      codes: [p.sku, extras[slot]!.code, ...p.barcodes].filter((c): c is string => Boolean(c)),
      text: intern([p.brand, group?.name].filter(Boolean).join(' ')),
      onSale: p.onSale,
      payload: slot,
    });
    if (slot % 10_000 === 9_999) await yieldToLoop();
  }
  search.freeze();
  inputs.length = 0;

  await pricesRead;
  const snapshot = new CatalogSnapshot(portalId, options.generation, index, search, groupById, extras, columns, new Date());
  index.setStock((await stockRead).map((r) => ({ productId: r.productId, warehouseId: r.warehouseId, available: stockThousandths(r.available) })));
  options.logger.info({ portalId, products: index.size, groups: groups.length, priceTypes: priceTypes.length, warehouses: warehouses.length, ms: Date.now() - started }, 'catalog loaded');
  return snapshot;
}

const PRICE_WINDOW = 20_000;

/** Every price of every type, a window of product ids at a time, straight into the columns. */
async function readAllPrices(db: Database, portalId: number, maxId: number, slotById: Map<number, number>, columns: Map<number, PriceColumn>): Promise<void> {
  for (let from = 0; from <= maxId; from += PRICE_WINDOW) {
    for (const r of await readPriceWindow(db, portalId, from, from + PRICE_WINDOW)) {
      const slot = slotById.get(r.productId);
      const column = columns.get(r.priceTypeId);
      if (slot !== undefined && column) column.set(slot, r.price, r.currency || null);
    }
  }
}

/** One price type's whole list, read and laid out by slot. */
export async function loadPriceColumn(db: Database, snapshot: CatalogSnapshot, type: PriceTypeInfo): Promise<PriceColumn> {
  const column = new PriceColumn(type, snapshot.size);
  const rows = await readPrices(db, snapshot.portalId, type.id);
  // The type's currency is what most of its rows say when the price type row itself has none.
  for (const r of rows) {
    const slot = snapshot.index.slotOf(r.productId);
    if (slot !== undefined) column.set(slot, r.price, r.currency || null);
  }
  await yieldToLoop();
  return column;
}

/** All stock (or one warehouse's) into the index, in thousandths. */
export async function loadStock(db: Database, snapshot: CatalogSnapshot, warehouseId?: number): Promise<void> {
  const rows = await readStock(db, snapshot.portalId, warehouseId);
  if (warehouseId === undefined) {
    for (const w of snapshot.index.warehouseList) snapshot.index.replaceWarehouseStock(w.id, []);
    snapshot.index.setStock(rows.map((r) => ({ productId: r.productId, warehouseId: r.warehouseId, available: stockThousandths(r.available) })));
  } else {
    snapshot.index.replaceWarehouseStock(
      warehouseId,
      rows.map((r) => ({ productId: r.productId, available: stockThousandths(r.available) })),
    );
  }
}
