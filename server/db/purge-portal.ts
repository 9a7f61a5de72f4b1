import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * Deletes every row of a portal from every table that has a portal_id column, found from the schema itself, so a
 * table added later cannot be forgotten. The portals row stays as a tombstone (status uninstalled).
 */
export async function purgePortalData(sequelize: Sequelize, portalId: number): Promise<Record<string, number>> {
  const qi = sequelize.getQueryInterface();
  const tables = (await qi.showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
  const deleted: Record<string, number> = {};
  await sequelize.transaction(async (transaction) => {
    for (const table of tables.sort()) {
      if (table === 'portals') continue;
      const columns = await qi.describeTable(table);
      if (!('portal_id' in columns)) continue;
      const count: unknown = await sequelize.query(`DELETE FROM ${qi.quoteIdentifier(table)} WHERE portal_id = :portalId`, {
        replacements: { portalId },
        transaction,
        type: QueryTypes.BULKDELETE,
      });
      deleted[table] = Number(count) || 0;
    }
  });
  return deleted;
}
