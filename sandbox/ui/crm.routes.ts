import express, { type Request, type Response, type Router } from 'express';
import { COMPANY, CONTACT } from '../crm/classic-entities.js';
import { findItemType, type ItemTypeModel } from '../crm/type-model.js';
import { renderClassicCard } from './crm-classic-card.page.js';
import { renderItemCard, timelineEntityType } from './crm-item-card.page.js';
import { renderCompanyList, renderContactList, renderItemList } from './crm-list.page.js';
import { entityUrl } from './crm-view.js';
import { isExtranet, pageContext, renderRefusal, type PageContext, type UiDeps } from './layout.js';
import { callAsUser } from './session-call.js';

/**
 * The CRM section. Extranet users have no CRM on a real portal (api-reference/user/index.md; every crm.* call of theirs
 * answers allowed_only_intranet_user), so every page here refuses them. Actions run the portal's own method handlers
 * as the signed-in user (session-call.ts), so events and robots follow as for a REST call.
 */

export function formBody(req: Request): URLSearchParams {
  return new URLSearchParams(typeof req.body === 'string' ? req.body : '');
}

/** The CRM refusal for extranet users and employees without CRM rights; null when the page may render. */
export function crmRefusal(ctx: PageContext): string | null {
  if (isExtranet(ctx.me)) return renderRefusal(ctx, 'CRM', 'Раздел CRM недоступен внешним пользователям (экстранет). Обратитесь к вашему менеджеру.');
  if (!ctx.me.IS_ADMIN && ctx.me.crmAccess === 'none') return renderRefusal(ctx, 'CRM', 'У вас нет прав на просмотр CRM.');
  return null;
}

function itemModel(ctx: PageContext, req: Request): ItemTypeModel | null {
  const eti = req.params.eti !== undefined ? Number(req.params.eti) : req.path.startsWith('/crm/deal/') ? 2 : req.path.startsWith('/crm/lead/') ? 1 : NaN;
  return Number.isInteger(eti) ? findItemType(ctx.rt.store, eti) : null;
}

export function createCrmRouter(deps: UiDeps): Router {
  const router = express.Router();
  const page = (handler: (ctx: PageContext, req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
    const ctx = pageContext(deps, req);
    const refused = crmRefusal(ctx);
    if (refused) return void res.status(403).type('html').send(refused);
    await handler(ctx, req, res);
  };
  const notFound = (ctx: PageContext, res: Response, what: string) => void res.status(404).type('html').send(renderRefusal(ctx, 'Не найдено', what));

  router.get(['/crm', '/crm/'], page((_ctx, _req, res) => res.redirect(302, '/crm/deal/list/')));

  router.get(['/crm/type/:eti/list', '/crm/deal/list', '/crm/lead/list'], page((ctx, req, res) => {
    const model = itemModel(ctx, req);
    if (!model) return notFound(ctx, res, 'Такого смарт-процесса нет.');
    res.type('html').send(renderItemList(ctx, model));
  }));

  router.get(['/crm/type/:eti/details/:id', '/crm/deal/details/:id', '/crm/lead/details/:id'], page((ctx, req, res) => {
    const model = itemModel(ctx, req);
    const item = model ? ctx.rt.store.items.get(`${model.entityTypeId}:${Number(req.params.id)}`) : undefined;
    if (!model || !item) return notFound(ctx, res, 'Элемент не найден или удалён.');
    res.type('html').send(renderItemCard(ctx, model, item));
  }));

  // Clicking a stage: crm.item.update with the new stageId as this user — the events and the stage's robots follow.
  router.post(['/crm/type/:eti/details/:id/stage', '/crm/deal/details/:id/stage', '/crm/lead/details/:id/stage'], page(async (ctx, req, res) => {
    const model = itemModel(ctx, req);
    const id = Number(req.params.id);
    if (!model) return notFound(ctx, res, 'Такого смарт-процесса нет.');
    const stageId = formBody(req).get('stageId') ?? '';
    const outcome = await callAsUser(ctx.rt, ctx.me, 'crm.item.update', { entityTypeId: model.entityTypeId, id, fields: { stageId } }, ctx.face);
    const back = entityUrl(model.entityTypeId, id);
    res.redirect(303, outcome.ok ? back : `${back}?error=${encodeURIComponent(outcome.error.description)}`);
  }));

  router.post(['/crm/type/:eti/details/:id/comment', '/crm/deal/details/:id/comment', '/crm/lead/details/:id/comment'], page(async (ctx, req, res) => {
    const model = itemModel(ctx, req);
    const id = Number(req.params.id);
    if (!model) return notFound(ctx, res, 'Такого смарт-процесса нет.');
    const comment = formBody(req).get('comment') ?? '';
    const outcome = await callAsUser(ctx.rt, ctx.me, 'crm.timeline.comment.add', { fields: { ENTITY_ID: id, ENTITY_TYPE: timelineEntityType(model.entityTypeId), COMMENT: comment } }, ctx.face);
    const back = entityUrl(model.entityTypeId, id);
    res.redirect(303, outcome.ok ? back : `${back}?error=${encodeURIComponent(outcome.error.description)}`);
  }));

  router.get('/crm/company/list', page((ctx, _req, res) => res.type('html').send(renderCompanyList(ctx))));
  router.get('/crm/contact/list', page((ctx, _req, res) => res.type('html').send(renderContactList(ctx))));

  for (const entity of [COMPANY, CONTACT]) {
    router.get(`/crm/${entity.key}/details/:id`, page((ctx, req, res) => {
      const row = entity.table(ctx.rt.store).get(Number(req.params.id));
      if (!row) return notFound(ctx, res, 'Элемент не найден или удалён.');
      res.type('html').send(renderClassicCard(ctx, entity, row));
    }));
    router.post(`/crm/${entity.key}/details/:id/comment`, page(async (ctx, req, res) => {
      const id = Number(req.params.id);
      const comment = formBody(req).get('comment') ?? '';
      const outcome = await callAsUser(ctx.rt, ctx.me, 'crm.timeline.comment.add', { fields: { ENTITY_ID: id, ENTITY_TYPE: entity.key, COMMENT: comment } }, ctx.face);
      const back = entityUrl(entity.entityTypeId, id);
      res.redirect(303, outcome.ok ? back : `${back}?error=${encodeURIComponent(outcome.error.description)}`);
    }));
  }

  // Any other CRM path: the same refusal for extranet users, else not found.
  router.use('/crm', page((ctx, _req, res) => notFound(ctx, res, 'Страница не найдена.')));
  return router;
}
