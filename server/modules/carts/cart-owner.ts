import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { can, isDealerRole, type Permission, type RequestScope } from '../access/index.js';
import type { Dealer, DealerLegalEntity, DealerUser } from '../dealers/index.js';
import type { CartOwnerKey } from './carts.repository.js';

export interface LegalEntityChoice {
  companyId: number;
  name: string;
  inn: string | null;
  isMain: boolean;
}

/**
 * Whose cart and order a request works on: the dealer user (themselves, or the user a manager acts as), their
 * dealer, the legal entities they may buy for, and the one chosen. `actorUserId` is who pressed the button; both are
 * audited (a manager acting as a dealer is recorded as such).
 */
export interface CartActor extends CartOwnerKey {
  actorUserId: number;
  onBehalfOfUserId: number;
  actingAsDealer: boolean;
  dealer: Dealer;
  dealerUser: DealerUser;
  legalEntities: LegalEntityChoice[];
  legalEntity: LegalEntityChoice | null;
  lang: 'ru' | 'en';
}

/** The legal entities a dealer user may buy for: the holding's, narrowed to the user's own list when they have one. */
export function allowedLegalEntities(dealer: Dealer, entities: DealerLegalEntity[], user: Pick<DealerUser, 'legalEntityIds'>): LegalEntityChoice[] {
  const all: LegalEntityChoice[] = entities.map((e) => ({ companyId: e.companyId, name: e.name, inn: e.inn, isMain: e.isMain }));
  if (!all.length && dealer.companyId) all.push({ companyId: dealer.companyId, name: dealer.title, inn: null, isMain: true });
  const limited = user.legalEntityIds.length ? entities.filter((e) => user.legalEntityIds.includes(e.id)).map((e) => e.companyId) : null;
  return limited ? all.filter((e) => limited.includes(e.companyId)) : all;
}

/**
 * Resolves the actor of a cart / checkout request. Dealer users act for themselves; staff must name the dealer user
 * they act as (`actAsUserId`, permission act-as-dealer). A legal entity the user may not buy for is a 400 naming the
 * field; another dealer's user is a 404.
 */
export async function resolveCartActor(ctx: AppContext, scope: RequestScope, opts: { companyId?: number | null; actAsUserId?: number | null } = {}): Promise<CartActor> {
  const { portal, session } = scope;
  let dealerUser: DealerUser | null;
  let actingAsDealer = false;
  if (isDealerRole(session.role)) {
    if (opts.actAsUserId && opts.actAsUserId !== session.userId) throw new AppError('FORBIDDEN', 'Dealer users act for themselves only', { details: [{ field: 'actAs', message: 'leave it out' }] });
    dealerUser = await ctx.dealers.findUser(portal.id, session.userId);
  } else {
    if (!opts.actAsUserId) {
      throw new AppError('VALIDATION_FAILED', 'Staff use carts and checkout on behalf of a dealer user', { details: [{ field: 'actAs', message: 'the Bitrix24 user id of the dealer user you act as' }] });
    }
    if (!can(session.role, 'act-as-dealer', session.grants as Permission[])) throw new AppError('FORBIDDEN', `Your role (${session.role}) may not act as a dealer (act-as-dealer)`);
    dealerUser = await ctx.dealers.findUser(portal.id, opts.actAsUserId);
    actingAsDealer = true;
  }
  if (!dealerUser || !dealerUser.active) throw new AppError(actingAsDealer ? 'NOT_FOUND' : 'UNAUTHENTICATED', actingAsDealer ? 'There is no active dealer user with this id' : 'Your access to this dealer has changed; open the cabinet again');
  const dealer = await ctx.dealers.findById(portal.id, dealerUser.dealerId);
  if (!dealer || dealer.stage === 'closed') throw new AppError('NOT_FOUND', 'The dealer of this user is not active in DealerHub');
  if (!actingAsDealer && dealer.b24ItemId !== session.dealerId) throw new AppError('UNAUTHENTICATED', 'Your access to this dealer has changed; open the cabinet again');
  const legalEntities = allowedLegalEntities(dealer, await ctx.dealers.legalEntities(portal.id, dealer.id), dealerUser);
  let legalEntity: LegalEntityChoice | null;
  if (opts.companyId !== undefined && opts.companyId !== null) {
    legalEntity = legalEntities.find((e) => e.companyId === opts.companyId) ?? null;
    if (!legalEntity) {
      throw new AppError('VALIDATION_FAILED', 'You may not buy for this legal entity', {
        details: [{ field: 'companyId', message: `choose one of: ${legalEntities.map((e) => `${e.companyId} (${e.name})`).join(', ') || 'none — ask your manager to link a legal entity'}` }],
      });
    }
  } else {
    legalEntity = legalEntities.find((e) => e.isMain) ?? legalEntities[0] ?? null;
  }
  return {
    portalId: portal.id,
    dealerId: dealer.id,
    userId: dealerUser.b24UserId,
    companyId: legalEntity?.companyId ?? null,
    actorUserId: session.userId,
    onBehalfOfUserId: dealerUser.b24UserId,
    actingAsDealer,
    dealer,
    dealerUser,
    legalEntities,
    legalEntity,
    lang: session.lang === 'en' ? 'en' : 'ru',
  };
}

/** Audit actor strings: `user:<id>` for a dealer user, `manager:<id>` acting on behalf of `user:<id>`. */
export function auditActors(a: Pick<CartActor, 'actorUserId' | 'onBehalfOfUserId' | 'actingAsDealer'>): { actor: string; onBehalfOf: string | null } {
  return a.actingAsDealer ? { actor: `manager:${a.actorUserId}`, onBehalfOf: `user:${a.onBehalfOfUserId}` } : { actor: `user:${a.actorUserId}`, onBehalfOf: null };
}
