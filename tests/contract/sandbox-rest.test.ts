import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import type { Receiver } from '../../sandbox/testing/receiver.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** The REST core of the sandbox portal on the wire: paths, envelope, auth and the documented error answers. */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;
let receiver: Receiver;

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal);
  receiver = app.receiver;
});
afterAll(async () => {
  await receiver.close();
  await portal.close();
});

/** A fresh admin token of the test app (other tests move the clock). */
const token = () => portal.issueTokens(1, app.clientId).accessToken;

const TIME_KEYS = ['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating_reset_at', 'operating'];

describe('envelope', () => {
  it('when a method succeeds, then the answer is {result, time} with every documented time key', async () => {
    const { status, body } = await restCall(portal.webhookUrl, 'server.time');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['result', 'time']);
    expect(Object.keys(body.time as object)).toEqual(TIME_KEYS);
    const time = body.time as Record<string, unknown>;
    expect(typeof time.start).toBe('number');
    expect(time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(body.result).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it('when a list method answers, then total and next sit at the top level next to result', async () => {
    const { body } = await restCall(portal.webhookUrl, 'user.get', {});
    expect(Object.keys(body)).toEqual(['result', 'total', 'time']);
    expect(body.total).toBe((body.result as unknown[]).length);
  });
});

describe('paths', () => {
  const base = () => portal.url;
  it.each([
    ['/rest/user.current.json?auth=TOKEN'],
    ['/rest/user.current?auth=TOKEN'],
    ['/rest//user.current?auth=TOKEN'],
    ['/rest/USER.CURRENT.json?auth=TOKEN'],
  ])('when the app calls %s, then the method runs', async (path) => {
    const res = await fetch(base() + path.replace('TOKEN', token()));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { ID: string } }).result.ID).toBe('1');
  });

  it('when a webhook path has or lacks .json, then both work', async () => {
    const secret = portal.webhookUrl.split('/').at(-2);
    for (const suffix of ['', '.json']) {
      const res = await fetch(`${portal.url}/rest/1/${secret}/profile${suffix}`);
      expect(res.status).toBe(200);
    }
  });
});

describe('auth', () => {
  it('when the token comes as auth in the body, access_token, or a Bearer header, then the call is authorised', async () => {
    const viaBody = await restCall(portal.clientEndpoint, 'profile', { auth: token() });
    const viaAccessToken = await restCall(portal.clientEndpoint, 'profile', { access_token: token() }, 'get');
    const viaHeader = await restCall(portal.clientEndpoint, 'profile', {}, 'json', { Authorization: `Bearer ${token()}` });
    for (const r of [viaBody, viaAccessToken, viaHeader]) expect(r.status).toBe(200);
  });

  it('when no auth is given, then 401 NO_AUTH_FOUND', async () => {
    const r = await restCall(portal.clientEndpoint, 'profile');
    expect(r).toEqual({ status: 401, body: { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' } });
  });

  it('when the token is unknown, then 401 invalid_token; when it has expired, then 401 expired_token', async () => {
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: 'nope' })).body.error).toBe('invalid_token');
    const t = portal.issueTokens(1, app.clientId);
    portal.clock.advance(3600_000 + 1);
    const r = await restCall(portal.clientEndpoint, 'profile', { auth: t.accessToken });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('expired_token');
  });

  it('when the webhook secret is wrong, then 401 INVALID_CREDENTIALS', async () => {
    const r = await restCall(`${portal.url}/rest/1/wrongsecret/`, 'profile');
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('INVALID_CREDENTIALS');
  });

  it('when the method does not exist, then 404 ERROR_METHOD_NOT_FOUND even without auth', async () => {
    expect(await restCall(portal.clientEndpoint, 'no.such.method')).toEqual({
      status: 404,
      body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
    });
  });

  it('when a webhook lacks the scope, then 403 insufficient_scope; global methods still work', async () => {
    const hook = portal.createWebhook({ userId: 1, scope: ['user'] });
    expect((await restCall(hook.url, 'crm.company.list')).status).toBe(403);
    expect((await restCall(hook.url, 'crm.company.list')).body.error).toBe('insufficient_scope');
    expect((await restCall(hook.url, 'user.current')).status).toBe(200);
    expect((await restCall(hook.url, 'scope')).body.result).toEqual(['user']);
  });

  it('when an extranet user calls any crm.* method, then 403 allowed_only_intranet_user; user.current still works', async () => {
    const dealerUser = portal.users.extranet[0] as number;
    const t = portal.issueTokens(dealerUser, app.clientId);
    for (const method of ['crm.item.list', 'crm.company.get', 'crm.type.list', 'crm.status.list', 'crm.item.productrow.list']) {
      const r = await restCall(portal.clientEndpoint, method, { auth: t.accessToken, entityTypeId: 2, id: 1 });
      expect(r, method).toEqual({ status: 403, body: { error: 'allowed_only_intranet_user', error_description: 'Action is allowed only for intranet users' } });
    }
    const me = await restCall(portal.clientEndpoint, 'user.current', { auth: t.accessToken });
    expect((me.body.result as { USER_TYPE: string }).USER_TYPE).toBe('extranet');
  });

  it('when placement.bind is called with a webhook, then 403 WRONG_AUTH_TYPE; event.bind and robots answer ACCESS_DENIED', async () => {
    const p = await restCall(portal.webhookUrl, 'placement.bind', { PLACEMENT: 'LEFT_MENU', HANDLER: 'https://x.example/' });
    expect(p.status).toBe(403);
    expect(p.body.error).toBe('WRONG_AUTH_TYPE');
    for (const method of ['event.bind', 'bizproc.robot.add', 'bizproc.robot.list']) {
      const r = await restCall(portal.webhookUrl, method, { event: 'ONCRMCOMPANYADD', handler: 'https://x.example/' });
      expect(r.status, method).toBe(403);
      expect(r.body, method).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' });
    }
  });

  it('when a non-admin calls placement.bind with the app, then 403 ACCESS_DENIED', async () => {
    const t = portal.issueTokens(portal.users.managers[0] as number, app.clientId);
    const r = await restCall(portal.clientEndpoint, 'placement.bind', { auth: t.accessToken, PLACEMENT: 'LEFT_MENU', HANDLER: `${receiver.url}/p` });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('ACCESS_DENIED');
  });
});

