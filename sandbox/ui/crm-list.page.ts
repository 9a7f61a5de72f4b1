import { stagesOf } from '../crm/stages.js';
import { categoriesOf, type ItemTypeModel } from '../crm/type-model.js';
import type { SClassicRow } from '../store/types.js';
import { contactName, entityLink, entityUrl, itemBasePath } from './crm-view.js';
import { h, type Html } from './html.js';
import { renderPage, type PageContext } from './layout.js';
import { formatDateTime, stageBadge, userLink } from './view.js';

/** CRM list pages (/crm/type/<eTI>/list/, /crm/deal/list/, /crm/company/list/, /crm/contact/list/): paged grids. */

export const PAGE_SIZE = 20;

function pageNumber(ctx: PageContext): number {
  const n = Number.parseInt(String(ctx.req.query.page ?? '1'), 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function pager(ctx: PageContext, total: number, page: number): Html {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (n: number) => {
    const q = new URLSearchParams(ctx.req.query as Record<string, string>);
    q.set('page', String(n));
    return `${ctx.req.path}?${q.toString()}`;
  };
  const numbers = Array.from({ length: pages }, (_, i) => i + 1).filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2);
  return h`<div class="pager">${numbers.map((n, i) => h`${i > 0 && n - (numbers[i - 1] as number) > 1 ? h`<span>…</span>` : ''}${n === page ? h`<span class="cur">${n}</span>` : h`<a href="${link(n)}">${n}</a>`}`)}<span class="total">Всего: ${total}</span></div>`;
}

function grid(headers: string[], rows: Html[], testId: string): Html {
  if (rows.length === 0) return h`<div class="empty">Нет элементов</div>`;
  return h`<table class="grid" data-testid="${testId}"><thead><tr>${headers.map((x) => h`<th>${x}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderItemList(ctx: PageContext, model: ItemTypeModel): string {
  const { rt } = ctx;
  const categories = model.hasCategories ? categoriesOf(rt.store, model.entityTypeId) : [];
  const requested = Number(ctx.req.query.category);
  const category = categories.find((c) => c.id === requested) ?? categories.find((c) => c.isDefault) ?? categories[0];
  const all = rt.store.items
    .filter((i) => i.entityTypeId === model.entityTypeId && (!category || categories.length < 2 || Number(i.fields.categoryId ?? 0) === category.id))
    .sort((a, b) => b.id - a.id);
  const page = pageNumber(ctx);
  const slice = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const base = itemBasePath(model.entityTypeId);
  const stagesByCategory = new Map<number, ReturnType<typeof stagesOf>>();
  const stages = (categoryId: number) => {
    if (!stagesByCategory.has(categoryId)) stagesByCategory.set(categoryId, stagesOf(rt.store, model.stageEntityId(categoryId)));
    return stagesByCategory.get(categoryId) ?? [];
  };
  const rows = slice.map(
    (i) => h`<tr data-item-id="${i.id}"><td class="num">${i.id}</td><td><a href="${entityUrl(model.entityTypeId, i.id)}">${String(i.fields.title ?? '')}</a></td><td>${stageBadge(stages(Number(i.fields.categoryId ?? 0)), i.fields.stageId)}</td><td>${entityLink(rt.store, 4, i.fields.companyId)}</td><td>${userLink(rt.store, i.fields.assignedById)}</td><td class="muted">${formatDateTime(i.fields.createdTime)}</td></tr>`,
  );
  const pipelines =
    categories.length > 1
      ? h`${categories.map((c) => h`<a class="btn btn-xs ${c.id === category?.id ? 'btn-primary' : 'btn-light'}" href="${base}/list/?category=${c.id}">${c.name}</a>`)}`
      : '';
  // Leads have no automation editor in the sandbox (robots are attached to deals and smart processes).
  const robots = model.kind === 'lead' ? '' : h`<a class="btn btn-light" href="${base}/automation/${category && categories.length > 1 ? `?category=${category.id}` : ''}" data-testid="robots-button">Роботы</a>`;
  const toolbar = h`${pipelines}${robots}`;
  const body = h`<div class="workarea flush">${grid(['ID', 'Название', 'Стадия', 'Компания', 'Ответственный', 'Создан'], rows, 'crm-list')}${pager(ctx, all.length, page)}</div>`;
  return renderPage(ctx, { title: model.entityTypeId === 2 ? 'Сделки' : model.entityTypeId === 1 ? 'Лиды' : model.title, body, toolbar });
}

function phoneAndMail(row: SClassicRow): Html {
  const pick = (t: string) => row.fm.find((m) => m.TYPE_ID === t)?.VALUE;
  const phone = pick('PHONE');
  const mail = pick('EMAIL');
  return h`${phone ?? ''}${phone && mail ? h`<br>` : ''}${mail ? h`<span class="muted small">${mail}</span>` : ''}`;
}

export function renderCompanyList(ctx: PageContext): string {
  const { rt } = ctx;
  const all = rt.store.companies.all().sort((a, b) => b.ID - a.ID);
  const page = pageNumber(ctx);
  const typeName = (id: unknown) => rt.store.statuses.find((s) => s.ENTITY_ID === 'COMPANY_TYPE' && s.STATUS_ID === id)?.NAME ?? '';
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(
    (c) => h`<tr data-item-id="${c.ID}"><td class="num">${c.ID}</td><td><a href="${entityUrl(4, c.ID)}">${String(c.fields.TITLE ?? '')}</a>${c.fields.IS_MY_COMPANY === 'Y' ? h` <span class="pill info">моя компания</span>` : ''}</td><td>${typeName(c.fields.COMPANY_TYPE)}</td><td>${phoneAndMail(c)}</td><td>${userLink(rt.store, c.fields.ASSIGNED_BY_ID)}</td><td class="muted">${formatDateTime(c.fields.DATE_CREATE)}</td></tr>`,
  );
  const body = h`<div class="workarea flush">${grid(['ID', 'Название компании', 'Тип', 'Контакты', 'Ответственный', 'Создана'], rows, 'crm-list')}${pager(ctx, all.length, page)}</div>`;
  return renderPage(ctx, { title: 'Компании', body });
}

export function renderContactList(ctx: PageContext): string {
  const { rt } = ctx;
  const all = rt.store.contacts.all().sort((a, b) => b.ID - a.ID);
  const page = pageNumber(ctx);
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(
    (c) => h`<tr data-item-id="${c.ID}"><td class="num">${c.ID}</td><td><a href="${entityUrl(3, c.ID)}">${contactName(c.fields)}</a></td><td>${entityLink(rt.store, 4, c.fields.COMPANY_ID)}</td><td>${String(c.fields.POST ?? '')}</td><td>${phoneAndMail(c)}</td><td>${userLink(rt.store, c.fields.ASSIGNED_BY_ID)}</td><td class="muted">${formatDateTime(c.fields.DATE_CREATE)}</td></tr>`,
  );
  const body = h`<div class="workarea flush">${grid(['ID', 'ФИО', 'Компания', 'Должность', 'Контакты', 'Ответственный', 'Создан'], rows, 'crm-list')}${pager(ctx, all.length, page)}</div>`;
  return renderPage(ctx, { title: 'Контакты', body });
}
