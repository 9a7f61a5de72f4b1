import type { PortalRuntime } from '../core/runtime.js';
import type { SPlacement, SProductRow, SWorkflow, SWorkflowStep } from '../store/types.js';
import { renderAppFrame } from './app-frame.js';
import { detailTabPlacement } from './crm-view.js';
import { h, type Html } from './html.js';
import type { PageContext } from './layout.js';
import { placementTitle, visiblePlacements } from './placements-visible.js';
import { formatDateTime, formatMoney, localized, userLink } from './view.js';

/** Pieces every CRM card shares: tabs with app placements, timeline comments, product rows, the robot log. */

export interface CardTab {
  id: string;
  label: Html | string;
  body: Html;
  app?: boolean;
  labelId?: string;
}

/** One tab per placement bound to the card's DETAIL_TAB code; content loads (form POST) when the tab is opened. */
export function placementTabs(ctx: PageContext, entityTypeId: number, id: number): CardTab[] {
  const code = detailTabPlacement(entityTypeId);
  return visiblePlacements(ctx.rt, ctx.me, code).map((p: SPlacement) => {
    const app = ctx.rt.store.apps.get(p.clientId);
    const labelId = `tab-label-app-${p.id}`;
    return {
      id: `app-${p.id}`,
      label: placementTitle(ctx.rt, p),
      labelId,
      app: true,
      body: app ? renderAppFrame(ctx, { app, handlerUrl: p.handler, placement: code, options: { ID: String(id) }, lazy: true, titleTarget: labelId, height: 420 }) : h``,
    };
  });
}

export function renderTabs(tabs: CardTab[], active: string): Html {
  const buttons = tabs.map(
    (t) => h`<button type="button" data-tab="${t.id}" class="${t.id === active ? 'is-active' : ''} ${t.app ? 'tab-app' : ''}"><span${t.labelId ? h` id="${t.labelId}"` : ''}>${t.label}</span></button>`,
  );
  const panels = tabs.map((t) => h`<div class="tab-panel ${t.id === active ? 'is-active' : ''} ${t.app ? 'app-panel' : ''}" data-tab-panel="${t.id}">${t.body}</div>`);
  return h`<nav class="tabs" data-testid="card-tabs">${buttons}</nav>${panels}`;
}

export function renderTimeline(ctx: PageContext, entityType: string, entityId: number, postUrl: string): Html {
  const { rt } = ctx;
  const comments = rt.store.timelineComments.filter((c) => c.entityType === entityType && c.entityId === entityId).sort((a, b) => b.id - a.id);
  const form = h`<form class="tl-form" method="post" action="${postUrl}"><textarea name="comment" placeholder="Оставьте комментарий" required></textarea><button class="btn btn-primary btn-xs" type="submit">Отправить</button></form>`;
  const items = comments.map(
    (c) => h`<div class="tl-item" data-comment-id="${c.id}"><div class="tl-head"><b>Комментарий</b><span>${formatDateTime(c.created)}</span><span>${userLink(rt.store, c.authorId)}</span></div><div>${c.comment}</div></div>`,
  );
  return h`<div class="section"><h3>История</h3>${form}<div class="timeline" data-testid="timeline">${items.length ? items : h`<div class="muted small">Комментариев пока нет</div>`}</div></div>`;
}

export function renderProductRows(rows: SProductRow[], currency: unknown): Html {
  if (rows.length === 0) return h`<div class="empty">Товаров нет</div>`;
  const total = rows.reduce((s, r) => s + r.priceBrutto * r.quantity, 0);
  return h`<table class="grid" data-testid="product-rows"><thead><tr><th>#</th><th>Товар</th><th>Цена</th><th>Количество</th><th>Скидка</th><th>Налог</th><th>Сумма</th></tr></thead><tbody>${rows.map(
    (r, i) => h`<tr><td class="num">${i + 1}</td><td>${r.productName || `Товар #${r.productId}`}</td><td>${formatMoney(r.price, currency)}</td><td>${r.quantity} ${r.measureName}</td><td>${r.discountSum ? formatMoney(r.discountSum, currency) : '—'}</td><td>${r.taxRate === null ? '—' : `${r.taxRate}%`}</td><td><b>${formatMoney(r.priceBrutto * r.quantity, currency)}</b></td></tr>`,
  )}<tr><td colspan="6" style="text-align:right"><b>Итого:</b></td><td><b>${formatMoney(total, currency)}</b></td></tr></tbody></table>`;
}

const STEP_LABEL: Record<SWorkflowStep['status'], [string, string]> = {
  pending: ['ожидает запуска', ''],
  sent: ['отправлен', 'info'],
  waiting: ['ждёт ответа приложения', 'wait'],
  done: ['выполнен', 'ok'],
  failed: ['ошибка', 'fail'],
  skipped: ['пропущен', ''],
};
const WF_LABEL: Record<SWorkflow['status'], [string, string]> = {
  running: ['выполняется', 'info'],
  waiting: ['ожидает', 'wait'],
  completed: ['завершён', 'ok'],
  failed: ['ошибка', 'fail'],
  terminated: ['прерван (стадия сменилась)', ''],
};

export function robotName(rt: PortalRuntime, clientId: string, code: string): string {
  const robot = rt.store.robots.find((r) => r.clientId === clientId && r.code === code);
  return localized(robot?.name) || code;
}

export function renderRobotLog(ctx: PageContext, entityTypeId: number, itemId: number, stageName: (id: string) => string): Html {
  const { rt } = ctx;
  const workflows = ctx.automation.log(entityTypeId, itemId).slice().reverse();
  if (workflows.length === 0) return h`<div class="empty">Роботы по этому элементу ещё не запускались</div>`;
  return h`<div data-testid="robot-log">${workflows.map((wf) => {
    const [label, cls] = WF_LABEL[wf.status];
    return h`<div class="section" data-workflow-id="${wf.id}"><h3>Стадия «${stageName(wf.stageId)}» · ${formatDateTime(wf.startedAt)} · <span class="pill ${cls}">${label}</span></h3>
<table class="grid"><thead><tr><th>Робот</th><th>Статус</th><th>Отправлен</th><th>HTTP</th><th>Результат</th></tr></thead><tbody>${wf.steps.map((s) => {
      const [sl, sc] = STEP_LABEL[s.status];
      const values = s.returnValues && Object.keys(s.returnValues).length ? JSON.stringify(s.returnValues) : '';
      return h`<tr data-robot="${s.robotCode}" data-status="${s.status}"><td><b>${robotName(rt, s.clientId, s.robotCode)}</b><div class="muted small">${s.robotCode}</div></td><td><span class="pill ${sc}">${sl}</span></td><td class="muted">${s.sentAt ? formatDateTime(s.sentAt) : '—'}</td><td>${s.httpStatus ?? '—'}</td><td class="small">${s.logMessage ?? ''}${values ? h`<div class="muted">${values}</div>` : ''}${s.error ? h`<div style="color:#c2290e">${s.error}</div>` : ''}</td></tr>`;
    })}</tbody></table></div>`;
  })}</div>`;
}
