import type { Request } from 'express';
import type { AppLifecycle } from '../apps/apps.js';
import type { AutomationEngine } from '../bizproc/engine.js';
import type { Face, PortalRuntime } from '../core/runtime.js';
import { faceOf } from '../rest/rest.routes.js';
import type { SUser } from '../store/types.js';
import { currentUiUser } from './current-user.js';
import { h, raw, type Html } from './html.js';
import { leftMenuPlacements, placementTitle } from './placements-visible.js';
import { avatar, userName, userRoleLabel } from './view.js';

/** What every page handler gets: the portal, the signed-in user and how the page was asked for. */
export interface UiDeps {
  rt: PortalRuntime;
  apps: AppLifecycle;
  automation: AutomationEngine;
}

export interface PageContext extends UiDeps {
  me: SUser;
  req: Request;
  face: Face;
  /** `?IFRAME=Y`: the page is shown inside a slider, without the portal's menu and header. */
  bare: boolean;
}

export function pageContext(deps: UiDeps, req: Request): PageContext {
  return { ...deps, me: currentUiUser(deps.rt, req), req, face: faceOf(req), bare: String(req.query.IFRAME ?? '').toUpperCase() === 'Y' };
}

export const isExtranet = (u: SUser) => u.USER_TYPE !== 'employee';

/** Path + query of the request (what PLACEMENT_OPTIONS.URI and the switcher's way back carry). */
export function requestUri(req: Request): string {
  return req.originalUrl.startsWith('/') ? req.originalUrl : '/';
}

const BELL = raw('<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>');

interface MenuItem {
  href: string;
  label: string;
  icon: string | Html;
}

function menuFor(ctx: PageContext): { group: string | null; items: MenuItem[] }[] {
  const { rt, me } = ctx;
  if (isExtranet(me)) {
    return [{ group: null, items: [
      { href: '/', label: 'Главная', icon: '⌂' },
      { href: '/online/', label: 'Мессенджер', icon: '✉' },
      { href: '/notifications/', label: 'Уведомления', icon: BELL },
    ] }];
  }
  const types = rt.store.types.all().sort((a, b) => a.id - b.id);
  const appItems = leftMenuPlacements(rt, me).map((p) => ({ href: `/marketplace/placement/${p.id}/`, label: placementTitle(rt, p), icon: '▣' }));
  return [
    { group: null, items: [
      { href: '/', label: 'Главная', icon: '⌂' },
      { href: '/online/', label: 'Мессенджер', icon: '✉' },
      { href: '/notifications/', label: 'Уведомления', icon: BELL },
    ] },
    { group: 'CRM', items: [
      { href: '/crm/deal/list/', label: 'Сделки', icon: '◆' },
      { href: '/crm/company/list/', label: 'Компании', icon: '▤' },
      { href: '/crm/contact/list/', label: 'Контакты', icon: '☺' },
      ...types.map((t) => ({ href: `/crm/type/${t.entityTypeId}/list/`, label: t.title, icon: '◇' })),
    ] },
    { group: 'Приложения', items: [{ href: '/marketplace/', label: 'Маркет', icon: '⊞' }, ...appItems] },
  ];
}

function isActive(href: string, path: string): boolean {
  if (href === '/') return path === '/';
  const base = href.replace(/(list|placement\/\d+)\/$/, '');
  return path.startsWith(href) || (base.length > 5 && path.startsWith(base) && href.endsWith('list/'));
}

/** Notifications the user has not opened the notifications page for yet. */
export function unseenNotifications(rt: PortalRuntime, userId: number): number {
  const seen = rt.store.getSetting<number>(`ui:notificationsSeen:${userId}`) ?? 0;
  return rt.store.notifications.filter((n) => n.toUserId === userId && n.id > seen).length;
}

