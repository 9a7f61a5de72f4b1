import type { Database } from '../../db/database.js';
import { selectRows } from '../../jobs/sql.js';
import { Dec, type DecimalString } from '../../lib/decimal.js';

type Row = Record<string, unknown>;

export interface PartitionTotals {
  erpId: string;
  rows: number;
  /** Sum of price (prices) or on_hand (stock), exact. */
  sum: DecimalString;
}

export interface ReadModelTotals {
  groups: number;
  products: number;
  deletedProducts: number;
  stubProducts: number;
  warehouses: number;
  priceTypes: number;
  customers: number;
  documents: number;
  orderStates: number;
  prices: PartitionTotals[];
  stock: PartitionTotals[];
}

async function count(db: Database, sql: string, portalId: number): Promise<number> {
  const [row] = await selectRows<Row>(db, sql, { portalId });
  return Number(row?.n ?? 0);
}

/**
 * Per-partition row counts and exact sums. MariaDB sums DECIMAL exactly in SQL; SQLite would sum the TEXT columns as
 * floats, so there the values are added with decimal.js instead.
 */
async function partitionTotals(db: Database, portalId: number, args: { table: string; partition: string; refTable: string; value: string; scale: number }): Promise<PartitionTotals[]> {
  if (db.dialect === 'mysql') {
    const rows = await selectRows<Row>(
      db,
      `SELECT r.erp_id AS erp_id, COUNT(*) AS n, SUM(t.${args.value}) AS s FROM ${args.table} t JOIN ${args.refTable} r ON r.id = t.${args.partition} WHERE t.portal_id = :portalId GROUP BY r.erp_id ORDER BY r.erp_id`,
      { portalId },
    );
    return rows.map((r) => ({ erpId: String(r.erp_id), rows: Number(r.n), sum: new Dec(String(r.s ?? '0')).toFixed(args.scale) as DecimalString }));
  }
  const rows = await selectRows<Row>(db, `SELECT r.erp_id AS erp_id, t.${args.value} AS v FROM ${args.table} t JOIN ${args.refTable} r ON r.id = t.${args.partition} WHERE t.portal_id = :portalId`, { portalId });
  const totals = new Map<string, { rows: number; sum: InstanceType<typeof Dec> }>();
  for (const r of rows) {
    const key = String(r.erp_id);
    const t = totals.get(key) ?? { rows: 0, sum: new Dec(0) };
    t.rows++;
    t.sum = t.sum.plus(String(r.v));
    totals.set(key, t);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([erpId, t]) => ({ erpId, rows: t.rows, sum: t.sum.toFixed(args.scale) as DecimalString }));
}

/** What the read model holds for a portal: the numbers reconciliation and the health page compare. */
export async function readModelTotals(db: Database, portalId: number): Promise<ReadModelTotals> {
  return {
    groups: await count(db, 'SELECT COUNT(*) AS n FROM erp_product_groups WHERE portal_id = :portalId AND deleted = 0 AND is_stub = 0', portalId),
    products: await count(db, 'SELECT COUNT(*) AS n FROM erp_products WHERE portal_id = :portalId AND deleted = 0 AND is_stub = 0', portalId),
    deletedProducts: await count(db, 'SELECT COUNT(*) AS n FROM erp_products WHERE portal_id = :portalId AND deleted = 1', portalId),
    stubProducts: await count(db, 'SELECT COUNT(*) AS n FROM erp_products WHERE portal_id = :portalId AND is_stub = 1', portalId),
    warehouses: await count(db, 'SELECT COUNT(*) AS n FROM erp_warehouses WHERE portal_id = :portalId AND deleted = 0 AND is_stub = 0', portalId),
    priceTypes: await count(db, 'SELECT COUNT(*) AS n FROM erp_price_types WHERE portal_id = :portalId AND deleted = 0 AND is_stub = 0', portalId),
    customers: await count(db, 'SELECT COUNT(*) AS n FROM erp_customers WHERE portal_id = :portalId AND deleted = 0 AND is_stub = 0', portalId),
    documents: await count(db, 'SELECT COUNT(*) AS n FROM erp_documents WHERE portal_id = :portalId', portalId),
    orderStates: await count(db, 'SELECT COUNT(*) AS n FROM erp_order_states WHERE portal_id = :portalId', portalId),
    prices: await partitionTotals(db, portalId, { table: 'erp_prices', partition: 'price_type_id', refTable: 'erp_price_types', value: 'price', scale: 4 }),
    stock: await partitionTotals(db, portalId, { table: 'erp_stock', partition: 'warehouse_id', refTable: 'erp_warehouses', value: 'on_hand', scale: 3 }),
  };
}

