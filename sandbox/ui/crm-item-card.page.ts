import { itemFields, storedValue, type ItemField } from '../crm/item-fields.js';
import { categoriesOf, ownerTypeCode, type ItemTypeModel } from '../crm/type-model.js';
import type { SItem } from '../store/types.js';
import { placementTabs, renderProductRows, renderRobotLog, renderTabs, renderTimeline, type CardTab } from './crm-card-parts.js';
import { fieldRow, itemBasePath, itemStages, renderFieldValue } from './crm-view.js';
import { h, type Html } from './html.js';
import { renderPage, type PageContext } from './layout.js';
import { formatMoney } from './view.js';

/**
 * A smart-process item or deal card (/crm/type/<eTI>/details/<id>/, /crm/deal/details/<id>/): stage bar, main and
 * user fields, product rows, timeline, the robot log and one tab per bound CRM_…_DETAIL_TAB placement.
 */

const MAIN_FIELDS = [
  'title', 'categoryId', 'stageId', 'typeId', 'companyId', 'contactIds', 'opportunity', 'begindate', 'closedate',
  'mycompanyId', 'sourceId', 'assignedById', 'observers', 'comments', 'createdBy', 'createdTime', 'updatedTime', 'movedTime',
];

/** Entity type of timeline comments (crm.timeline.comment.add ENTITY_TYPE). */
export function timelineEntityType(entityTypeId: number): string {
  return entityTypeId === 2 ? 'deal' : entityTypeId === 1 ? 'lead' : `dynamic_${entityTypeId}`;
}

function stageBar(ctx: PageContext, item: SItem): Html {
  const stages = itemStages(ctx.rt, item);
  const current = stages.findIndex((s) => s.STATUS_ID === item.fields.stageId);
  const currentStage = stages[current];
  const action = `${itemBasePath(item.entityTypeId)}/details/${item.id}/stage`;
  return h`<div class="stagebar" data-testid="stage-bar">${stages.map((s, i) => {
    // Passed stages take the current stage's colour, as the card does; a final failure colours only itself.
    const failed = currentStage?.SEMANTICS === 'F';
    const filled = s.SEMANTICS === null ? i <= current && !failed : i === current;
    const color = filled ? (failed || s.SEMANTICS !== null ? s.COLOR : currentStage?.COLOR || s.COLOR) : '';
    return h`<form method="post" action="${action}"><input type="hidden" name="stageId" value="${s.STATUS_ID}"><button type="submit" title="${s.NAME}" data-stage-id="${s.STATUS_ID}" class="${filled ? '' : 'future'} ${i === current ? 'current' : ''}" style="${color ? `background:${color}` : ''}">${s.NAME}</button></form>`;
  })}</div>`;
}

function fieldValue(ctx: PageContext, item: SItem, f: ItemField): Html {
  if (f.name === 'opportunity') return h`${formatMoney(storedValue(item, f), item.fields.currencyId)}`;
  return renderFieldValue(ctx.rt, f, storedValue(item, f));
}

/** Labels the card shows where crm.item.fields has only a technical title. */
const LABELS: Record<string, string> = { contactIds: 'Контакты', observers: 'Наблюдатели' };

export function renderItemCard(ctx: PageContext, model: ItemTypeModel, item: SItem): string {
  const { rt } = ctx;
  const categoryId = Number(item.fields.categoryId ?? 0);
  const fields = itemFields(rt.store, model, model.hasCategories ? categoryId : null).filter((f) => f.enabled);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const multiPipeline = categoriesOf(rt.store, model.entityTypeId).length > 1;
  const main = MAIN_FIELDS.map((n) => byName.get(n)).filter((f): f is ItemField => !!f && (f.name !== 'categoryId' || multiPipeline));
  const parents = fields.filter((f) => f.name.startsWith('parentId'));
  const ufs = fields.filter((f) => f.source === 'uf');
  const about = model.kind === 'deal' ? 'О сделке' : 'Об элементе';
  const fieldsHtml = h`<div class="section" data-testid="main-fields"><h3>${about}</h3>${[...main, ...parents].map((f) => fieldRow(LABELS[f.name] ?? f.title, fieldValue(ctx, item, f), f.name))}</div>
${ufs.length ? h`<div class="section" data-testid="user-fields"><h3>Дополнительно</h3>${ufs.map((f) => fieldRow(f.title, fieldValue(ctx, item, f), f.upperName))}</div>` : ''}`;
  const base = `${itemBasePath(model.entityTypeId)}/details/${item.id}`;
  const owner = ownerTypeCode(model.entityTypeId) ?? '';
  const products = rt.store.productRows.filter((r) => r.ownerType === owner && r.ownerId === item.id).sort((a, b) => a.sort - b.sort || a.id - b.id);
  const stages = itemStages(rt, item);
  const stageName = (id: string) => stages.find((s) => s.STATUS_ID === id)?.NAME ?? id;
  const tabs: CardTab[] = [
    { id: 'main', label: 'Общие', body: h`<div class="card-cols"><div>${fieldsHtml}</div><div>${renderTimeline(ctx, timelineEntityType(model.entityTypeId), item.id, `${base}/comment`)}</div></div>` },
    { id: 'products', label: h`Товары <span class="muted">${products.length}</span>`, body: renderProductRows(products, item.fields.currencyId) },
    { id: 'robots', label: 'Роботы', body: renderRobotLog(ctx, model.entityTypeId, item.id, stageName) },
    ...placementTabs(ctx, model.entityTypeId, item.id),
  ];
  const error = typeof ctx.req.query.error === 'string' ? ctx.req.query.error : '';
  const body = h`${error ? h`<div class="notice error" style="margin-bottom:12px" data-testid="card-error">${error}</div>` : ''}<div class="workarea" style="padding:14px 16px;margin-bottom:14px">${stageBar(ctx, item)}</div>
<div data-testid="card" data-entity-type-id="${model.entityTypeId}" data-item-id="${item.id}">${renderTabs(tabs, 'main')}</div>`;
  const toolbar = h`<span class="pill" style="background:rgba(255,255,255,.2);color:#fff">${model.title} · ID ${item.id}</span>${model.kind === 'lead' ? '' : h`<a class="btn btn-light" href="${itemBasePath(model.entityTypeId)}/automation/${multiPipeline ? `?category=${categoryId}` : ''}">Роботы</a>`}<a class="btn btn-light" href="${itemBasePath(model.entityTypeId)}/list/">К списку</a>`;
  return renderPage(ctx, { title: String(item.fields.title ?? `#${item.id}`), body, toolbar });
}
