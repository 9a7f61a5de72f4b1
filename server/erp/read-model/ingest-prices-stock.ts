import type { ErpCustomerFinance, ErpPrice, ErpRef, ErpStock } from '../port.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { addCounts, emptyCounts } from './ingest-session.js';
import { clip, fixScale, fixScaleOrNull } from './normalize.js';
import { forEachPartition, replacePartitions, type Partition, type PartitionSpec } from './replace-partitions.js';

export type SnapshotMode = 'replace' | 'merge';

/** A characteristic (1C Характеристика, CommerceML "товар#вариант") is its own sellable item in the read model. */
export const itemErpId = (productRef: ErpRef, variantRef?: ErpRef) => (variantRef?.erpId ? `${productRef.erpId}#${variantRef.erpId}` : productRef.erpId);

const PRICES: PartitionSpec = { table: 'erp_prices', partition: 'price_type_id', key: 'product_id', values: ['price', 'currency', 'unit', 'valid_from'] };
const STOCK: PartitionSpec = { table: 'erp_stock', partition: 'warehouse_id', key: 'product_id', values: ['on_hand', 'reserved', 'available', 'expected_qty', 'expected_date'] };
const FINANCE: PartitionSpec = {
  table: 'erp_customer_finance',
  partition: 'customer_id',
  key: 'currency',
  values: ['debt', 'overdue', 'overdue_days', 'credit_limit', 'credit_limit_enforced', 'payment_term_days', 'as_of'],
};

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
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
  const stubs =
    (await priceTypes.ensure([...prices.map((p) => p.priceTypeRef.erpId), ...(options.priceTypeRefs ?? []).map((r) => r.erpId)], now)) +
    (await products.ensure(prices.map((p) => itemErpId(p.productRef, p.variantRef)), now));
  const byType = groupBy(prices, (p) => priceTypes.get(p.priceTypeRef.erpId)!.id);
  for (const ref of options.priceTypeRefs ?? []) {
    const id = priceTypes.get(ref.erpId)!.id;
    if (!byType.has(id)) byType.set(id, []);
  }
  const partitions: Partition[] = [...byType].map(([id, list]) => ({
    id,
    rows: list.map((p) => [products.get(itemErpId(p.productRef, p.variantRef))!.id, fixScale(p.price, 4), clip(p.currency, 8) ?? '', clip(p.unit, 32), clip(p.validFrom, 32)]),
  }));
  const counts = await writePartitions(session, PRICES, partitions, options.mode);
  counts.stubs += stubs;
  return counts;
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
  const stubs =
    (await warehouses.ensure([...stock.map((s) => s.warehouseRef.erpId), ...(options.warehouseRefs ?? []).map((r) => r.erpId)], now)) +
    (await products.ensure(stock.map((s) => itemErpId(s.productRef, s.variantRef)), now));
  const byWarehouse = groupBy(stock, (s) => warehouses.get(s.warehouseRef.erpId)!.id);
  for (const ref of options.warehouseRefs ?? []) {
    const id = warehouses.get(ref.erpId)!.id;
    if (!byWarehouse.has(id)) byWarehouse.set(id, []);
  }
  const partitions: Partition[] = [...byWarehouse].map(([id, list]) => ({
    id,
    rows: list.map((s) => [
      products.get(itemErpId(s.productRef, s.variantRef))!.id,
      fixScale(s.onHand, 3),
      fixScale(s.reserved, 3),
      fixScale(s.available, 3),
      fixScaleOrNull(s.expected?.qty, 3),
      clip(s.expected?.date, 32),
    ]),
  }));
  const counts = await writePartitions(session, STOCK, partitions, options.mode);
  counts.stubs += stubs;
  return counts;
}

/**
 * Receivables and credit terms, one snapshot per customer (a row per currency). Customers in `customerRefs` that the
 * ERP answered nothing for lose their stored rows (no debt any more). All customers of one call commit together.
 */
export async function ingestCustomerFinance(session: IngestSession, finance: readonly ErpCustomerFinance[], options: { customerRefs?: ErpRef[] } = {}): Promise<IngestCounts> {
  const customers = session.refs.customers;
  const stubs = await customers.ensure([...finance.map((f) => f.customerRef.erpId), ...(options.customerRefs ?? []).map((r) => r.erpId)], session.now());
  const byCustomer = groupBy(finance, (f) => customers.get(f.customerRef.erpId)!.id);
  for (const ref of options.customerRefs ?? []) {
    const id = customers.get(ref.erpId)!.id;
    if (!byCustomer.has(id)) byCustomer.set(id, []);
  }
  const partitions: Partition[] = [...byCustomer].map(([id, list]) => ({
    id,
    rows: list.map((f) => [
      clip(f.currency, 8) ?? '',
      fixScale(f.debt, 2),
      fixScale(f.overdue, 2),
      f.overdueDays ?? null,
      fixScaleOrNull(f.creditLimit, 2),
      f.creditLimitEnforced,
      f.paymentTermDays ?? null,
      clip(f.asOf, 32) ?? '',
    ]),
  }));
  const counts = await replacePartitions(session, FINANCE, partitions, { mode: 'replace' });
  counts.stubs += stubs;
  return counts;
}