export interface StoredProduct {
  id: number;
  erpId: string;
  code: string | null;
  sku: string | null;
  name: string;
  groupErpId: string | null;
  brand: string | null;
  barcodes: string[];
  deleted: boolean;
  onSale: boolean;
  isStub: boolean;
  version: string | null;
  updatedAt: Date;
}

/** Products by ERP id (tests, the catalog module's admin views). */
export async function listStoredProducts(db: Database, portalId: number, options: { erpIds?: string[] } = {}): Promise<StoredProduct[]> {
  const filter = options.erpIds ? ' AND erp_id IN (:erpIds)' : '';
  if (options.erpIds && !options.erpIds.length) return [];
  const rows = await selectRows<Row>(db, `SELECT * FROM erp_products WHERE portal_id = :portalId${filter} ORDER BY erp_id`, { portalId, erpIds: options.erpIds });
  return rows.map((r) => ({
    id: Number(r.id),
    erpId: String(r.erp_id),
    code: (r.code as string | null) ?? null,
    sku: (r.sku as string | null) ?? null,
    name: String(r.name),
    groupErpId: (r.group_erp_id as string | null) ?? null,
    brand: (r.brand as string | null) ?? null,
    barcodes: r.barcodes ? String(r.barcodes).split(' ') : [],
    deleted: Boolean(Number(r.deleted)),
    onSale: Boolean(Number(r.on_sale)),
    isStub: Boolean(Number(r.is_stub)),
    version: (r.version as string | null) ?? null,
    updatedAt: new Date(r.updated_at as string),
  }));
}

/** Prices keyed "productErpId|priceTypeErpId" → "price currency". */
export async function readPriceMap(db: Database, portalId: number): Promise<Map<string, string>> {
  const rows = await selectRows<Row>(
    db,
    'SELECT p.erp_id AS product, t.erp_id AS type, x.price, x.currency FROM erp_prices x JOIN erp_products p ON p.id = x.product_id JOIN erp_price_types t ON t.id = x.price_type_id WHERE x.portal_id = :portalId',
    { portalId },
  );
  return new Map(rows.map((r) => [`${r.product}|${r.type}`, `${r.price} ${r.currency}`]));
}

/** Stock keyed "productErpId|warehouseErpId" → "onHand/reserved/available". */
export async function readStockMap(db: Database, portalId: number, options: { warehouseErpId?: string } = {}): Promise<Map<string, string>> {
  const filter = options.warehouseErpId ? ' AND w.erp_id = :warehouse' : '';
  const rows = await selectRows<Row>(
    db,
    `SELECT p.erp_id AS product, w.erp_id AS warehouse, s.on_hand, s.reserved, s.available FROM erp_stock s JOIN erp_products p ON p.id = s.product_id JOIN erp_warehouses w ON w.id = s.warehouse_id WHERE s.portal_id = :portalId${filter}`,
    { portalId, warehouse: options.warehouseErpId },
  );
  return new Map(rows.map((r) => [`${r.product}|${r.warehouse}`, `${r.on_hand}/${r.reserved}/${r.available}`]));
}
