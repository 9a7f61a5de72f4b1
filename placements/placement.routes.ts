import { resolve } from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import type { AppContext } from '../server/context.js';
import { isAppError } from '../server/http/app-error.js';
import type { Portal } from '../server/modules/portals/index.js';
import { openWidget } from './open-widget.js';
import type { NonceStore } from './placement-nonces.js';
import { refusalText, type RefusalReason } from './refusal-pages.js';
import { widgetByKey, type WidgetKey } from './registry.js';
import { uiLangOf } from './ui-lang.js';
import { verifyPlacement, ZPlacementBody, ZPlacementQuery } from './verify-placement.js';
import { loadWidgetTemplate, renderMessagePage, renderWidgetPage, setFramedPageHeaders, WidgetNotBuiltError, WIDGETS_DIST_DIR } from './widget-page.js';

export interface PlacementRoutesOptions {
  nonces: NonceStore;
  distDir?: string;
}

const QUERY_KEYS = ['DOMAIN', 'PROTOCOL', 'LANG', 'APP_SID'] as const;
const langOf = (req: Request): 'ru' | 'en' => uiLangOf(req.query.LANG ?? (req.body as Record<string, unknown> | undefined)?.LANG);

/**
 * The portal's entry points into DealerHub: `POST /placement/:widget` (a widget in a card, the cabinet) and `POST /app`
 * (the app's own page, placement DEFAULT). Each answers an HTML page: the widget with its session, or a refusal a
 * person can act on — never JSON, since it is shown inside the portal. Built assets are served under
 * /widgets/assets with a long cache (their names carry content hashes).
 *
 * The standalone cabinet (`GET /cabinet`, sign-in with Bitrix24 OAuth) will reuse openWidget() with a user proven by
 * the authorization-code flow instead of a placement POST.
 */
export function placementRoutes(ctx: AppContext, options: PlacementRoutesOptions): Router {
  const router = Router();
  const distDir = options.distDir ?? WIDGETS_DIST_DIR;

  function sendMessage(res: Response, status: number, reason: RefusalReason, lang: 'ru' | 'en', portal: Portal | null) {
    setFramedPageHeaders(res, portal);
    const text = refusalText(reason, lang);
    res.status(status).type('html').send(renderMessagePage({ lang, ...text, kind: status >= 500 ? 'error' : reason.startsWith('no-') ? 'info' : 'error' }));
  }

  async function handle(req: Request, res: Response, requested: WidgetKey | 'app') {
    const lang = langOf(req);
    let portal: Portal | null = null;
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const fromBody = Object.fromEntries(QUERY_KEYS.filter((k) => typeof body[k] === 'string').map((k) => [k, body[k]]));
      const query = ZPlacementQuery.parse({ ...fromBody, ...req.query });
      const verified = await verifyPlacement(ctx, options.nonces, query, ZPlacementBody.parse(body));
      portal = verified.portal;
      const opened = await openWidget(ctx, requested, verified);
      if (!opened.ok) return sendMessage(res, opened.status, opened.reason, lang, opened.portal);
      const html = renderWidgetPage(loadWidgetTemplate(opened.widget.entry, distDir), opened.bootstrap);
      setFramedPageHeaders(res, opened.portal);
      res.status(200).type('html').send(html);
    } catch (err) {
      if (err instanceof ZodError) return sendMessage(res, 400, 'bad-request', lang, portal);
      if (err instanceof WidgetNotBuiltError) {
        ctx.logger.error({ err }, 'widget page missing');
        return sendMessage(res, 503, 'not-built', lang, portal);
      }
      if (isAppError(err)) {
        if (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED') return sendMessage(res, 403, 'forbidden', lang, portal);
        if (err.code === 'UPSTREAM_FAILED') return sendMessage(res, 502, 'upstream', lang, portal);
        if (err.code === 'UNAVAILABLE') return sendMessage(res, 503, 'not-installed', lang, portal);
        if (err.status < 500) return sendMessage(res, err.status, 'bad-request', lang, portal);
      }
      ctx.logger.error({ err, widget: requested }, 'placement failed');
      return sendMessage(res, 500, 'internal', lang, portal);
    }
  }

  router.post('/app', (req, res) => handle(req, res, 'app'));
  router.post('/placement/:widget', async (req, res) => {
    const widget = widgetByKey(String(req.params.widget));
    if (!widget) return sendMessage(res, 404, 'bad-request', langOf(req), null);
    return handle(req, res, widget.key);
  });
  // A GET is someone following a link outside the portal; widgets only open from Bitrix24's POST.
  router.get(['/app', '/placement/:widget'], (req, res) => sendMessage(res, 405, 'bad-request', langOf(req), null));

  router.use(
    '/widgets/assets',
    express.static(resolve(distDir, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }),
  );
  return router;
}
