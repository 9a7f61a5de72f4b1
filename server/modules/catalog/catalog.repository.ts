import type { Database } from '../../db/database.js';
import { selectRows, sqlTime } from '../../jobs/sql.js';

/**
 * The only code of the catalog module that reads the ERP read model (tables of migration 20261123-0201) and the
 * change stamps. Big tables are read in pages by primary key or one partition (price type, warehouse) at a time, so
 * loading 100k SKUs is a handful of index range scans, never N+1.
 */
type Row = Record<string, unknown>;

export interface GroupRow {
  id: number;
  erpId: string;
  code: string | null;
  name: string;
  parentId: number | null;
}

export interface WarehouseRow {
  id: number;
  erpId: string;
  name: string;
  city: string | null;
}

export interface PriceTypeRow {
  id: number;
  erpId: string;
  name: string;
  currency: string | null;
}

export interface ProductRow {
  id: number;
  erpId: string;
  code: string | null;
  sku: string | null;
  name: string;
  brand: string | null;
  groupId: number | null;
  baseUnit: string | null;
  packUnits: string | null;
  properties: string | null;
  barcodes: string | null;
  analogs: string | null;
  pictures: string | null;
  onSale: boolean;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown) => v === true || v === 1 || v === '1';

export async function readGroups(db: Database, portalId: number): Promise<GroupRow[]> {
  const rows = await selectRows<Row>(db, 'SELECT id, erp_id, code, name, parent_id FROM erp_product_groups WHERE portal_id = :portalId AND deleted = 0 AND is_stub = 0', { portalId });
  return rows.map((r) => ({ id: Number(r.id), erpId: String(r.erp_id), code: str(r.code), name: String(r.name), parentId: num(r.parent_id) }));
}

/** Stub warehouses (named by stock before the warehouse list came) count too: their stock is real. */
export async function readWarehouses(db: Database, portalId: number): Promise<WarehouseRow[]> {
  const rows = await selectRows<Row>(db, 'SELECT id, erp_id, code, name, city FROM erp_warehouses WHERE portal_id = :portalId AND deleted = 0 ORDER BY name, id', { portalId });
  return rows.map((r) => ({ id: Number(r.id), erpId: String(r.erp_id), name: String(r.name || r.code || r.erp_id), city: str(r.city) || null }));
}

export async function readPriceTypes(db: Database, portalId: number): Promise<PriceTypeRow[]> {
  const rows = await selectRows<Row>(db, 'SELECT id, erp_id, code, name, currency FROM erp_price_types WHERE portal_id = :portalId AND deleted = 0 ORDER BY id', { portalId });
  return rows.map((r) => ({ id: Number(r.id), erpId: String(r.erp_id), name: String(r.name || r.code || r.erp_id), currency: str(r.currency) || null }));
}

/** One page of products in id order (keyset paging: each page is one primary-key range scan). */
export async function readProductPage(db: Database, portalId: number, afterId: number, limit: number): Promise<ProductRow[]> {
  const rows = await selectRows<Row>(
    db,
    'SELECT id, erp_id, code, sku, name, brand, group_id, base_unit, pack_units, properties, barcodes, analogs, pictures, on_sale ' +
      'FROM erp_products WHERE portal_id = :portalId AND is_stub = 0 AND id > :afterId ORDER BY id LIMIT :limit',
    { portalId, afterId, limit },
  );
  return rows.map((r) => ({
    id: Number(r.id),
    erpId: String(r.erp_id),
    code: str(r.code),
    sku: str(r.sku),
    name: String(r.name),
    brand: str(r.brand),
    groupId: num(r.group_id),
    baseUnit: str(r.base_unit),
    packUnits: str(r.pack_units),
    properties: str(r.properties),
    barcodes: str(r.barcodes),
    analogs: str(r.analogs),
    pictures: str(r.pictures),
    onSale: bool(r.on_sale),
  }));
}

/**
 * Every price of a window of products, all price types at once: one range scan of the clustered primary key
 * (portal, product, price type) — much cheaper than a per-type read, which InnoDB answers by scanning every row of
 * the portal anyway.
 */
export async function readPriceWindow(db: Database, portalId: number, fromProductId: number, toProductId: number): Promise<Array<{ productId: number; priceTypeId: number; price: string; currency: string }>> {
  const rows = await selectRows<Row>(
    db,
    'SELECT product_id, price_type_id, price, currency FROM erp_prices WHERE portal_id = :portalId AND product_id >= :from AND product_id < :to',
    { portalId, from: fromProductId, to: toProductId },
  );
  return rows.map((r) => ({ productId: Number(r.product_id), priceTypeId: Number(r.price_type_id), price: String(r.price), currency: String(r.currency) }));
}

/** A whole price list of one price type: [productId, price, currency] rows. */
export async function readPrices(db: Database, portalId: number, priceTypeId: number): Promise<Array<{ productId: number; price: string; currency: string }>> {
  const rows = await selectRows<Row>(db, 'SELECT product_id, price, currency FROM erp_prices WHERE portal_id = :portalId AND price_type_id = :priceTypeId', { portalId, priceTypeId });
  return rows.map((r) => ({ productId: Number(r.product_id), price: String(r.price), currency: String(r.currency) }));
}

