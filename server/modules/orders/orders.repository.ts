import type { Transaction } from 'sequelize';
import type { Database } from '../../db/database.js';
import { execute, fromSqlTime, insert, selectRows, sqlTime } from '../../jobs/sql.js';
import type { PriceStep } from '../pricing/index.js';

export type OrderStatus = 'submitting' | 'submitted' | 'failed';
export type OrderSource = 'cabinet' | 'manager' | 'erp';
export type ErpHandoff = 'queued' | 'created' | 'posted' | 'rejected';

export interface OrderRow {
  id: number;
  portalId: number;
  dealerId: number;
  dealerItemId: number;
  b24ItemId: number | null;
  externalId: string;
  number: string;
  requestKey: string | null;
  companyId: number | null;
  userId: number;
  actorUserId: number;
  source: OrderSource;
  status: OrderStatus;
  stageKey: string;
  currency: string;
  total: string;
  deliveryMethod: string;
  deliveryAddress: string | null;
  desiredDate: string | null;
  comment: string | null;
  warehouse: string | null;
  erpNumber: string | null;
  erpStatus: string | null;
  erpRef: string | null;
  erpError: string | null;
  erpHandoff: ErpHandoff | null;
  changesPending: boolean;
  creditCheck: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  stageChangedAt: Date | null;
}

/** A manager's proposed change of a line: new quantity and/or price, a replacement product, or removal. */
export interface ProposedChange {
  kind: 'change' | 'replace' | 'remove' | 'add';
  productId?: number | null;
  productErpId?: string | null;
  sku?: string | null;
  name?: string;
  unitName?: string;
  baseQty?: string;
  price?: string;
  lineTotal?: string;
  comment?: string | null;
  byUserId: number;
  at: string;
}

export interface OrderLineRow {
  id: number;
  orderId: number;
  lineNo: number;
  productId: number | null;
  productErpId: string | null;
  sku: string | null;
  name: string;
  unitName: string | null;
  qty: string;
  unit: 'base' | 'pack';
  packRatio: string | null;
  baseQty: string;
  basePrice: string;
  price: string;
  discountPercent: string;
  lineTotal: string;
  breakdown: PriceStep[];
  proposed: ProposedChange | null;
  reservedQty: string | null;
  waitingQty: string | null;
  waitingNotifiedAt: Date | null;
}

export type OrderLineInput = Omit<OrderLineRow, 'id' | 'orderId' | 'proposed' | 'reservedQty' | 'waitingQty' | 'waitingNotifiedAt'> & { proposed?: ProposedChange | null };

export interface OrderEventRow {
  id: number;
  orderId: number;
  kind: string;
  stageKey: string | null;
  message: string | null;
  data: Record<string, unknown> | null;
  actorUserId: number | null;
  onBehalfOfUserId: number | null;
  createdAt: Date;
}

export type OrderEventInput = Omit<OrderEventRow, 'id' | 'orderId' | 'createdAt' | 'data' | 'message' | 'stageKey' | 'actorUserId' | 'onBehalfOfUserId'> &
  Partial<Pick<OrderEventRow, 'data' | 'message' | 'stageKey' | 'actorUserId' | 'onBehalfOfUserId'>>;

export type OrderInsert = Omit<OrderRow, 'id' | 'createdAt' | 'updatedAt' | 'submittedAt' | 'stageChangedAt' | 'erpNumber' | 'erpStatus' | 'erpRef' | 'erpError' | 'erpHandoff' | 'lastError' | 'b24ItemId' | 'changesPending' | 'creditCheck'>;

export interface OrderListQuery {
  portalId: number;
  dealerId?: number;
  /** Only orders the user placed (roles without orders.read.company). */
  userId?: number;
  /** Only these legal entities (users limited to some). */
  companyIds?: number[];
  companyId?: number;
  stageKeys?: string[];
  from?: Date;
  to?: Date;
  q?: string;
  sort?: 'created' | 'number' | 'total' | 'stage';
  dir?: 'asc' | 'desc';
  offset: number;
  limit: number;
}

