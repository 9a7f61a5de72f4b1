import type { RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { isDealerRole, scopeOf, sessionGuard } from '../access/index.js';

/**
 * The session guard of the cart, order and notification routes: a valid widget session (server/modules/access), and
 * for a dealer user the dealer_users row read again on every call — switched off, moved to another dealer or a
 * closed dealer answers 401 at once, and role and grants come from the row (as placements' API does).
 */
export function dealerApiGuard(ctx: AppContext): RequestHandler[] {
  const recheck: RequestHandler = async (_req, res, next) => {
    const { session, portal } = scopeOf(res);
    if (isDealerRole(session.role)) {
      const user = await ctx.dealers.findUser(portal.id, session.userId);
      const dealer = user ? await ctx.dealers.findById(portal.id, user.dealerId) : null;
      if (!user || !user.active || !dealer || dealer.b24ItemId !== session.dealerId || dealer.stage === 'closed') {
        throw new AppError('UNAUTHENTICATED', 'Your access to this dealer has changed; open the cabinet again');
      }
      res.locals.scope = { portal, session: { ...session, role: user.role, grants: user.grants } };
    }
    next();
  };
  return [sessionGuard(ctx), recheck];
}
