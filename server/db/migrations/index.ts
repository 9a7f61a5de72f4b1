import type { Migration } from '../migrate.js';
import { portals } from './20261123-0001-portals.js';
import { dealers } from './20261123-0002-dealers.js';
import { jobsQueue } from './20261123-0200-jobs-queue.js';
import { erpReadModel } from './20261123-0201-erp-read-model.js';
import { erpSyncState } from './20261123-0202-erp-sync-state.js';
import { placementNonces } from './20261123-0600-placements-nonces.js';
import { robotRuns } from './20261123-0601-robots-runs.js';
import { pricingRules } from './20261123-0700-pricing-rules.js';
import { erpSnapshotKeys } from './20261123-0203-erp-snapshot-keys.js';
import { cartsOrders } from './20261123-0800-carts-orders.js';

/**
 * Every migration, in the order it runs. Names start with a date and a sequence number so parallel work merges
 * cleanly; a migration, once on main, is never edited — add a new one.
 */
export const migrations: Migration[] = [portals, dealers, jobsQueue, erpReadModel, erpSyncState, placementNonces, robotRuns, pricingRules, erpSnapshotKeys, cartsOrders];