type Row = Record<string, unknown>;
const nstr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const nnum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toOrder(r: Row): OrderRow {
  return {
    id: Number(r.id),
    portalId: Number(r.portal_id),
    dealerId: Number(r.dealer_id),
    dealerItemId: Number(r.dealer_item_id),
    b24ItemId: nnum(r.b24_item_id),
    externalId: String(r.external_id),
    number: String(r.number),
    requestKey: nstr(r.request_key),
    companyId: nnum(r.company_id),
    userId: Number(r.user_id),
    actorUserId: Number(r.actor_user_id),
    source: String(r.source) as OrderSource,
    status: String(r.status) as OrderStatus,
    stageKey: String(r.stage_key),
    currency: String(r.currency),
    total: String(r.total),
    deliveryMethod: String(r.delivery_method),
    deliveryAddress: nstr(r.delivery_address),
    desiredDate: nstr(r.desired_date),
    comment: nstr(r.comment),
    warehouse: nstr(r.warehouse),
    erpNumber: nstr(r.erp_number),
    erpStatus: nstr(r.erp_status),
    erpRef: nstr(r.erp_ref),
    erpError: nstr(r.erp_error),
    erpHandoff: nstr(r.erp_handoff) as ErpHandoff | null,
    changesPending: Boolean(Number(r.changes_pending)),
    creditCheck: nstr(r.credit_check),
    lastError: nstr(r.last_error),
    createdAt: fromSqlTime(r.created_at)!,
    updatedAt: fromSqlTime(r.updated_at)!,
    submittedAt: fromSqlTime(r.submitted_at),
    stageChangedAt: fromSqlTime(r.stage_changed_at),
  };
}

function toLine(r: Row): OrderLineRow {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    lineNo: Number(r.line_no),
    productId: nnum(r.product_id),
    productErpId: nstr(r.product_erp_id),
    sku: nstr(r.sku),
    name: String(r.name),
    unitName: nstr(r.unit_name),
    qty: String(r.qty),
    unit: String(r.unit) as 'base' | 'pack',
    packRatio: nstr(r.pack_ratio),
    baseQty: String(r.base_qty),
    basePrice: String(r.base_price),
    price: String(r.price),
    discountPercent: String(r.discount_percent),
    lineTotal: String(r.line_total),
    breakdown: r.breakdown ? (JSON.parse(String(r.breakdown)) as PriceStep[]) : [],
    proposed: r.proposed ? (JSON.parse(String(r.proposed)) as ProposedChange) : null,
    reservedQty: nstr(r.reserved_qty),
    waitingQty: nstr(r.waiting_qty),
    waitingNotifiedAt: fromSqlTime(r.waiting_notified_at),
  };
}

function toEvent(r: Row): OrderEventRow {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    kind: String(r.kind),
    stageKey: nstr(r.stage_key),
    message: nstr(r.message),
    data: r.data ? (JSON.parse(String(r.data)) as Record<string, unknown>) : null,
    actorUserId: nnum(r.actor_user_id),
    onBehalfOfUserId: nnum(r.on_behalf_of_user_id),
    createdAt: fromSqlTime(r.created_at)!,
  };
}

const COLUMNS: Record<string, string> = {
  b24ItemId: 'b24_item_id',
  status: 'status',
  stageKey: 'stage_key',
  total: 'total',
  currency: 'currency',
  erpNumber: 'erp_number',
  erpStatus: 'erp_status',
  erpRef: 'erp_ref',
  erpError: 'erp_error',
  erpHandoff: 'erp_handoff',
  changesPending: 'changes_pending',
  creditCheck: 'credit_check',
  lastError: 'last_error',
  warehouse: 'warehouse',
};

const LINE_CHUNK = 200;

