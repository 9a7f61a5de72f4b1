import type { AppContext } from '../../context.js';
import { createOutboxRepository, type OutboxState } from '../../erp/sync/index.js';
import { AppError } from '../../http/app-error.js';
import { selectRows } from '../../jobs/sql.js';
import { mediaLinksFor } from '../media/media-links.js';
import { Dec } from '../../lib/decimal.js';
import type { RequestScope } from '../access/index.js';
import { catalogPortFor, createCartService, lineProblem, type CartActor, type CartView, type LineProblemCode } from '../carts/index.js';
import { installedSmartProcess, itemCardPath } from '../dealers/index.js';
import type { Portal } from '../portals/index.js';
import { moveOrderStage } from './move-order-stage.js';
import { canSeeOrder, listFilterOf, orderVisibility, requestedDealer } from './order-access.js';
import { lineView, summarizeOrder, timelineOf, type OrderLineView, type OrderSummary, type TimelineEntry } from './order-views.js';
import { createOrdersRepository, type OrderRow } from './orders.repository.js';
import type { z } from 'zod';
import type { ZOrderListQuery } from './orders.schemas.js';

export interface OrderDocument {
  kind: string;
  number: string;
  date: string;
  amount: string;
  currency: string;
  posted: boolean;
  hasFile: boolean;
  /** A signed address of the document's file, valid for a few minutes; null when the ERP keeps no file. */
  fileUrl: string | null;
}

export interface OrderPage {
  order: OrderSummary;
  lines: OrderLineView[];
  totals: { lines: number; amount: string; proposedAmount: string | null; currency: string };
  pendingChanges: number;
  timeline: TimelineEntry[];
  documents: OrderDocument[];
  creditCheck: string | null;
  comment: string | null;
}

const langOf = (scope: RequestScope): 'ru' | 'en' => (scope.session.lang === 'en' ? 'en' : 'ru');

/** Reads an order the session may see, else 404 (another dealer's id is never confirmed). */
export async function loadVisibleOrder(ctx: AppContext, scope: RequestScope, id: number): Promise<OrderRow> {
  const order = await createOrdersRepository(ctx.db).get(scope.portal.id, id);
  if (!order || !canSeeOrder(await orderVisibility(ctx, scope), order)) throw new AppError('NOT_FOUND', 'The order was not found');
  return order;
}

