import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { fromSqlTime, insert, selectRows, sqlTime, withTransaction, execute } from '../../jobs/sql.js';
import { ZDiscountRule, ZSpecialOffer, type TDiscountRule, type TSpecialOffer } from './pricing.types.js';

export type RuleSource = 'discount' | 'offer';
/** ok: applies; unresolved: its dealer or target points at nothing we know; invalid: its fields make no rule. */
export type RuleStatus = 'ok' | 'unresolved' | 'invalid';

export interface StoredRule {
  id: number;
  portalId: number;
  source: RuleSource;
  b24ItemId: number;
  title: string;
  /** The rule as the engine reads it (null unless status is ok). */
  rule: TDiscountRule | TSpecialOffer | null;
  status: RuleStatus;
  problem: string | null;
  deleted: boolean;
  rowHash: string;
  updatedAt: Date;
}

export interface RuleUpsert {
  source: RuleSource;
  b24ItemId: number;
  title: string;
  rule: TDiscountRule | TSpecialOffer | null;
  status: RuleStatus;
  problem: string | null;
}

type Row = Record<string, unknown>;

function toStored(r: Row): StoredRule {
  const source = String(r.source) as RuleSource;
  let rule: TDiscountRule | TSpecialOffer | null = null;
  if (r.rule) {
    try {
      const json = JSON.parse(String(r.rule)) as unknown;
      const parsed = source === 'discount' ? ZDiscountRule.safeParse(json) : ZSpecialOffer.safeParse(json);
      rule = parsed.success ? parsed.data : null;
    } catch {
      rule = null;
    }
  }
  return {
    id: Number(r.id),
    portalId: Number(r.portal_id),
    source,
    b24ItemId: Number(r.b24_item_id),
    title: String(r.title ?? ''),
    rule,
    status: String(r.status) as RuleStatus,
    problem: (r.problem as string | null) ?? null,
    deleted: r.deleted === true || r.deleted === 1 || r.deleted === '1',
    rowHash: String(r.row_hash),
    updatedAt: fromSqlTime(r.updated_at) ?? new Date(0),
  };
}

const hashOf = (u: RuleUpsert) => createHash('sha1').update(JSON.stringify([u.title, u.rule, u.status, u.problem])).digest('base64url');

/**
 * The only code that touches pricing_rules. Writes are skipped when nothing changed (same fingerprint), so a full
 * sync of an unchanged reference book moves no updated_at and invalidates no dealer's cached prices.
 */
export function createPricingRulesRepository(db: Database) {
  return {
    /** Creates or updates one item's rule; returns whether anything was written. */
    async upsert(portalId: number, u: RuleUpsert, now = new Date()): Promise<{ changed: boolean }> {
      const rowHash = hashOf(u);
      const at = sqlTime(now, db.dialect);
      return withTransaction(db, async (transaction) => {
        const [existing] = await selectRows<Row>(
          db,
          'SELECT id, row_hash, deleted FROM pricing_rules WHERE portal_id = :portalId AND source = :source AND b24_item_id = :itemId',
          { portalId, source: u.source, itemId: u.b24ItemId },
          transaction,
        );
        const values = { portalId, source: u.source, itemId: u.b24ItemId, title: u.title.slice(0, 500), rule: u.rule ? JSON.stringify(u.rule) : null, status: u.status, problem: u.problem, rowHash, at };
        if (!existing) {
          await insert(
            db,
            'INSERT INTO pricing_rules (portal_id, source, b24_item_id, title, rule, status, problem, deleted, row_hash, created_at, updated_at) VALUES (:portalId, :source, :itemId, :title, :rule, :status, :problem, 0, :rowHash, :at, :at)',
            values,
            transaction,
          );
          return { changed: true };
        }
        const deleted = existing.deleted === true || Number(existing.deleted) === 1;
        if (String(existing.row_hash) === rowHash && !deleted) return { changed: false };
        await execute(
          db,
          'UPDATE pricing_rules SET title = :title, rule = :rule, status = :status, problem = :problem, deleted = 0, row_hash = :rowHash, updated_at = :at WHERE id = :id',
          { ...values, id: Number(existing.id) },
          transaction,
        );
        return { changed: true };
      });
    },

    /** Tombstones an item the portal deleted; returns whether it was live. */
    async markDeleted(portalId: number, source: RuleSource, b24ItemId: number, now = new Date()): Promise<boolean> {
      const n = await execute(
        db,
        'UPDATE pricing_rules SET deleted = 1, updated_at = :at WHERE portal_id = :portalId AND source = :source AND b24_item_id = :itemId AND deleted = 0',
        { portalId, source, itemId: b24ItemId, at: sqlTime(now, db.dialect) },
      );
      return n > 0;
    },

    /** After a full sync: tombstones every live item of the source the portal no longer has. */
    async markMissingDeleted(portalId: number, source: RuleSource, present: number[], now = new Date()): Promise<number[]> {
      const live = await selectRows<Row>(db, 'SELECT b24_item_id FROM pricing_rules WHERE portal_id = :portalId AND source = :source AND deleted = 0', { portalId, source });
      const keep = new Set(present);
      const gone = live.map((r) => Number(r.b24_item_id)).filter((id) => !keep.has(id));
      for (const id of gone) await this.markDeleted(portalId, source, id, now);
      return gone;
    },

    /** Every rule of a portal (with tombstones when asked), or those written since a moment. */
    async list(portalId: number, options: { since?: Date; includeDeleted?: boolean } = {}): Promise<StoredRule[]> {
      const where = ['portal_id = :portalId'];
      if (!options.includeDeleted) where.push('deleted = 0');
      if (options.since) where.push('updated_at >= :since');
      const rows = await selectRows<Row>(db, `SELECT * FROM pricing_rules WHERE ${where.join(' AND ')} ORDER BY source, b24_item_id`, {
        portalId,
        since: options.since ? sqlTime(options.since, db.dialect) : undefined,
      });
      return rows.map(toStored);
    },

    /** Rows of a portal, tombstones included (a drop means rows were purged). */
    async count(portalId: number): Promise<number> {
      const [r] = await selectRows<Row>(db, 'SELECT COUNT(*) AS n FROM pricing_rules WHERE portal_id = :portalId', { portalId });
      return Number(r?.n ?? 0);
    },

    /** Live rules that cannot apply, with the reason, for the admin's attention. */
    async problems(portalId: number): Promise<StoredRule[]> {
      const rows = await selectRows<Row>(db, "SELECT * FROM pricing_rules WHERE portal_id = :portalId AND deleted = 0 AND status <> 'ok' ORDER BY source, b24_item_id", { portalId });
      return rows.map(toStored);
    },
  };
}

export type PricingRulesRepository = ReturnType<typeof createPricingRulesRepository>;
