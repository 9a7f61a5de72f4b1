import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppLifecycle } from '../apps/apps.js';
import type { AutomationEngine } from '../bizproc/engine.js';
import type { PortalRuntime } from '../core/runtime.js';
import { faceOf } from '../rest/rest.routes.js';
import { appTitle, createAppsRouter } from './apps.routes.js';
import { createAutomationRouter } from './automation.routes.js';
import { createCrmRouter } from './crm.routes.js';
import { UI_USER_COOKIE } from './current-user.js';
import { createFrameRouter } from './frame.routes.js';
import { h } from './html.js';
import { isExtranet, pageContext, renderPage, type PageContext, type UiDeps } from './layout.js';
import { createMessengerRouter, renderNotification } from './messenger.routes.js';
import { placementTitle, visiblePlacements } from './placements-visible.js';
import { avatar, userName, userRoleLabel } from './view.js';

/**
 * The portal's HTML layer (DESIGN.md §6): a person — or a Playwright test — signs in as a seeded user with the
 * switcher (cookie `b24sandbox_user`, which /oauth/authorize/ also reads) and uses the portal: CRM lists and cards
 * with app tabs, automation rules, apps and their left-menu pages, the messenger with IM_NAVIGATION apps,
 * notifications. App frames talk to the page through the b24jssdk frame protocol (assets/frame-host.js).
 */

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

function startPage(ctx: PageContext): string {
  const { rt, me } = ctx;
  if (isExtranet(me)) {
    const company = rt.store.companies.get(me.companyId ?? -1);
    const apps = visiblePlacements(rt, me, 'IM_NAVIGATION');
    const recent = rt.store.notifications.filter((n) => n.toUserId === me.ID).sort((a, b) => b.id - a.id).slice(0, 5);
    const body = h`<div class="workarea"><h2 class="block">Здравствуйте, ${me.NAME}!</h2><p class="muted">${company ? h`Вы работаете на портале как сотрудник компании «${String(company.fields.TITLE ?? '')}» (экстранет).` : 'Вы — внешний пользователь портала (экстранет).'}</p>
<div class="tiles"><a class="tile" href="/online/"><span class="tile-icon">✉</span><b>Мессенджер</b><span class="muted small">Чаты с менеджерами и приложения</span></a>${apps.map(
      (p) => h`<a class="tile" href="/online/?IM_APP=${p.id}"><span class="tile-icon" style="background:#a5de00">▣</span><b>${placementTitle(rt, p)}</b><span class="muted small">Приложение в мессенджере</span></a>`,
    )}</div></div>
<div class="workarea"><h2 class="block">Последние уведомления</h2>${recent.length ? recent.map((n) => renderNotification(rt, n)) : h`<div class="muted">Уведомлений нет</div>`}</div>`;
    return renderPage(ctx, { title: 'Главная', body });
  }
  const apps = rt.store.apps.all().sort((a, b) => a.id - b.id);
  const types = rt.store.types.all().sort((a, b) => a.id - b.id);
  const users = rt.store.users.filter((u) => u.ACTIVE).sort((a, b) => a.ID - b.ID);
  const count = (eti: number) => rt.store.items.filter((i) => i.entityTypeId === eti).length;
  const appTiles = apps.map((a) => {
    const state = !a.active ? h`<span class="pill">не установлено</span>` : a.installed ? h`<span class="pill ok">установлено</span>` : h`<span class="pill wait">установка не завершена</span>`;
    return h`<a class="tile" href="/marketplace/app/${a.id}/"><span class="tile-icon">${appTitle(ctx, a).slice(0, 1).toUpperCase()}</span><b>${appTitle(ctx, a)}</b><span>${state}</span></a>`;
  });
  const typeTiles = [
    h`<a class="tile" href="/crm/deal/list/"><span class="tile-icon" style="background:#55d0e0">◆</span><b>Сделки</b><span class="muted small">${count(2)} шт.</span></a>`,
    h`<a class="tile" href="/crm/company/list/"><span class="tile-icon" style="background:#7bd500">▤</span><b>Компании</b><span class="muted small">${rt.store.companies.size} шт.</span></a>`,
    ...types.map((t) => h`<a class="tile" href="/crm/type/${t.entityTypeId}/list/" data-entity-type-id="${t.entityTypeId}"><span class="tile-icon" style="background:#ffa900">◇</span><b>${t.title}</b><span class="muted small">Смарт-процесс ${t.entityTypeId} · ${count(t.entityTypeId)} шт. · <span style="color:#2067b0">роботы</span></span></a>`),
  ];
  const userRows = users.map((u) => {
    const company = u.companyId ? rt.store.companies.get(u.companyId) : undefined;
    return h`<tr><td class="num">${u.ID}</td><td><span class="userlink">${avatar(u, 'sm')}${userName(u)}</span></td><td>${u.WORK_POSITION || userRoleLabel(u)}</td><td>${u.USER_TYPE === 'extranet' ? h`<span class="pill wait">экстранет</span>` : h`<span class="pill info">сотрудник</span>`}${u.IS_ADMIN ? h` <span class="pill ok">админ</span>` : ''}</td><td>${company ? String(company.fields.TITLE ?? '') : ''}</td><td><a href="/_ui/switch-user?id=${u.ID}&back=%2F">войти</a></td></tr>`;
  });
  const body = h`<div class="workarea"><h2 class="block">Приложения</h2>${appTiles.length ? h`<div class="tiles" data-testid="start-apps">${appTiles}</div>` : h`<div class="muted">Приложений пока нет</div>`}</div>
<div class="workarea"><h2 class="block">CRM</h2><div class="tiles" data-testid="start-types">${typeTiles}</div></div>
<div class="workarea flush"><h2 class="block" style="padding:18px 20px 0">Пользователи</h2><table class="grid" data-testid="start-users"><thead><tr><th>ID</th><th>Имя</th><th>Должность</th><th>Тип</th><th>Компания</th><th></th></tr></thead><tbody>${userRows}</tbody></table></div>
<div class="workarea small muted">Портал ${rt.domain(ctx.face)} · member_id <code>${rt.memberId}</code> · REST <code>${rt.clientEndpoint(ctx.face)}</code></div>`;
  return renderPage(ctx, { title: `Добро пожаловать, ${me.NAME}`, body });
}

