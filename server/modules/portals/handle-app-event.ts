import { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import type { AppContext } from '../../context.js';
import { purgePortalData } from '../../db/purge-portal.js';
import { installPortal } from './install-portal.js';

/** The `auth` block of an event POST (api-reference/events/index.md §Parameter auth). Tokens may be absent. */
export const ZEventAuth = z.object({
  domain: z.string().min(1),
  member_id: z.string().min(1),
  application_token: z.string().min(1),
  access_token: z.string().optional(),
  refresh_token: z.string().optional(),
  expires_in: z.coerce.number().optional(),
  expires: z.coerce.number().optional(),
  scope: z.string().optional(),
  server_endpoint: z.string().optional(),
  client_endpoint: z.string().optional(),
  status: z.string().optional(),
  user_id: z.coerce.number().optional(),
});

export const ZAppEvent = z.object({
  event: z.string().min(1).transform((e) => e.toUpperCase()),
  event_handler_id: z.coerce.number().optional(),
  data: z.record(z.string(), z.unknown()).optional().default({}),
  ts: z.coerce.number().optional(),
  auth: ZEventAuth,
});
export type TAppEvent = z.infer<typeof ZAppEvent>;

/** Domain handlers for CRM events etc. subscribe here; they must only enqueue and return (events are not retried). */
export type AppEventListener = (ctx: AppContext, event: TAppEvent & { portalId: number }) => Promise<void> | void;

export function onAppEvent(ctx: AppContext, eventName: string, listener: AppEventListener): void {
  const name = eventName.toUpperCase();
  ctx.hooks.appEvent.set(name, [...(ctx.hooks.appEvent.get(name) ?? []), listener]);
}

/**
 * One entry point for every event Bitrix24 posts to us. ONAPPINSTALL proves its tokens with the OAuth server;
 * every other event must carry the stored application_token (constant-time compare) or gets 403 with no effect
 * (api-reference/events/safe-event-handlers.md).
 */
export async function handleAppEvent(ctx: AppContext, event: TAppEvent): Promise<{ accepted: true }> {
  const { auth } = event;
  if (event.event === 'ONAPPINSTALL') {
    if (!auth.refresh_token || !auth.server_endpoint) {
      throw new AppError('FORBIDDEN', 'ONAPPINSTALL without tokens cannot be verified');
    }
    await installPortal(ctx, {
      memberId: auth.member_id,
      domain: auth.domain,
      protocol: auth.client_endpoint?.startsWith('http://') ? 'http' : 'https',
      serverEndpoint: auth.server_endpoint,
      refreshToken: auth.refresh_token,
      applicationToken: auth.application_token,
      appVersion: toInt(event.data.VERSION),
      languageId: typeof event.data.LANGUAGE_ID === 'string' ? event.data.LANGUAGE_ID : null,
      source: 'ONAPPINSTALL',
    });
    return { accepted: true };
  }

  const matches = await ctx.portals.applicationTokenMatches(auth.member_id, auth.application_token);
  const portal = matches ? await ctx.portals.findByMemberId(auth.member_id) : null;
  if (!portal || portal.status === 'uninstalled') {
    ctx.logger.warn({ event: event.event, memberId: auth.member_id }, 'event refused: application_token does not match');
    throw new AppError('FORBIDDEN', 'application_token does not match this portal');
  }

  switch (event.event) {
    case 'ONAPPUNINSTALL': {
      const clean = ['1', 'Y', 'y', 'true'].includes(String(event.data.CLEAN ?? ''));
      if (clean) await purgePortalData(ctx.db.sequelize, portal.id);
      await ctx.portals.markUninstalled(portal.id);
      if (clean) await ctx.portals.resetSettings(portal.id);
      await ctx.audit.record({ portalId: clean ? null : portal.id, actor: 'portal', action: 'app.uninstalled', subject: portal.memberId, details: { clean } });
      for (const hook of ctx.hooks.portalUninstalled) await hook(portal, clean);
      return { accepted: true };
    }
    case 'ONAPPUPDATE': {
      const version = toInt(event.data.VERSION);
      await ctx.portals.setVersions(portal.id, { appVersion: version });
      await ctx.audit.record({ portalId: portal.id, actor: 'portal', action: 'app.updated', details: { version } });
      for (const hook of ctx.hooks.appUpdated) await hook(portal, version);
      return { accepted: true };
    }
    default: {
      for (const listener of ctx.hooks.appEvent.get(event.event) ?? []) await listener(ctx, { ...event, portalId: portal.id });
      return { accepted: true };
    }
  }
}

function toInt(v: unknown): number | null {
  const n = Number(v);
  return Number.isInteger(n) ? n : null;
}
