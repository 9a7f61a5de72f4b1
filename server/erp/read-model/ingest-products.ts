import type { Transaction } from 'sequelize';
import { execute } from '../../jobs/sql.js';
import type { ErpProduct } from '../port.js';
import { upsertRows } from './bulk-upsert.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { clip, fixScaleOrNull, jsonOrNull, searchText } from './normalize.js';
import { upsertByRef } from './upsert-by-ref.js';

const COLUMNS = [
  'code', 'sku', 'name', 'full_name', 'search_text', 'group_id', 'group_erp_id', 'brand', 'base_unit', 'pack_units',
  'properties', 'barcodes', 'analogs', 'pictures', 'description', 'vat_rate', 'deleted', 'on_sale', 'version', 'modified_at',
] as const;

function modifiedAt(p: ErpProduct): Date | null {
  if (!p.modifiedAt) return null;
  const d = new Date(p.modifiedAt);
  return Number.isNaN(d.getTime()) ? null : d;
}

const cleanBarcodes = (p: ErpProduct) => [...new Set((p.barcodes ?? []).map((b) => b.trim()).filter((b) => b && b.length <= 64))];

/**
 * Nomenclature. Unchanged products (same fingerprint) are skipped; changed ones are rewritten with their barcode rows.
 * Deleted (DeletionMark / ПометкаУдаления) products stay for history and order lines, just not on sale.
 */
export async function ingestProducts(session: IngestSession, products: readonly ErpProduct[], options: { transaction?: Transaction | null } = {}): Promise<IngestCounts> {
  const groups = session.refs.groups;
  const { counts, written } = await upsertByRef(
    session,
    {
      entity: 'products',
      table: 'erp_products',
      columns: COLUMNS,
      erpId: (p) => p.ref.erpId,
      prepare: (items, transaction) =>
        groups.ensure(
          items.flatMap((p) => (p.groupRef?.erpId ? [p.groupRef.erpId] : [])),
          session.now(),
          transaction,
        ),
      row: (p) => {
        const barcodes = cleanBarcodes(p);
        const groupErpId = p.groupRef?.erpId ?? null;
        return [
          clip(p.ref.code, 64),
          clip(p.sku, 100),
          clip(p.name, 500) ?? '',
          clip(p.fullName, 1000),
          searchText([p.name, p.sku, p.ref.code, p.brand, ...barcodes]),
          groupErpId ? (groups.get(groupErpId)?.id ?? null) : null,
          groupErpId,
          clip(p.brand, 200),
          JSON.stringify(p.baseUnit),
          jsonOrNull(p.packUnits),
          jsonOrNull(p.properties),
          barcodes.length ? barcodes.join(' ') : null,
          jsonOrNull(p.analogRefs?.map((r) => r.erpId)),
          jsonOrNull(p.pictures),
          p.description ?? null,
          fixScaleOrNull(p.vatRate, 2),
          p.deleted,
          !p.deleted,
          clip(p.version, 100),
          modifiedAt(p),
        ];
      },
    },
    products,
    options,
  );
  await writeBarcodes(session, written.map((w) => ({ id: w.id, isNew: w.isNew, barcodes: cleanBarcodes(w.item) })), options.transaction);
  return counts;
}

/** Barcode rows of the products just written: old ones go, current ones come (a barcode may move between products). */
async function writeBarcodes(session: IngestSession, products: Array<{ id: number; isNew: boolean; barcodes: string[] }>, transaction?: Transaction | null): Promise<void> {
  const existing = products.filter((p) => !p.isNew).map((p) => p.id);
  for (let i = 0; i < existing.length; i += 1_000) {
    await execute(session.db, 'DELETE FROM erp_product_barcodes WHERE portal_id = :portalId AND product_id IN (:ids)', { portalId: session.portalId, ids: existing.slice(i, i + 1_000) }, transaction);
  }
  const rows = products.flatMap((p) => p.barcodes.map((b) => [session.portalId, b, p.id]));
  await upsertRows(session.db, { table: 'erp_product_barcodes', columns: ['portal_id', 'barcode', 'product_id'], key: ['portal_id', 'barcode', 'product_id'], update: [] }, rows, { transaction });
}
