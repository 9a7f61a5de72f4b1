import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/** Tenants: one row per Bitrix24 portal that installed the app, keyed by member_id. Tokens are sealed (AES-GCM). */
export const portals: Migration = {
  name: '20261123-0001-portals',
  async up({ queryInterface }) {
    await queryInterface.createTable('portals', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      member_id: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      domain: { type: DataTypes.STRING(255), allowNull: false },
      protocol: { type: DataTypes.STRING(5), allowNull: false, defaultValue: 'https' },
      server_endpoint: { type: DataTypes.STRING(512), allowNull: true },
      client_endpoint: { type: DataTypes.STRING(512), allowNull: true },
      access_token_sealed: { type: DataTypes.TEXT, allowNull: true },
      refresh_token_sealed: { type: DataTypes.TEXT, allowNull: true },
      application_token_sealed: { type: DataTypes.TEXT, allowNull: true },
      token_expires_at: { type: DataTypes.DATE, allowNull: true },
      token_user_id: { type: DataTypes.INTEGER, allowNull: true },
      scope: { type: DataTypes.STRING(1024), allowNull: true },
      app_status: { type: DataTypes.STRING(4), allowNull: true },
      status: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'installed' },
      install_finished: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      app_version: { type: DataTypes.INTEGER, allowNull: true },
      manifest_version: { type: DataTypes.INTEGER, allowNull: true },
      language_id: { type: DataTypes.STRING(8), allowNull: true },
      settings: { type: DataTypes.TEXT, allowNull: false, defaultValue: '{}' },
      installed_at: { type: DataTypes.DATE, allowNull: true },
      uninstalled_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('portals', ['domain'], { name: 'portals_domain' });

    await queryInterface.createTable('audit_log', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: true },
      actor: { type: DataTypes.STRING(128), allowNull: false },
      on_behalf_of: { type: DataTypes.STRING(128), allowNull: true },
      action: { type: DataTypes.STRING(128), allowNull: false },
      subject: { type: DataTypes.STRING(255), allowNull: true },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('audit_log', ['portal_id', 'created_at'], { name: 'audit_log_portal_time' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('audit_log');
    await queryInterface.dropTable('portals');
  },
};