/** Stock of one warehouse (or all): available quantity as the stored decimal string. */
export async function readStock(db: Database, portalId: number, warehouseId?: number): Promise<Array<{ productId: number; warehouseId: number; available: string }>> {
  const filter = warehouseId === undefined ? '' : ' AND warehouse_id = :warehouseId';
  const rows = await selectRows<Row>(db, `SELECT product_id, warehouse_id, available FROM erp_stock WHERE portal_id = :portalId${filter}`, { portalId, warehouseId });
  return rows.map((r) => ({ productId: Number(r.product_id), warehouseId: Number(r.warehouse_id), available: String(r.available) }));
}

/**
 * Per-partition fingerprints (row count + last write) of prices or stock: after a sync says "prices changed", only
 * the price types whose fingerprint moved are read again. Deletions change the count; writes move updated_at.
 */
export async function readPartitionFingerprints(db: Database, portalId: number, part: 'prices' | 'stock'): Promise<Map<number, string>> {
  const table = part === 'prices' ? 'erp_prices' : 'erp_stock';
  const column = part === 'prices' ? 'price_type_id' : 'warehouse_id';
  const rows = await selectRows<Row>(db, `SELECT ${column} AS p, COUNT(*) AS n, MAX(updated_at) AS at FROM ${table} WHERE portal_id = :portalId GROUP BY ${column}`, { portalId });
  return new Map(rows.map((r) => [Number(r.p), `${r.n}@${stamp(r.at)}`]));
}

/** Row count and last write of the structural tables: products, groups, warehouses, price types. */
export async function readStructureFingerprint(db: Database, portalId: number): Promise<string> {
  const parts: string[] = [];
  for (const table of ['erp_products', 'erp_product_groups', 'erp_warehouses', 'erp_price_types']) {
    const [r] = await selectRows<Row>(db, `SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM ${table} WHERE portal_id = :portalId`, { portalId });
    parts.push(`${r?.n ?? 0}@${stamp(r?.at)}`);
  }
  return parts.join('|');
}

const stamp = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v ?? ''));

/** Sync entities whose runs change what the catalog holds, and which part of it. */
export const SYNC_ENTITY_PARTS: Record<string, StampKey> = {
  groups: 'catalog',
  products: 'catalog',
  warehouses: 'catalog',
  priceTypes: 'prices',
  prices: 'prices',
  stock: 'stock',
  customers: 'customers',
};

export type ChangePart = 'catalog' | 'prices' | 'stock' | 'rules' | 'dealers';
export const CHANGE_PARTS: readonly ChangePart[] = ['catalog', 'prices', 'stock', 'rules', 'dealers'];
/** What the stamps are read into: the parts, plus the ERP customers (their price types are dealers' fallback). */
export type StampKey = ChangePart | 'customers';

/**
 * What changed, cheaply, in one round of small index look-ups: the newest sync run per entity (its id and status: a
 * run that finishes changes the stamp), the explicit change stamps, the newest pricing rule and dealer write.
 */
export async function readChangeStamps(db: Database, portalId: number): Promise<Record<StampKey, string>> {
  const entities = Object.keys(SYNC_ENTITY_PARTS);
  const [runs, stamps, rules, dealers] = await Promise.all([
    selectRows<Row>(
      db,
      'SELECT r.entity, r.id, r.status FROM sync_runs r JOIN (SELECT entity, MAX(id) AS id FROM sync_runs WHERE portal_id = :portalId AND entity IN (:entities) GROUP BY entity) m ON m.id = r.id',
      { portalId, entities },
    ),
    selectRows<Row>(db, 'SELECT part, version FROM catalog_change_stamps WHERE portal_id = :portalId', { portalId }),
    selectRows<Row>(db, 'SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM pricing_rules WHERE portal_id = :portalId', { portalId }),
    selectRows<Row>(db, 'SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM dealers WHERE portal_id = :portalId', { portalId }),
  ]);
  const out: Record<StampKey, string[]> = { catalog: [], prices: [], stock: [], rules: [], dealers: [], customers: [] };
  for (const r of [...runs].sort((a, b) => String(a.entity).localeCompare(String(b.entity)))) {
    const part = SYNC_ENTITY_PARTS[String(r.entity)];
    if (part) out[part].push(`${r.entity}:${r.id}:${r.status}`);
  }
  for (const s of stamps) if ((CHANGE_PARTS as readonly string[]).includes(String(s.part))) out[s.part as ChangePart].push(`v${s.version}`);
  out.rules.push(`${rules[0]?.n ?? 0}@${stamp(rules[0]?.at)}`);
  out.dealers.push(`${dealers[0]?.n ?? 0}@${stamp(dealers[0]?.at)}`);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(',')])) as Record<StampKey, string>;
}

/**
 * Bumps a part's change stamp, so every instance reloads it within its check interval. Writers of the read model
 * outside a recorded sync run (imports, fixes, tests) call this through notifyCatalogChanged.
 */
export async function bumpChangeStamp(db: Database, portalId: number, part: ChangePart, now = new Date()): Promise<void> {
  const at = sqlTime(now, db.dialect);
  const sql =
    db.dialect === 'sqlite'
      ? 'INSERT INTO catalog_change_stamps (portal_id, part, version, changed_at) VALUES (:portalId, :part, 1, :at) ON CONFLICT (portal_id, part) DO UPDATE SET version = version + 1, changed_at = :at'
      : 'INSERT INTO catalog_change_stamps (portal_id, part, version, changed_at) VALUES (:portalId, :part, 1, :at) ON DUPLICATE KEY UPDATE version = version + 1, changed_at = :at';
  await db.sequelize.query(sql, { replacements: { portalId, part, at } });
}
