import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** Users and demo data, placements and notifications of the sandbox portal. */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;
const asUser = (userId: number, method: string, params: Record<string, unknown> = {}) =>
  restCall(portal.clientEndpoint, method, { auth: portal.issueTokens(userId, app.clientId).accessToken, ...params });

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal);
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});

describe('users (api-reference/user/user-get.md)', () => {
  it('when the demo portal starts, then it has an admin, managers, a service engineer and two dealers with two extranet users each', () => {
    const { users } = portal;
    expect(users.admin).toBe(1);
    expect(users.managers.length).toBeGreaterThanOrEqual(2);
    expect(users.service).toHaveLength(1);
    expect(users.dealers).toHaveLength(2);
    for (const d of users.dealers) {
      expect(d.userIds).toHaveLength(2);
      for (const [i, id] of d.userIds.entries()) {
        const user = portal.store.users.get(id)!;
        expect(user.USER_TYPE).toBe('extranet');
        const contact = portal.store.contacts.get(d.contactIds[i]!)!;
        expect(contact.fm.find((m) => m.TYPE_ID === 'EMAIL')?.VALUE).toBe(user.EMAIL);
        expect(contact.fields.COMPANY_ID).toBe(d.companyId);
      }
    }
  });

  it('when user.get filters by USER_TYPE, ACTIVE and ID, then only those users come back; start=-1 drops the count', async () => {
    const extranet = await resultOf<{ ID: string; USER_TYPE: string }[]>(portal.webhookUrl, 'user.get', { FILTER: { USER_TYPE: 'extranet', ACTIVE: true } });
    expect(extranet.map((u) => Number(u.ID))).toEqual(portal.users.extranet);
    const one = await restCall(portal.webhookUrl, 'user.get', { FILTER: { ID: portal.users.service[0] }, start: -1 });
    expect((one.body.result as { WORK_POSITION: string }[])[0]?.WORK_POSITION).toBe('Сервисный инженер');
    expect(one.body.total).toBeUndefined();
    const employees = await resultOf<unknown[]>(portal.webhookUrl, 'user.get', { FILTER: { USER_TYPE: 'employee' } });
    expect(employees).toHaveLength(1 + portal.users.managers.length + portal.users.service.length);
  });

  it('when an extranet user lists users, then only their own company and the staff are visible', async () => {
    const [dealerA, dealerB] = portal.users.dealers;
    const r = await asUser(dealerA!.userIds[0]!, 'user.get', {});
    const ids = (r.body.result as { ID: string }[]).map((u) => Number(u.ID));
    expect(ids).toEqual(expect.arrayContaining(dealerA!.userIds));
    for (const other of dealerB!.userIds) expect(ids).not.toContain(other);
  });

  it('when profile is called, then ADMIN tells the admin from the others', async () => {
    expect(((await asUser(1, 'profile')).body.result as { ADMIN: boolean }).ADMIN).toBe(true);
    expect(((await asUser(portal.users.managers[0]!, 'profile')).body.result as { ADMIN: boolean }).ADMIN).toBe(false);
  });
});

describe('placements (api-reference/widgets/placement-*.md)', () => {
  it('when handlers are bound with LANG_ALL and OPTIONS, then placement.get lists them and unbind counts removals', async () => {
    const handler = `${app.receiver.url}/widget`;
    expect((await asUser(1, 'placement.bind', { PLACEMENT: 'CRM_COMPANY_DETAIL_TAB', HANDLER: handler, TITLE: 'Дилер', LANG_ALL: { ru: { TITLE: 'Дилер' }, en: { TITLE: 'Dealer' } } })).body.result).toBe(true);
    expect((await asUser(1, 'placement.bind', { PLACEMENT: 'IM_NAVIGATION', HANDLER: handler, TITLE: 'Кабинет', OPTIONS: { extranet: 'Y' } })).body.result).toBe(true);
    const list = (await asUser(1, 'placement.get')).body.result as Record<string, unknown>[];
    expect(list).toEqual([
      { placement: 'CRM_COMPANY_DETAIL_TAB', userId: 0, handler, options: [], title: 'Дилер', description: '', langAll: { ru: { TITLE: 'Дилер', DESCRIPTION: '', GROUP_NAME: '' }, en: { TITLE: 'Dealer', DESCRIPTION: '', GROUP_NAME: '' } } },
      { placement: 'IM_NAVIGATION', userId: 0, handler, options: { extranet: 'Y' }, title: 'Кабинет', description: '', langAll: {} },
    ]);
    expect((await asUser(1, 'placement.bind', { PLACEMENT: 'CRM_COMPANY_DETAIL_TAB', HANDLER: handler })).status).toBe(400);
    expect((await asUser(1, 'placement.unbind', { PLACEMENT: 'CRM_COMPANY_DETAIL_TAB' })).body.result).toEqual({ count: 1 });
  });

  it('when the placement is unknown or outside the app scope, then ERROR_PLACEMENT_NOT_FOUND', async () => {
    expect((await asUser(1, 'placement.bind', { PLACEMENT: 'NOT_A_PLACEMENT', HANDLER: `${app.receiver.url}/w` })).body.error).toBe('ERROR_PLACEMENT_NOT_FOUND');
    const type = await resultOf<{ type: { entityTypeId: number } }>(portal.webhookUrl, 'crm.type.add', { fields: { title: 'Виджеты' } });
    const codes = (await asUser(1, 'placement.list')).body.result as string[];
    expect(codes).toContain(`CRM_DYNAMIC_${type.type.entityTypeId}_DETAIL_TAB`);
    expect(codes).not.toContain('TASK_VIEW_TAB');
  });
});

describe('notifications (api-reference/chats/notifications/)', () => {
  it('when system and personal notifications are sent, then they are stored with sender, recipient and tag', async () => {
    const manager = portal.users.managers[0]!;
    const sys = await asUser(1, 'im.notify.system.add', { USER_ID: manager, MESSAGE: ' Заказ [B]№1[/B] согласован ', TAG: 'order-1' });
    const personal = await asUser(1, 'im.notify.personal.add', { USER_ID: manager, MESSAGE: 'Проверьте заказ' });
    expect(typeof sys.body.result).toBe('number');
    expect(portal.store.notifications.get(sys.body.result as number)).toMatchObject({ kind: 'system', toUserId: manager, fromUserId: null, message: 'Заказ [B]№1[/B] согласован', tag: 'order-1', clientId: app.clientId });
    expect(portal.store.notifications.get(personal.body.result as number)).toMatchObject({ kind: 'personal', fromUserId: 1 });
    const replaced = await asUser(1, 'im.notify.system.add', { USER_ID: manager, MESSAGE: 'Заказ №1 отгружен', TAG: 'order-1' });
    expect(portal.store.notifications.filter((n) => n.tag === 'order-1').map((n) => n.id)).toEqual([replaced.body.result]);
  });

  it('when USER_ID or MESSAGE is missing, then USER_ID_EMPTY / MESSAGE_EMPTY', async () => {
    expect((await asUser(1, 'im.notify.system.add', { MESSAGE: 'x' })).body).toEqual({ error: 'USER_ID_EMPTY', error_description: "User ID can't be empty" });
    expect((await asUser(1, 'im.notify.personal.add', { USER_ID: 2, MESSAGE: '  ' })).body.error).toBe('MESSAGE_EMPTY');
  });
});
