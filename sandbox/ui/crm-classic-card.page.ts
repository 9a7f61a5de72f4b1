import { classicFields, type ClassicEntity } from '../crm/classic.js';
import { asList } from '../crm/values.js';
import type { SClassicRow } from '../store/types.js';
import { placementTabs, renderTabs, renderTimeline, type CardTab } from './crm-card-parts.js';
import { contactName, entityLink, entityUrl, fieldRow, itemStages, renderFieldValue } from './crm-view.js';
import { h, type Html } from './html.js';
import { renderPage, type PageContext } from './layout.js';
import { avatar, stageBadge, userName } from './view.js';

/** Company and contact cards (/crm/company/details/<id>/, /crm/contact/details/<id>/) with their CRM_…_DETAIL_TAB apps. */

const COMPANY_MAIN = ['TITLE', 'COMPANY_TYPE', 'INDUSTRY', 'EMPLOYEES', 'ADDRESS_CITY', 'ADDRESS', 'REVENUE', 'CURRENCY_ID', 'ASSIGNED_BY_ID', 'COMMENTS', 'CREATED_BY_ID', 'DATE_CREATE', 'DATE_MODIFY'];
const CONTACT_MAIN = ['LAST_NAME', 'NAME', 'SECOND_NAME', 'POST', 'COMPANY_ID', 'TYPE_ID', 'SOURCE_ID', 'BIRTHDATE', 'ASSIGNED_BY_ID', 'COMMENTS', 'CREATED_BY_ID', 'DATE_CREATE'];
const LABELS: Record<string, string> = { ADDRESS_CITY: 'Город', ADDRESS: 'Адрес', COMPANY_ID: 'Компания' };
const MULTI_LABELS: Record<string, string> = { PHONE: 'Телефон', EMAIL: 'E-mail', WEB: 'Сайт', IM: 'Мессенджер' };

function multiFields(row: SClassicRow): Html[] {
  return Object.entries(MULTI_LABELS)
    .map(([type, label]) => {
      const values = row.fm.filter((m) => m.TYPE_ID === type).map((m) => m.VALUE);
      return values.length ? fieldRow(label, h`${values.join(', ')}`, type) : null;
    })
    .filter((x): x is Html => x !== null);
}

function fieldsBlock(ctx: PageContext, entity: ClassicEntity, row: SClassicRow, names: string[], title: string): Html {
  const all = classicFields(ctx.rt.store, entity);
  const byName = new Map(all.map((f) => [f.name, f]));
  const main = names.map((n) => byName.get(n)).filter((f) => !!f && (row.fields[f.name] !== undefined || f.name === 'ASSIGNED_BY_ID'));
  const ufs = all.filter((f) => f.name.startsWith('UF_'));
  const parents = all.filter((f) => f.name.startsWith('PARENT_ID_'));
  const label = (f: (typeof all)[number]) => LABELS[f.name] ?? f.title;
  const value = (f: (typeof all)[number]) => renderFieldValue(ctx.rt, { ...f, type: f.type === 'char' ? 'boolean' : f.type }, row.fields[f.name]);
  return h`<div class="section" data-testid="main-fields"><h3>${title}</h3>${main.map((f) => fieldRow(label(f!), value(f!), f!.name))}${multiFields(row)}${parents.map((f) => fieldRow(f.title, value(f), f.name))}</div>
${ufs.length ? h`<div class="section" data-testid="user-fields"><h3>Дополнительно</h3>${ufs.map((f) => fieldRow(f.title, value(f), f.name))}</div>` : ''}`;
}

