import express, { type Request, type Response, type Router } from 'express';
import type { PortalRuntime } from '../core/runtime.js';
import type { SApp, SNotification, SUser } from '../store/types.js';
import { renderAppFrame } from './app-frame.js';
import { h, type Html } from './html.js';
import { isExtranet, pageContext, renderPage, type PageContext, type UiDeps } from './layout.js';
import { appDisplayName, placementTitle, visiblePlacements } from './placements-visible.js';
import { avatar, bbToHtml, formatDateTime, userName, userRoleLabel } from './view.js';

/**
 * The messenger (/online/) and the notifications page (/notifications/). IM_NAVIGATION apps sit in the messenger's
 * navigation row and open in its work area (widgets/im/navigation.md) — for extranet users, with OPTIONS extranet=Y,
 * this is how they reach an app. Notifications are what im.notify.system.add / im.notify.personal.add stored for the
 * signed-in user. Message history is not modelled: a dialog shows the personal notifications between the two users.
 */

/** Who appears in the chat list: employees see everyone; an extranet user sees colleagues and the staff. */
function contactsOf(rt: PortalRuntime, me: SUser): SUser[] {
  return rt.store.users
    .filter((u) => u.ACTIVE && u.ID !== me.ID && (!isExtranet(me) || !isExtranet(u) || u.companyId === me.companyId))
    .sort((a, b) => Number(isExtranet(a)) - Number(isExtranet(b)) || a.ID - b.ID);
}

function attachSummary(attach: unknown): Html {
  const blocks = Array.isArray(attach) ? attach : attach && typeof attach === 'object' ? ((attach as { BLOCKS?: unknown }).BLOCKS ?? [attach]) : [];
  const lines: Html[] = [];
  for (const b of Array.isArray(blocks) ? blocks : []) {
    const block = (b ?? {}) as Record<string, unknown>;
    if (typeof block.MESSAGE === 'string') lines.push(bbToHtml(block.MESSAGE));
    const link = block.LINK as Record<string, unknown> | undefined;
    if (link && typeof link === 'object') lines.push(h`<a href="${String(link.LINK ?? '#')}" target="_top">${String(link.NAME ?? link.LINK ?? '')}</a>`);
    if (Array.isArray(block.GRID)) for (const g of block.GRID as Record<string, unknown>[]) lines.push(h`<span class="muted">${String(g.NAME ?? '')}:</span> ${String(g.VALUE ?? '')}`);
  }
  return lines.length ? h`<div class="notify-attach">${lines.map((l, i) => h`${i ? h`<br>` : ''}${l}`)}</div>` : h``;
}

function appLabel(rt: PortalRuntime, n: SNotification): string {
  if (!n.clientId) return '';
  const app: SApp | undefined = rt.store.apps.get(n.clientId);
  return app ? appDisplayName(rt, app) : n.clientId;
}

export function renderNotification(rt: PortalRuntime, n: SNotification): Html {
  const from = n.fromUserId ? rt.store.users.get(n.fromUserId) : undefined;
  const who = from ? h`${avatar(from)}` : h`<span class="avatar admin">⚙</span>`;
  return h`<div class="notify" data-notification-id="${n.id}" data-kind="${n.kind}">${who}<div class="notify-body"><div class="small muted">${from ? userName(from) : 'Системное уведомление'}${appLabel(rt, n) ? ` · ${appLabel(rt, n)}` : ''} · ${formatDateTime(n.createdAt)}</div><div>${bbToHtml(n.message)}</div>${attachSummary(n.attach)}</div></div>`;
}

