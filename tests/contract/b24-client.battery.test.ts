import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { B24Error, createB24Clients, createMemoryRateLimiter, createWebhookClient, type B24Client } from '../../server/bitrix24/index.js';
import { createTenant, startPortalWithApp, type AppOnPortal, type Tenant } from './b24-client.setup.js';

/**
 * The B24Client against the sandbox portal, method family by method family, the way the product uses them
 * (DESIGN.md §2–§4): smart processes with parent links, UF fields, pipelines and stages, product rows, classic CRM
 * entities, timeline, placements, robots, events, notifications, users — plus batch references and paging.
 */
let app: AppOnPortal;
let tenant: Tenant;
let b24: B24Client;

beforeAll(async () => {
  app = await startPortalWithApp({ rateLimit: { burst: 200, drainPerSecond: 100 } });
  tenant = await createTenant(app, { limiter: createMemoryRateLimiter({ burst: 200, drainPerSecond: 100 }) });
  b24 = tenant.client();
});
afterAll(async () => {
  await tenant?.close();
  await app?.close();
});

interface SpaType {
  id: number;
  entityTypeId: number;
}

describe('system methods', () => {
  it('when the app asks who and what it is, then user.current, user.get, profile, app.info, scope and methods answer', async () => {
    const me = await b24.call<{ ID: string | number; NAME: string }>('user.current');
    expect(Number(me.ID)).toBe(1);
    const users = await b24.callRaw<Array<{ ID: string }>>('user.get', { FILTER: { ACTIVE: true } });
    expect(users.result.length).toBeGreaterThan(1);
    expect(users.total).toBe(users.result.length);
    const profile = await b24.call<{ ID: string | number; ADMIN: boolean }>('profile');
    expect(profile.ADMIN).toBe(true);
    const info = await b24.call<{ INSTALLED: boolean; STATUS: string }>('app.info');
    expect(info.INSTALLED).toBe(true);
    const scope = await b24.call<string[]>('scope');
    expect(scope).toEqual(expect.arrayContaining(['crm', 'user', 'placement', 'bizproc', 'im']));
    const methods = await b24.call<string[]>('methods');
    expect(methods).toEqual(expect.arrayContaining(['crm.item.add', 'batch', 'bizproc.event.send']));
  });

  it('when a method does not exist, then a classified B24Error comes back (not retried)', async () => {
    const err = await b24.call('crm.nonexistent.method').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B24Error);
    expect(err).toMatchObject({ kind: 'method_not_found', code: 'ERROR_METHOD_NOT_FOUND', httpStatus: 404, isRetryable: false });
  });
});