function requisitesBlock(ctx: PageContext, entityTypeId: number, id: number): Html {
  const rows = ctx.rt.store.requisites.filter((r) => Number(r.fields.ENTITY_TYPE_ID) === entityTypeId && Number(r.fields.ENTITY_ID) === id);
  if (rows.length === 0) return h``;
  return h`<div class="section" data-testid="requisites"><h3>Реквизиты</h3>${rows.map(
    (r) => h`${fieldRow('Наименование', h`${String(r.fields.RQ_COMPANY_NAME ?? r.fields.NAME ?? '')}`)}${fieldRow('ИНН', h`${String(r.fields.RQ_INN ?? '')}`)}${fieldRow('КПП', h`${String(r.fields.RQ_KPP ?? '')}`)}${fieldRow('ОГРН', h`${String(r.fields.RQ_OGRN ?? '')}`)}`,
  )}</div>`;
}

/** Deals and smart-process items that name the company, and the company's contacts and extranet users. */
function companyLinks(ctx: PageContext, companyId: number): Html {
  const { store } = ctx.rt;
  const items = store.items.filter((i) => Number(i.fields.companyId) === companyId).sort((a, b) => a.entityTypeId - b.entityTypeId || b.id - a.id);
  const contacts = store.contacts.filter((c) => Number(c.fields.COMPANY_ID) === companyId || asList(c.fields.COMPANY_IDS).map(Number).includes(companyId));
  const users = store.users.filter((u) => u.ACTIVE && u.companyId === companyId);
  const typeTitle = (eti: number) => (eti === 2 ? 'Сделка' : store.types.find((t) => t.entityTypeId === eti)?.title ?? `Тип ${eti}`);
  return h`<div class="section" data-testid="company-links"><h3>Связи</h3>
${contacts.length ? fieldRow('Контакты', h`${contacts.map((c, i) => h`${i ? ', ' : ''}<a href="${entityUrl(3, c.ID)}">${contactName(c.fields)}</a>`)}`) : ''}
${users.length ? fieldRow('Пользователи экстранета', h`<div class="userlist">${users.map((u) => h`<span class="userlink">${avatar(u, 'sm')}${userName(u)} <span class="muted small">${u.WORK_POSITION}</span></span>`)}</div>`) : ''}
${items.length ? fieldRow('Элементы CRM', h`${items.slice(0, 30).map((i) => h`<div style="margin:3px 0"><span class="muted small">${typeTitle(i.entityTypeId)}:</span> ${entityLink(store, i.entityTypeId, i.id)} ${stageBadge(itemStages(ctx.rt, i), i.fields.stageId)}</div>`)}`) : ''}
${!contacts.length && !users.length && !items.length ? h`<div class="muted small">Связанных элементов нет</div>` : ''}</div>`;
}

export function renderClassicCard(ctx: PageContext, entity: ClassicEntity, row: SClassicRow): string {
  const isCompany = entity.key === 'company';
  const base = `/crm/${entity.key}/details/${row.ID}`;
  const left = isCompany
    ? h`${fieldsBlock(ctx, entity, row, COMPANY_MAIN, 'О компании')}${requisitesBlock(ctx, 4, row.ID)}`
    : h`${fieldsBlock(ctx, entity, row, CONTACT_MAIN, 'О контакте')}${requisitesBlock(ctx, 3, row.ID)}`;
  const right = h`${isCompany ? companyLinks(ctx, row.ID) : ''}${renderTimeline(ctx, entity.key, row.ID, `${base}/comment`)}`;
  const tabs: CardTab[] = [
    { id: 'main', label: 'Общие', body: h`<div class="card-cols"><div>${left}</div><div>${right}</div></div>` },
    ...placementTabs(ctx, entity.entityTypeId, row.ID),
  ];
  const title = isCompany ? String(row.fields.TITLE ?? `Компания #${row.ID}`) : contactName(row.fields);
  const body = h`<div data-testid="card" data-entity-type-id="${entity.entityTypeId}" data-item-id="${row.ID}">${renderTabs(tabs, 'main')}</div>`;
  const toolbar = h`<span class="pill" style="background:rgba(255,255,255,.2);color:#fff">${isCompany ? 'Компания' : 'Контакт'} · ID ${row.ID}</span><a class="btn btn-light" href="/crm/${entity.key}/list/">К списку</a>`;
  return renderPage(ctx, { title, body, toolbar });
}
