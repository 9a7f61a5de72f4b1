import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * Snapshot tables clustered by their snapshot partition, measured on the 1M-row ingest (tests/perf/erp-ingest.bench.ts):
 * - erp_prices by (portal, price type, product) and erp_stock by (portal, warehouse, product): a price list or a
 *   warehouse is one contiguous range, written as an append and diffed with one range scan. The old primary key's
 *   column order stays as a secondary index for "prices/stock of these products".
 * - updated_at of prices, stock and finance defaults to UTC_TIMESTAMP(3): bulk upserts leave it out of every row.
 * - sync_cursors.cursor becomes MEDIUMTEXT: a 1C version-compare cursor holds the catalog's key→version map
 *   (≈1.6 MB per 100 000 products).
 * SQLite needs none of it: its TEXT has no size classes, the ingest writes updated_at there, and the old primary key
 * and index already serve both access paths.
 */
export const erpSnapshotKeys: Migration = {
  name: '20261123-0203-erp-snapshot-keys',
  async up({ db }) {
    if (db.dialect !== 'mysql') return;
    const q = (sql: string) => db.sequelize.query(sql);
    await q(
      'ALTER TABLE erp_prices DROP PRIMARY KEY, ADD PRIMARY KEY (portal_id, price_type_id, product_id), ' +
        'DROP INDEX erp_prices_type_product, ADD INDEX erp_prices_product_type (portal_id, product_id, price_type_id), ' +
        'MODIFY updated_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3))',
    );
    await q(
      'ALTER TABLE erp_stock DROP PRIMARY KEY, ADD PRIMARY KEY (portal_id, warehouse_id, product_id), ' +
        'DROP INDEX erp_stock_warehouse_product, ADD INDEX erp_stock_product_warehouse (portal_id, product_id, warehouse_id), ' +
        'MODIFY updated_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3))',
    );
    await q('ALTER TABLE erp_customer_finance MODIFY updated_at DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3))');
    await q('ALTER TABLE sync_cursors MODIFY `cursor` MEDIUMTEXT NULL');
  },
  async down({ db, queryInterface }) {
    if (db.dialect !== 'mysql') return;
    const q = (sql: string) => db.sequelize.query(sql);
    await queryInterface.changeColumn('sync_cursors', 'cursor', { type: DataTypes.TEXT, allowNull: true });
    await q('ALTER TABLE erp_customer_finance MODIFY updated_at DATETIME(3) NOT NULL');
    await q(
      'ALTER TABLE erp_stock DROP PRIMARY KEY, ADD PRIMARY KEY (portal_id, product_id, warehouse_id), ' +
        'DROP INDEX erp_stock_product_warehouse, ADD INDEX erp_stock_warehouse_product (portal_id, warehouse_id, product_id), ' +
        'MODIFY updated_at DATETIME(3) NOT NULL',
    );
    await q(
      'ALTER TABLE erp_prices DROP PRIMARY KEY, ADD PRIMARY KEY (portal_id, product_id, price_type_id), ' +
        'DROP INDEX erp_prices_product_type, ADD INDEX erp_prices_type_product (portal_id, price_type_id, product_id), ' +
        'MODIFY updated_at DATETIME(3) NOT NULL',
    );
  },
};
