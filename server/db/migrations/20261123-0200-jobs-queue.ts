import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * The durable job queue every domain uses (robots, events, ERP sync, notifications): one row per job, claimed by any
 * instance with a lease (locked_by/locked_until), deduplicated per (kind, dedup_key). See server/jobs/.
 */
export const jobsQueue: Migration = {
  name: '20261123-0200-jobs-queue',
  async up({ queryInterface, db }) {
    const longText = db.dialect === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('medium');
    await queryInterface.createTable('jobs', {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      portal_id: { type: DataTypes.INTEGER, allowNull: true },
      kind: { type: DataTypes.STRING(64), allowNull: false },
      // 191 characters keep the unique (kind, dedup_key) index inside InnoDB's key limit with utf8mb4.
      dedup_key: { type: DataTypes.STRING(191).BINARY, allowNull: true },
      payload: { type: longText, allowNull: false },
      status: { type: DataTypes.STRING(12), allowNull: false, defaultValue: 'queued' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      max_attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 10 },
      run_at: { type: DataTypes.DATE(3), allowNull: false },
      locked_by: { type: DataTypes.STRING(96), allowNull: true },
      locked_until: { type: DataTypes.DATE(3), allowNull: true },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      result: { type: longText, allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
      started_at: { type: DataTypes.DATE(3), allowNull: true },
      finished_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    // NULL dedup keys never collide (SQLite and InnoDB both allow many NULLs in a unique index).
    await queryInterface.addIndex('jobs', ['kind', 'dedup_key'], { name: 'jobs_kind_dedup', unique: true });
    // The claim query: runnable jobs by time.
    await queryInterface.addIndex('jobs', ['status', 'run_at'], { name: 'jobs_status_run_at' });
    // The reaper: running jobs whose lease ran out.
    await queryInterface.addIndex('jobs', ['status', 'locked_until'], { name: 'jobs_status_locked_until' });
    await queryInterface.addIndex('jobs', ['portal_id', 'status', 'id'], { name: 'jobs_portal_status' });
    await queryInterface.addIndex('jobs', ['kind', 'status'], { name: 'jobs_kind_status' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('jobs');
  },
};
