import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * The dealers read model (DESIGN.md §2: the Dealers smart process is the record; we keep a copy for access checks and
 * pricing), the legal entities of a dealer (a holding may order for several), and dealer users with their role inside
 * the dealer (head / buyer / accountant / viewer), which Bitrix24 has no notion of.
 */
export const dealers: Migration = {
  name: '20261123-0002-dealers',
  async up({ queryInterface }) {
    await queryInterface.createTable('dealers', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      b24_item_id: { type: DataTypes.INTEGER, allowNull: false },
      title: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      stage: { type: DataTypes.STRING(32), allowNull: false, defaultValue: 'active' },
      company_id: { type: DataTypes.INTEGER, allowNull: true },
      erp_customer_id: { type: DataTypes.STRING(100), allowNull: true },
      price_type_erp_id: { type: DataTypes.STRING(100), allowNull: true },
      dealer_group: { type: DataTypes.STRING(32), allowNull: true },
      city: { type: DataTypes.STRING(200), allowNull: true },
      region: { type: DataTypes.STRING(200), allowNull: true },
      credit_limit: { type: DataTypes.DECIMAL(18, 2), allowNull: true },
      currency: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'RUB' },
      payment_term_days: { type: DataTypes.INTEGER, allowNull: true },
      block_over_limit: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      block_overdue_days: { type: DataTypes.INTEGER, allowNull: true },
      manager_user_id: { type: DataTypes.INTEGER, allowNull: true },
      synced_at: { type: DataTypes.DATE, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('dealers', ['portal_id', 'b24_item_id'], { name: 'dealers_item', unique: true });
    await queryInterface.addIndex('dealers', ['portal_id', 'company_id'], { name: 'dealers_company' });

    await queryInterface.createTable('dealer_legal_entities', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      dealer_id: { type: DataTypes.INTEGER, allowNull: false },
      company_id: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
      inn: { type: DataTypes.STRING(20), allowNull: true },
      kpp: { type: DataTypes.STRING(20), allowNull: true },
      erp_customer_id: { type: DataTypes.STRING(100), allowNull: true },
      is_main: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('dealer_legal_entities', ['portal_id', 'dealer_id', 'company_id'], { name: 'dealer_legal_entities_company', unique: true });

    await queryInterface.createTable('dealer_users', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      dealer_id: { type: DataTypes.INTEGER, allowNull: false },
      b24_user_id: { type: DataTypes.INTEGER, allowNull: false },
      contact_id: { type: DataTypes.INTEGER, allowNull: true },
      name: { type: DataTypes.STRING(300), allowNull: false, defaultValue: '' },
      email: { type: DataTypes.STRING(300), allowNull: true },
      role: { type: DataTypes.STRING(32), allowNull: false, defaultValue: 'dealer_buyer' },
      grants: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      /** Legal entities the user may act for; empty = all of the dealer's. */
      legal_entity_ids: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      notification_settings: { type: DataTypes.TEXT, allowNull: false, defaultValue: '{}' },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('dealer_users', ['portal_id', 'b24_user_id'], { name: 'dealer_users_user', unique: true });
    await queryInterface.addIndex('dealer_users', ['portal_id', 'dealer_id'], { name: 'dealer_users_dealer' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('dealer_users');
    await queryInterface.dropTable('dealer_legal_entities');
    await queryInterface.dropTable('dealers');
  },
};