function messenger(ctx: PageContext): string {
  const { rt, me } = ctx;
  const apps = visiblePlacements(rt, me, 'IM_NAVIGATION');
  const appId = Number(ctx.req.query.IM_APP);
  const openApp = apps.find((p) => p.id === appId);
  const dialog = typeof ctx.req.query.IM_DIALOG === 'string' ? ctx.req.query.IM_DIALOG : '';
  const partner = /^\d+$/.test(dialog) ? rt.store.users.get(Number(dialog)) : undefined;
  const contacts = contactsOf(rt, me);
  const nav = h`<div class="im-nav" data-testid="im-nav"><a href="/online/" class="${!openApp ? 'is-active' : ''}">Чаты</a>${apps.map(
    (p) => h`<a href="/online/?IM_APP=${p.id}" class="${openApp?.id === p.id ? 'is-active' : ''}" data-placement-id="${p.id}">${placementTitle(rt, p)}</a>`,
  )}</div>`;
  const list = h`<div class="im-list">${contacts.map(
    (u) => h`<a href="/online/?IM_DIALOG=${u.ID}" class="${partner?.ID === u.ID ? 'is-active' : ''}">${avatar(u)}<span><b>${userName(u)}</b><br><span class="muted small">${userRoleLabel(u)}</span></span></a>`,
  )}</div>`;
  let main: Html;
  let title = 'Мессенджер';
  if (openApp) {
    const app = rt.store.apps.get(openApp.clientId) as SApp;
    title = placementTitle(rt, openApp);
    main = h`<div class="im-main-head">${title}</div><div class="im-main-body app" data-testid="im-app">${renderAppFrame(ctx, { app, handlerUrl: openApp.handler, placement: 'IM_NAVIGATION', titleTarget: 'im-title', height: 560 })}</div>`;
  } else if (dialog) {
    const between = rt.store.notifications
      .filter((n) => n.kind === 'personal' && ((n.toUserId === me.ID && n.fromUserId === partner?.ID) || (n.fromUserId === me.ID && n.toUserId === partner?.ID)))
      .sort((a, b) => a.id - b.id);
    main = h`<div class="im-main-head" data-testid="im-dialog" data-dialog-id="${dialog}">${partner ? h`${avatar(partner)}${userName(partner)}` : h`Диалог ${dialog}`}</div><div class="im-main-body">${between.length ? between.map((n) => h`<div class="bubble">${bbToHtml(n.message)}<div class="small muted">${formatDateTime(n.createdAt)}</div></div>`) : h`<div class="muted">Сообщений пока нет. История переписки в песочнице не хранится — здесь видны личные уведомления между вами.</div>`}</div>`;
  } else {
    main = h`<div class="im-main-head">Мессенджер</div><div class="im-main-body"><div class="muted">Выберите чат слева${apps.length ? ' или приложение в строке навигации' : ''}.</div></div>`;
  }
  const body = h`<div class="workarea flush"><div class="im"><div class="im-side">${nav}${list}</div><div class="im-main" id="im-title-holder">${main}</div></div></div>`;
  return renderPage(ctx, { title, titleId: openApp ? 'im-title' : 'pagetitle', body });
}

function notifications(ctx: PageContext): string {
  const { rt, me } = ctx;
  const list = rt.store.notifications.filter((n) => n.toUserId === me.ID).sort((a, b) => b.id - a.id);
  const max = list[0]?.id ?? 0;
  if (max > (rt.store.getSetting<number>(`ui:notificationsSeen:${me.ID}`) ?? 0)) rt.store.setSetting(`ui:notificationsSeen:${me.ID}`, max);
  const body = h`<div class="workarea" data-testid="notifications">${list.length ? list.map((n) => renderNotification(rt, n)) : h`<div class="empty">Уведомлений нет</div>`}</div>`;
  return renderPage(ctx, { title: 'Уведомления', body });
}

export function createMessengerRouter(deps: UiDeps): Router {
  const router = express.Router();
  router.get('/online', (req: Request, res: Response) => void res.type('html').send(messenger(pageContext(deps, req))));
  router.get('/notifications', (req: Request, res: Response) => void res.type('html').send(notifications(pageContext(deps, req))));
  return router;
}
