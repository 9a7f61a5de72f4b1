import { execute, selectRows, sqlTime, toId, withTransaction } from '../../jobs/sql.js';
import type { IngestSession, ReadModelEntity } from './ingest-session.js';

const TABLES: Partial<Record<ReadModelEntity, { table: string; extra: string }>> = {
  groups: { table: 'erp_product_groups', extra: '' },
  products: { table: 'erp_products', extra: ', on_sale = 0' },
  warehouses: { table: 'erp_warehouses', extra: '' },
  priceTypes: { table: 'erp_price_types', extra: '' },
  customers: { table: 'erp_customers', extra: '' },
};

/**
 * After a complete pull, rows the ERP no longer returned are marked deleted (never removed: orders, prices and
 * documents still point at them). The fingerprint is cleared, so if the ERP brings one back it is written again.
 * Stubs nobody defined are left alone.
 */
export async function markMissingDeleted(session: IngestSession, entity: ReadModelEntity, seenErpIds: ReadonlySet<string>): Promise<number> {
  const target = TABLES[entity];
  if (!target) throw new Error(`entity ${entity} is not swept after a full pull`);
  const rows = await selectRows<Record<string, unknown>>(
    session.db,
    `SELECT id, erp_id FROM ${target.table} WHERE portal_id = :portalId AND deleted = :no AND is_stub = :no`,
    { portalId: session.portalId, no: false },
  );
  const gone = rows.filter((r) => !seenErpIds.has(String(r.erp_id)));
  if (!gone.length) return 0;
  let marked = 0;
  await withTransaction(session.db, async (transaction) => {
    for (let i = 0; i < gone.length; i += 1_000) {
      marked += await execute(
        session.db,
        `UPDATE ${target.table} SET deleted = 1${target.extra}, row_hash = NULL, updated_at = :now WHERE portal_id = :portalId AND id IN (:ids)`,
        { portalId: session.portalId, ids: gone.slice(i, i + 1_000).map((r) => toId(r.id)), now: sqlTime(session.now(), session.db.dialect) },
        transaction,
      );
    }
  });
  for (const r of gone) {
    const state = session.refs[entity].get(String(r.erp_id));
    if (state) session.refs[entity].set(String(r.erp_id), { ...state, hash: null });
  }
  return marked;
}
