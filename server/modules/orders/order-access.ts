import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { can, isDealerRole, type Permission, type RequestScope } from '../access/index.js';
import { allowedLegalEntities } from '../carts/index.js';
import type { Dealer } from '../dealers/index.js';
import type { OrderListQuery, OrderRow } from './orders.repository.js';

/**
 * Which orders a session sees. Staff: every order of the portal. Dealer users: their dealer's orders only; roles
 * without orders.read.company only the orders they placed; users limited to some legal entities only those. Anything
 * else is "not found", so another dealer's order ids are never confirmed.
 */
export interface OrderVisibility {
  staff: boolean;
  dealerId: number | null;
  dealerItemId: number | null;
  userId: number | null;
  companyIds: number[] | null;
}

export async function orderVisibility(ctx: AppContext, scope: RequestScope): Promise<OrderVisibility> {
  const { session, portal } = scope;
  if (!isDealerRole(session.role)) return { staff: true, dealerId: null, dealerItemId: null, userId: null, companyIds: null };
  const user = await ctx.dealers.findUser(portal.id, session.userId);
  const dealer = user ? await ctx.dealers.findById(portal.id, user.dealerId) : null;
  if (!user || !dealer || dealer.b24ItemId !== session.dealerId) throw new AppError('UNAUTHENTICATED', 'Your access to this dealer has changed; open the cabinet again');
  const companyWide = can(session.role, 'orders.read.company', session.grants as Permission[]);
  const companyIds = user.legalEntityIds.length ? allowedLegalEntities(dealer, await ctx.dealers.legalEntities(portal.id, dealer.id), user).map((e) => e.companyId) : null;
  return { staff: false, dealerId: dealer.id, dealerItemId: dealer.b24ItemId, userId: companyWide ? null : session.userId, companyIds };
}

export function canSeeOrder(v: OrderVisibility, o: OrderRow): boolean {
  if (o.status === 'failed' && !v.staff && v.userId !== null && o.userId !== v.userId) return false;
  if (v.staff) return true;
  if (o.dealerId !== v.dealerId) return false;
  if (v.userId !== null && o.userId !== v.userId) return false;
  if (v.companyIds && (o.companyId === null || !v.companyIds.includes(o.companyId))) return false;
  return true;
}

/**
 * The dealer a list or a summary asks for by `dealerId` (a Dealers item id): staff get that dealer (null when the
 * portal has none), a dealer user asking for their own dealer gets no extra filter (undefined: their scope already
 * is it) and null for any other — an empty answer, never another dealer's figures.
 */
export async function requestedDealer(ctx: AppContext, scope: RequestScope, v: OrderVisibility, dealerItemId: number | undefined): Promise<Dealer | null | undefined> {
  if (dealerItemId === undefined) return undefined;
  if (!v.staff) return dealerItemId === v.dealerItemId ? undefined : null;
  return ctx.dealers.findByItemId(scope.portal.id, dealerItemId);
}

export function listFilterOf(v: OrderVisibility): Pick<OrderListQuery, 'dealerId' | 'userId' | 'companyIds'> {
  if (v.staff) return {};
  return { dealerId: v.dealerId!, ...(v.userId !== null ? { userId: v.userId } : {}), ...(v.companyIds ? { companyIds: v.companyIds } : {}) };
}