/** Pages must be opened on the portal's own host: DOMAIN, postMessage origins and cookies are bound to it. */
function canonicalHost(rt: PortalRuntime) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') return next();
    const domain = rt.domain(faceOf(req));
    const host = req.headers.host;
    if (!host || host === domain || /^(0\.0\.0\.0|\[?::\]?)(:|$)/.test(domain)) return next();
    res.redirect(302, `${faceOf(req) === 'https' ? 'https' : 'http'}://${domain}${req.originalUrl}`);
  };
}

export function createUiRouter(rt: PortalRuntime, apps: AppLifecycle, automation: AutomationEngine): Router {
  const deps: UiDeps = { rt, apps, automation };
  const router = express.Router();
  const css = asset('portal.css');
  const js = asset('frame-host.js');
  router.get('/favicon.ico', (_req, res) => void res.status(204).end());
  router.get('/_ui/assets/portal.css', (_req, res) => void res.type('text/css').set('Cache-Control', 'no-cache').send(css));
  router.get('/_ui/assets/frame-host.js', (_req, res) => void res.type('application/javascript').set('Cache-Control', 'no-cache').send(js));
  router.use(createFrameRouter(deps));
  router.get('/_ui/switch-user', (req, res) => {
    const id = Number(req.query.id);
    const user = rt.store.users.get(id);
    if (!user || !user.ACTIVE) return void res.status(404).type('text').send('no such user');
    res.setHeader('Set-Cookie', `${UI_USER_COOKIE}=${user.ID}; Path=/; HttpOnly; SameSite=Lax`);
    const back = typeof req.query.back === 'string' && req.query.back.startsWith('/') && !req.query.back.startsWith('//') ? req.query.back : '/';
    res.redirect(302, back);
  });
  router.use(canonicalHost(rt));
  router.get('/', (req, res) => void res.type('html').send(startPage(pageContext(deps, req))));
  router.use(createAutomationRouter(deps));
  router.use(createCrmRouter(deps));
  router.use(createAppsRouter(deps));
  router.use(createMessengerRouter(deps));
  return router;
}
