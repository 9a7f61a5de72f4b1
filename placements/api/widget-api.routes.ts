import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/http/app-error.js';
import { isDealerRole, isStaffRole, permissionsOf, requirePermission, scopeOf, sessionGuard, ZPortalRoles } from '../../server/modules/access/index.js';
import { createOrdersRepository } from '../../server/modules/orders/index.js';
import { dealerUsersRoutes, installedSmartProcess, syncDealerItem, ZPage, type DealerUser } from '../../server/modules/dealers/index.js';
import { listEmployees, readAdminSettings, saveServiceUsers } from './admin-settings.js';
import { readCabinetHome, readCompanyDealers } from './read-cabinet.js';
import { readClaimCard } from './read-claim-card.js';
import { readDealerCard, summarizeDealer } from './read-dealer-card.js';
import { readOrderCard } from './read-order-card.js';
import { updateDealerTerms, ZDealerTermsPatch } from './update-dealer-terms.js';

declare module 'express-serve-static-core' {
  interface Locals {
    dealerUser?: DealerUser | null;
  }
}

const ZId = (what: string) => z.object({ id: z.coerce.number().int().positive({ message: `expected the ${what} id (a positive integer)` }) });

/**
 * A dealer user's session is re-checked against the dealer_users row on every call: a head who switches a user off
 * or changes their role or grants, or a dealer card that is closed, takes effect at once instead of when the 2-hour
 * session ends.
 */
function dealerSessionGuard(ctx: AppContext): RequestHandler {
  return async (_req, res, next) => {
    const { session, portal } = scopeOf(res);
    res.locals.dealerUser = null;
    if (isDealerRole(session.role)) {
      const user = await ctx.dealers.findUser(portal.id, session.userId);
      const dealer = user ? await ctx.dealers.findById(portal.id, user.dealerId) : null;
      if (!user || !user.active || !dealer || dealer.b24ItemId !== session.dealerId || dealer.stage === 'closed') {
        throw new AppError('UNAUTHENTICATED', 'Your access to this dealer has changed; open the cabinet again');
      }
      res.locals.dealerUser = user;
      res.locals.scope = { portal, session: { ...session, role: user.role, grants: user.grants } };
    }
    next();
  };
}

const staffOnly: RequestHandler = (_req, res, next) => {
  if (!isStaffRole(scopeOf(res).session.role)) throw new AppError('FORBIDDEN', 'This is available to staff only');
  next();
};

const dealerUserOf = (res: Response): DealerUser | null => res.locals.dealerUser ?? null;

/**
 * Everything the widgets call, under /api behind the one session guard (STYLE.md §4). Each route parses its input
 * with zod, and scopes by the session's portal and role before it reads anything (a dealer user only ever reaches
 * their own dealer's data).
 */
export function widgetApiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(sessionGuard(ctx), dealerSessionGuard(ctx));

  router.get('/me', (_req, res) => {
    const { session, portal } = scopeOf(res);
    res.json({ userId: session.userId, role: session.role, dealerId: session.dealerId, widget: session.widget, lang: session.lang, permissions: permissionsOf(session.role, session.grants), portal: { domain: portal.domain }, expiresAt: session.exp });
  });

  router.get('/orders/:id', async (req, res) => {
    const { id } = ZId('order').parse(req.params);
    res.json(await readOrderCard(ctx, scopeOf(res), dealerUserOf(res), id));
  });

  /**
   * The order tab's first question: does DealerHub have an order for this Orders item? 200 with null when it does
   * not (an item made by hand in the CRM): not a 404, which the tab would log as a failed load on every such card.
   */
  router.get('/order-items/:id', staffOnly, async (req, res) => {
    const { id } = ZId('Orders item').parse(req.params);
    const order = await createOrdersRepository(ctx.db).findByItemId(scopeOf(res).portal.id, id);
    res.json({ itemId: id, orderId: order?.id ?? null, number: order?.number ?? null });
  });

  router.get('/claims/:id', async (req, res) => {
    const { id } = ZId('claim').parse(req.params);
    res.json(await readClaimCard(ctx, scopeOf(res), dealerUserOf(res), id));
  });

  router.get('/dealers', staffOnly, async (req, res) => {
    const q = z.object({ q: z.string().max(200).default('') }).parse(req.query);
    const page = ZPage.parse(req.query);
    const { portal, session } = scopeOf(res);
    const { items, total } = await ctx.dealers.list(portal.id, { q: q.q || undefined, offset: page.offset, limit: page.limit });
    const eti = installedSmartProcess(portal.settings, 'dealers')?.entityTypeId ?? null;
    res.json({ items: items.map((d) => summarizeDealer(d, session.lang === 'en' ? 'en' : 'ru', null, eti)), total, offset: page.offset, limit: page.limit });
  });

  router.get('/dealers/:id', async (req, res) => {
    const { id } = ZId('dealer').parse(req.params);
    res.json(await readDealerCard(ctx, scopeOf(res), id));
  });

  router.post('/dealers/:id/sync', requirePermission('dealer.manage'), async (req, res) => {
    const { id } = ZId('dealer').parse(req.params);
    const result = await syncDealerItem(ctx, scopeOf(res).portal.id, id);
    if (result.status === 'removed') throw new AppError('NOT_FOUND', 'The Dealers item no longer exists in Bitrix24; it was removed from DealerHub');
    res.json(await readDealerCard(ctx, scopeOf(res), id));
  });

  router.patch('/dealers/:id/terms', requirePermission('dealer.manage'), async (req, res) => {
    const { id } = ZId('dealer').parse(req.params);
    const patch = ZDealerTermsPatch.parse(req.body ?? {});
    res.json(await updateDealerTerms(ctx, scopeOf(res), id, patch));
  });

  router.use(dealerUsersRoutes(ctx));

  router.get('/companies/:id/dealer', staffOnly, async (req, res) => {
    const { id } = ZId('company').parse(req.params);
    res.json(await readCompanyDealers(ctx, scopeOf(res), id));
  });

  router.get('/cabinet', async (_req, res) => {
    res.json(await readCabinetHome(ctx, scopeOf(res), dealerUserOf(res)));
  });

  router.get('/admin/settings', requirePermission('admin.settings'), async (_req, res) => {
    res.json(await readAdminSettings(ctx, scopeOf(res)));
  });

  router.put('/admin/settings/roles', requirePermission('admin.settings'), async (req, res) => {
    const body = ZPortalRoles.strict().parse(req.body ?? {});
    res.json({ roles: await saveServiceUsers(ctx, scopeOf(res), body.serviceUserIds) });
  });

  router.get('/admin/employees', requirePermission('admin.settings'), async (req, res) => {
    const q = z.object({ q: z.string().max(100).default(''), start: z.coerce.number().int().min(0).default(0) }).parse(req.query);
    res.json(await listEmployees(ctx, scopeOf(res), q.q, q.start));
  });

  return router;
}