function switcher(ctx: PageContext): Html {
  const { rt, me, req } = ctx;
  const back = encodeURIComponent(requestUri(req));
  const users = rt.store.users.all().filter((u) => u.ACTIVE).sort((a, b) => a.ID - b.ID);
  const row = (u: SUser) =>
    h`<a href="/_ui/switch-user?id=${u.ID}&back=${back}" class="${u.ID === me.ID ? 'is-current' : ''}" data-user-id="${u.ID}">${avatar(u)}<span>${userName(u)}<small>${userRoleLabel(u)}</small></span></a>`;
  const staff = users.filter((u) => !isExtranet(u));
  const byCompany = new Map<string, SUser[]>();
  for (const u of users.filter(isExtranet)) {
    const title = String(rt.store.companies.get(u.companyId ?? -1)?.fields.TITLE ?? 'Экстранет');
    byCompany.set(title, [...(byCompany.get(title) ?? []), u]);
  }
  return h`<div class="b24-switcher"><h4>Сотрудники</h4>${staff.map(row)}${[...byCompany].map(([title, list]) => h`<h4>Экстранет · ${title}</h4>${list.map(row)}`)}</div>`;
}


function header(ctx: PageContext): Html {
  const { rt, me } = ctx;
  const unseen = unseenNotifications(rt, me.ID);
  const time = new Date(rt.clock.now());
  const clock = `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
  return h`<header class="b24-header">
  <a class="b24-logo" href="/" style="color:#fff;text-decoration:none"><b>Битрикс<span>24</span></b><small>DealerHub · ${rt.domain(ctx.face)}</small></a>
  <input class="b24-search" type="search" placeholder="Поиск сотрудников, документов и прочего" aria-label="Поиск">
  <span class="b24-header-spacer"></span>
  <span class="b24-clock">${clock}</span>
  <a class="b24-bell" href="/notifications/" title="Уведомления" data-testid="bell">${BELL}${unseen > 0 ? h`<span class="b24-counter" data-testid="bell-counter">${unseen}</span>` : ''}</a>
  <details class="b24-user" data-testid="user-switcher"><summary>${avatar(me)}<span class="b24-user-name" data-testid="current-user" data-user-id="${me.ID}">${userName(me)}<span class="b24-user-type">${userRoleLabel(me)} · сменить</span></span></summary>${switcher(ctx)}</details>
</header>`;
}

function menu(ctx: PageContext): Html {
  const path = ctx.req.path;
  return h`<nav class="b24-menu" data-testid="left-menu">${menuFor(ctx).map(
    (g) => h`${g.group ? h`<div class="b24-menu-group">${g.group}</div>` : ''}${g.items.map(
      (i) => h`<a href="${i.href}" class="${isActive(i.href, path) ? 'is-active' : ''}"><span class="ico">${i.icon}</span>${i.label}</a>`,
    )}`,
  )}${isExtranet(ctx.me) ? h`<div class="b24-menu-note">Вы — внешний пользователь (экстранет). Приложения доступны в мессенджере.</div>` : ''}</nav>`;
}

export interface PageOptions {
  title: string;
  body: Html;
  /** Buttons and links next to the page title. */
  toolbar?: Html;
  /** Id of the title element the frame commands (setTitle) may change. */
  titleId?: string;
}

/** The portal shell: header with the user switcher, left menu, page title and work area (or just the work area in a slider). */
export function renderPage(ctx: PageContext, opts: PageOptions): string {
  const titleBar = h`<div class="b24-titlebar"><h1 id="${opts.titleId ?? 'pagetitle'}">${opts.title}</h1><span class="spacer"></span><div class="b24-title-extra">${opts.toolbar ?? ''}</div></div>`;
  const inner = ctx.bare
    ? h`<main class="b24-main">${titleBar}${opts.body}</main>`
    : h`${header(ctx)}<div class="b24-layout">${menu(ctx)}<main class="b24-main">${titleBar}${opts.body}</main></div>`;
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h`${opts.title}`.value} — Битрикс24</title><link rel="stylesheet" href="/_ui/assets/portal.css"></head>
<body class="${ctx.bare ? 'bare' : ''}" data-user-id="${ctx.me.ID}">${inner.value}<script src="/_ui/assets/frame-host.js"></script></body></html>`;
}

/** A refusal rendered inside the portal shell (CRM for extranet users, a missing item…). */
export function renderRefusal(ctx: PageContext, title: string, message: string): string {
  return renderPage(ctx, { title, body: h`<div class="workarea"><div class="notice error" data-testid="access-denied">${message}</div></div>` });
}
