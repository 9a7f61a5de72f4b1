import type { ErpCustomerFinance, ErpPrice, ErpRef, ErpStock } from '../port.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { addCounts, emptyCounts } from './ingest-session.js';
import { clip, fixScale, fixScaleOrNull } from './normalize.js';
import { forEachPartition, openSnapshotStream, replacePartitions, type Partition, type PartitionRow, type PartitionSpec } from './replace-partitions.js';

export type SnapshotMode = 'replace' | 'merge';

/** A characteristic (1C Характеристика, CommerceML "товар#вариант") is its own sellable item in the read model. */
export const itemErpId = (productRef: ErpRef, variantRef?: ErpRef) => (variantRef?.erpId ? `${productRef.erpId}#${variantRef.erpId}` : productRef.erpId);

const PRICES: PartitionSpec = {
  table: 'erp_prices',
  partition: 'price_type_id',
  key: 'product_id',
  keyKind: 'int',
  values: ['price', 'currency', 'unit', 'valid_from'],
  kinds: ['decimal', 'any', 'any', 'any'],
};
const STOCK: PartitionSpec = {
  table: 'erp_stock',
  partition: 'warehouse_id',
  key: 'product_id',
  keyKind: 'int',
  values: ['on_hand', 'reserved', 'available', 'expected_qty', 'expected_date'],
  kinds: ['decimal', 'decimal', 'decimal', 'decimal', 'any'],
};
const FINANCE: PartitionSpec = {
  table: 'erp_customer_finance',
  partition: 'customer_id',
  key: 'currency',
  keyKind: 'any',
  values: ['debt', 'overdue', 'overdue_days', 'credit_limit', 'credit_limit_enforced', 'payment_term_days', 'as_of'],
  kinds: ['decimal', 'decimal', 'int', 'decimal', 'any', 'int', 'any'],
};

/** Input indexes grouped by partition id; each partition builds its rows lazily while it is being written. */
function partitionRows<T>(
  items: readonly T[],
  partitionIds: number[],
  extraPartitions: number[],
  row: (item: T, index: number) => PartitionRow,
  key: (item: T, index: number) => string | number,
): Partition[] {
  const byId = new Map<number, number[]>();
  for (const id of extraPartitions) byId.set(id, []);
  for (let i = 0; i < items.length; i++) {
    const id = partitionIds[i]!;
    let list = byId.get(id);
    if (!list) byId.set(id, (list = []));
    list.push(i);
  }
  return [...byId].map(([id, indexes]) => ({
    id,
    size: indexes.length,
    row: (k: number) => row(items[indexes[k]!]!, indexes[k]!),
    key: (k: number) => key(items[indexes[k]!]!, indexes[k]!),
  }));
}

async function writePartitions(session: IngestSession, spec: PartitionSpec, partitions: Partition[], mode: SnapshotMode): Promise<IngestCounts> {
  const total = emptyCounts();
  await forEachPartition(partitions, session.parallelism, async (p) => void addCounts(total, await replacePartitions(session, spec, [p], { mode })));
  return total;
}

/**
 * Prices. mode 'replace': each price type present (plus `priceTypeRefs`, even when empty) is a complete price list that
 * replaces the stored one; 'merge': rows are upserted and nothing is removed.
 */
export async function ingestPrices(
  session: IngestSession,
  prices: readonly ErpPrice[],
  options: { mode: SnapshotMode; priceTypeRefs?: ErpRef[] },
): Promise<IngestCounts> {
  const now = session.now();
  const { products, priceTypes } = session.refs;
  const types = await priceTypes.resolveIds(prices.map((p) => p.priceTypeRef.erpId), now);
  const extra = await priceTypes.resolveIds((options.priceTypeRefs ?? []).map((r) => r.erpId), now);
  const items = await products.resolveIds(prices.map((p) => itemErpId(p.productRef, p.variantRef)), now);
  const stubs = types.stubs + extra.stubs + items.stubs;
  const partitions = partitionRows(
    prices,
    types.ids,
    extra.ids,
    (p, i) => [items.ids[i]!, fixScale(p.price, 4), clip(p.currency, 8) ?? '', clip(p.unit, 32), clip(p.validFrom, 32)],
    (_p, i) => items.ids[i]!,
  );
  const counts = await writePartitions(session, PRICES, partitions, options.mode);
  counts.stubs += stubs;
  return counts;
}

