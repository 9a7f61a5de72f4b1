import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * Compiled pricing rules and catalog change stamps (server/modules/pricing, server/modules/catalog).
 *
 * pricing_rules: one row per item of the Discounts / Special offers smart processes (DESIGN.md §2: the portal is the
 * record, this is our compiled copy): the rule as the pricing engine reads it, with its target resolved to our ids,
 * or the reason it cannot apply (status unresolved / invalid). Deleted items stay as tombstones (deleted = 1), so
 * every instance notices the removal through updated_at and drops exactly the dealers it affected.
 *
 * catalog_change_stamps: a version per portal and part (catalog, prices, stock, rules, dealers) that writers bump
 * when they change what the in-memory catalog holds; every instance polls it and rebuilds what changed.
 */
export const pricingRules: Migration = {
  name: '20261123-0700-pricing-rules',
  async up({ queryInterface, db }) {
    const longText = db.dialect === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('medium');
    await queryInterface.createTable('pricing_rules', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      source: { type: DataTypes.STRING(16), allowNull: false },
      b24_item_id: { type: DataTypes.INTEGER, allowNull: false },
      title: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      rule: { type: longText, allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'ok' },
      problem: { type: DataTypes.TEXT, allowNull: true },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // Fingerprint of what was stored: an unchanged item on a full sync writes nothing and invalidates nobody.
      row_hash: { type: DataTypes.STRING(40), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await queryInterface.addIndex('pricing_rules', ['portal_id', 'source', 'b24_item_id'], { name: 'pricing_rules_item', unique: true });
    await queryInterface.addIndex('pricing_rules', ['portal_id', 'updated_at'], { name: 'pricing_rules_changed' });

    await queryInterface.createTable('catalog_change_stamps', {
      portal_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      part: { type: DataTypes.STRING(16), allowNull: false, primaryKey: true },
      version: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      changed_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('catalog_change_stamps');
    await queryInterface.dropTable('pricing_rules');
  },
};
