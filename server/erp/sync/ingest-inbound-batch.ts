import type { Database } from '../../db/database.js';
import { createJobQueue } from '../../jobs/index.js';
import type { Logger } from '../../lib/logger.js';
import type { InboundBatches, InboundEvent } from '../port.js';
import {
  createIngestSession,
  ingestGroups,
  ingestPrices,
  ingestPriceTypes,
  ingestProducts,
  ingestStock,
  ingestWarehouses,
  type IngestCounts,
} from '../read-model/index.js';
import { ingestOrderStatesWithHooks, type TransactionalEnqueuer } from './order-state-changes.js';
import { createSyncStateRepository } from './sync-state.repository.js';

export interface InboundMeta {
  /** false for delta packages (CommerceML СодержитТолькоИзменения="true"). */
  fullSnapshot: boolean;
  /** Where order-state change jobs go (defaults to the queue on the same database). */
  queue?: TransactionalEnqueuer;
  now?: () => Date;
}

const ENTITY: Record<InboundEvent, string> = {
  groups: 'groups',
  products: 'products',
  priceTypes: 'priceTypes',
  prices: 'prices',
  warehouses: 'warehouses',
  stock: 'stock',
  orderStates: 'orderStates',
};

/**
 * Where batches pushed by the ERP land (CommerceML «обмен с сайтом» through ErpInboundFeed.on): the same ingest
 * functions as the pull sync, and a sync run per batch for the health page.
 *
 * Batches are merged, never used to delete: a feed delivers one full export as many batches (1 000 offers each)
 * with no end-of-export marker, so a batch flagged fullSnapshot is still only part of the snapshot — replacing a
 * warehouse's stock with it would wipe the rest. 1C sends offers with zero quantity in a full export, so stock
 * still drops to zero; products and groups it stops sending stay until the ERP marks them deleted.
 */
export async function ingestInboundBatch<E extends InboundEvent>(
  ctx: { db: Database; logger: Logger; jobs?: TransactionalEnqueuer },
  portalId: number,
  event: E,
  batch: InboundBatches[E],
  meta: InboundMeta,
): Promise<IngestCounts> {
  const now = meta.now ?? (() => new Date());
  const startedAt = now();
  const session = createIngestSession(ctx.db, portalId, { logger: ctx.logger, now });
  const state = createSyncStateRepository(ctx.db);
  let counts: IngestCounts;
  try {
    switch (event) {
      case 'groups':
        counts = await ingestGroups(session, batch as InboundBatches['groups']);
        break;
      case 'products':
        counts = await ingestProducts(session, batch as InboundBatches['products']);
        break;
      case 'priceTypes':
        counts = await ingestPriceTypes(session, batch as InboundBatches['priceTypes']);
        break;
      case 'warehouses':
        counts = await ingestWarehouses(session, batch as InboundBatches['warehouses']);
        break;
      case 'prices':
        counts = await ingestPrices(session, batch as InboundBatches['prices'], { mode: 'merge' });
        break;
      case 'stock':
        counts = await ingestStock(session, batch as InboundBatches['stock'], { mode: 'merge' });
        break;
      case 'orderStates': {
        const queue = meta.queue ?? ctx.jobs ?? createJobQueue({ db: ctx.db, logger: ctx.logger });
        const result = await ingestOrderStatesWithHooks(session, batch as InboundBatches['orderStates'], queue);
        counts = { ...result.counts, changed: result.changed } as IngestCounts;
        break;
      }
      default:
        throw new Error(`unknown inbound event ${String(event)}`);
    }
  } catch (err) {
    await state
      .recordRun({ portalId, entity: ENTITY[event], mode: meta.fullSnapshot ? 'full' : 'delta', trigger: 'inbound', status: 'failed', startedAt, counts: { received: batch.length }, error: (err as Error).message }, now())
      .catch(() => undefined);
    throw err;
  }
  await state.recordRun({ portalId, entity: ENTITY[event], mode: meta.fullSnapshot ? 'full' : 'delta', trigger: 'inbound', status: 'ok', startedAt, counts }, now());
  return counts;
}
