import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * One row per robot call (portal + event_token): what the handler returned and whether the answer already went back
 * with bizproc.event.send. A retried job reads it first, so a handler's effect and the answer happen once even when
 * the worker died between the two (api-reference/bizproc/bizproc-robot/bizproc-event-send.md: a used token is refused).
 */
export const robotRuns: Migration = {
  name: '20261123-0601-robots-runs',
  async up({ queryInterface }) {
    await queryInterface.createTable('robot_runs', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      /** sha256 of event_token (base64url). */
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      code: { type: DataTypes.STRING(100), allowNull: false },
      workflow_id: { type: DataTypes.STRING(100), allowNull: true },
      document_id: { type: DataTypes.STRING(200), allowNull: true },
      /** handled: return values known, not sent yet; sent: bizproc.event.send done; send_failed: the portal refused it. */
      status: { type: DataTypes.STRING(16), allowNull: false },
      result: { type: DataTypes.STRING(16), allowNull: true },
      return_values: { type: DataTypes.TEXT, allowNull: true },
      log_message: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
      sent_at: { type: DataTypes.DATE, allowNull: true },
    });
    await queryInterface.addIndex('robot_runs', ['portal_id', 'token_hash'], { name: 'robot_runs_token', unique: true });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('robot_runs');
  },
};
