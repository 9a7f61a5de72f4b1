import type { Transaction } from 'sequelize';
import type { ErpProductGroup } from '../port.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { clip } from './normalize.js';
import { upsertByRef } from './upsert-by-ref.js';

/**
 * Product groups (1C Catalog_Номенклатура folders, CommerceML Классификатор/Группы). A parent named before it is
 * defined gets a stub that the same or a later batch fills in, so any order of arrival builds the same tree.
 */
export async function ingestGroups(session: IngestSession, groups: readonly ErpProductGroup[], options: { transaction?: Transaction | null } = {}): Promise<IngestCounts> {
  const resolver = session.refs.groups;
  const { counts } = await upsertByRef(
    session,
    {
      entity: 'groups',
      table: 'erp_product_groups',
      columns: ['code', 'name', 'parent_id', 'parent_erp_id', 'deleted'],
      erpId: (g) => g.ref.erpId,
      prepare: (items, transaction) =>
        resolver.ensure(
          items.flatMap((g) => (g.parentRef?.erpId ? [g.parentRef.erpId] : [])),
          session.now(),
          transaction,
        ),
      row: (g) => {
        const parent = g.parentRef?.erpId ?? null;
        return [clip(g.ref.code, 64), clip(g.name, 500) ?? '', parent ? (resolver.get(parent)?.id ?? null) : null, parent, false];
      },
    },
    groups,
    options,
  );
  return counts;
}
