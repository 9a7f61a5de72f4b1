import type { RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import type { Dealer, DealerUser } from '../dealers/index.js';
import { isDealerRole, scopeOf, sessionGuard } from '../access/index.js';

/**
 * How long this process reuses a dealer user's access as the guard read it. The catalog benchmark (issue 6) showed
 * the guard's two reads per request were the largest piece of the catalog API's CPU per query; a dealer's page fires
 * several requests at once and the search box one per keystroke, so most of them find the row read a moment ago.
 * A change made in this process (switch off, move, dealer closed) drops the cached rows at once (the dealers
 * repository's write count); one made by another process is seen within this time.
 */
const ACCESS_TTL_MS = 2_000;
const MAX_CACHED = 20_000;

interface DealerAccess {
  user: DealerUser | null;
  dealer: Dealer | null;
}

interface CachedAccess {
  readAt: number;
  writeCount: number;
  /** The read itself, so the requests a page fires together wait for one read instead of each making their own. */
  access: Promise<DealerAccess>;
}

const caches = new WeakMap<AppContext, Map<string, CachedAccess>>();

/** The dealer_users row of a portal user and its dealer, read at most every ACCESS_TTL_MS per process. */
function dealerAccessOf(ctx: AppContext, portalId: number, userId: number): Promise<DealerAccess> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  const key = `${portalId}:${userId}`;
  const writeCount = ctx.dealers.writeCount();
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.writeCount === writeCount && now - hit.readAt < ACCESS_TTL_MS) return hit.access;
  // The write count is taken before reading: a write that lands during the read leaves this entry already stale.
  const access = (async () => {
    const user = await ctx.dealers.findUser(portalId, userId);
    return { user, dealer: user ? await ctx.dealers.findById(portalId, user.dealerId) : null };
  })();
  const entry = { readAt: now, writeCount, access };
  cache.delete(key);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
  // A failed read is not kept: the next request tries again.
  access.catch(() => cache.get(key) === entry && cache.delete(key));
  return access;
}

/**
 * The session guard of the cart, order, notification and catalog routes: a valid widget session
 * (server/modules/access), and for a dealer user the dealer_users row checked on every call — switched off, moved to
 * another dealer or a closed dealer answers 401 (at once for changes made by this process, within ACCESS_TTL_MS for
 * another's), and role and grants come from the row (as placements' API does).
 */
export function dealerApiGuard(ctx: AppContext): RequestHandler[] {
  const recheck: RequestHandler = async (_req, res, next) => {
    const { session, portal } = scopeOf(res);
    if (isDealerRole(session.role)) {
      const { user, dealer } = await dealerAccessOf(ctx, portal.id, session.userId);
      if (!user || !user.active || !dealer || dealer.b24ItemId !== session.dealerId || dealer.stage === 'closed') {
        throw new AppError('UNAUTHENTICATED', 'Your access to this dealer has changed; open the cabinet again');
      }
      res.locals.scope = { portal, session: { ...session, role: user.role, grants: user.grants } };
    }
    next();
  };
  return [sessionGuard(ctx), recheck];
}
