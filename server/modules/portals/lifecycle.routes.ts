import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { issueWidgetSession } from '../access/index.js';
import { handleAppEvent, ZAppEvent } from './handle-app-event.js';
import { installPortal } from './install-portal.js';
import { renderInstallPage } from './install-page.js';

/**
 * The install page POST (settings/oauth/simple-way.md): DOMAIN, PROTOCOL, LANG, APP_SID in the query string;
 * AUTH_ID, REFRESH_ID, SERVER_ENDPOINT, APPLICATION_TOKEN, member_id … in the form body.
 */
export const ZInstallQuery = z.object({
  DOMAIN: z.string().min(1, 'DOMAIN is required'),
  PROTOCOL: z.enum(['0', '1']).default('1'),
  LANG: z.string().max(8).default('ru'),
  APP_SID: z.string().max(128).optional(),
});

export const ZInstallBody = z.object({
  AUTH_ID: z.string().min(1, 'AUTH_ID is required'),
  AUTH_EXPIRES: z.coerce.number().int().optional(),
  REFRESH_ID: z.string().min(1, 'REFRESH_ID is required'),
  SERVER_ENDPOINT: z.string().min(1, 'SERVER_ENDPOINT is required'),
  APPLICATION_TOKEN: z.string().optional(),
  APPLICATION_SCOPE: z.string().optional(),
  member_id: z.string().min(1, 'member_id is required'),
  status: z.string().max(2).optional(),
  PLACEMENT: z.string().default('DEFAULT'),
  PLACEMENT_OPTIONS: z.string().optional(),
});

const INSTALL_SESSION_TTL_SECONDS = 60 * 60;

export function lifecycleRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/install', async (req, res) => {
    const query = ZInstallQuery.parse({ ...req.query, ...pick(req.body, ['DOMAIN', 'PROTOCOL', 'LANG', 'APP_SID']) });
    const body = ZInstallBody.parse(req.body ?? {});
    const { portal } = await installPortal(ctx, {
      memberId: body.member_id,
      domain: query.DOMAIN,
      protocol: query.PROTOCOL === '1' ? 'https' : 'http',
      serverEndpoint: body.SERVER_ENDPOINT,
      refreshToken: body.REFRESH_ID,
      applicationToken: body.APPLICATION_TOKEN ?? null,
      languageId: query.LANG,
      source: 'install-page',
    });
    // A short-lived admin session for the install page's progress API (installing is for administrators only).
    const lang = query.LANG.toLowerCase().startsWith('en') ? 'en' : 'ru';
    // The vouched tokens name their user (the installing admin); ask the portal only if the OAuth answer did not.
    const userId = portal.tokenUserId ?? Number((await ctx.b24.forPortal(portal.id).call<{ ID?: unknown }>('user.current')).ID);
    const { token } = issueWidgetSession(
      ctx.config.app.secretKey,
      { portalId: portal.id, userId, role: 'admin', dealerId: null, widget: 'install', lang },
      Date.now(),
      INSTALL_SESSION_TTL_SECONDS,
    );
    const bootstrap = {
      session: token,
      lang,
      widget: 'install' as const,
      placement: body.PLACEMENT,
      placementOptions: {},
      user: { id: userId, name: '', role: 'admin', dealerId: null },
      portal: { domain: portal.domain, memberId: portal.memberId },
    };
    res.set('Cache-Control', 'no-store').type('html').send(renderInstallPage({ portal, lang: query.LANG, bootstrap }));
  });

  // Bitrix24 posts every bound event here as application/x-www-form-urlencoded with bracketed keys.
  router.post('/b24/events', async (req, res) => {
    const event = ZAppEvent.parse(req.body ?? {});
    res.json(await handleAppEvent(ctx, event));
  });

  return router;
}

function pick(body: unknown, keys: string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(keys.filter((k) => k in body).map((k) => [k, (body as Record<string, unknown>)[k]]));
}
