import express, { type Request, type Response, type Router } from 'express';
import { findItemType, type ItemTypeModel } from '../crm/type-model.js';
import { availableRobots, moveRobot, removeRobotAt } from './automation-rules.js';
import { pipelineOf, renderAutomationPage } from './automation.page.js';
import { crmRefusal, formBody } from './crm.routes.js';
import { itemBasePath } from './crm-view.js';
import { pageContext, renderRefusal, type PageContext, type UiDeps } from './layout.js';
import { localized } from './view.js';

/** Automation rules editor routes; like every CRM page they refuse extranet users. */

function model(ctx: PageContext, req: Request): ItemTypeModel | null {
  const eti = req.params.eti !== undefined ? Number(req.params.eti) : 2;
  const m = Number.isInteger(eti) ? findItemType(ctx.rt.store, eti) : null;
  return m && m.kind !== 'lead' ? m : null;
}

/** Reads `prop[KEY]` fields; multiple properties take one value per line. */
export function readProperties(form: URLSearchParams, defs: Record<string, unknown>): { values: Record<string, unknown>; missing: string[] } {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [key, rawDef] of Object.entries(defs)) {
    const def = (rawDef ?? {}) as Record<string, unknown>;
    const raw = form.get(`prop[${key}]`);
    const multiple = String(def.Multiple ?? 'N').toUpperCase() === 'Y';
    const value = raw === null ? '' : raw.trim();
    if (value === '' && String(def.Required ?? 'N').toUpperCase() === 'Y') missing.push(localized(def.Name) || key);
    if (raw === null) continue;
    values[key] = multiple ? value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : value;
  }
  return { values, missing };
}

export function createAutomationRouter(deps: UiDeps): Router {
  const router = express.Router();
  const paths = (suffix: string) => [`/crm/type/:eti/automation${suffix}`, `/crm/deal/automation${suffix}`];
  const guarded = (handler: (ctx: PageContext, m: ItemTypeModel, req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
    const ctx = pageContext(deps, req);
    const refused = crmRefusal(ctx);
    if (refused) return void res.status(403).type('html').send(refused);
    const m = model(ctx, req);
    if (!m) return void res.status(404).type('html').send(renderRefusal(ctx, 'Не найдено', 'Такого смарт-процесса нет.'));
    await handler(ctx, m, req, res);
  };
  const back = (ctx: PageContext, m: ItemTypeModel, categoryId: number | undefined, error?: string) => {
    const q = new URLSearchParams();
    if (categoryId !== undefined && pipelineOf(ctx, m).categories.length > 1) q.set('category', String(categoryId));
    if (error) q.set('error', error);
    const qs = q.toString();
    return `${itemBasePath(m.entityTypeId)}/automation/${qs ? `?${qs}` : ''}`;
  };
  const position = (ctx: PageContext, m: ItemTypeModel, form: URLSearchParams) => {
    const { category } = pipelineOf(ctx, m);
    return { entityTypeId: m.entityTypeId, categoryId: Number(form.get('category') ?? category?.id ?? 0), stageId: form.get('stageId') ?? '', index: Number(form.get('index')) };
  };

  router.get(paths(''), guarded((ctx, m, _req, res) => res.type('html').send(renderAutomationPage(ctx, m))));

  router.post(paths('/attach'), guarded((ctx, m, req, res) => {
    const form = formBody(req);
    const at = position(ctx, m, form);
    const robot = availableRobots(ctx.rt, m.entityTypeId).find((r) => r.id === Number(form.get('robotId')));
    if (!robot) return res.redirect(303, back(ctx, m, at.categoryId, 'Робот не найден или приложение не установлено'));
    const { values, missing } = readProperties(form, robot.properties);
    if (missing.length) return res.redirect(303, back(ctx, m, at.categoryId, `Заполните обязательные поля: ${missing.join(', ')}`));
    try {
      ctx.automation.attach({ entityTypeId: m.entityTypeId, categoryId: at.categoryId, stageId: at.stageId, robot: robot.code, clientId: robot.clientId, properties: values, title: (form.get('title') ?? '').trim() || undefined });
    } catch (err) {
      return res.redirect(303, back(ctx, m, at.categoryId, (err as Error).message));
    }
    res.redirect(303, back(ctx, m, at.categoryId));
  }));

  router.post(paths('/detach'), guarded((ctx, m, req, res) => {
    const at = position(ctx, m, formBody(req));
    res.redirect(303, back(ctx, m, at.categoryId, removeRobotAt(ctx.rt, at) ? undefined : 'Робот уже удалён'));
  }));

  router.post(paths('/move'), guarded((ctx, m, req, res) => {
    const form = formBody(req);
    const at = position(ctx, m, form);
    moveRobot(ctx.rt, at, form.get('dir') === 'up' ? -1 : 1);
    res.redirect(303, back(ctx, m, at.categoryId));
  }));
  return router;
}
