import { DataTypes } from 'sequelize';
import type { Dialect } from '../database.js';
import type { Migration } from '../migrate.js';

/**
 * The ERP read model (DESIGN.md §2): catalog, pricing, stock, customers, finance, documents and order states, copied
 * from the ERP per portal by server/erp/sync and read by the catalog, pricing, finance and ordering modules.
 *
 * Money and quantities are DECIMAL on MariaDB. SQLite has no exact decimal type (a DECIMAL column gets NUMERIC affinity
 * and turns "10.10" into the float 10.1), so there the same columns are TEXT holding the fixed-scale decimal string
 * the ingest writes ("10.1000"); sort with CAST(... AS REAL) on SQLite only.
 *
 * Surrogate integer ids (not ERP GUIDs) key the big tables, so prices and stock stay narrow and join fast; every
 * entity keeps its ERP reference in erp_id, unique per portal.
 */
function decimal(dialect: Dialect, precision: number, scale: number) {
  return dialect === 'sqlite' ? DataTypes.STRING(48) : DataTypes.DECIMAL(precision, scale);
}

export const erpReadModel: Migration = {
  name: '20261123-0201-erp-read-model',
  async up({ queryInterface, db }) {
    const d = db.dialect;
    // MEDIUMTEXT on MariaDB (TEXT stops at 64 KiB); SQLite's TEXT has no size classes.
    const longText = d === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('medium');
    // Fresh attribute objects per table: sequelize normalizes (mutates) the definitions it is given.
    const ids = () => ({ type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true });
    const portals = () => ({ type: DataTypes.INTEGER, allowNull: false });
    // Binary collation: ERP references and barcodes are compared exactly (and faster), never case-folded.
    const erpIds = () => ({ type: DataTypes.STRING(100).BINARY, allowNull: false });
    const rowHashes = () => ({ type: DataTypes.STRING(40), allowNull: true });
    const stampSet = () => ({
      synced_at: { type: DataTypes.DATE(3), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });

    await queryInterface.createTable('erp_product_groups', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      code: { type: DataTypes.STRING(64), allowNull: true },
      name: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      parent_id: { type: DataTypes.BIGINT, allowNull: true },
      parent_erp_id: { type: DataTypes.STRING(100).BINARY, allowNull: true },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // Referenced by a product before the group itself arrived; a later group sync fills it in.
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_product_groups', ['portal_id', 'erp_id'], { name: 'erp_product_groups_ref', unique: true });
    await queryInterface.addIndex('erp_product_groups', ['portal_id', 'parent_id'], { name: 'erp_product_groups_parent' });

    await queryInterface.createTable('erp_products', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      code: { type: DataTypes.STRING(64), allowNull: true },
      sku: { type: DataTypes.STRING(100), allowNull: true },
      name: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      full_name: { type: DataTypes.STRING(1000), allowNull: true },
      // Lower-cased name, sku, code, brand and barcodes (ё→е) for simple LIKE search; the search module builds its own index.
      search_text: { type: DataTypes.TEXT, allowNull: true },
      group_id: { type: DataTypes.BIGINT, allowNull: true },
      group_erp_id: { type: DataTypes.STRING(100).BINARY, allowNull: true },
      brand: { type: DataTypes.STRING(200), allowNull: true },
      base_unit: { type: DataTypes.TEXT, allowNull: true },
      pack_units: { type: DataTypes.TEXT, allowNull: true },
      properties: { type: longText, allowNull: true },
      barcodes: { type: DataTypes.TEXT, allowNull: true },
      analogs: { type: DataTypes.TEXT, allowNull: true },
      pictures: { type: DataTypes.TEXT, allowNull: true },
      description: { type: longText, allowNull: true },
      vat_rate: { type: decimal(d, 6, 2), allowNull: true },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      on_sale: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // A price or stock row named this product before the product itself arrived.
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      version: { type: DataTypes.STRING(100), allowNull: true },
      modified_at: { type: DataTypes.DATE(3), allowNull: true },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_products', ['portal_id', 'erp_id'], { name: 'erp_products_ref', unique: true });
    await queryInterface.addIndex('erp_products', ['portal_id', 'sku'], { name: 'erp_products_sku' });
    await queryInterface.addIndex('erp_products', ['portal_id', 'group_id', 'on_sale'], { name: 'erp_products_group' });

    // One row per barcode: a product has several (EAN of the unit and of each pack) and lookups go barcode → product.
    await queryInterface.createTable('erp_product_barcodes', {
      portal_id: { ...portals(), primaryKey: true },
      barcode: { type: DataTypes.STRING(64).BINARY, allowNull: false, primaryKey: true },
      product_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
    });
    await queryInterface.addIndex('erp_product_barcodes', ['portal_id', 'product_id'], { name: 'erp_product_barcodes_product' });

    await queryInterface.createTable('erp_warehouses', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      code: { type: DataTypes.STRING(64), allowNull: true },
      name: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      city: { type: DataTypes.STRING(200), allowNull: true },
      address: { type: DataTypes.STRING(1000), allowNull: true },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_warehouses', ['portal_id', 'erp_id'], { name: 'erp_warehouses_ref', unique: true });
    await queryInterface.addIndex('erp_warehouses', ['portal_id', 'city'], { name: 'erp_warehouses_city' });

    await queryInterface.createTable('erp_price_types', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      code: { type: DataTypes.STRING(64), allowNull: true },
      name: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      currency: { type: DataTypes.STRING(8), allowNull: true },
      vat_included: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_price_types', ['portal_id', 'erp_id'], { name: 'erp_price_types_ref', unique: true });

    // Clustered on (portal, product, price type): a dealer's cart or catalog page reads a few products' prices.
    await queryInterface.createTable('erp_prices', {
      portal_id: { ...portals(), primaryKey: true },
      product_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      price_type_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      price: { type: decimal(d, 18, 4), allowNull: false },
      currency: { type: DataTypes.STRING(8), allowNull: false },
      unit: { type: DataTypes.STRING(32), allowNull: true },
      valid_from: { type: DataTypes.STRING(32), allowNull: true },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // Whole price lists (pricing engine rebuilds a dealer's cache, the per-price-type snapshot diff).
    await queryInterface.addIndex('erp_prices', ['portal_id', 'price_type_id', 'product_id'], { name: 'erp_prices_type_product' });

    await queryInterface.createTable('erp_stock', {
      portal_id: { ...portals(), primaryKey: true },
      product_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      warehouse_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      on_hand: { type: decimal(d, 18, 3), allowNull: false },
      reserved: { type: decimal(d, 18, 3), allowNull: false },
      available: { type: decimal(d, 18, 3), allowNull: false },
      expected_qty: { type: decimal(d, 18, 3), allowNull: true },
      expected_date: { type: DataTypes.STRING(32), allowNull: true },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // A warehouse's snapshot is replaced as a whole: the diff reads it by (portal, warehouse).
    await queryInterface.addIndex('erp_stock', ['portal_id', 'warehouse_id', 'product_id'], { name: 'erp_stock_warehouse_product' });

    await queryInterface.createTable('erp_customers', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      code: { type: DataTypes.STRING(64), allowNull: true },
      name: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      inn: { type: DataTypes.STRING(20), allowNull: true },
      kpp: { type: DataTypes.STRING(20), allowNull: true },
      price_type_id: { type: DataTypes.BIGINT, allowNull: true },
      price_type_erp_id: { type: DataTypes.STRING(100).BINARY, allowNull: true },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_customers', ['portal_id', 'erp_id'], { name: 'erp_customers_ref', unique: true });
    await queryInterface.addIndex('erp_customers', ['portal_id', 'inn'], { name: 'erp_customers_inn' });

    // Snapshot per customer (one row per currency): replaced as a whole when the ERP answers for that customer.
    await queryInterface.createTable('erp_customer_finance', {
      portal_id: { ...portals(), primaryKey: true },
      customer_id: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
      currency: { type: DataTypes.STRING(8), allowNull: false, primaryKey: true },
      debt: { type: decimal(d, 18, 2), allowNull: false },
      overdue: { type: decimal(d, 18, 2), allowNull: false },
      overdue_days: { type: DataTypes.INTEGER, allowNull: true },
      credit_limit: { type: decimal(d, 18, 2), allowNull: true },
      credit_limit_enforced: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      payment_term_days: { type: DataTypes.INTEGER, allowNull: true },
      as_of: { type: DataTypes.STRING(32), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });

    await queryInterface.createTable('erp_documents', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      kind: { type: DataTypes.STRING(16), allowNull: false },
      number: { type: DataTypes.STRING(64), allowNull: false },
      doc_date: { type: DataTypes.STRING(32), allowNull: false },
      customer_id: { type: DataTypes.BIGINT, allowNull: true },
      customer_erp_id: { type: DataTypes.STRING(100).BINARY, allowNull: false },
      amount: { type: decimal(d, 18, 2), allowNull: false },
      currency: { type: DataTypes.STRING(8), allowNull: false },
      order_erp_id: { type: DataTypes.STRING(100).BINARY, allowNull: true },
      order_external_id: { type: DataTypes.STRING(64).BINARY, allowNull: true },
      posted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      has_file: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_documents', ['portal_id', 'erp_id'], { name: 'erp_documents_ref', unique: true });
    await queryInterface.addIndex('erp_documents', ['portal_id', 'customer_id', 'doc_date'], { name: 'erp_documents_customer_date' });
    await queryInterface.addIndex('erp_documents', ['portal_id', 'order_external_id'], { name: 'erp_documents_order' });

    await queryInterface.createTable('erp_order_states', {
      id: ids(),
      portal_id: portals(),
      erp_id: erpIds(),
      external_id: { type: DataTypes.STRING(64).BINARY, allowNull: true },
      number: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      raw_status: { type: DataTypes.STRING(200), allowNull: false },
      posted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      total: { type: decimal(d, 18, 2), allowNull: true },
      line_items: { type: longText, allowNull: true },
      erp_updated_at: { type: DataTypes.STRING(32), allowNull: true },
      is_stub: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      row_hash: rowHashes(),
      ...stampSet(),
    });
    await queryInterface.addIndex('erp_order_states', ['portal_id', 'erp_id'], { name: 'erp_order_states_ref', unique: true });
    await queryInterface.addIndex('erp_order_states', ['portal_id', 'external_id'], { name: 'erp_order_states_external' });
  },
  async down({ queryInterface }) {
    for (const table of [
      'erp_order_states', 'erp_documents', 'erp_customer_finance', 'erp_customers', 'erp_stock', 'erp_prices',
      'erp_price_types', 'erp_warehouses', 'erp_product_barcodes', 'erp_products', 'erp_product_groups',
    ]) {
      await queryInterface.dropTable(table);
    }
  },
};
