import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { fromSqlTime, selectRows, sqlTime } from '../../jobs/sql.js';
import { Dec } from '../../lib/decimal.js';
import type { RequestScope } from '../access/index.js';
import { listFilterOf, orderVisibility, requestedDealer } from './order-access.js';
import type { ZSalesQuery } from './orders.schemas.js';

export interface SalesMonth {
  /** YYYY-MM (UTC). */
  month: string;
  orders: number;
  total: string;
}

export interface SalesSummary {
  currency: string;
  months: SalesMonth[];
  thisMonth: { orders: number; total: string };
  thisYear: { orders: number; total: string };
  /** Orders in other currencies are not in the sums; they are counted here so the screen can say so. */
  otherCurrencyOrders: number;
}

/** Orders that count as sales: submitted and not cancelled (a failed submit never reached Bitrix24). */
const NOT_SALES = ['cancelled'];

const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/**
 * Sales of a dealer by month (the dealer card's figures and chart): the sum of its orders' totals by the month they
 * were placed, the last `months` months up to now plus this month and this year. Staff name the dealer by its Dealers
 * item id; dealer users see their own scope only (another dealer's id gives empty figures, never its numbers).
 */
export async function salesByMonth(ctx: AppContext, scope: RequestScope, q: z.infer<typeof ZSalesQuery>, now = new Date()): Promise<SalesSummary> {
  const v = await orderVisibility(ctx, scope);
  const requested = await requestedDealer(ctx, scope, v, q.dealerId);
  if (requested === null) return emptySummary(q.months, now, 'RUB');
  const filter = listFilterOf(v);
  let dealerId: number | null = requested?.id ?? null;
  let currency = requested?.currency ?? 'RUB';
  if (filter.dealerId) {
    dealerId = filter.dealerId;
    currency = (await ctx.dealers.findById(scope.portal.id, filter.dealerId))?.currency ?? currency;
  }
  const firstMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (q.months - 1), 1));
  const yearStart = new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
  const from = firstMonth < yearStart ? firstMonth : yearStart;
  const where = ['portal_id = :portalId', "status = 'submitted'", 'stage_key NOT IN (:notSales)', 'created_at >= :from'];
  const params: Record<string, unknown> = { portalId: scope.portal.id, notSales: NOT_SALES, from: sqlTime(from, ctx.db.dialect) };
  if (dealerId !== null) {
    where.push('dealer_id = :dealerId');
    params.dealerId = dealerId;
  }
  if (filter.userId !== undefined) {
    where.push('user_id = :userId');
    params.userId = filter.userId;
  }
  if (filter.companyIds) {
    where.push('company_id IN (:companyIds)');
    params.companyIds = filter.companyIds.length ? filter.companyIds : [-1];
  }
  const rows = await selectRows<{ created_at: unknown; total: unknown; currency: unknown }>(ctx.db, `SELECT created_at, total, currency FROM orders WHERE ${where.join(' AND ')}`, params);
  const out = emptySummary(q.months, now, currency);
  const byMonth = new Map(out.months.map((m) => [m.month, { orders: 0, total: new Dec(0) }]));
  const thisMonth = monthOf(now);
  const year = { orders: 0, total: new Dec(0) };
  const month = { orders: 0, total: new Dec(0) };
  for (const r of rows) {
    if (String(r.currency) !== currency) {
      out.otherCurrencyOrders++;
      continue;
    }
    const at = fromSqlTime(r.created_at);
    if (!at) continue;
    const key = monthOf(at);
    const bucket = byMonth.get(key);
    if (bucket) {
      bucket.orders++;
      bucket.total = bucket.total.plus(String(r.total));
    }
    if (at >= yearStart) {
      year.orders++;
      year.total = year.total.plus(String(r.total));
    }
    if (key === thisMonth) {
      month.orders++;
      month.total = month.total.plus(String(r.total));
    }
  }
  out.months = out.months.map((m) => ({ month: m.month, orders: byMonth.get(m.month)!.orders, total: byMonth.get(m.month)!.total.toFixed(2) }));
  out.thisMonth = { orders: month.orders, total: month.total.toFixed(2) };
  out.thisYear = { orders: year.orders, total: year.total.toFixed(2) };
  return out;
}

function emptySummary(months: number, now: Date, currency: string): SalesSummary {
  const list: SalesMonth[] = [];
  for (let i = months - 1; i >= 0; i--) list.push({ month: monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1))), orders: 0, total: '0.00' });
  return { currency, months: list, thisMonth: { orders: 0, total: '0.00' }, thisYear: { orders: 0, total: '0.00' }, otherCurrencyOrders: 0 };
}
