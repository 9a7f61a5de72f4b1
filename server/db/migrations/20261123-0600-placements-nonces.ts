import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * Placement POSTs already accepted, by APP_SID (a new one per widget render, api-reference/widgets/_includes/
 * widget_data.md): a second POST with the same APP_SID is a replay and is refused. Kept only as long as the user token
 * it came with can live; with REDIS_URL the same check runs in Redis instead and this table stays empty.
 */
export const placementNonces: Migration = {
  name: '20261123-0600-placements-nonces',
  async up({ queryInterface }) {
    await queryInterface.createTable('placement_nonces', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      /** sha256 of APP_SID (base64url); the raw value is never stored. */
      nonce_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('placement_nonces', ['portal_id', 'nonce_hash'], { name: 'placement_nonces_once', unique: true });
    await queryInterface.addIndex('placement_nonces', ['expires_at'], { name: 'placement_nonces_expiry' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('placement_nonces');
  },
};
