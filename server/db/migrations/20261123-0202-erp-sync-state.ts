import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * What the ERP sync remembers (server/erp/sync): per-entity cursors with a lease so one instance syncs an entity of a
 * portal at a time, the run log the sync health page reads, and the outbox of everything we push to the ERP.
 */
export const erpSyncState: Migration = {
  name: '20261123-0202-erp-sync-state',
  async up({ queryInterface, db }) {
    const longText = db.dialect === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('medium');
    await queryInterface.createTable('sync_cursors', {
      portal_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      entity: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
      // The adapter's opaque cursor token to resume a delta pull from (null: start from the beginning).
      cursor: { type: DataTypes.TEXT, allowNull: true },
      // Our own date watermark for window-based pulls (documents, order states).
      watermark: { type: DataTypes.STRING(40), allowNull: true },
      locked_by: { type: DataTypes.STRING(96), allowNull: true },
      locked_until: { type: DataTypes.DATE(3), allowNull: true },
      last_full_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });

    await queryInterface.createTable('sync_runs', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      entity: { type: DataTypes.STRING(32), allowNull: false },
      mode: { type: DataTypes.STRING(12), allowNull: false },
      trigger_source: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'schedule' },
      status: { type: DataTypes.STRING(12), allowNull: false },
      started_at: { type: DataTypes.DATE(3), allowNull: false },
      finished_at: { type: DataTypes.DATE(3), allowNull: true },
      heartbeat_at: { type: DataTypes.DATE(3), allowNull: false },
      duration_ms: { type: DataTypes.INTEGER, allowNull: true },
      counts: { type: longText, allowNull: true },
      progress_current: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      progress_total: { type: DataTypes.BIGINT, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
      job_id: { type: DataTypes.BIGINT, allowNull: true },
      worker: { type: DataTypes.STRING(96), allowNull: true },
    });
    await queryInterface.addIndex('sync_runs', ['portal_id', 'entity', 'id'], { name: 'sync_runs_portal_entity' });
    await queryInterface.addIndex('sync_runs', ['status', 'heartbeat_at'], { name: 'sync_runs_status' });

    await queryInterface.createTable('outbox', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: false },
      aggregate: { type: DataTypes.STRING(16), allowNull: false },
      aggregate_id: { type: DataTypes.STRING(64), allowNull: false },
      // Our idempotency key, stored in the ERP document (erp-integration.md §4.2).
      external_id: { type: DataTypes.STRING(64).BINARY, allowNull: false },
      payload: { type: longText, allowNull: false },
      state: { type: DataTypes.STRING(12), allowNull: false, defaultValue: 'pending' },
      erp_ref: { type: DataTypes.STRING(100), allowNull: true },
      erp_number: { type: DataTypes.STRING(64), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      max_attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 12 },
      next_attempt_at: { type: DataTypes.DATE(3), allowNull: false },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      last_error_kind: { type: DataTypes.STRING(16), allowNull: true },
      // The delivery job currently responsible for this row; a new one is enqueued on requeue.
      job_id: { type: DataTypes.BIGINT, allowNull: true },
      generation: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
      delivered_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    await queryInterface.addIndex('outbox', ['portal_id', 'aggregate', 'external_id'], { name: 'outbox_external', unique: true });
    await queryInterface.addIndex('outbox', ['portal_id', 'state', 'id'], { name: 'outbox_portal_state' });
    await queryInterface.addIndex('outbox', ['state', 'next_attempt_at'], { name: 'outbox_state_next' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('outbox');
    await queryInterface.dropTable('sync_runs');
    await queryInterface.dropTable('sync_cursors');
  },
};
