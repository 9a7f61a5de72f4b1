import { itemFields } from '../crm/item-fields.js';
import { stagesOf } from '../crm/stages.js';
import { categoriesOf, type ItemTypeModel } from '../crm/type-model.js';
import type { SCategory, SRobot, SStatus } from '../store/types.js';
import { availableRobots, findRule } from './automation-rules.js';
import { robotName } from './crm-card-parts.js';
import { itemBasePath } from './crm-view.js';
import { h, type Html } from './html.js';
import { renderPage, type PageContext } from './layout.js';
import { localized, userName } from './view.js';

/**
 * The automation rules editor of a pipeline (/crm/type/<eTI>/automation/, /crm/deal/automation/): one column per
 * stage with its robots in order; add a robot an installed app registered (bizproc.robot.add) and fill its PROPERTIES,
 * remove one, move one up or down.
 */

interface PropertyDef {
  Name?: unknown;
  Type?: string;
  Required?: string;
  Multiple?: string;
  Default?: unknown;
  Options?: unknown;
  Description?: unknown;
}

export function pipelineOf(ctx: PageContext, model: ItemTypeModel): { categories: SCategory[]; category: SCategory | undefined } {
  const categories = model.hasCategories ? categoriesOf(ctx.rt.store, model.entityTypeId) : [];
  const requested = Number(ctx.req.query.category);
  return { categories, category: categories.find((c) => c.id === requested) ?? categories.find((c) => c.isDefault) ?? categories[0] };
}

function propertyInput(ctx: PageContext, key: string, def: PropertyDef): Html {
  const name = `prop[${key}]`;
  const required = String(def.Required ?? 'N').toUpperCase() === 'Y';
  const multiple = String(def.Multiple ?? 'N').toUpperCase() === 'Y';
  const label = h`<label for="p-${key}">${localized(def.Name) || key}${required ? h` <span class="req">*</span>` : ''}${multiple ? h` <span class="muted">(по одному значению в строке)</span>` : ''}</label>`;
  const dflt = def.Default === undefined || def.Default === null ? '' : typeof def.Default === 'object' ? JSON.stringify(def.Default) : String(def.Default);
  const type = String(def.Type ?? 'string').toLowerCase();
  let input: Html;
  if (multiple) {
    input = h`<textarea id="p-${key}" name="${name}">${dflt}</textarea>`;
  } else if (type === 'bool') {
    input = h`<select id="p-${key}" name="${name}"><option value="Y"${dflt === 'Y' ? h` selected` : ''}>Да</option><option value="N"${dflt !== 'Y' ? h` selected` : ''}>Нет</option></select>`;
  } else if (type === 'select' && def.Options && typeof def.Options === 'object') {
    input = h`<select id="p-${key}" name="${name}">${Object.entries(def.Options as Record<string, unknown>).map(([v, l]) => h`<option value="${v}"${v === dflt ? h` selected` : ''}>${localized(l) || v}</option>`)}</select>`;
  } else if (type === 'user') {
    const users = ctx.rt.store.users.filter((u) => u.ACTIVE && u.USER_TYPE === 'employee');
    input = h`<select id="p-${key}" name="${name}"><option value="">—</option><option value="{=Document:ASSIGNED_BY_ID}">Ответственный</option>${users.map((u) => h`<option value="user_${u.ID}"${dflt === `user_${u.ID}` ? h` selected` : ''}>${userName(u)}</option>`)}</select>`;
  } else if (type === 'text') {
    input = h`<textarea id="p-${key}" name="${name}">${dflt}</textarea>`;
  } else {
    input = h`<input id="p-${key}" name="${name}" value="${dflt}"${required ? h` required` : ''}>`;
  }
  return h`<div class="form-row">${label}${input}</div>`;
}

