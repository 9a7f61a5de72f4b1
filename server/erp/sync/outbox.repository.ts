import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { execute, fromSqlTime, insert, isUniqueViolation, selectRows, sqlTime, toId } from '../../jobs/sql.js';
import type { SubmitClaim, SubmitOrder } from '../port.js';

type Row = Record<string, unknown>;

/**
 * pending: not in the ERP yet (or unknown after a failed attempt: `failed` says the last try failed and a retry is
 * scheduled); created: the ERP has the document (erp_ref) but it is not posted; posted: done; dead: will not be
 * retried without a person (validation/auth errors, or out of attempts) — requeue puts it back.
 */
export type OutboxState = 'pending' | 'failed' | 'created' | 'posted' | 'dead';
export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'failed', 'created', 'posted', 'dead'];
export type OutboxAggregate = 'order' | 'claim';

export interface OutboxItem {
  id: number;
  portalId: number;
  aggregate: OutboxAggregate;
  aggregateId: string;
  externalId: string;
  payload: SubmitOrder | SubmitClaim;
  state: OutboxState;
  erpRef: string | null;
  erpNumber: string | null;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  lastErrorKind: string | null;
  jobId: number | null;
  generation: number;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface OutboxInput {
  portalId: number;
  aggregate: OutboxAggregate;
  /** Our id of the order or claim (e.g. the Bitrix24 item id). */
  aggregateId: string;
  /** Idempotency key stored in the ERP document; unique per portal and aggregate. */
  externalId: string;
  payload: SubmitOrder | SubmitClaim;
  maxAttempts?: number;
  /**
   * A dead row of the same external id is put back in line with this payload: a resend once the cause the ERP
   * gave was fixed (a line replaced, the customer set up). Without it a dead row stays dead (admins requeue).
   */
  reviveDead?: boolean;
}

function toItem(r: Row): OutboxItem {
  return {
    id: toId(r.id),
    portalId: Number(r.portal_id),
    aggregate: String(r.aggregate) as OutboxAggregate,
    aggregateId: String(r.aggregate_id),
    externalId: String(r.external_id),
    payload: JSON.parse(String(r.payload)) as SubmitOrder | SubmitClaim,
    state: String(r.state) as OutboxState,
    erpRef: (r.erp_ref as string | null) ?? null,
    erpNumber: (r.erp_number as string | null) ?? null,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    nextAttemptAt: fromSqlTime(r.next_attempt_at)!,
    lastError: (r.last_error as string | null) ?? null,
    lastErrorKind: (r.last_error_kind as string | null) ?? null,
    jobId: r.job_id === null || r.job_id === undefined ? null : toId(r.job_id),
    generation: Number(r.generation),
    createdAt: fromSqlTime(r.created_at)!,
    updatedAt: fromSqlTime(r.updated_at)!,
    deliveredAt: fromSqlTime(r.delivered_at),
  };
}

export function createOutboxRepository(db: Database) {
  const t = (d: Date) => sqlTime(d, db.dialect);
  return {
    /** Inserts a row, or returns the existing one for the same (portal, aggregate, external id). */
    async insert(input: OutboxInput, defaults: { maxAttempts: number }, now: Date, transaction: Transaction): Promise<{ item: OutboxItem; created: boolean }> {
      try {
        const { insertId } = await insert(
          db,
          'INSERT INTO outbox (portal_id, aggregate, aggregate_id, external_id, payload, state, attempts, max_attempts, next_attempt_at, generation, created_at, updated_at) ' +
            "VALUES (:portalId, :aggregate, :aggregateId, :externalId, :payload, 'pending', 0, :maxAttempts, :now, 0, :now, :now)",
          {
            portalId: input.portalId,
            aggregate: input.aggregate,
            aggregateId: input.aggregateId,
            externalId: input.externalId,
            payload: JSON.stringify(input.payload),
            maxAttempts: input.maxAttempts ?? defaults.maxAttempts,
            now: t(now),
          },
          transaction,
        );
        const [row] = await selectRows<Row>(db, 'SELECT * FROM outbox WHERE id = :id', { id: insertId }, transaction);
        return { item: toItem(row!), created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const [row] = await selectRows<Row>(
          db,
          'SELECT * FROM outbox WHERE portal_id = :portalId AND aggregate = :aggregate AND external_id = :externalId',
          { portalId: input.portalId, aggregate: input.aggregate, externalId: input.externalId },
          transaction,
        );
        if (!row) throw err;
        return { item: toItem(row), created: false };
      }
    },

    async get(id: number, filter: { portalId?: number } = {}, transaction?: Transaction | null): Promise<OutboxItem | null> {
      const portal = filter.portalId === undefined ? '' : ' AND portal_id = :portalId';
      const [row] = await selectRows<Row>(db, `SELECT * FROM outbox WHERE id = :id${portal}`, { id, portalId: filter.portalId }, transaction);
      return row ? toItem(row) : null;
    },

    async findByExternalId(portalId: number, aggregate: OutboxAggregate, externalId: string): Promise<OutboxItem | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM outbox WHERE portal_id = :portalId AND aggregate = :aggregate AND external_id = :externalId', { portalId, aggregate, externalId });
      return row ? toItem(row) : null;
    },

    async list(query: { portalId: number; state?: OutboxState; aggregate?: OutboxAggregate; limit?: number; offset?: number }): Promise<{ items: OutboxItem[]; total: number }> {
      const where = ['portal_id = :portalId'];
      if (query.state) where.push('state = :state');
      if (query.aggregate) where.push('aggregate = :aggregate');
      const limit = Math.floor(Math.min(Math.max(query.limit ?? 50, 1), 200));
      const offset = Math.floor(Math.max(query.offset ?? 0, 0));
      const rows = await selectRows<Row>(db, `SELECT * FROM outbox WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`, query);
      const [count] = await selectRows<Row>(db, `SELECT COUNT(*) AS n FROM outbox WHERE ${where.join(' AND ')}`, query);
      return { items: rows.map(toItem), total: Number(count?.n ?? 0) };
    },

    async countByState(portalId?: number): Promise<Record<OutboxState, number>> {
      const rows = await selectRows<Row>(db, `SELECT state, COUNT(*) AS n FROM outbox ${portalId === undefined ? '' : 'WHERE portal_id = :portalId'} GROUP BY state`, { portalId });
      const out: Record<OutboxState, number> = { pending: 0, failed: 0, created: 0, posted: 0, dead: 0 };
      for (const r of rows) out[String(r.state) as OutboxState] = Number(r.n);
      return out;
    },

    /** Counts the attempt before the ERP is called, so a crash during the call is known to the next try. */
    async beginAttempt(id: number, now: Date): Promise<void> {
      await execute(db, 'UPDATE outbox SET attempts = attempts + 1, updated_at = :now WHERE id = :id', { id, now: t(now) });
    },

    async update(
      id: number,
      patch: Partial<{ payload: SubmitOrder | SubmitClaim; state: OutboxState; erpRef: string | null; erpNumber: string | null; lastError: string | null; lastErrorKind: string | null; nextAttemptAt: Date; jobId: number; generation: number; attempts: number; delivered: boolean }>,
      now: Date,
      transaction?: Transaction | null,
    ): Promise<void> {
      const sets = ['updated_at = :now'];
      const params: Record<string, unknown> = { id, now: t(now) };
      const map: Record<string, string> = { state: 'state', erpRef: 'erp_ref', erpNumber: 'erp_number', lastError: 'last_error', lastErrorKind: 'last_error_kind', jobId: 'job_id', generation: 'generation', attempts: 'attempts' };
      for (const [key, column] of Object.entries(map)) {
        const value = (patch as Record<string, unknown>)[key];
        if (value === undefined) continue;
        sets.push(`${column} = :${key}`);
        params[key] = key === 'lastError' && typeof value === 'string' ? value.slice(0, 4_000) : value;
      }
      if (patch.payload) {
        sets.push('payload = :payload');
        params.payload = JSON.stringify(patch.payload);
      }
      if (patch.nextAttemptAt) {
        sets.push('next_attempt_at = :nextAttemptAt');
        params.nextAttemptAt = t(patch.nextAttemptAt);
      }
      if (patch.delivered) sets.push('delivered_at = :now');
      await execute(db, `UPDATE outbox SET ${sets.join(', ')} WHERE id = :id`, params, transaction);
    },

    /** Rows waiting longer than they should whose delivery job is gone (dead, done, or never created). */
    async findStuck(olderThan: Date, limit = 200): Promise<OutboxItem[]> {
      const rows = await selectRows<Row>(
        db,
        `SELECT o.* FROM outbox o LEFT JOIN jobs j ON j.id = o.job_id
         WHERE o.state IN ('pending', 'failed', 'created') AND o.delivered_at IS NULL AND o.next_attempt_at < :olderThan
           AND (j.id IS NULL OR j.status IN ('done', 'dead'))
         ORDER BY o.next_attempt_at LIMIT ${Math.floor(limit)}`,
        { olderThan: t(olderThan) },
      );
      return rows.map(toItem);
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
