import type { ScheduleDefinition } from '../../jobs/index.js';
import { SYNC_JOB_KINDS, type TSyncJobPayload } from './sync-entities.js';

const sync = (name: string, cron: string, payload: TSyncJobPayload, maxAttempts = 3): ScheduleDefinition<TSyncJobPayload> => ({
  name,
  cron,
  kind: SYNC_JOB_KINDS.sync,
  payload: () => payload,
  maxAttempts,
});

/**
 * When the ERP sync runs (STYLE.md §6: schedules are data; node-cron only enqueues, the queue dedups per slot).
 * Stock and order states change all day and are cheap to diff; the catalog delta (1C DataVersion compare) every
 * quarter hour; a full catalog pass and the reconciliation at night.
 */
export const SYNC_SCHEDULES: ScheduleDefinition[] = [
  sync('erp.order-states', '*/2 * * * *', { entity: 'orderStates', mode: 'delta', trigger: 'schedule' }),
  sync('erp.stock', '*/5 * * * *', { entity: 'stock', mode: 'delta', trigger: 'schedule' }),
  sync('erp.catalog', '*/15 * * * *', { entity: 'catalog', mode: 'delta', trigger: 'schedule' }),
  sync('erp.finance', '*/30 * * * *', { entity: 'finance', mode: 'delta', trigger: 'schedule' }),
  sync('erp.customers', '5 * * * *', { entity: 'customers', mode: 'delta', trigger: 'schedule' }),
  sync('erp.documents', '20 * * * *', { entity: 'documents', mode: 'delta', trigger: 'schedule' }),
  sync('erp.catalog-full', '30 1 * * *', { entity: 'catalog', mode: 'full', trigger: 'schedule' }),
  { name: 'erp.reconcile', cron: '30 2 * * *', kind: SYNC_JOB_KINDS.reconcile, payload: () => ({}), maxAttempts: 2 },
  { name: 'erp.outbox-sweep', cron: '* * * * *', kind: SYNC_JOB_KINDS.sweep, payload: () => ({}), perPortal: false, maxAttempts: 1 },
  { name: 'jobs.cleanup', cron: '15 3 * * *', kind: SYNC_JOB_KINDS.cleanup, payload: () => ({}), perPortal: false, maxAttempts: 1 },
];
