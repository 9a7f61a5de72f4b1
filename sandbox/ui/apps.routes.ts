import express, { type Request, type Response, type Router } from 'express';
import type { SApp } from '../store/types.js';
import { renderAppFrame } from './app-frame.js';
import { h } from './html.js';
import { isExtranet, pageContext, renderPage, renderRefusal, type PageContext, type UiDeps } from './layout.js';
import { appDisplayName, canOpenApp, isVisiblePlacement, placementTitle } from './placements-visible.js';

/**
 * Applications: the Market list, an app's own page (/marketplace/app/<id>/) and LEFT_MENU pages. Until installFinish
 * the administrator sees the app's install URL and everyone else the portal's "not fully installed" message
 * (settings/app-installation/installation-finish.md); afterwards the app URL opens as the DEFAULT placement.
 */

const NOT_INSTALLED = 'Приложение ещё не полностью установлено. Обратитесь к администратору вашего Битрикс24, чтобы завершить установку.';

export function appTitle(ctx: PageContext, app: SApp): string {
  return appDisplayName(ctx.rt, app);
}

function parseOptions(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || !raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function renderAppPage(ctx: PageContext, app: SApp): { status: number; html: string } {
  const title = appTitle(ctx, app);
  if (isExtranet(ctx.me)) return { status: 403, html: renderRefusal(ctx, title, 'Приложения Маркета недоступны внешним пользователям. Приложения для вас — в мессенджере.') };
  if (!canOpenApp(app, ctx.me)) return { status: 403, html: renderRefusal(ctx, title, 'У вас нет доступа к этому приложению. Обратитесь к администратору.') };
  if (!app.installed && !ctx.me.IS_ADMIN) return { status: 200, html: renderPage(ctx, { title, body: h`<div class="workarea"><div class="notice" data-testid="not-installed">${NOT_INSTALLED}</div></div>` }) };
  const installing = !app.installed;
  const frame = renderAppFrame(ctx, {
    app,
    handlerUrl: installing ? app.installUrl : app.appUrl,
    placement: 'DEFAULT',
    options: installing ? {} : parseOptions(ctx.req.query.options),
    titleTarget: 'pagetitle',
    height: 600,
  });
  const badge = installing ? h`<span class="pill wait" data-testid="install-mode">Установка</span>` : h`<span class="pill ok" data-testid="app-installed">Установлено</span>`;
  return { status: 200, html: renderPage(ctx, { title, toolbar: badge, body: h`<div class="app-page" data-testid="app-page" data-client-id="${app.clientId}">${frame}</div>` }) };
}

function marketplace(ctx: PageContext): string {
  const apps = ctx.rt.store.apps.all().sort((a, b) => a.id - b.id);
  const tiles = apps.map((a) => {
    const state = !a.active ? h`<span class="pill">не установлено</span>` : a.installed ? h`<span class="pill ok">установлено</span>` : h`<span class="pill wait">установка не завершена</span>`;
    const placements = ctx.rt.store.placements.filter((p) => p.clientId === a.clientId).length;
    return h`<a class="tile" href="/marketplace/app/${a.id}/" data-app-id="${a.id}"><span class="tile-icon">${appTitle(ctx, a).slice(0, 1).toUpperCase()}</span><b>${appTitle(ctx, a)}</b><span class="muted small">${a.clientId}</span><span>${state}</span><span class="muted small">Версия ${a.version} · встроек: ${placements}</span></a>`;
  });
  return renderPage(ctx, { title: 'Маркет', body: h`<div class="workarea"><h2 class="block">Установленные приложения</h2>${tiles.length ? h`<div class="tiles">${tiles}</div>` : h`<div class="empty">Приложений нет</div>`}</div>` });
}

export function createAppsRouter(deps: UiDeps): Router {
  const router = express.Router();
  const send = (res: Response, out: { status: number; html: string }) => void res.status(out.status).type('html').send(out.html);

  router.get('/marketplace', (req: Request, res: Response) => {
    const ctx = pageContext(deps, req);
    if (isExtranet(ctx.me)) return send(res, { status: 403, html: renderRefusal(ctx, 'Маркет', 'Маркет недоступен внешним пользователям.') });
    res.type('html').send(marketplace(ctx));
  });

  router.get('/marketplace/app/:id', (req: Request, res: Response) => {
    const ctx = pageContext(deps, req);
    const app = ctx.rt.store.apps.find((a) => a.id === Number(req.params.id));
    if (!app || !app.active) return send(res, { status: 404, html: renderRefusal(ctx, 'Приложение', 'Приложение не установлено на этом портале.') });
    send(res, renderAppPage(ctx, app));
  });

  router.get('/marketplace/placement/:id', (req: Request, res: Response) => {
    const ctx = pageContext(deps, req);
    const p = ctx.rt.store.placements.get(Number(req.params.id));
    if (!p || p.placement !== 'LEFT_MENU' || !isVisiblePlacement(ctx.rt, p, ctx.me)) {
      return send(res, { status: 404, html: renderRefusal(ctx, 'Приложение', 'Пункт меню недоступен.') });
    }
    const app = ctx.rt.store.apps.get(p.clientId) as SApp;
    const frame = renderAppFrame(ctx, { app, handlerUrl: p.handler, placement: 'LEFT_MENU', titleTarget: 'pagetitle', height: 600 });
    res.type('html').send(renderPage(ctx, { title: placementTitle(ctx.rt, p), body: h`<div class="app-page" data-testid="app-page">${frame}</div>` }));
  });

  return router;
}

