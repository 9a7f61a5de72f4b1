import { z } from 'zod';

/** What the sync pulls from the ERP, one runner and one cursor each (DESIGN.md §4 Sync). */
export const SYNC_ENTITIES = ['groups', 'warehouses', 'priceTypes', 'products', 'prices', 'stock', 'customers', 'finance', 'documents', 'orderStates'] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

/**
 * Composite runs: one job, entities in dependency stages. Entities of one stage run side by side (prices and stock
 * keep the ERP busy while the other is written); each still takes its own lease and writes its own run.
 */
export const SYNC_STAGES = {
  catalog: [['groups', 'warehouses', 'priceTypes'], ['products'], ['prices', 'stock']],
  // Customers name price types and documents name customers: an entity that makes stubs of another's rows runs after
  // it, never beside it (customers beside price types deadlocked on MariaDB, both upserting the same price type rows).
  all: [['groups', 'warehouses', 'priceTypes'], ['products', 'customers'], ['documents', 'prices', 'stock', 'finance', 'orderStates']],
} as const satisfies Record<string, ReadonlyArray<readonly SyncEntity[]>>;
export type SyncGroup = keyof typeof SYNC_STAGES;

export const SYNC_GROUPS = {
  catalog: SYNC_STAGES.catalog.flat(),
  all: SYNC_STAGES.all.flat(),
} as const satisfies Record<SyncGroup, readonly SyncEntity[]>;

export const ZSyncTarget = z.enum([...SYNC_ENTITIES, 'catalog', 'all'], { message: `expected one of ${[...SYNC_ENTITIES, 'catalog', 'all'].join(', ')}` });
export type TSyncTarget = z.infer<typeof ZSyncTarget>;

export const ZSyncMode = z.enum(['full', 'delta']);
export type TSyncMode = z.infer<typeof ZSyncMode>;

export const ZSyncTrigger = z.enum(['schedule', 'manual', 'reconcile', 'inbound', 'startup']);
export type TSyncTrigger = z.infer<typeof ZSyncTrigger>;

export const ZSyncJobPayload = z.object({
  entity: ZSyncTarget,
  mode: ZSyncMode.default('delta'),
  trigger: ZSyncTrigger.default('schedule'),
});
export type TSyncJobPayload = z.infer<typeof ZSyncJobPayload>;

export const targetEntities = (target: TSyncTarget): readonly SyncEntity[] => (target === 'catalog' || target === 'all' ? SYNC_GROUPS[target] : [target]);
export const targetStages = (target: TSyncTarget): ReadonlyArray<readonly SyncEntity[]> => (target === 'catalog' || target === 'all' ? SYNC_STAGES[target] : [[target]]);

/** Job kinds of the ERP sync (the queue's registry keys). */
export const SYNC_JOB_KINDS = {
  sync: 'erp.sync',
  reconcile: 'erp.reconcile',
  deliver: 'erp.outbox.deliver',
  sweep: 'erp.outbox.sweep',
  orderStateChanged: 'erp.order-state.changed',
  cleanup: 'jobs.cleanup',
} as const;