export async function listOrders(ctx: AppContext, scope: RequestScope, q: z.infer<typeof ZOrderListQuery>): Promise<{ items: OrderSummary[]; total: number; offset: number; limit: number }> {
  const v = await orderVisibility(ctx, scope);
  const requested = await requestedDealer(ctx, scope, v, q.dealerId);
  if (requested === null) return { items: [], total: 0, offset: q.offset, limit: q.limit };
  const { items, total } = await createOrdersRepository(ctx.db).list({
    portalId: scope.portal.id,
    ...(requested ? { dealerId: requested.id } : {}),
    ...listFilterOf(v),
    ...(q.companyId ? { companyId: q.companyId } : {}),
    ...(q.stage ? { stageKeys: q.stage } : {}),
    ...(q.from ? { from: new Date(`${q.from}T00:00:00Z`) } : {}),
    ...(q.to ? { to: new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
    ...(q.q ? { q: q.q } : {}),
    sort: q.sort,
    dir: q.dir,
    offset: q.offset,
    limit: q.limit,
  });
  return { items: items.map((o) => summarizeOrder(o, langOf(scope))), total, offset: q.offset, limit: q.limit };
}

/** The dealer's order page: lines with breakdown and proposals, timeline, ERP number and status, documents. */
export async function readOrderPage(ctx: AppContext, scope: RequestScope, id: number): Promise<OrderPage> {
  const order = await loadVisibleOrder(ctx, scope, id);
  const orders = createOrdersRepository(ctx.db);
  const [lines, events, docs] = await Promise.all([
    orders.lines(order.id),
    orders.events(order.id),
    selectRows<Record<string, unknown>>(ctx.db, 'SELECT id, kind, number, doc_date, amount, currency, posted, has_file FROM erp_documents WHERE portal_id = :portalId AND order_external_id = :ext ORDER BY doc_date', { portalId: order.portalId, ext: order.externalId }),
  ]);
  const pending = lines.filter((l) => l.proposed);
  const proposedAmount = pending.length
    ? lines.reduce((acc, l) => acc.plus(l.proposed ? (l.proposed.kind === 'remove' ? '0' : (l.proposed.lineTotal ?? l.lineTotal)) : l.lineTotal), new Dec(0)).toFixed(2)
    : null;
  return {
    order: summarizeOrder(order, langOf(scope)),
    lines: lines.map(lineView),
    totals: { lines: lines.length, amount: order.total, proposedAmount, currency: order.currency },
    pendingChanges: pending.length,
    timeline: timelineOf(events, langOf(scope)),
    documents: docs.map((d) => ({ kind: String(d.kind), number: String(d.number), date: String(d.doc_date), amount: String(d.amount), currency: String(d.currency), posted: Boolean(Number(d.posted)), hasFile: Boolean(Number(d.has_file)),
      fileUrl: Number(d.has_file) ? mediaLinksFor(ctx.config.app.secretKey).document(order.portalId, Number(d.id)) : null })),
    creditCheck: order.creditCheck,
    comment: order.comment,
  };
}

export interface ManagedLine extends OrderLineView {
  stockByWarehouse: Array<{ warehouseId: number; name: string; city: string | null; available: string }>;
  analogs: Array<{ productId: number; sku: string | null; name: string; price: string | null; available: string }>;
  currentPrice: string | null;
}

/** Where the order's ERP document is on its way (the outbox row), so the manager sees a stuck or refused hand-off. */
export interface OutboxView {
  state: OutboxState;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastErrorKind: string | null;
  deliveredAt: string | null;
}

export interface ManagedOrderPage extends OrderPage {
  lines: ManagedLine[];
  outbox: OutboxView | null;
  /** Who ordered, for the manager's header (the Dealers card path opens it in the portal's slider). */
  dealer: { itemId: number; title: string; city: string | null; cardPath: string | null } | null;
  legalEntity: { companyId: number; name: string; inn: string | null } | null;
  /** The dealer's price type (the base step of each line's breakdown names it by its ERP id). */
  priceType: { erpId: string; name: string } | null;
}

/** The manager's view of an order (order tab): each line with stock per warehouse, analogs and today's price. */
export async function readManagedOrder(ctx: AppContext, scope: RequestScope, id: number): Promise<ManagedOrderPage> {
  const page = await readOrderPage(ctx, scope, id);
  const order = (await createOrdersRepository(ctx.db).get(scope.portal.id, id))!;
  const port = await catalogPortFor(ctx, scope.portal.id, order.dealerId);
  const dealer = await ctx.dealers.findById(scope.portal.id, order.dealerId);
  const entity = dealer && order.companyId ? (await ctx.dealers.legalEntities(scope.portal.id, dealer.id)).find((e) => e.companyId === order.companyId) : undefined;
  const dealersEti = installedSmartProcess(scope.portal.settings, 'dealers')?.entityTypeId;
  const lines: ManagedLine[] = page.lines.map((l) => {
    if (!port || !l.productId) return { ...l, stockByWarehouse: [], analogs: [], currentPrice: null };
    const p = port.products([l.productId]).get(l.productId);
    const analogIds = p?.analogIds ?? [];
    const analogs = [...port.products(analogIds).values()]
      .filter((a) => a.onSale)
      .map((a) => ({ productId: a.id, sku: a.sku, name: a.name, price: port.quote(a.id, l.baseQty)?.unitPrice ?? null, available: port.available(a.id) }));
    return { ...l, stockByWarehouse: port.stockByWarehouse(l.productId), analogs, currentPrice: port.quote(l.productId, l.baseQty)?.unitPrice ?? null };
  });
  const item = await createOutboxRepository(ctx.db).findByExternalId(scope.portal.id, 'order', order.externalId);
  const outbox: OutboxView | null = item
    ? { state: item.state, attempts: item.attempts, maxAttempts: item.maxAttempts, nextAttemptAt: item.deliveredAt ? null : item.nextAttemptAt.toISOString(), lastError: item.lastError, lastErrorKind: item.lastErrorKind, deliveredAt: item.deliveredAt?.toISOString() ?? null }
    : null;
  return {
    ...page,
    lines,
    outbox,
    dealer: dealer ? { itemId: dealer.b24ItemId, title: dealer.title, city: dealer.city, cardPath: dealersEti ? itemCardPath(dealersEti, dealer.b24ItemId) : null } : null,
    legalEntity: entity ? { companyId: entity.companyId, name: entity.name, inn: entity.inn } : null,
    priceType: port?.priceType ? { erpId: port.priceType.erpId, name: port.priceType.name } : null,
  };
}

export interface RepeatResult {
  cart: CartView;
  added: number;
  skipped: Array<{ lineNo: number; sku: string | null; name: string; code: LineProblemCode; message: { ru: string; en: string } }>;
}

/** Repeat an order: its lines into the actor's cart at today's prices; lines no longer on sale are listed why. */
export async function repeatOrder(ctx: AppContext, scope: RequestScope, actor: CartActor, id: number): Promise<RepeatResult> {
  const order = await loadVisibleOrder(ctx, scope, id);
  if (order.dealerId !== actor.dealerId) throw new AppError('NOT_FOUND', 'The order was not found');
  const lines = await createOrdersRepository(ctx.db).lines(order.id);
  const port = await catalogPortFor(ctx, scope.portal.id, actor.dealerId);
  if (!port) throw new AppError('UNAVAILABLE', 'The catalog does not know your dealer yet');
  const products = port.products(lines.flatMap((l) => (l.productId ? [l.productId] : [])));
  const skipped: RepeatResult['skipped'] = [];
  const add = [];
  for (const l of lines) {
    const p = l.productId ? products.get(l.productId) : undefined;
    const problem = !p ? lineProblem('UNKNOWN_PRODUCT') : !p.onSale ? lineProblem('NOT_ON_SALE', { sku: p.sku ?? undefined }) : !port.quote(p.id, l.baseQty) ? lineProblem('NO_PRICE', { priceType: port.priceType?.name }) : null;
    if (problem) skipped.push({ lineNo: l.lineNo, sku: l.sku, name: l.name, code: problem.code, message: problem.message });
    else add.push({ productId: p!.id, sku: p!.sku, qty: l.qty, unit: l.unit });
  }
  const carts = createCartService(ctx);
  const cart = add.length ? await carts.addResolved(actor, add) : null;
  return { cart: cart ? await carts.view(actor, cart) : await carts.current(actor), added: add.length, skipped };
}

/**
 * The manager sends the order on: the stage moves to "agreed" in Bitrix24, whose robots (SendOrderToErp in the
 * default automation) queue it for the ERP. Not while the dealer has changes to agree.
 */
export async function approveOrder(ctx: AppContext, portal: Portal, order: OrderRow, managerUserId: number): Promise<OrderRow> {
  if (order.changesPending) throw new AppError('CONFLICT', 'The dealer has not agreed to the changes yet');
  if (!['new', 'approval'].includes(order.stageKey)) throw new AppError('CONFLICT', `The order is already at the stage "${order.stageKey}"`);
  if (!order.b24ItemId) throw new AppError('CONFLICT', 'The order is not in Bitrix24 yet');
  return moveOrderStage(ctx, portal, order, { stageKey: 'agreed', actorUserId: managerUserId, message: null });
}

export async function cancelOrder(ctx: AppContext, portal: Portal, order: OrderRow, userId: number, reason: string | undefined): Promise<OrderRow> {
  if (!['new', 'approval', 'agreed'].includes(order.stageKey)) throw new AppError('CONFLICT', `The order is at the stage "${order.stageKey}": cancel it in the ERP`);
  return moveOrderStage(ctx, portal, order, { stageKey: 'cancelled', actorUserId: userId, message: reason ?? null });
}
