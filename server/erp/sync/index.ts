/** ERP sync engine: pull runners with cursors and run log, inbound batches, outbox to the ERP, reconciliation, health API. */
export { createErpSync, createErpSyncForContext, type ErpSync, type ErpSyncDeps, type SyncRunSummary } from './erp-sync.js';
export { ingestInboundBatch, type InboundMeta } from './ingest-inbound-batch.js';
export { enqueueOutbox, requeueOutbox, deliverOutbox, type DeliverPayload, type DeliveryOutcome } from './outbox-delivery.js';
export { createOutboxRepository, OUTBOX_STATES, type OutboxItem, type OutboxInput, type OutboxState, type OutboxAggregate } from './outbox.repository.js';
export { reconcilePortal, type DriftReport } from './reconcile.js';
export { runEntitySync, type EntitySyncResult, type SyncDeps } from './run-entity-sync.js';
export { SYNC_ENTITIES, SYNC_GROUPS, SYNC_STAGES, targetStages, SYNC_JOB_KINDS, ZSyncJobPayload, ZSyncTarget, ZSyncMode, targetEntities, type SyncEntity, type TSyncTarget, type TSyncMode, type TSyncTrigger } from './sync-entities.js';
export { DEFAULT_SYNC_OPTIONS, resolveSyncOptions, type SyncOptions } from './sync-options.js';
export { SYNC_SCHEDULES } from './sync.schedule.js';
export { createSyncStateRepository, type SyncRun, type SyncRunStatus } from './sync-state.repository.js';
export { getSyncHealth, type SyncHealth, type EntityHealth } from './sync-health.service.js';
export { syncHealthRoutes, ZOutboxListQuery, ZSyncRunBody } from './sync-health.routes.js';
export type { OrderStateListener } from './order-state-changes.js';