function addForm(ctx: PageContext, base: string, category: SCategory | undefined, stage: SStatus, robots: SRobot[]): Html {
  const addingHere = ctx.req.query.add === stage.STATUS_ID;
  const chosen = addingHere ? robots.find((r) => r.id === Number(ctx.req.query.robot)) : undefined;
  const cat = category ? h`<input type="hidden" name="category" value="${category.id}">` : '';
  if (!chosen) {
    if (robots.length === 0) return h`<div class="robot-add muted small">Нет роботов: их регистрирует установленное приложение (bizproc.robot.add)</div>`;
    return h`<form class="robot-add" method="get" action="${base}/automation/" data-testid="add-robot-${stage.STATUS_ID}">${cat}<input type="hidden" name="add" value="${stage.STATUS_ID}">
<div class="form-row"><label>Добавить робота</label><select name="robot" data-autosubmit="change"><option value="">— выберите робота —</option>${robots.map((r) => h`<option value="${r.id}">${localized(r.name) || r.code}</option>`)}</select></div>
<button class="btn btn-light-border btn-xs" type="submit">Далее</button></form>`;
  }
  const props = Object.entries(chosen.properties as Record<string, PropertyDef>);
  return h`<form class="robot-add" method="post" action="${base}/automation/attach" data-testid="robot-form">${cat}<input type="hidden" name="stageId" value="${stage.STATUS_ID}"><input type="hidden" name="robotId" value="${chosen.id}">
<div class="robot-title">${localized(chosen.name) || chosen.code}</div>${localized(chosen.description) ? h`<div class="muted small">${localized(chosen.description)}</div>` : ''}
<div class="form-row"><label for="p-title">Название в списке</label><input id="p-title" name="title" value="${localized(chosen.name) || chosen.code}"></div>
${props.map(([k, d]) => propertyInput(ctx, k, d ?? {}))}
<div class="form-row muted small">В значениях можно подставлять поля элемента: {=Document:ID}, {=Document:TITLE}, {=Document:ASSIGNED_BY_ID}…</div>
<div class="robot-actions"><button class="btn btn-success btn-xs" type="submit">Сохранить</button><a class="btn btn-light-border btn-xs" href="${base}/automation/${category ? `?category=${category.id}` : ''}">Отмена</a></div></form>`;
}

function propsSummary(values: Record<string, unknown>, robot: SRobot | undefined): string {
  return Object.entries(values)
    .map(([k, v]) => `${localized((robot?.properties[k] as PropertyDef | undefined)?.Name) || k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('; ');
}

export function renderAutomationPage(ctx: PageContext, model: ItemTypeModel): string {
  const { rt } = ctx;
  const { categories, category } = pipelineOf(ctx, model);
  const categoryId = category?.id ?? 0;
  const stages = stagesOf(rt.store, model.stageEntityId(categoryId));
  const base = itemBasePath(model.entityTypeId);
  const robots = availableRobots(rt, model.entityTypeId);
  const catField = category ? h`<input type="hidden" name="category" value="${category.id}">` : '';
  const columns = stages.map((stage) => {
    const rule = findRule(rt, model.entityTypeId, categoryId, stage.STATUS_ID);
    const list = rule?.robots ?? [];
    const cards = list.map((r, index) => {
      const reg = rt.store.robots.find((x) => x.clientId === r.clientId && x.code === r.code);
      const action = (path: string, label: string, cls: string, extra: Html | string = '', disabled = false) =>
        h`<form method="post" action="${base}/automation/${path}">${catField}<input type="hidden" name="stageId" value="${stage.STATUS_ID}"><input type="hidden" name="index" value="${index}">${extra}<button class="btn ${cls} btn-xs" type="submit"${disabled ? h` disabled` : ''}>${label}</button></form>`;
      return h`<div class="robot" data-robot="${r.code}" data-index="${index}"><div class="robot-title">${r.title || robotName(rt, r.clientId, r.code)}</div><div class="muted small">${r.code}${reg ? '' : ' · не зарегистрирован'}</div>
<div class="robot-props">${propsSummary(r.properties, reg)}</div>
<div class="robot-actions">${action('move', '↑', 'btn-light-border', h`<input type="hidden" name="dir" value="up">`, index === 0)}${action('move', '↓', 'btn-light-border', h`<input type="hidden" name="dir" value="down">`, index === list.length - 1)}${action('detach', 'Удалить', 'btn-danger')}</div></div>`;
    });
    return h`<div class="robots-col" data-stage-id="${stage.STATUS_ID}"><div class="robots-col-head" style="background:${stage.COLOR || '#2fc6f6'}">${stage.NAME}</div><div class="robots-col-body">${cards}${addForm(ctx, base, category, stage, robots)}</div></div>`;
  });
  const pipelines = categories.length > 1 ? h`${categories.map((c) => h`<a class="btn btn-xs ${c.id === categoryId ? 'btn-primary' : 'btn-light'}" href="${base}/automation/?category=${c.id}">${c.name}</a>`)}` : '';
  const error = typeof ctx.req.query.error === 'string' ? ctx.req.query.error : '';
  const fields = itemFields(rt.store, model, categoryId).filter((f) => f.enabled).map((f) => f.upperName);
  const body = h`${error ? h`<div class="notice error" style="margin-bottom:12px" data-testid="automation-error">${error}</div>` : ''}<div class="workarea"><div class="muted small" style="margin-bottom:12px">Роботы запускаются, когда элемент попадает на стадию, по порядку сверху вниз. Поля элемента: ${fields.slice(0, 14).join(', ')}…</div><div class="robots-board" data-testid="robots-board">${columns}</div></div>`;
  const toolbar = h`${pipelines}<a class="btn btn-light" href="${base}/list/">К списку</a>`;
  return renderPage(ctx, { title: `Роботы: ${model.entityTypeId === 2 ? 'Сделки' : model.title}`, body, toolbar });
}
