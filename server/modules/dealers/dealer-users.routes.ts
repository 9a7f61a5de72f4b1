import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { assertDealerInScope, can, DEALER_ROLES, GRANTABLE_PERMISSIONS, isDealerRole, scopeOf, type Permission } from '../access/index.js';
import type { DealerUser, DealerUserRole } from './dealer.types.js';

export const ZDealerItemParams = z.object({ dealerItemId: z.coerce.number().int().positive({ message: 'expected the Dealers item id' }) });
export const ZDealerUserParams = ZDealerItemParams.extend({ userId: z.coerce.number().int().positive({ message: 'expected the dealer user id' }) });
export const ZPage = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200, { message: 'at most 200 rows per page' }).default(50),
});

export const ZDealerUserPatch = z
  .object({
    role: z.enum(DEALER_ROLES as [DealerUserRole, ...DealerUserRole[]]).optional(),
    grants: z
      .array(z.string())
      .max(30)
      .refine((g) => g.every((p) => (GRANTABLE_PERMISSIONS as string[]).includes(p)), { message: `only these permissions can be granted: ${GRANTABLE_PERMISSIONS.join(', ')}` })
      .optional(),
    legalEntityIds: z.array(z.number().int().positive()).max(200).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one of role, grants, legalEntityIds, active' });
export type TDealerUserPatch = z.infer<typeof ZDealerUserPatch>;

export const publicDealerUser = (u: DealerUser) => ({
  id: u.id,
  b24UserId: u.b24UserId,
  name: u.name,
  email: u.email,
  role: u.role,
  grants: u.grants,
  legalEntityIds: u.legalEntityIds,
  active: u.active,
});

/**
 * The dealer's users, for its head (in the cabinet) and for staff (in the dealer card): list and change role, extra
 * grants, the legal entities a user may act for, and whether the account is active. Mounted under /api behind the
 * session guard; every route checks the permission and that the dealer is the session's own (dealer users).
 */
export function dealerUsersRoutes(ctx: AppContext): Router {
  const router = Router();

  async function dealerInScope(res: Parameters<typeof scopeOf>[0], dealerItemId: number) {
    const { session, portal } = scopeOf(res);
    assertDealerInScope(session, dealerItemId, 'The dealer');
    const dealer = await ctx.dealers.findByItemId(portal.id, dealerItemId);
    if (!dealer) throw new AppError('NOT_FOUND', 'The dealer was not found; it may not be synced from Bitrix24 yet');
    return { session, portal, dealer };
  }

  router.get('/dealers/:dealerItemId/users', async (req, res) => {
    const { dealerItemId } = ZDealerItemParams.parse(req.params);
    const page = ZPage.parse(req.query);
    const { session, portal, dealer } = await dealerInScope(res, dealerItemId);
    if (isDealerRole(session.role) && !can(session.role, 'dealer.users.manage', session.grants as Permission[])) {
      throw new AppError('FORBIDDEN', 'Only the head of the dealer manages its users');
    }
    const { items, total } = await ctx.dealers.pageUsers(portal.id, dealer.id, page);
    res.json({ items: items.map(publicDealerUser), total, offset: page.offset, limit: page.limit });
  });

  router.patch('/dealers/:dealerItemId/users/:userId', async (req, res) => {
    const { dealerItemId, userId } = ZDealerUserParams.parse(req.params);
    const patch = ZDealerUserPatch.parse(req.body ?? {});
    const { session, portal, dealer } = await dealerInScope(res, dealerItemId);
    if (!can(session.role, 'dealer.users.manage', session.grants as Permission[])) {
      throw new AppError('FORBIDDEN', `Your role (${session.role}) may not manage dealer users`);
    }
    const user = await ctx.dealers.findUserById(portal.id, userId);
    if (!user || user.dealerId !== dealer.id) throw new AppError('NOT_FOUND', 'This user does not belong to the dealer');
    if (patch.legalEntityIds) {
      const own = new Set((await ctx.dealers.legalEntities(portal.id, dealer.id)).map((e) => e.id));
      const foreign = patch.legalEntityIds.filter((id) => !own.has(id));
      if (foreign.length) throw new AppError('VALIDATION_FAILED', 'Some legal entities do not belong to this dealer', { details: [{ field: 'legalEntityIds', message: `unknown ids: ${foreign.join(', ')}` }] });
    }
    // The dealer must keep an active head, or nobody could manage its users any more.
    const users = await ctx.dealers.listUsers(portal.id, dealer.id);
    const after = users.map((u) => (u.id === user.id ? { ...u, role: patch.role ?? u.role, active: patch.active ?? u.active } : u));
    if (!after.some((u) => u.role === 'dealer_head' && u.active)) {
      throw new AppError('CONFLICT', 'The dealer must keep at least one active head; appoint another head first');
    }
    await ctx.dealers.updateUserAccess(portal.id, user.id, patch);
    await ctx.audit.record({
      portalId: portal.id,
      actor: `user:${session.actorUserId ?? session.userId}`,
      onBehalfOf: session.actorUserId ? `user:${session.userId}` : null,
      action: 'dealer.user.changed',
      subject: `dealer_user:${user.id}`,
      details: { dealerItemId, b24UserId: user.b24UserId, ...patch },
    });
    const updated = await ctx.dealers.findUserById(portal.id, user.id);
    res.json({ user: publicDealerUser(updated!) });
  });

  return router;
}