describe('smart processes, fields, pipelines and items', () => {
  let dealers: SpaType;
  let orders: SpaType;
  let categoryId: number;
  let dealerId: number;

  it('when Dealers and Orders types are created with a parent relation, then crm.type.get/list show them', async () => {
    dealers = (await b24.call<{ type: SpaType }>('crm.type.add', { fields: { title: 'Дилеры', isClientEnabled: 'Y', isCategoriesEnabled: 'Y', isStagesEnabled: 'Y' } })).type;
    orders = (
      await b24.call<{ type: SpaType & { relations: { parent: Array<{ entityTypeId: number }> } } }>('crm.type.add', {
        fields: {
          title: 'Заказы',
          isStagesEnabled: 'Y',
          isCategoriesEnabled: 'Y',
          isLinkWithProductsEnabled: 'Y',
          isAutomationEnabled: 'Y',
          relations: { parent: [{ entityTypeId: dealers.entityTypeId, isChildrenListEnabled: 'true' }] },
        },
      })
    ).type;
    expect(orders.entityTypeId).not.toBe(dealers.entityTypeId);
    const got = await b24.call<{ type: { relations: { parent: Array<{ entityTypeId: number }> } } }>('crm.type.get', { id: orders.id });
    expect(got.type.relations.parent.map((p) => p.entityTypeId)).toContain(dealers.entityTypeId);
    const all = await b24.listAll<SpaType>('crm.type.list');
    expect(all.map((x) => x.entityTypeId)).toEqual(expect.arrayContaining([dealers.entityTypeId, orders.entityTypeId]));
    const byEti = await b24.call<{ type: SpaType }>('crm.type.getByEntityTypeId', { entityTypeId: orders.entityTypeId });
    expect(byEti.type.id).toBe(orders.id);
  });

  it('when a UF field is added through userfieldconfig, then crm.item.add/get carry it in camelCase', async () => {
    const field = await b24.call<{ field: { id: number; fieldName: string } }>('userfieldconfig.add', {
      moduleId: 'crm',
      field: { entityId: `CRM_${orders.id}`, fieldName: `UF_CRM_${orders.id}_EXTID`, userTypeId: 'string', editFormLabel: { ru: 'Внешний номер' } },
    });
    expect(field.field.fieldName).toBe(`UF_CRM_${orders.id}_EXTID`);
    const list = await b24.call<{ fields: Array<{ fieldName: string }> }>('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${orders.id}` } });
    expect(list.fields.map((f) => f.fieldName)).toContain(`UF_CRM_${orders.id}_EXTID`);
    const fields = await b24.call<{ fields: Record<string, unknown> }>('crm.item.fields', { entityTypeId: orders.entityTypeId });
    expect(Object.keys(fields.fields)).toContain(`ufCrm${orders.id}Extid`);
  });

  it('when a pipeline with stages is created, then crm.category.* and crm.status.* manage it', async () => {
    categoryId = (await b24.call<{ category: { id: number } }>('crm.category.add', { entityTypeId: orders.entityTypeId, fields: { name: 'Дилерские заказы', sort: 200 } })).category.id;
    const cats = await b24.call<{ categories: Array<{ id: number }> }>('crm.category.list', { entityTypeId: orders.entityTypeId });
    expect(cats.categories.map((c) => c.id)).toContain(categoryId);
    const entityId = `DYNAMIC_${orders.entityTypeId}_STAGE_${categoryId}`;
    const statusId = await b24.call<number>('crm.status.add', { fields: { ENTITY_ID: entityId, STATUS_ID: 'APPROVAL', NAME: 'Согласование', SORT: 15, SEMANTICS: '' } });
    expect(Number(statusId)).toBeGreaterThan(0);
    const stages = await b24.call<Array<{ STATUS_ID: string; ENTITY_ID: string }>>('crm.status.list', { filter: { ENTITY_ID: entityId } });
    expect(stages.map((s) => s.STATUS_ID)).toContain(`DT${orders.entityTypeId}_${categoryId}:APPROVAL`);
  });

  it('when a dealer and its orders are created with parentId and a UF value, then get/list/update see the link', async () => {
    dealerId = (await b24.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: dealers.entityTypeId, fields: { title: 'ООО Дилер' } })).item.id;
    const parentKey = `parentId${dealers.entityTypeId}`;
    const uf = `ufCrm${orders.id}Extid`;
    const created = await b24.call<{ item: Record<string, unknown> }>('crm.item.add', {
      entityTypeId: orders.entityTypeId,
      fields: { title: 'Заказ 1', categoryId, [parentKey]: dealerId, [uf]: 'ERP-0001', xmlId: 'ORD-1' },
    });
    expect(created.item).toMatchObject({ [parentKey]: dealerId, [uf]: 'ERP-0001', categoryId, xmlId: 'ORD-1' });
    const id = created.item.id as number;
    await b24.call('crm.item.update', { entityTypeId: orders.entityTypeId, id, fields: { title: 'Заказ 1 (изм.)' } });
    const got = await b24.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: orders.entityTypeId, id });
    expect(got.item.title).toBe('Заказ 1 (изм.)');
    const children = await b24.listAll<{ id: number }>('crm.item.list', { entityTypeId: orders.entityTypeId, filter: { [parentKey]: dealerId }, select: ['id', parentKey] });
    expect(children.map((c) => c.id)).toEqual([id]);
  });

  it('when product rows are set on an order, then crm.item.productrow.list returns exactly them', async () => {
    const order = (await b24.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: orders.entityTypeId, fields: { title: 'Заказ с товарами', categoryId } })).item;
    const ownerType = `T${orders.entityTypeId.toString(16)}`;
    await b24.call('crm.item.productrow.set', {
      ownerType,
      ownerId: order.id,
      productRows: [
        { productName: 'Котёл А', price: 1500.5, quantity: 2 },
        { productName: 'Насос Б', price: 300, quantity: 1 },
      ],
    });
    const rows = await b24.call<{ productRows: Array<{ productName: string; quantity: number }> }>('crm.item.productrow.list', { filter: { '=ownerType': ownerType, '=ownerId': order.id } });
    expect(rows.productRows.map((r) => [r.productName, Number(r.quantity)])).toEqual([['Котёл А', 2], ['Насос Б', 1]]);
  });

  it('when a company with a contact and a requisite is created, then the classic crm.* methods link them', async () => {
    const companyId = await b24.call<number>('crm.company.add', { fields: { TITLE: 'ООО Ромашка', COMPANY_TYPE: 'CUSTOMER' } });
    const contactId = await b24.call<number>('crm.contact.add', { fields: { NAME: 'Иван', LAST_NAME: 'Петров', COMPANY_ID: companyId } });
    const presets = await b24.call<Array<{ ID: string | number }>>('crm.requisite.preset.list');
    const requisiteId = await b24.call<number>('crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: companyId, PRESET_ID: presets[0]!.ID, NAME: 'Реквизиты', RQ_INN: '7700000000' } });
    const company = await b24.call<Record<string, unknown>>('crm.company.get', { id: companyId });
    expect(company.TITLE).toBe('ООО Ромашка');
    const contacts = await b24.listAll<{ ID: string | number }>('crm.contact.list', { filter: { COMPANY_ID: companyId } });
    expect(contacts.map((c) => Number(c.ID))).toEqual([Number(contactId)]);
    const reqs = await b24.listAll<{ ID: string | number; RQ_INN: string }>('crm.requisite.list', { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: companyId } });
    expect(reqs.map((r) => [Number(r.ID), r.RQ_INN])).toEqual([[Number(requisiteId), '7700000000']]);
  });

  it('when a timeline comment is added to an order, then it gets an id and is listed', async () => {
    const order = (await b24.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: orders.entityTypeId, fields: { title: 'Заказ с комментарием' } })).item;
    const commentId = await b24.call<number>('crm.timeline.comment.add', { fields: { ENTITY_ID: order.id, ENTITY_TYPE: `dynamic_${orders.entityTypeId}`, COMMENT: 'Дилер подтвердил' } });
    expect(Number(commentId)).toBeGreaterThan(0);
    const list = await b24.listAll<{ ID: string | number; COMMENT: string }>('crm.timeline.comment.list', { filter: { ENTITY_ID: order.id, ENTITY_TYPE: `dynamic_${orders.entityTypeId}` } });
    expect(list.map((c) => c.COMMENT)).toEqual(['Дилер подтвердил']);
  });

  it('when a card tab placement is bound, then placement.get lists it and unbind removes it', async () => {
    const code = `CRM_DYNAMIC_${orders.entityTypeId}_DETAIL_TAB`;
    const handler = `${app.receiver.url}/placement/${code}`;
    await expect(b24.call('placement.bind', { PLACEMENT: code, HANDLER: handler, TITLE: 'Заказ дилера' })).resolves.toBe(true);
    const bound = await b24.call<Array<{ placement: string; handler: string }>>('placement.get');
    expect(bound.map((p) => [p.placement, p.handler])).toContainEqual([code, handler]);
    const unbound = await b24.call<{ count: number }>('placement.unbind', { PLACEMENT: code, HANDLER: handler });
    expect(unbound.count).toBe(1);
  });

  it('when an event handler is bound, then event.get lists it and event.unbind removes it', async () => {
    const handler = `${app.receiver.url}/events`;
    await b24.call('event.bind', { event: 'ONCRMDYNAMICITEMUPDATE', handler });
    const bindings = await b24.call<Array<{ event: string; handler: string }>>('event.get');
    expect(bindings.map((b) => [b.event.toUpperCase(), b.handler])).toContainEqual(['ONCRMDYNAMICITEMUPDATE', handler]);
    await b24.call('event.unbind', { event: 'ONCRMDYNAMICITEMUPDATE', handler });
    expect((await b24.call<unknown[]>('event.get')).length).toBe(bindings.length - 1);
  });

  it('when a robot is registered and runs on a stage, then bizproc.event.send returns its values to the workflow', async () => {
    const code = 'dealerhub_check_credit';
    await b24.call('bizproc.robot.add', {
      CODE: code,
      HANDLER: `${app.receiver.url}/robots/${code}`,
      AUTH_USER_ID: 1,
      NAME: { ru: 'Проверить кредит' },
      PROPERTIES: { orderId: { Name: 'Заказ', Type: 'int', Required: 'Y' } },
      RETURN_PROPERTIES: { approved: { Name: 'Одобрено', Type: 'bool' } },
      DOCUMENT_TYPE: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${orders.entityTypeId}`],
    });
    const robots = await b24.call<string[]>('bizproc.robot.list');
    expect(robots).toContain(code);
    const stageId = `DT${orders.entityTypeId}_${categoryId}:APPROVAL`;
    app.sandbox.automation.attach({ entityTypeId: orders.entityTypeId, stageId, robot: code, properties: { orderId: '{=Document:ID}' } });
    const order = (await b24.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: orders.entityTypeId, fields: { title: 'Заказ на согласование', categoryId } })).item;
    await b24.call('crm.item.update', { entityTypeId: orders.entityTypeId, id: order.id, fields: { stageId } });
    const hit = await app.receiver.waitFor((r) => r.path === `/robots/${code}`);
    const eventToken = String(hit.body.event_token);
    expect(eventToken).not.toBe('');
    await expect(b24.call('bizproc.event.send', { EVENT_TOKEN: eventToken, RETURN_VALUES: { approved: 'Y' }, LOG_MESSAGE: 'Кредит в норме' })).resolves.toBe(true);
    await app.sandbox.idle();
    const log = app.sandbox.automation.log(orders.entityTypeId, order.id);
    expect(log.at(-1)!.steps[0]).toMatchObject({ robotCode: code, returnValues: { approved: 'Y' }, logMessage: 'Кредит в норме' });
    await b24.call('bizproc.robot.delete', { CODE: code });
  });

  it('when notifications are sent, then im.notify.system.add and im.notify.personal.add return ids stored by the portal', async () => {
    const before = app.sandbox.store.notifications.all().length;
    const a = await b24.call<number>('im.notify.system.add', { USER_ID: 2, MESSAGE: 'Заказ [b]№1[/b] отгружен' });
    const b = await b24.call<number>('im.notify.personal.add', { USER_ID: 2, MESSAGE: 'Новый заказ' });
    expect(Number(a)).toBeGreaterThan(0);
    expect(Number(b)).toBeGreaterThan(Number(a));
    expect(app.sandbox.store.notifications.all().length).toBe(before + 2);
  });

  describe('batch', () => {
    it('when later commands reference earlier results with $result[…], then one request creates, links and reads back', async () => {
      const hitsBefore = b24.stats().hits;
      const res = await b24.batch<Record<string, unknown>>({
        dealer: { method: 'crm.item.add', params: { entityTypeId: dealers.entityTypeId, fields: { title: 'Дилер из batch' } } },
        order: { method: 'crm.item.add', params: { entityTypeId: orders.entityTypeId, fields: { title: 'Заказ из batch', [`parentId${dealers.entityTypeId}`]: '$result[dealer][item][id]' } } },
        comment: { method: 'crm.timeline.comment.add', params: { fields: { ENTITY_ID: '$result[order][item][id]', ENTITY_TYPE: `dynamic_${orders.entityTypeId}`, COMMENT: 'создан пакетом' } } },
        read: { method: 'crm.item.get', params: { entityTypeId: orders.entityTypeId, id: '$result[order][item][id]' } },
        list: { method: 'crm.item.list', params: { entityTypeId: orders.entityTypeId, select: ['id'] } },
      });
      expect(b24.stats().hits - hitsBefore).toBe(1);
      expect(res.items.map((i) => [i.key, i.ok])).toEqual([['dealer', true], ['order', true], ['comment', true], ['read', true], ['list', true]]);
      const dealerItem = (res.byKey.dealer!.result as { item: { id: number } }).item;
      const read = (res.byKey.read!.result as { item: Record<string, unknown> }).item;
      expect(read[`parentId${dealers.entityTypeId}`]).toBe(dealerItem.id);
      expect(res.byKey.list!.total).toBeGreaterThan(0);
    });

    it('when a command fails with halt=0 the others still run; with halt=1 the rest are reported as not executed', async () => {
      const calls = [
        { method: 'crm.item.get', params: { entityTypeId: orders.entityTypeId, id: 999_999 } },
        { method: 'user.current' },
      ];
      const soft = await b24.batch(calls);
      expect(soft.items.map((i) => i.ok)).toEqual([false, true]);
      expect(soft.items[0]!.error).toMatchObject({ kind: 'not_found', method: 'crm.item.get' });
      const hard = await b24.batch(calls, { halt: true });
      expect(hard.items[0]!.ok).toBe(false);
      expect(hard.items[1]!.error).toMatchObject({ kind: 'skipped' });
    });

    it('when more than 50 commands are given to batch(), then it refuses before sending; callMany packs them instead', async () => {
      const calls = Array.from({ length: 51 }, () => ({ method: 'server.time' }));
      await expect(b24.batch(calls)).rejects.toMatchObject({ code: 'ERROR_BATCH_LENGTH_EXCEEDED' });
      const hitsBefore = b24.stats().hits;
      const out = await b24.callMany(calls);
      expect(out.every((o) => o.ok)).toBe(true);
      expect(b24.stats().hits - hitsBefore).toBe(2);
    });
  });

  describe('paging over more than 500 items', () => {
    const N = 523;
    let ids: number[];

    beforeAll(async () => {
      const out = await b24.callMany<{ item: { id: number } }>(
        Array.from({ length: N }, (_, i) => ({ method: 'crm.item.add', params: { entityTypeId: dealers.entityTypeId, fields: { title: `Paging ${String(i).padStart(4, '0')}`, xmlId: `PG-${i}` } } })),
      );
      expect(out.every((o) => o.ok)).toBe(true);
      ids = out.map((o) => (o.ok ? o.result.item.id : -1));
    });

    it('when listAll runs without an order, then it uses start=-1 with an id cursor and returns every row once, in id order', async () => {
      const seen: Array<Record<string, unknown>> = [];
      const spy = app.sandbox.registry.get('crm.item.list')!;
      const original = spy.handler;
      spy.handler = (call) => {
        seen.push({ ...call.params, start: call.start });
        return original(call);
      };
      try {
        const rows = await b24.listAll<{ id: number; title: string }>('crm.item.list', { entityTypeId: dealers.entityTypeId, filter: { '%title': 'Paging' }, select: ['id', 'title'] });
        expect(rows.map((r) => r.id)).toEqual([...ids].sort((a, b) => a - b));
      } finally {
        spy.handler = original;
      }
      expect(seen).toHaveLength(Math.ceil(N / 50));
      expect(seen.every((p) => p.start === -1)).toBe(true);
      expect(seen[1]!.filter).toMatchObject({ '>id': expect.anything() });
    });

    it('when an order by title is required, then ordinary paging returns the rows in that order (remaining pages batched)', async () => {
      const hitsBefore = b24.stats().hits;
      const rows = await b24.listAll<{ id: number; title: string }>('crm.item.list', { entityTypeId: dealers.entityTypeId, filter: { '%title': 'Paging' }, order: { title: 'DESC' }, select: ['id', 'title'] });
      expect(rows).toHaveLength(N);
      expect(rows.map((r) => r.title)).toEqual(Array.from({ length: N }, (_, i) => `Paging ${String(N - 1 - i).padStart(4, '0')}`));
      // First page alone (it tells `total`), then the other 10 pages in one batch request.
      expect(b24.stats().hits - hitsBefore).toBe(2);
    });

    it('when pages are consumed one by one, then listPages yields pages of at most 50 rows', async () => {
      const sizes: number[] = [];
      for await (const page of b24.listPages('crm.item.list', { entityTypeId: dealers.entityTypeId, filter: { '%title': 'Paging' }, select: ['id'] })) sizes.push(page.length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(N);
      expect(Math.max(...sizes)).toBe(50);
    });
  });
});

describe('incoming webhook client', () => {
  it('when a webhook URL over HTTPS is used, then calls work with the portal CA trusted and app-only methods are refused as access_denied', async () => {
    const hook = createWebhookClient(app.sandbox.httpsWebhookUrl!, {
      limiter: createMemoryRateLimiter({ burst: 200, drainPerSecond: 100 }),
      logger: tenant.t.ctx.logger,
      caCertPem: app.sandbox.caCertPem!,
    });
    const me = await hook.call<{ ID: string | number }>('user.current');
    expect(Number(me.ID)).toBe(1);
    await expect(hook.call('placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'https://example.invalid/x' })).rejects.toMatchObject({ kind: 'access_denied', code: 'WRONG_AUTH_TYPE' });
    await expect(hook.call('event.bind', { event: 'ONCRMDEALADD', handler: 'https://example.invalid/x' })).rejects.toMatchObject({ kind: 'access_denied', code: 'ACCESS_DENIED' });
    expect(tenant.t.logs.text).not.toContain(new URL(app.sandbox.httpsWebhookUrl!).pathname.split('/')[3]!);
  });
});

describe('the per-instance factory', () => {
  it('when createB24Clients is built from the app context, then it reuses one client per portal and paces with the configured limit', async () => {
    const clients = createB24Clients({ config: tenant.t.ctx.config, logger: tenant.t.ctx.logger, portals: tenant.t.ctx.portals });
    try {
      const a = clients.forPortal(tenant.portalId);
      expect(clients.forPortal(tenant.portalId)).toBe(a);
      expect(tenant.t.ctx.config.b24.rateLimit).toEqual({ burst: 50, drainPerSecond: 2 });
      expect(clients.limiter.redis).toBeUndefined(); // no REDIS_URL in this config: in-process limiter
      await expect(a.call<{ ID: string | number }>('user.current')).resolves.toMatchObject({ ID: expect.anything() });
    } finally {
      await clients.close();
    }
  });
});
