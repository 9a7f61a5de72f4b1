import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { RefResolver } from './ref-resolver.js';

export type ReadModelEntity = 'groups' | 'products' | 'warehouses' | 'priceTypes' | 'customers' | 'documents' | 'orderStates';

export interface IngestCounts {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Placeholder rows created for references that arrived before their entity. */
  stubs: number;
}

export const emptyCounts = (): IngestCounts => ({ received: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, stubs: 0 });

export function addCounts(into: IngestCounts, from: Partial<IngestCounts>): IngestCounts {
  for (const k of Object.keys(into) as Array<keyof IngestCounts>) into[k] += from[k] ?? 0;
  return into;
}

/**
 * One ingest of one portal (a sync run, or one inbound CommerceML batch): the database, the clock, and the reference
 * caches that turn ERP ids into our ids. Reusing a session across pages of a run keeps those caches warm.
 */
export interface IngestSession {
  db: Database;
  portalId: number;
  logger: Logger;
  now: () => Date;
  refs: Record<ReadModelEntity, RefResolver>;
  /** Partitions (price types, warehouses) written at once on MariaDB; SQLite has one writer. */
  parallelism: number;
}

export function createIngestSession(db: Database, portalId: number, options: { logger: Logger; now?: () => Date; parallelism?: number }): IngestSession {
  const resolver = (table: string, stub: { columns: string[]; values: (erpId: string) => Array<string | number | boolean | null> } = { columns: [], values: () => [] }) =>
    new RefResolver(db, table, portalId, stub);
  return {
    db,
    portalId,
    logger: options.logger,
    now: options.now ?? (() => new Date()),
    parallelism: db.dialect === 'sqlite' ? 1 : Math.max(1, options.parallelism ?? 2),
    refs: {
      groups: resolver('erp_product_groups'),
      // A stub product is not on sale until its own data arrives.
      products: resolver('erp_products', { columns: ['on_sale'], values: () => [false] }),
      warehouses: resolver('erp_warehouses'),
      priceTypes: resolver('erp_price_types'),
      customers: resolver('erp_customers'),
      documents: resolver('erp_documents'),
      orderStates: resolver('erp_order_states'),
    },
  };
}
