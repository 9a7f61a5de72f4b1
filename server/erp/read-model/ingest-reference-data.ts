import type { Transaction } from 'sequelize';
import type { ErpCustomer, ErpPriceType, ErpWarehouse } from '../port.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { clip } from './normalize.js';
import { upsertByRef } from './upsert-by-ref.js';

type Options = { transaction?: Transaction | null };

/** Warehouses (1C Catalog_Склады, CommerceML Склады): the partitions the stock snapshots are replaced by. */
export async function ingestWarehouses(session: IngestSession, warehouses: readonly ErpWarehouse[], options: Options = {}): Promise<IngestCounts> {
  const { counts } = await upsertByRef(
    session,
    {
      entity: 'warehouses',
      table: 'erp_warehouses',
      columns: ['code', 'name', 'city', 'address', 'deleted'],
      erpId: (w) => w.ref.erpId,
      row: (w) => [clip(w.ref.code, 64), clip(w.name, 500) ?? '', clip(w.city, 200), clip(w.address, 1000), false],
    },
    warehouses,
    options,
  );
  return counts;
}

/** Price types (1C Catalog_ВидыЦен, CommerceML ТипыЦен): the partitions price lists are replaced by. */
export async function ingestPriceTypes(session: IngestSession, priceTypes: readonly ErpPriceType[], options: Options = {}): Promise<IngestCounts> {
  const { counts } = await upsertByRef(
    session,
    {
      entity: 'priceTypes',
      table: 'erp_price_types',
      columns: ['code', 'name', 'currency', 'vat_included', 'deleted'],
      erpId: (t) => t.ref.erpId,
      row: (t) => [clip(t.ref.code, 64), clip(t.name, 500) ?? '', clip(t.currency, 8), t.vatIncluded, false],
    },
    priceTypes,
    options,
  );
  return counts;
}

/** ERP customers (counterparties) with their contract price type; dealers link to them by erp id or INN. */
export async function ingestCustomers(session: IngestSession, customers: readonly ErpCustomer[], options: Options = {}): Promise<IngestCounts> {
  const priceTypes = session.refs.priceTypes;
  const { counts } = await upsertByRef(
    session,
    {
      entity: 'customers',
      table: 'erp_customers',
      columns: ['code', 'name', 'inn', 'kpp', 'price_type_id', 'price_type_erp_id', 'deleted'],
      erpId: (c) => c.ref.erpId,
      prepare: (items, transaction) => priceTypes.ensure(items.flatMap((c) => (c.priceTypeRef?.erpId ? [c.priceTypeRef.erpId] : [])), session.now(), transaction),
      row: (c) => {
        const pt = c.priceTypeRef?.erpId ?? null;
        return [clip(c.ref.code, 64), clip(c.name, 500) ?? '', clip(c.inn, 20), clip(c.kpp, 20), pt ? (priceTypes.get(pt)?.id ?? null) : null, pt, false];
      },
    },
    customers,
    options,
  );
  return counts;
}
