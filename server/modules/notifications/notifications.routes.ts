import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { isDealerRole, scopeOf } from '../access/index.js';
import { dealerApiGuard } from '../carts/index.js';
import { NOTIFICATION_KINDS, settingsView } from './notification-kinds.js';
import { smtpOf } from './notify-dealer-users.js';

export const ZNotificationSettingsPatch = z
  .object({
    kinds: z.partialRecord(z.enum(NOTIFICATION_KINDS), z.boolean()).optional(),
    email: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.kinds !== undefined || p.email !== undefined, 'nothing to change: give kinds or email');

/**
 * A dealer user's own notification settings: which kinds they get, and whether e-mail copies go out
 * (GET/PUT /api/notifications/settings). Staff get their notices from Bitrix24 itself and have none here.
 */
export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/notifications', ...dealerApiGuard(ctx));

  const ownUser = async (portalId: number, role: string, userId: number) => {
    if (!isDealerRole(role as never)) throw new AppError('FORBIDDEN', 'Notification settings are for dealer users');
    const user = await ctx.dealers.findUser(portalId, userId);
    if (!user) throw new AppError('NOT_FOUND', 'Your dealer user was not found');
    return user;
  };

  router.get('/notifications/settings', async (_req, res) => {
    const { session, portal } = scopeOf(res);
    const user = await ownUser(portal.id, session.role, session.userId);
    res.json(settingsView(user.notificationSettings, user.email, smtpOf(ctx) !== null, session.lang === 'en' ? 'en' : 'ru'));
  });

  router.put('/notifications/settings', async (req, res) => {
    const { session, portal } = scopeOf(res);
    const patch = ZNotificationSettingsPatch.parse(req.body ?? {});
    const user = await ownUser(portal.id, session.role, session.userId);
    const next = { ...user.notificationSettings, ...(patch.kinds ?? {}), ...(patch.email === undefined ? {} : { email: patch.email }) };
    await ctx.dealers.updateUserAccess(portal.id, user.id, { notificationSettings: next });
    await ctx.audit.record({ portalId: portal.id, actor: `user:${session.userId}`, action: 'notifications.settings', subject: `dealer-user:${user.id}`, details: patch as Record<string, unknown> });
    res.json(settingsView(next, user.email, smtpOf(ctx) !== null, session.lang === 'en' ? 'en' : 'ru'));
  });

  return router;
}