/**
 * A complete price pull that pages through every price type at once (1C: one SliceLast pass ordered by product):
 * each page is diffed and upserted as it arrives; `finish` removes the prices the pull did not bring from the price
 * types it covered (`priceTypeRefs`, including ones that came back empty).
 */
export function openPriceSnapshot(session: IngestSession) {
  const stream = openSnapshotStream(session, PRICES);
  return {
    async write(prices: readonly ErpPrice[]): Promise<IngestCounts> {
      const now = session.now();
      const { products, priceTypes } = session.refs;
      const types = await priceTypes.resolveIds(prices.map((p) => p.priceTypeRef.erpId), now);
      const items = await products.resolveIds(prices.map((p) => itemErpId(p.productRef, p.variantRef)), now);
      const partitions = partitionRows(
        prices,
        types.ids,
        [],
        (p, i) => [items.ids[i]!, fixScale(p.price, 4), clip(p.currency, 8) ?? '', clip(p.unit, 32), clip(p.validFrom, 32)],
        (_p, i) => items.ids[i]!,
      );
      const counts = await stream.write(partitions);
      counts.stubs += types.stubs + items.stubs;
      return counts;
    },
    async finish(priceTypeRefs: ErpRef[]): Promise<IngestCounts> {
      const { ids, stubs } = await session.refs.priceTypes.resolveIds(priceTypeRefs.map((r) => r.erpId), session.now());
      const counts = await stream.finish([...new Set(ids)]);
      counts.stubs += stubs;
      return counts;
    },
  };
}

/**
 * Stock. mode 'replace': each warehouse present (plus `warehouseRefs`, even when empty) is a complete snapshot that
 * atomically replaces the stored one; 'merge': rows are upserted and nothing is removed.
 */
export async function ingestStock(
  session: IngestSession,
  stock: readonly ErpStock[],
  options: { mode: SnapshotMode; warehouseRefs?: ErpRef[] },
): Promise<IngestCounts> {
  const now = session.now();
  const { products, warehouses } = session.refs;
  const places = await warehouses.resolveIds(stock.map((s) => s.warehouseRef.erpId), now);
  const extra = await warehouses.resolveIds((options.warehouseRefs ?? []).map((r) => r.erpId), now);
  const items = await products.resolveIds(stock.map((s) => itemErpId(s.productRef, s.variantRef)), now);
  const stubs = places.stubs + extra.stubs + items.stubs;
  const partitions = partitionRows(stock, places.ids, extra.ids, (s, i) => [
    items.ids[i]!,
    fixScale(s.onHand, 3),
    fixScale(s.reserved, 3),
    fixScale(s.available, 3),
    fixScaleOrNull(s.expected?.qty, 3),
    clip(s.expected?.date, 32),
  ], (_s, i) => items.ids[i]!);
  const counts = await writePartitions(session, STOCK, partitions, options.mode);
  counts.stubs += stubs;
  return counts;
}

/**
 * Receivables and credit terms, one snapshot per customer (a row per currency). Customers in `customerRefs` that the
 * ERP answered nothing for lose their stored rows (no debt any more). All customers of one call commit together.
 */
export async function ingestCustomerFinance(session: IngestSession, finance: readonly ErpCustomerFinance[], options: { customerRefs?: ErpRef[] } = {}): Promise<IngestCounts> {
  const now = session.now();
  const customers = session.refs.customers;
  const owners = await customers.resolveIds(finance.map((f) => f.customerRef.erpId), now);
  const extra = await customers.resolveIds((options.customerRefs ?? []).map((r) => r.erpId), now);
  const stubs = owners.stubs + extra.stubs;
  const partitions = partitionRows(finance, owners.ids, extra.ids, (f) => [
    clip(f.currency, 8) ?? '',
    fixScale(f.debt, 2),
    fixScale(f.overdue, 2),
    f.overdueDays ?? null,
    fixScaleOrNull(f.creditLimit, 2),
    f.creditLimitEnforced,
    f.paymentTermDays ?? null,
    clip(f.asOf, 32) ?? '',
  ], (f) => clip(f.currency, 8) ?? '');
  const counts = await replacePartitions(session, FINANCE, partitions, { mode: 'replace' });
  counts.stubs += stubs;
  return counts;
}