describe('body formats', () => {
  it('when the same item is sent as JSON, as a PHP-style form and as a GET query, then all three store the same fields', async () => {
    const type = await resultOf<{ type: { entityTypeId: number } }>(portal.webhookUrl, 'crm.type.add', { fields: { title: 'Форматы', isClientEnabled: 'Y', isObserversEnabled: 'Y' } });
    const eti = type.type.entityTypeId;
    const fields = { title: 'Заказ & Ко', companyId: 2, observers: [2, 3] };
    const titles: string[] = [];
    for (const encoding of ['json', 'form', 'get'] as const) {
      const r = await restCall(portal.webhookUrl, 'crm.item.add', { entityTypeId: eti, fields }, encoding);
      expect(r.status, encoding).toBe(200);
      const item = (r.body.result as { item: Record<string, unknown> }).item;
      expect(item.companyId).toBe(2);
      expect(item.observers).toEqual([2, 3]);
      titles.push(item.title as string);
    }
    expect(titles).toEqual(['Заказ & Ко', 'Заказ & Ко', 'Заказ & Ко']);
  });

  it('when a multipart form is posted, then its fields are read like a form', async () => {
    const form = new FormData();
    form.append('fields[TITLE]', 'ООО «Мультипарт»');
    const res = await fetch(`${portal.webhookUrl}crm.company.add`, { method: 'POST', body: form });
    const id = ((await res.json()) as { result: number }).result;
    const company = await resultOf<{ TITLE: string }>(portal.webhookUrl, 'crm.company.get', { id });
    expect(company.TITLE).toBe('ООО «Мультипарт»');
  });

  it('when the JSON body is broken, then 400 with an error code', async () => {
    const res = await fetch(`${portal.webhookUrl}profile`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
  });
});

describe('documented quirks', () => {
  it('when userfieldconfig fails, then error is the empty string with the reason in error_description', async () => {
    const r = await restCall(portal.webhookUrl, 'userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_999', fieldName: 'UF_CRM_999_X', userTypeId: 'string' } });
    expect(r).toEqual({ status: 400, body: { error: '', error_description: 'You cannot create custom fields' } });
  });

  it('when placement.bind lacks PLACEMENT, then ERROR_ARGUMENT comes with HTTP 200 and the argument name', async () => {
    const r = await restCall(portal.clientEndpoint, 'placement.bind', { auth: token(), HANDLER: `${receiver.url}/p` });
    expect(r).toEqual({ status: 200, body: { error: 'ERROR_ARGUMENT', error_description: "Argument 'PLACEMENT' is null or empty", argument: 'PLACEMENT' } });
  });

  it('when app.info is called by the app, then INSTALLED reflects installFinish; a webhook gets SCOPE and LICENSE', async () => {
    const info = await restCall(portal.clientEndpoint, 'app.info', { auth: token() });
    expect(info.body.result).toMatchObject({ CODE: app.clientId, INSTALLED: true, STATUS: 'L', VERSION: 1 });
    const hook = await resultOf<Record<string, unknown>>(portal.webhookUrl, 'app.info');
    expect(Object.keys(hook)).toEqual(['SCOPE', 'LICENSE']);
  });
});