/** The order index (orders, order_lines, order_events, order_counters); plain objects out. */
export function createOrdersRepository(db: Database) {
  const t = (d: Date) => sqlTime(d, db.dialect);

  async function insertLines(order: { id: number; portalId: number }, lines: OrderLineInput[], now: Date, transaction?: Transaction | null): Promise<void> {
    for (let i = 0; i < lines.length; i += LINE_CHUNK) {
      const chunk = lines.slice(i, i + LINE_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((l) => {
        values.push(
          order.portalId, order.id, l.lineNo, l.productId, l.productErpId, l.sku, l.name.slice(0, 500), l.unitName, l.qty, l.unit, l.packRatio, l.baseQty, l.basePrice, l.price,
          l.discountPercent, l.lineTotal, JSON.stringify(l.breakdown ?? []), l.proposed ? JSON.stringify(l.proposed) : null, t(now), t(now),
        );
        return `(${new Array(20).fill('?').join(', ')})`;
      });
      await insert(
        db,
        'INSERT INTO order_lines (portal_id, order_id, line_no, product_id, product_erp_id, sku, name, unit_name, qty, unit, pack_ratio, base_qty, base_price, price, ' +
          `discount_percent, line_total, breakdown, proposed, created_at, updated_at) VALUES ${tuples.join(', ')}`,
        values,
        transaction,
      );
    }
  }

  return {
    /**
     * The next human number of a portal (DH-000123), inside the caller's transaction (the write locks the counter row
     * until it commits). The counter's first row is made by an upsert, not by an UPDATE that found nothing and then an
     * INSERT: on MariaDB that UPDATE gap-locks where the row would go, and two first orders of a portal then deadlock
     * on each other's INSERT. The upsert takes the row's exclusive lock directly, so concurrent first orders queue.
     */
    async nextNumber(portalId: number, transaction: Transaction): Promise<number> {
      const [existing] = await selectRows<Row>(db, 'SELECT last_number FROM order_counters WHERE portal_id = :portalId', { portalId }, transaction);
      if (existing) await execute(db, 'UPDATE order_counters SET last_number = last_number + 1 WHERE portal_id = :portalId', { portalId }, transaction);
      else {
        // First order of the portal; the numbers continue after any order already indexed (e.g. a restored database).
        const [count] = await selectRows<Row>(db, 'SELECT COUNT(*) AS n FROM orders WHERE portal_id = :portalId', { portalId }, transaction);
        const onConflict = db.dialect === 'sqlite' ? 'ON CONFLICT (portal_id) DO UPDATE SET last_number = last_number + 1' : 'ON DUPLICATE KEY UPDATE last_number = last_number + 1';
        await execute(db, `INSERT INTO order_counters (portal_id, last_number) VALUES (:portalId, :first) ${onConflict}`, { portalId, first: Number(count?.n ?? 0) + 1 }, transaction);
      }
      const [row] = await selectRows<Row>(db, 'SELECT last_number FROM order_counters WHERE portal_id = :portalId', { portalId }, transaction);
      return Number(row!.last_number);
    },

    async insertOrder(o: OrderInsert, lines: OrderLineInput[], now: Date, transaction: Transaction): Promise<OrderRow> {
      const { insertId } = await insert(
        db,
        'INSERT INTO orders (portal_id, dealer_id, dealer_item_id, external_id, number, request_key, company_id, user_id, actor_user_id, source, status, stage_key, currency, total, ' +
          'delivery_method, delivery_address, desired_date, comment, warehouse, changes_pending, created_at, updated_at) VALUES (:portalId, :dealerId, :dealerItemId, :externalId, :number, ' +
          ':requestKey, :companyId, :userId, :actorUserId, :source, :status, :stageKey, :currency, :total, :deliveryMethod, :deliveryAddress, :desiredDate, :comment, :warehouse, :no, :now, :now)',
        { ...o, no: false, now: t(now) },
        transaction,
      );
      await insertLines({ id: insertId, portalId: o.portalId }, lines, now, transaction);
      const [row] = await selectRows<Row>(db, 'SELECT * FROM orders WHERE id = :id', { id: insertId }, transaction);
      return toOrder(row!);
    },

    async get(portalId: number, id: number, transaction?: Transaction | null): Promise<OrderRow | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM orders WHERE portal_id = :portalId AND id = :id', { portalId, id }, transaction);
      return row ? toOrder(row) : null;
    },

    async findByRequestKey(portalId: number, requestKey: string, transaction?: Transaction | null): Promise<OrderRow | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM orders WHERE portal_id = :portalId AND request_key = :requestKey', { portalId, requestKey }, transaction);
      return row ? toOrder(row) : null;
    },

    async findByItemId(portalId: number, b24ItemId: number): Promise<OrderRow | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM orders WHERE portal_id = :portalId AND b24_item_id = :b24ItemId', { portalId, b24ItemId });
      return row ? toOrder(row) : null;
    },

    async findByExternalId(portalId: number, externalId: string): Promise<OrderRow | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM orders WHERE portal_id = :portalId AND external_id = :externalId', { portalId, externalId: externalId.toLowerCase() });
      return row ? toOrder(row) : null;
    },

    async findByErpNumber(portalId: number, erpNumber: string): Promise<OrderRow | null> {
      const [row] = await selectRows<Row>(db, 'SELECT * FROM orders WHERE portal_id = :portalId AND erp_number = :erpNumber', { portalId, erpNumber });
      return row ? toOrder(row) : null;
    },

    async update(portalId: number, id: number, patch: Partial<Pick<OrderRow, 'b24ItemId' | 'status' | 'stageKey' | 'total' | 'currency' | 'erpNumber' | 'erpStatus' | 'erpRef' | 'erpError' | 'erpHandoff' | 'changesPending' | 'creditCheck' | 'lastError' | 'warehouse'>> & { submitted?: boolean; stageChanged?: boolean }, now = new Date(), transaction?: Transaction | null): Promise<void> {
      const sets = ['updated_at = :now'];
      const params: Record<string, unknown> = { portalId, id, now: t(now) };
      for (const [key, column] of Object.entries(COLUMNS)) {
        const v = (patch as Record<string, unknown>)[key];
        if (v === undefined) continue;
        sets.push(`${column} = :${key}`);
        params[key] = typeof v === 'string' && (key === 'erpStatus' || key === 'creditCheck') ? v.slice(0, 255) : v;
      }
      if (patch.submitted) sets.push('submitted_at = :now');
      if (patch.stageChanged) sets.push('stage_changed_at = :now');
      await execute(db, `UPDATE orders SET ${sets.join(', ')} WHERE portal_id = :portalId AND id = :id`, params, transaction);
    },

    async lines(orderId: number, transaction?: Transaction | null): Promise<OrderLineRow[]> {
      return (await selectRows<Row>(db, 'SELECT * FROM order_lines WHERE order_id = :orderId ORDER BY line_no, id', { orderId }, transaction)).map(toLine);
    },

    /** Replaces the lines of an order (agreed changes, a reprice) in the caller's transaction. */
    async replaceLines(order: { id: number; portalId: number }, lines: OrderLineInput[], now: Date, transaction: Transaction): Promise<void> {
      await execute(db, 'DELETE FROM order_lines WHERE order_id = :id', { id: order.id }, transaction);
      await insertLines(order, lines, now, transaction);
    },

    async updateLine(lineId: number, patch: Partial<{ proposed: ProposedChange | null; reservedQty: string | null; waitingQty: string | null; waitingNotified: boolean }>, now = new Date(), transaction?: Transaction | null): Promise<void> {
      const sets = ['updated_at = :now'];
      const params: Record<string, unknown> = { id: lineId, now: t(now) };
      if (patch.proposed !== undefined) {
        sets.push('proposed = :proposed');
        params.proposed = patch.proposed ? JSON.stringify(patch.proposed) : null;
      }
      if (patch.reservedQty !== undefined) {
        sets.push('reserved_qty = :reservedQty');
        params.reservedQty = patch.reservedQty;
      }
      if (patch.waitingQty !== undefined) {
        sets.push('waiting_qty = :waitingQty');
        params.waitingQty = patch.waitingQty;
      }
      if (patch.waitingNotified) sets.push('waiting_notified_at = :now');
      await execute(db, `UPDATE order_lines SET ${sets.join(', ')} WHERE id = :id`, params, transaction);
    },

    async addEvent(order: { id: number; portalId: number }, e: OrderEventInput, now = new Date(), transaction?: Transaction | null): Promise<number> {
      const { insertId } = await insert(
        db,
        'INSERT INTO order_events (portal_id, order_id, kind, stage_key, message, data, actor_user_id, on_behalf_of_user_id, created_at) VALUES (:portalId, :orderId, :kind, :stageKey, :message, :data, :actor, :behalf, :now)',
        { portalId: order.portalId, orderId: order.id, kind: e.kind, stageKey: e.stageKey ?? null, message: e.message ?? null, data: e.data ? JSON.stringify(e.data) : null, actor: e.actorUserId ?? null, behalf: e.onBehalfOfUserId ?? null, now: t(now) },
        transaction,
      );
      return insertId;
    },

    async events(orderId: number): Promise<OrderEventRow[]> {
      return (await selectRows<Row>(db, 'SELECT * FROM order_events WHERE order_id = :orderId ORDER BY id', { orderId })).map(toEvent);
    },

    async list(q: OrderListQuery): Promise<{ items: OrderRow[]; total: number }> {
      const where = ["o.portal_id = :portalId", "o.status <> 'failed'"];
      const params: Record<string, unknown> = { portalId: q.portalId };
      if (q.dealerId !== undefined) {
        where.push('o.dealer_id = :dealerId');
        params.dealerId = q.dealerId;
      }
      if (q.userId !== undefined) {
        where.push('o.user_id = :userId');
        params.userId = q.userId;
      }
      if (q.companyIds) {
        if (!q.companyIds.length) return { items: [], total: 0 };
        where.push(`o.company_id IN (${q.companyIds.map((_, i) => `:c${i}`).join(', ')})`);
        q.companyIds.forEach((c, i) => (params[`c${i}`] = c));
      }
      if (q.companyId !== undefined) {
        where.push('o.company_id = :companyId');
        params.companyId = q.companyId;
      }
      if (q.stageKeys?.length) {
        where.push(`o.stage_key IN (${q.stageKeys.map((_, i) => `:s${i}`).join(', ')})`);
        q.stageKeys.forEach((s, i) => (params[`s${i}`] = s));
      }
      if (q.from) {
        where.push('o.created_at >= :from');
        params.from = t(q.from);
      }
      if (q.to) {
        where.push('o.created_at < :to');
        params.to = t(q.to);
      }
      if (q.q) {
        // '!' escapes LIKE wildcards on both dialects (a backslash means different things in MySQL and SQLite literals).
        where.push("(LOWER(o.number) LIKE :q ESCAPE '!' OR LOWER(o.erp_number) LIKE :q ESCAPE '!' OR o.id IN (SELECT l.order_id FROM order_lines l WHERE l.portal_id = :portalId AND LOWER(l.sku) LIKE :q ESCAPE '!'))");
        params.q = `%${q.q.toLowerCase().replace(/[%_!]/g, (c) => `!${c}`)}%`;
      }
      const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
      const order = { created: `o.created_at ${dir}, o.id ${dir}`, number: `o.id ${dir}`, total: `CAST(o.total AS DECIMAL(20,2)) ${dir}, o.id ${dir}`, stage: `o.stage_key ${dir}, o.id DESC` }[q.sort ?? 'created'];
      const limit = Math.floor(Math.min(Math.max(q.limit, 1), 200));
      const offset = Math.floor(Math.max(q.offset, 0));
      const rows = await selectRows<Row>(db, `SELECT o.* FROM orders o WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, params);
      const [count] = await selectRows<Row>(db, `SELECT COUNT(*) AS n FROM orders o WHERE ${where.join(' AND ')}`, params);
      return { items: rows.map(toOrder), total: Number(count?.n ?? 0) };
    },

    /** Lines on the waiting list (not notified yet) of a portal, for the goods-arrived check. */
    async waitingLines(portalId: number, limit = 5_000): Promise<Array<OrderLineRow & { order: OrderRow }>> {
      const rows = await selectRows<Row>(
        db,
        `SELECT l.*, o.id AS o_id FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.portal_id = :portalId AND l.waiting_qty IS NOT NULL AND l.waiting_qty <> '0' AND l.waiting_notified_at IS NULL
           AND o.stage_key NOT IN ('cancelled', 'delivered') ORDER BY l.id LIMIT ${Math.floor(limit)}`,
        { portalId },
      );
      const orderIds = [...new Set(rows.map((r) => Number(r.o_id)))];
      const orders = new Map<number, OrderRow>();
      for (const id of orderIds) {
        const o = await this.get(portalId, id);
        if (o) orders.set(id, o);
      }
      return rows.flatMap((r) => {
        const order = orders.get(Number(r.o_id));
        return order ? [{ ...toLine(r), order }] : [];
      });
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
