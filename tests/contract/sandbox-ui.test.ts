import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';
import { answerFrameCommand, portalPath, type FrameAnswer, type FrameSession } from '../../sandbox/ui/frame-protocol.js';
import { startSdkTestApp, type SdkTestApp } from '../../sandbox/ui/testing/sdk-test-app.js';
import { seedUiDemo, type UiDemo } from '../../sandbox/ui/testing/seed-ui-demo.js';

/**
 * The portal's pages for people (sandbox/ui): pages per role, CRM refused to extranet users, the placement POST of a
 * card tab, stage moves that run the stage's robots, the automation editor, the frame command relay with its origin and
 * APP_SID checks, notifications and REST CORS for app frames.
 */
let portal: SandboxPortal;
let app: SdkTestApp;
let demo: UiDemo;
const clientId = 'local.ui.test.1';
const SCOPE = ['crm', 'user', 'placement', 'bizproc', 'im'];

const cookie = (userId: number) => ({ Cookie: `b24sandbox_user=${userId}` });
const page = (path: string, userId: number, init: RequestInit = {}) =>
  fetch(`${portal.url}${path}`, { redirect: 'manual', ...init, headers: { ...cookie(userId), ...(init.headers ?? {}) } });
const html = async (path: string, userId: number) => {
  const res = await page(path, userId);
  return { status: res.status, body: await res.text() };
};
const postForm = (path: string, userId: number, fields: Record<string, string>) =>
  page(path, userId, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const command = (userId: number, body: Record<string, unknown>) =>
  page('/_ui/frame/command', userId, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** The `error` a page action redirected back with. */
const errorOf = (res: Response) => new URL(res.headers.get('location')!, portal.url).searchParams.get('error');
const decode = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
interface RenderedFrame {
  action: string;
  target: string;
  fields: Record<string, string>;
  name: string;
  sid: string;
  origin: string;
  placement: string;
}
/** The app frames a page rendered: the auto-submitted form and its iframe. */
function framesOf(body: string): RenderedFrame[] {
  const out: RenderedFrame[] = [];
  const re = /<form method="post" action="([^"]*)" target="([^"]*)" data-b24-form="([^"]*)"[^>]*>([\s\S]*?)<\/form>\s*<iframe class="app-frame" name="([^"]*)" data-b24-app-sid="([^"]*)" data-b24-origin="([^"]*)" data-b24-title="[^"]*" data-placement="([^"]*)"/g;
  for (const m of body.matchAll(re)) {
    const fields: Record<string, string> = {};
    for (const f of (m[4] as string).matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[decode(f[1] as string)] = decode(f[2] as string);
    out.push({ action: decode(m[1] as string), target: decode(m[2] as string), fields, name: decode(m[5] as string), sid: m[6] as string, origin: decode(m[7] as string), placement: m[8] as string });
  }
  return out;
}

const manager = () => portal.users.managers[0] as number;
const dealerUser = () => portal.users.dealers[0]!.userIds[0] as number;
const otherDealerUser = () => portal.users.dealers[1]!.userIds[0] as number;
const admin = () => portal.users.admin;

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await startSdkTestApp();
  portal.registerApp({ clientId, clientSecret: 'secret-ui', appUrl: `${app.url}/app`, installUrl: `${app.url}/install`, installEventHandlerUrl: `${app.url}/events`, scope: SCOPE });
  await portal.install({ clientId });
  portal.markInstallFinished(clientId);
  demo = await seedUiDemo(portal, { clientId, appUrl: app.url });
});
afterAll(async () => {
  await app.close();
  await portal.close();
});

describe('pages per role', () => {
  it('when each seeded user signs in through the switcher, then the start page greets them and the menu fits their kind', async () => {
    const switched = await fetch(`${portal.url}/_ui/switch-user?id=${manager()}&back=%2Fcrm%2Fdeal%2Flist%2F`, { redirect: 'manual' });
    expect(switched.status).toBe(302);
    expect(switched.headers.get('location')).toBe('/crm/deal/list/');
    expect(switched.headers.get('set-cookie')).toMatch(new RegExp(`^b24sandbox_user=${manager()};`));
    const everyone = [admin(), ...portal.users.managers, ...portal.users.service, ...portal.users.extranet];
    for (const id of everyone) {
      const user = portal.store.users.get(id)!;
      const { status, body } = await html('/', id);
      expect(status).toBe(200);
      expect(body).toContain(`data-user-id="${id}"`);
      expect(body).toContain(`${user.NAME} ${user.LAST_NAME}`);
      if (user.USER_TYPE === 'extranet') {
        expect(body).not.toContain('href="/crm/');
        expect(body).toContain('href="/online/"');
      } else {
        expect(body).toContain(`href="/crm/type/${demo.entityTypeId}/list/"`);
        // The LEFT_MENU placement is an item of the employees' menu.
        expect(body).toMatch(/href="\/marketplace\/placement\/\d+\/"[^>]*><span class="ico">[^<]*<\/span>DealerHub</);
      }
    }
  });

  it('when an employee opens the CRM lists and cards, then they render the items with stage, company and responsible', async () => {
    const list = await html(`/crm/type/${demo.entityTypeId}/list/`, manager());
    expect(list.status).toBe(200);
    expect(list.body).toContain('Заказ ДЛ-1001');
    expect(list.body).toContain(`data-stage="${demo.stage('SUCCESS')}"`);
    expect(list.body).toContain('ООО «ТехноСнаб»');
    for (const path of ['/crm/deal/list/', '/crm/company/list/', '/crm/contact/list/', `/crm/deal/details/${demo.dealId}/`, `/crm/company/details/${portal.users.dealers[0]!.companyId}/`, `/crm/contact/details/${portal.users.dealers[0]!.contactIds[0]}/`]) {
      expect((await html(path, portal.users.service[0] as number)).status, path).toBe(200);
    }
    const card = await html(`/crm/type/${demo.entityTypeId}/details/${demo.itemIds[1]}/`, manager());
    expect(card.status).toBe(200);
    // User fields carry their labels and readable values; product rows and the timeline comment are there.
    expect(card.body).toMatch(/<label>Способ доставки<\/label><div class="value">Доставка транспортной компанией<\/div>/);
    expect(card.body).toMatch(/<label>Срочный заказ<\/label><div class="value">Да<\/div>/);
    expect(card.body).toContain('Насос циркуляционный ЦН-25');
    expect(card.body).toContain('подтвердил состав заказа');
    expect(card.body).toContain('data-testid="stage-bar"');
  });

  it('when an employee has no CRM rights, then CRM pages refuse them too', async () => {
    const engineer = portal.users.service[0] as number;
    portal.setCrmAccess(engineer, 'none');
    try {
      const r = await html(`/crm/type/${demo.entityTypeId}/details/${demo.itemIds[0]}/`, engineer);
      expect(r.status).toBe(403);
      expect(r.body).toContain('У вас нет прав на просмотр CRM.');
    } finally {
      portal.setCrmAccess(engineer, 'full');
    }
  });

  it('when a list has more items than a page, then it is paged', async () => {
    for (let i = 0; i < 21; i++) await resultOf(portal.webhookUrl, 'crm.item.add', { entityTypeId: 2, fields: { title: `Пакетная сделка ${i}` } });
    const first = await html('/crm/deal/list/', manager());
    const second = await html('/crm/deal/list/?page=2', manager());
    const rows = (b: string) => [...b.matchAll(/<tr data-item-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(rows(first.body)).toHaveLength(20);
    expect(rows(second.body).length).toBeGreaterThan(0);
    expect(rows(second.body).some((id) => rows(first.body).includes(id))).toBe(false);
    expect(first.body).toContain(`Всего: ${portal.store.items.filter((i) => i.entityTypeId === 2).length}`);
  });
});

describe('extranet users', () => {
  it('when an extranet user opens any CRM page or action, then it is refused and nothing changes', async () => {
    const id = demo.itemIds[0] as number;
    const paths = [
      '/crm/deal/list/', `/crm/type/${demo.entityTypeId}/list/`, `/crm/type/${demo.entityTypeId}/details/${id}/`, `/crm/deal/details/${demo.dealId}/`,
      `/crm/company/list/`, `/crm/company/details/${portal.users.dealers[0]!.companyId}/`, '/crm/contact/list/', `/crm/type/${demo.entityTypeId}/automation/`, '/crm/anything/else/',
    ];
    for (const user of portal.users.extranet) {
      for (const path of paths) {
        const r = await html(path, user);
        expect(r.status, path).toBe(403);
        expect(r.body).toContain('data-testid="access-denied"');
        expect(r.body).not.toContain('data-b24-app-sid');
      }
    }
    const before = portal.store.items.get(`${demo.entityTypeId}:${id}`)!.fields.stageId;
    expect((await postForm(`/crm/type/${demo.entityTypeId}/details/${id}/stage`, dealerUser(), { stageId: demo.stage('FAIL') })).status).toBe(403);
    expect(portal.store.items.get(`${demo.entityTypeId}:${id}`)!.fields.stageId).toBe(before);
    expect((await html('/marketplace/', dealerUser())).status).toBe(403);
    expect((await html(`/marketplace/app/${portal.store.apps.get(clientId)!.id}/`, dealerUser())).status).toBe(403);
  });

  it('when an extranet user opens the messenger, then only IM_NAVIGATION apps open to extranet appear and open with their POST', async () => {
    const token = portal.issueTokens(admin(), clientId).accessToken;
    await resultOf(portal.clientEndpoint, 'placement.bind', { auth: token, PLACEMENT: 'IM_NAVIGATION', HANDLER: `${app.url}/placement/staff-only`, TITLE: 'Только сотрудникам', OPTIONS: { iconName: 'fa-lock', extranet: 'N' } });
    const dealerView = await html('/online/', dealerUser());
    expect(dealerView.body).toContain('Кабинет дилера');
    expect(dealerView.body).not.toContain('Только сотрудникам');
    expect((await html('/online/', manager())).body).toContain('Только сотрудникам');
    const cabinet = portal.store.placements.find((p) => p.placement === 'IM_NAVIGATION' && p.options.extranet === 'Y')!;
    const opened = await html(`/online/?IM_APP=${cabinet.id}`, dealerUser());
    const [frame] = framesOf(opened.body);
    expect(frame).toBeDefined();
    expect(frame!.placement).toBe('IM_NAVIGATION');
    expect(frame!.fields.PLACEMENT).toBe('IM_NAVIGATION');
    expect(JSON.parse(frame!.fields.PLACEMENT_OPTIONS!)).toEqual({ URI: `/online/?IM_APP=${cabinet.id}` });
    // The token is the dealer's own; with it CRM stays closed (allowed_only_intranet_user), as on a real portal.
    expect((await resultOf<{ ID: string }>(portal.clientEndpoint, 'user.current', { auth: frame!.fields.AUTH_ID })).ID).toBe(String(dealerUser()));
    expect((await restCall(portal.clientEndpoint, 'crm.item.list', { auth: frame!.fields.AUTH_ID, entityTypeId: demo.entityTypeId })).body.error).toBe('allowed_only_intranet_user');
    const staffOnly = portal.store.placements.find((p) => p.handler.endsWith('/staff-only'))!;
    expect(framesOf((await html(`/online/?IM_APP=${staffOnly.id}`, dealerUser())).body)).toHaveLength(0);
  });
});

describe('placement tabs on cards', () => {
  it('when a manager opens a card, then the tab frame carries the documented POST for that manager with a fresh APP_SID', async () => {
    const id = demo.itemIds[2] as number;
    const path = `/crm/type/${demo.entityTypeId}/details/${id}/`;
    const first = framesOf((await html(path, manager())).body);
    const second = framesOf((await html(path, manager())).body);
    expect(first).toHaveLength(1);
    const f = first[0]!;
    const code = `CRM_DYNAMIC_${demo.entityTypeId}_DETAIL_TAB`;
    expect(f.placement).toBe(code);
    const action = new URL(f.action);
    expect(`${action.origin}${action.pathname}`).toBe(`${app.url}/placement/order-tab`);
    expect(Object.fromEntries(action.searchParams)).toEqual({ DOMAIN: portal.domain, PROTOCOL: '0', LANG: 'ru', APP_SID: f.sid });
    expect(Object.keys(f.fields)).toEqual(['AUTH_ID', 'AUTH_EXPIRES', 'REFRESH_ID', 'SERVER_ENDPOINT', 'APPLICATION_TOKEN', 'APPLICATION_SCOPE', 'member_id', 'status', 'PLACEMENT', 'PLACEMENT_OPTIONS']);
    expect(f.fields).toMatchObject({
      AUTH_EXPIRES: '3600', SERVER_ENDPOINT: portal.serverEndpoint, APPLICATION_TOKEN: portal.store.apps.get(clientId)!.applicationToken, APPLICATION_SCOPE: SCOPE.join(','),
      member_id: portal.memberId, status: 'L', PLACEMENT: code,
    });
    expect(JSON.parse(f.fields.PLACEMENT_OPTIONS!)).toEqual({ ID: String(id), URI: path });
    expect(f.name).toBe(`${portal.domain}|0|${f.sid}`);
    expect(f.target).toBe(f.name);
    expect(f.origin).toBe(app.origin);
    expect(second[0]!.sid).not.toBe(f.sid);
    const me = await resultOf<{ ID: string }>(portal.clientEndpoint, 'user.current', { auth: f.fields.AUTH_ID });
    expect(me.ID).toBe(String(manager()));
    // The refresh token belongs to the same user and app.
    expect(portal.store.refreshTokens.get(f.fields.REFRESH_ID!)).toMatchObject({ userId: manager(), clientId });
  });

  it('when an app has not finished its installation, then its widgets are not shown; once finished they are', async () => {
    const late = 'local.ui.late.1';
    portal.registerApp({ clientId: late, clientSecret: 's', appUrl: `${app.url}/app`, installUrl: `${app.url}/install`, scope: SCOPE });
    await portal.install({ clientId: late });
    const token = portal.issueTokens(admin(), late).accessToken;
    await resultOf(portal.clientEndpoint, 'placement.bind', { auth: token, PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${app.url}/placement/late-tab`, TITLE: 'Поздняя вкладка' });
    const path = `/crm/deal/details/${demo.dealId}/`;
    expect((await html(path, manager())).body).not.toContain('Поздняя вкладка');
    // The admin opens the app: its install URL with PLACEMENT=DEFAULT; a manager is told to ask the admin.
    const appId = portal.store.apps.get(late)!.id;
    const install = framesOf((await html(`/marketplace/app/${appId}/`, admin())).body);
    expect(install).toHaveLength(1);
    expect(install[0]!.action.startsWith(`${app.url}/install?`)).toBe(true);
    expect(install[0]!.fields.PLACEMENT).toBe('DEFAULT');
    const managerView = await html(`/marketplace/app/${appId}/`, manager());
    expect(managerView.body).toContain('data-testid="not-installed"');
    expect(framesOf(managerView.body)).toHaveLength(0);
    // setInstallFinish from the install frame (what the SDK's installFinish() sends).
    const answer = await (await command(admin(), { appSid: install[0]!.sid, command: 'setInstallFinish', params: '', origin: app.origin })).json();
    expect(answer).toMatchObject({ ok: true, effect: { kind: 'reloadPage' } });
    expect(portal.store.apps.get(late)!.installed).toBe(true);
    expect((await html(path, manager())).body).toContain('Поздняя вкладка');
    const opened = framesOf((await html(`/marketplace/app/${appId}/`, manager())).body);
    expect(opened[0]!.action.startsWith(`${app.url}/app?`)).toBe(true);
  });
});

describe('stage moves from the card', () => {
  it('when a manager clicks a stage, then the item moves as crm.item.update does and the stage robots run with the item data', async () => {
    const id = demo.itemIds[0] as number;
    portal.automation.attach({ entityTypeId: demo.entityTypeId, stageId: demo.stage('CLIENT'), robot: 'dh_notify_dealer', clientId, properties: { message: 'Заказ {=Document:TITLE} на согласовании' } });
    const token = portal.issueTokens(admin(), clientId).accessToken;
    await resultOf(portal.clientEndpoint, 'event.bind', { auth: token, event: 'ONCRMDYNAMICITEMUPDATE', handler: `${app.url}/events/item-update` });
    const res = await postForm(`/crm/type/${demo.entityTypeId}/details/${id}/stage`, manager(), { stageId: demo.stage('CLIENT') });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/crm/type/${demo.entityTypeId}/details/${id}/`);
    const item = portal.store.items.get(`${demo.entityTypeId}:${id}`)!;
    expect(item.fields).toMatchObject({ stageId: demo.stage('CLIENT'), previousStageId: demo.stage('NEW'), movedBy: manager(), updatedBy: manager() });
    await portal.idle();
    const robot = app.posts('/robot/dh_notify_dealer').at(-1)!;
    expect(robot.body).toMatchObject({
      code: 'dh_notify_dealer',
      document_id: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${demo.entityTypeId}_${id}`],
      properties: { message: 'Заказ Заказ ДЛ-1001 на согласовании', channel: 'im' },
    });
    const event = app.posts('/events/item-update').at(-1)!;
    expect(event.body).toMatchObject({ event: 'ONCRMDYNAMICITEMUPDATE', data: { FIELDS: { ID: String(id), ENTITY_TYPE_ID: String(demo.entityTypeId) } } });
    const log = portal.automation.log(demo.entityTypeId, id);
    expect(log.at(-1)).toMatchObject({ stageId: demo.stage('CLIENT'), status: 'completed' });
    // The card shows the robot's run in its log.
    const card = await html(`/crm/type/${demo.entityTypeId}/details/${id}/`, manager());
    expect(card.body).toMatch(/data-robot="dh_notify_dealer" data-status="done"/);
  });

  it('when a user without write rights or with a wrong stage clicks, then the card reports the error and nothing moves', async () => {
    const id = demo.itemIds[3] as number;
    const readOnly = portal.users.managers[1] as number;
    portal.setCrmAccess(readOnly, 'read');
    const before = portal.store.items.get(`${demo.entityTypeId}:${id}`)!.fields.stageId;
    const denied = await postForm(`/crm/type/${demo.entityTypeId}/details/${id}/stage`, readOnly, { stageId: demo.stage('CLIENT') });
    expect(denied.status).toBe(303);
    expect(errorOf(denied)).toBe('Access denied');
    const wrong = await postForm(`/crm/type/${demo.entityTypeId}/details/${id}/stage`, manager(), { stageId: 'NOPE' });
    expect(errorOf(wrong)).toMatch(/^Invalid value for field/);
    expect(portal.store.items.get(`${demo.entityTypeId}:${id}`)!.fields.stageId).toBe(before);
    portal.setCrmAccess(readOnly, 'full');
  });

  it('when a manager comments on a card, then the comment is stored as crm.timeline.comment.add would and shown', async () => {
    const id = demo.itemIds[4] as number;
    const res = await postForm(`/crm/type/${demo.entityTypeId}/details/${id}/comment`, manager(), { comment: 'Позвонить дилеру до пятницы' });
    expect(res.status).toBe(303);
    const stored = portal.store.timelineComments.find((c) => c.comment === 'Позвонить дилеру до пятницы')!;
    expect(stored).toMatchObject({ entityId: id, entityType: `dynamic_${demo.entityTypeId}`, authorId: manager() });
    expect((await html(`/crm/type/${demo.entityTypeId}/details/${id}/`, manager())).body).toContain('Позвонить дилеру до пятницы');
  });
});

describe('automation rules page', () => {
  const base = () => `/crm/type/${demo.entityTypeId}/automation`;
  const robots = (stageId: string) => portal.automation.list({ entityTypeId: demo.entityTypeId }).find((r) => r.stageId === stageId)?.robots ?? [];

  it('when a person adds robots with their properties, reorders and removes them, then the stage rules follow', async () => {
    const stageId = demo.stage('PREPARATION');
    const notify = portal.store.robots.find((r) => r.code === 'dh_notify_dealer')!;
    const erp = portal.store.robots.find((r) => r.code === 'dh_send_to_erp')!;
    const view = await html(`${base()}/`, manager());
    expect(view.status).toBe(200);
    expect(view.body).toContain(`data-stage-id="${stageId}"`);
    expect(view.body).toContain('Уведомить дилера');
    // Choosing a robot shows its PROPERTIES as a form.
    const form = await html(`${base()}/?add=${encodeURIComponent(stageId)}&robot=${notify.id}`, manager());
    expect(form.body).toContain('name="prop[message]"');
    expect(form.body).toMatch(/<select id="p-channel" name="prop\[channel\]"><option value="im" selected>Уведомление в Битрикс24<\/option>/);
    // A required property left empty is refused.
    const missing = await postForm(`${base()}/attach`, manager(), { stageId, robotId: String(notify.id), 'prop[message]': '', 'prop[channel]': 'im' });
    expect(errorOf(missing)).toBe('Заполните обязательные поля: Текст уведомления');
    expect(robots(stageId)).toHaveLength(0);
    await postForm(`${base()}/attach`, manager(), { stageId, robotId: String(notify.id), title: 'Сообщить дилеру', 'prop[message]': 'Готовим {=Document:TITLE}', 'prop[channel]': 'email' });
    await postForm(`${base()}/attach`, manager(), { stageId, robotId: String(erp.id), 'prop[orderId]': '{=Document:ID}' });
    expect(robots(stageId)).toEqual([
      { clientId, code: 'dh_notify_dealer', properties: { message: 'Готовим {=Document:TITLE}', channel: 'email' }, title: 'Сообщить дилеру' },
      { clientId, code: 'dh_send_to_erp', properties: { orderId: '{=Document:ID}' } },
    ]);
    await postForm(`${base()}/move`, manager(), { stageId, index: '1', dir: 'up' });
    expect(robots(stageId).map((r) => r.code)).toEqual(['dh_send_to_erp', 'dh_notify_dealer']);
    const page2 = await html(`${base()}/`, manager());
    expect(page2.body.indexOf('data-robot="dh_send_to_erp"')).toBeLessThan(page2.body.indexOf('data-robot="dh_notify_dealer"'));
    await postForm(`${base()}/detach`, manager(), { stageId, index: '0' });
    expect(robots(stageId).map((r) => r.code)).toEqual(['dh_notify_dealer']);
    // The rules run: an item entering the stage gets the remaining robot, with the property resolved.
    const id = demo.itemIds[3] as number;
    await postForm(`/crm/type/${demo.entityTypeId}/details/${id}/stage`, manager(), { stageId });
    await portal.idle();
    expect(app.posts('/robot/dh_notify_dealer').at(-1)!.body.properties).toEqual({ message: 'Готовим Заказ ДЛ-1004', channel: 'email' });
    await postForm(`${base()}/detach`, manager(), { stageId, index: '0' });
    expect(robots(stageId)).toHaveLength(0);
  });
});

describe('frame commands', () => {
  let frame: RenderedFrame;
  beforeAll(async () => {
    frame = framesOf((await html(`/crm/type/${demo.entityTypeId}/details/${demo.itemIds[5]}/`, manager())).body)[0]!;
  });
  const ask = (name: string, params: unknown = '', opts: { user?: number; origin?: string; sid?: string } = {}) =>
    command(opts.user ?? manager(), { appSid: opts.sid ?? frame.sid, command: name, params: typeof params === 'string' ? params : JSON.stringify(params), origin: opts.origin ?? app.origin });

  it('when a message has an unknown APP_SID, a foreign origin or comes from another user session, then it is refused', async () => {
    expect((await ask('getInitData', '', { sid: 'not-a-frame' })).status).toBe(404);
    expect((await ask('getInitData', '', { origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await ask('getInitData', '', { origin: portal.url })).status).toBe(403);
    expect((await ask('getInitData', '', { user: portal.users.managers[1] as number })).status).toBe(403);
    expect((await ask('noSuchCommand')).status).toBe(200);
    expect(await (await ask('noSuchCommand')).json()).toEqual({ ok: false, error: 'command noSuchCommand is not supported' });
  });

  it('when the SDK asks getInitData and refreshAuth, then it gets the keys it reads with tokens of the frame user', async () => {
    const init = (await (await ask('getInitData')).json()) as { ok: true; data: Record<string, unknown> };
    expect(init.ok).toBe(true);
    expect(Object.keys(init.data)).toEqual(['DOMAIN', 'PROTOCOL', 'PATH', 'LANG', 'MEMBER_ID', 'IS_ADMIN', 'AUTH_ID', 'REFRESH_ID', 'AUTH_EXPIRES', 'APP_OPTIONS', 'USER_OPTIONS', 'PLACEMENT', 'PLACEMENT_OPTIONS', 'INSTALL', 'FIRST_RUN']);
    expect(init.data).toMatchObject({
      DOMAIN: portal.domain, PROTOCOL: 0, PATH: '/rest/', LANG: 'ru', MEMBER_ID: portal.memberId, IS_ADMIN: false, INSTALL: false,
      PLACEMENT: `CRM_DYNAMIC_${demo.entityTypeId}_DETAIL_TAB`, PLACEMENT_OPTIONS: { ID: String(demo.itemIds[5]), URI: `/crm/type/${demo.entityTypeId}/details/${demo.itemIds[5]}/` },
    });
    expect((await resultOf<{ ID: string }>(portal.clientEndpoint, 'user.current', { auth: init.data.AUTH_ID })).ID).toBe(String(manager()));
    const refreshed = (await (await ask('refreshAuth')).json()) as { data: Record<string, unknown> };
    expect(refreshed.data.AUTH_ID).not.toBe(init.data.AUTH_ID);
    expect(portal.store.accessTokens.get(refreshed.data.AUTH_ID as string)).toMatchObject({ userId: manager(), clientId });
  });

  it('when the app resizes, sets the title, scrolls or reloads, then the page gets the effect to apply', async () => {
    expect(await (await ask('resizeWindow', { width: '100%', height: 777.4 })).json()).toEqual({ ok: true, data: null, effect: { kind: 'resize', width: '100%', height: 778 } });
    expect(await (await ask('resizeWindow', { width: 640, height: 300 })).json()).toMatchObject({ effect: { kind: 'resize', width: 640, height: 300 } });
    expect(((await (await ask('resizeWindow', { width: 640, height: 0 })).json()) as FrameAnswer).ok).toBe(false);
    expect(await (await ask('setTitle', { title: 'Заказ: оплата' })).json()).toMatchObject({ ok: true, effect: { kind: 'title', title: 'Заказ: оплата' } });
    expect(await (await ask('setScroll', { scroll: 120 })).json()).toMatchObject({ effect: { kind: 'scroll', scroll: 120 } });
    expect(await (await ask('reloadWindow')).json()).toMatchObject({ effect: { kind: 'reloadFrame' } });
    expect(await (await ask('getInterface')).json()).toEqual({ ok: true, data: { command: [], event: [] } });
    expect(await (await ask('placementBindEvent', { event: 'Any::Event' })).json()).toEqual({ ok: true, data: {} });
  });

  it('when the app stores options, then user options are the user\'s, app options need an admin, and getInitData returns both', async () => {
    expect(await (await ask('setUserOption', { name: 'view', value: { compact: true } })).json()).toMatchObject({ ok: true, data: { view: { compact: true } } });
    expect(((await (await ask('setAppOption', { name: 'erp', value: '1c' })).json()) as FrameAnswer).ok).toBe(false);
    const adminFrame = framesOf((await html(`/crm/type/${demo.entityTypeId}/details/${demo.itemIds[5]}/`, admin())).body)[0]!;
    expect(await (await ask('setAppOption', { name: 'erp', value: '1c' }, { user: admin(), sid: adminFrame.sid })).json()).toMatchObject({ ok: true, data: { erp: '1c' } });
    const init = (await (await ask('getInitData')).json()) as { data: Record<string, unknown> };
    expect(init.data.APP_OPTIONS).toEqual({ erp: '1c' });
    expect(init.data.USER_OPTIONS).toEqual({ view: { compact: true } });
    expect(((await (await ask('getInitData', '', { user: admin(), sid: adminFrame.sid })).json()) as { data: Record<string, unknown> }).data.USER_OPTIONS).toEqual({});
    expect((await resultOf<Record<string, unknown>>(portal.clientEndpoint, 'app.option.get', { auth: portal.issueTokens(admin(), clientId).accessToken })).erp).toBe('1c');
  });

  it('when the app navigates, then openPath opens a portal page in a slider, foreign paths are refused, and the messenger opens a dialog', async () => {
    const path = `/crm/deal/../../crm/deal/details/${demo.dealId}/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER`;
    expect(await (await ask('openPath', { path })).json()).toEqual({ ok: true, data: { result: 'close' }, effect: { kind: 'slider', url: `/crm/deal/details/${demo.dealId}/?IFRAME=Y` }, deferReply: true });
    expect(await (await ask('openPath', { path: '//evil.example/x' })).json()).toEqual({ ok: true, data: { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' } });
    expect(await (await ask('openPath', { path: '/bitrix/admin/' })).json()).toMatchObject({ data: { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' } });
    const appId = portal.store.apps.get(clientId)!.id;
    expect(await (await ask('openApplication', { opened: true, bx24_width: 900 })).json()).toMatchObject({ effect: { kind: 'slider', url: `/marketplace/app/${appId}/?IFRAME=Y&options=${encodeURIComponent('{"opened":true,"bx24_width":900}')}` }, deferReply: true });
    expect(await (await ask('closeApplication')).json()).toMatchObject({ ok: true, effect: { kind: 'closeSlider' } });
    expect(await (await ask('imOpenMessenger', { dialogId: dealerUser() })).json()).toMatchObject({ effect: { kind: 'navigate', url: `/online/?IM_DIALOG=${dealerUser()}` } });
    // The slider page itself: the portal page without its shell.
    const slider = await html(`/crm/deal/details/${demo.dealId}/?IFRAME=Y`, manager());
    expect(slider.body).toContain('<body class="bare"');
    expect(slider.body).not.toContain('data-testid="left-menu"');
  });

  it('when the app asks for a user or CRM picker, then the page gets the choices to show and answers later', async () => {
    const users = (await (await ask('selectUser', { mult: false })).json()) as { effect: { kind: string; multiple: boolean; users: { id: string; name: string }[] }; deferReply: boolean };
    expect(users.deferReply).toBe(true);
    expect(users.effect).toMatchObject({ kind: 'pickUsers', multiple: false });
    expect(users.effect.users.find((u) => u.id === String(manager()))).toMatchObject({ name: 'Мария Соколова', position: 'Менеджер по работе с дилерами' });
    const crm = (await (await ask('selectCRM', { entityType: ['company', 'deal'], multiple: true })).json()) as { effect: { options: Record<string, { id: string; title: string }[]> } };
    expect(Object.keys(crm.effect.options)).toEqual(['company', 'deal']);
    expect(crm.effect.options.company!.find((c) => c.title === 'ООО «ТехноСнаб»')!.id).toBe(`CO_${portal.users.dealers[0]!.companyId}`);
    expect(crm.effect.options.deal!.some((d) => d.id === `D_${demo.dealId}`)).toBe(true);
  });

  it('when the first run is recorded with setInstall, then FIRST_RUN turns false for that user only', () => {
    const session = (userId: number): FrameSession => ({ clientId, userId, placement: 'DEFAULT', placementOptions: {}, appSid: 'x', lang: 'ru', face: 'http' });
    const { runtime, apps } = portal;
    const service = portal.users.service[0] as number;
    expect((answerFrameCommand(runtime, apps, session(service), 'getInitData', {}) as { data: { FIRST_RUN: boolean } }).data.FIRST_RUN).toBe(true);
    expect(answerFrameCommand(runtime, apps, session(service), 'setInstall', { install: true }).ok).toBe(true);
    expect((answerFrameCommand(runtime, apps, session(service), 'getInitData', {}) as { data: { FIRST_RUN: boolean } }).data.FIRST_RUN).toBe(false);
    expect((answerFrameCommand(runtime, apps, session(admin()), 'getInitData', {}) as { data: { FIRST_RUN: boolean } }).data.FIRST_RUN).toBe(true);
  });

  it('when a path comes from openPath, then it is normalised inside the portal', () => {
    expect(portalPath('/crm/type/0/details/0/../../../../../crm/type/1030/details/3/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER')).toBe('/crm/type/1030/details/3/?IFRAME=Y');
    expect(portalPath('https://evil.example/')).toBeNull();
    expect(portalPath('/\\evil.example')).toBeNull();
  });
});

describe('notifications', () => {
  it('when an app notifies a dealer, then the bell counts it, the page lists it and the count clears after reading', async () => {
    const token = portal.issueTokens(admin(), clientId).accessToken;
    await resultOf(portal.clientEndpoint, 'im.notify.personal.add', { auth: token, USER_ID: otherDealerUser(), MESSAGE: 'Счёт по заказу [b]ДЛ-1002[/b] выставлен' });
    const start = await html('/', otherDealerUser());
    expect(start.body).toMatch(/data-testid="bell-counter">1</);
    const list = await html('/notifications/', otherDealerUser());
    expect(list.body).toContain('Счёт по заказу <b>ДЛ-1002</b> выставлен');
    expect(list.body).not.toContain('ДЛ-1001');
    expect((await html('/', otherDealerUser())).body).not.toContain('bell-counter');
    // Another user's notifications are not shown.
    expect((await html('/notifications/', dealerUser())).body).not.toContain('ДЛ-1002');
  });
});

describe('REST from app frames and the portal host', () => {
  it('when a browser preflights and calls REST from the app origin, then CORS lets it through', async () => {
    const pre = await fetch(`${portal.clientEndpoint}user.current`, { method: 'OPTIONS', headers: { Origin: app.origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const token = portal.issueTokens(manager(), clientId).accessToken;
    const call = await fetch(`${portal.clientEndpoint}user.current?bx24_request_id=1`, { method: 'POST', headers: { Origin: app.origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ auth: token }) });
    expect(call.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await call.json()) as { result: { ID: string } }).result.ID).toBe(String(manager()));
  });

  it('when a page is asked for on another host name, then it redirects to the portal domain (frames talk to that origin)', async () => {
    // fetch() does not let a caller set Host; a raw request does.
    const port = new URL(portal.url).port;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/crm/deal/list/', headers: { Host: `localhost:${port}`, ...cookie(manager()) } }, resolve).on('error', reject);
    });
    res.resume();
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${portal.url}/crm/deal/list/`);
  });
});
