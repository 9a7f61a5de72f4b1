import type { Transaction } from 'sequelize';
import { withTransaction } from '../../jobs/sql.js';
import type { EnqueueInput, EnqueueResult } from '../../jobs/index.js';
import type { ErpOrderState } from '../port.js';
import { ingestOrderStates, type IngestCounts, type IngestSession } from '../read-model/index.js';
import { SYNC_JOB_KINDS } from './sync-entities.js';

export type OrderStateListener = (portalId: number, state: ErpOrderState) => Promise<void> | void;

export interface TransactionalEnqueuer {
  enqueueInTransaction<P>(transaction: Transaction, input: EnqueueInput<P>): Promise<EnqueueResult>;
}

export interface OrderStateChangedPayload {
  state: ErpOrderState;
}

/**
 * Stores order states and, in the same transaction, one `erp.order-state.changed` job per state that changed. The
 * ordering module's listener (onOrderStateChanged) runs from that job, so a crash after the commit still moves the
 * Bitrix24 stage, and a repeated delivery of the same state (same fingerprint = same dedup key) moves it once.
 */
export async function ingestOrderStatesWithHooks(session: IngestSession, states: readonly ErpOrderState[], queue: TransactionalEnqueuer): Promise<{ counts: IngestCounts; changed: number }> {
  if (!states.length) return { counts: (await ingestOrderStates(session, [])).counts, changed: 0 };
  return withTransaction(session.db, async (transaction) => {
    const { counts, changed } = await ingestOrderStates(session, states, { transaction });
    for (const c of changed) {
      await queue.enqueueInTransaction<OrderStateChangedPayload>(transaction, {
        kind: SYNC_JOB_KINDS.orderStateChanged,
        portalId: session.portalId,
        payload: { state: c.item },
        dedupKey: `${session.portalId}:${c.erpId}:${c.hash}`,
      });
    }
    return { counts, changed: changed.length };
  });
}
