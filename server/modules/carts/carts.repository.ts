import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { execute, fromSqlTime, insert, isUniqueViolation, selectRows, sqlTime, withTransaction } from '../../jobs/sql.js';

export type CartKind = 'active' | 'saved';
export type CartUnit = 'base' | 'pack';

export interface CartOwnerKey {
  portalId: number;
  /** Our dealers.id. */
  dealerId: number;
  /** The dealer user (Bitrix24 user id) whose cart it is. */
  userId: number;
  /** The legal entity's CRM company id (a holding switches legal entities; each has its own cart). */
  companyId: number | null;
}

export interface CartRow extends CartOwnerKey {
  id: number;
  kind: CartKind;
  name: string | null;
  note: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CartLineRow {
  id: number;
  cartId: number;
  productId: number;
  sku: string | null;
  qty: string;
  unit: CartUnit;
  position: number;
  note: string | null;
}

export interface CartLineInput {
  productId: number;
  sku: string | null;
  qty: string;
  unit: CartUnit;
  note?: string | null;
}

type Row = Record<string, unknown>;

const activeKeyOf = (o: CartOwnerKey) => `${o.dealerId}:${o.userId}:${o.companyId ?? 0}`;

function toCart(r: Row): CartRow {
  return {
    id: Number(r.id),
    portalId: Number(r.portal_id),
    dealerId: Number(r.dealer_id),
    userId: Number(r.user_id),
    companyId: r.company_id === null || r.company_id === undefined ? null : Number(r.company_id),
    kind: String(r.kind) as CartKind,
    name: (r.name as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    revision: Number(r.revision),
    createdAt: fromSqlTime(r.created_at)!,
    updatedAt: fromSqlTime(r.updated_at)!,
  };
}

function toLine(r: Row): CartLineRow {
  return {
    id: Number(r.id),
    cartId: Number(r.cart_id),
    productId: Number(r.product_id),
    sku: (r.sku as string | null) ?? null,
    qty: String(r.qty),
    unit: String(r.unit) as CartUnit,
    position: Number(r.position),
    note: (r.note as string | null) ?? null,
  };
}

/** Rows per multi-row INSERT: well under every dialect's placeholder limit (7 values a row). */
const INSERT_CHUNK = 400;

/** The only place that touches the carts tables (STYLE.md §1); plain objects out. */
export function createCartsRepository(db: Database) {
  const t = (d: Date) => sqlTime(d, db.dialect);

  async function insertLines(cart: { id: number; portalId: number }, lines: Array<CartLineInput & { position: number }>, now: Date, transaction: Transaction): Promise<void> {
    for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
      const chunk = lines.slice(i, i + INSERT_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((l) => {
        values.push(cart.portalId, cart.id, l.productId, l.sku, l.qty, l.unit, l.position, l.note ?? null, t(now), t(now));
        return '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
      });
      await insert(db, `INSERT INTO cart_lines (portal_id, cart_id, product_id, sku, qty, unit, position, note, created_at, updated_at) VALUES ${tuples.join(', ')}`, values, transaction);
    }
  }

  const repo = {
    /** The owner's active cart, created on first use (the unique active_key makes two first uses one cart). */
    async activeCart(owner: CartOwnerKey, now = new Date()): Promise<CartRow> {
      const key = activeKeyOf(owner);
      const find = async () => (await selectRows<Row>(db, 'SELECT * FROM carts WHERE portal_id = :portalId AND active_key = :key', { portalId: owner.portalId, key }))[0];
      const found = await find();
      if (found) return toCart(found);
      try {
        await insert(
          db,
          "INSERT INTO carts (portal_id, dealer_id, user_id, company_id, kind, active_key, revision, created_at, updated_at) VALUES (:portalId, :dealerId, :userId, :companyId, 'active', :key, 0, :now, :now)",
          { ...owner, key, now: t(now) },
        );
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      return toCart((await find())!);
    },

    async get(portalId: number, id: number): Promise<CartRow | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM carts WHERE portal_id = :portalId AND id = :id', { portalId, id });
      return row ? toCart(row) : null;
    },

    async lines(cartId: number, transaction?: Transaction): Promise<CartLineRow[]> {
      return (await selectRows<Row>(db, 'SELECT * FROM cart_lines WHERE cart_id = :cartId ORDER BY position, id', { cartId }, transaction)).map(toLine);
    },

    /** Saved carts of a dealer user (all legal entities, or one). */
    async listSaved(owner: Omit<CartOwnerKey, 'companyId'> & { companyId?: number | null }): Promise<Array<CartRow & { lineCount: number }>> {
      const byCompany = owner.companyId === undefined ? '' : owner.companyId === null ? ' AND c.company_id IS NULL' : ' AND c.company_id = :companyId';
      const rows = await selectRows<Row>(
        db,
        `SELECT c.*, (SELECT COUNT(*) FROM cart_lines l WHERE l.cart_id = c.id) AS line_count FROM carts c
         WHERE c.portal_id = :portalId AND c.dealer_id = :dealerId AND c.user_id = :userId AND c.kind = 'saved'${byCompany} ORDER BY c.updated_at DESC, c.id DESC`,
        owner,
      );
      return rows.map((r) => ({ ...toCart(r), lineCount: Number(r.line_count) }));
    },

    /**
     * Replaces every line of a cart in one transaction and bumps its revision; `expectRevision` makes it a
     * compare-and-set (a stale write answers false and changes nothing).
     */
    async replaceLines(cart: { id: number; portalId: number }, lines: CartLineInput[], opts: { expectRevision?: number; now?: Date; name?: string | null; note?: string | null } = {}): Promise<boolean> {
      const now = opts.now ?? new Date();
      return withTransaction(db, async (transaction) => {
        const sets = ['revision = revision + 1', 'updated_at = :now'];
        if (opts.name !== undefined) sets.push('name = :name');
        if (opts.note !== undefined) sets.push('note = :note');
        const guard = opts.expectRevision === undefined ? '' : ' AND revision = :expect';
        const changed = await execute(db, `UPDATE carts SET ${sets.join(', ')} WHERE id = :id AND portal_id = :portalId${guard}`, { id: cart.id, portalId: cart.portalId, now: t(now), name: opts.name ?? null, note: opts.note ?? null, expect: opts.expectRevision }, transaction);
        if (changed === 0) return false;
        await execute(db, 'DELETE FROM cart_lines WHERE cart_id = :id', { id: cart.id }, transaction);
        await insertLines(cart, lines.map((l, i) => ({ ...l, position: i + 1 })), now, transaction);
        return true;
      });
    },

    async createSaved(owner: CartOwnerKey, input: { name: string; note?: string | null }, lines: CartLineInput[], now = new Date()): Promise<CartRow> {
      return withTransaction(db, async (transaction) => {
        const { insertId } = await insert(
          db,
          "INSERT INTO carts (portal_id, dealer_id, user_id, company_id, kind, active_key, name, note, revision, created_at, updated_at) VALUES (:portalId, :dealerId, :userId, :companyId, 'saved', NULL, :name, :note, 1, :now, :now)",
          { ...owner, name: input.name, note: input.note ?? null, now: t(now) },
          transaction,
        );
        // mysql2 and sqlite both answer the generated id for a single-row insert.
        await insertLines({ id: insertId, portalId: owner.portalId }, lines.map((l, i) => ({ ...l, position: i + 1 })), now, transaction);
        const [row] = await selectRows<Row>(db, 'SELECT * FROM carts WHERE id = :id', { id: insertId }, transaction);
        return toCart(row!);
      });
    },

    async rename(portalId: number, id: number, patch: { name?: string; note?: string | null }, now = new Date()): Promise<void> {
      const sets = ['updated_at = :now'];
      if (patch.name !== undefined) sets.push('name = :name');
      if (patch.note !== undefined) sets.push('note = :note');
      await execute(db, `UPDATE carts SET ${sets.join(', ')} WHERE portal_id = :portalId AND id = :id`, { portalId, id, name: patch.name ?? null, note: patch.note ?? null, now: t(now) });
    },

    async delete(portalId: number, id: number): Promise<boolean> {
      return withTransaction(db, async (transaction) => {
        const n = await execute(db, "DELETE FROM carts WHERE portal_id = :portalId AND id = :id AND kind = 'saved'", { portalId, id }, transaction);
        if (n > 0) await execute(db, 'DELETE FROM cart_lines WHERE cart_id = :id', { id }, transaction);
        return n > 0;
      });
    },

    /** Removes the given lines (what an order took) and bumps the revision, inside the caller's transaction. */
    async removeLines(cart: { id: number }, lineIds: number[], now: Date, transaction: Transaction): Promise<void> {
      if (!lineIds.length) return;
      for (let i = 0; i < lineIds.length; i += 500) {
        await execute(db, `DELETE FROM cart_lines WHERE cart_id = ? AND id IN (${lineIds.slice(i, i + 500).map(() => '?').join(', ')})`, [cart.id, ...lineIds.slice(i, i + 500)], transaction);
      }
      await execute(db, 'UPDATE carts SET revision = revision + 1, updated_at = :now WHERE id = :id', { id: cart.id, now: t(now) }, transaction);
    },
  };
  return repo;
}

export type CartsRepository = ReturnType<typeof createCartsRepository>;
