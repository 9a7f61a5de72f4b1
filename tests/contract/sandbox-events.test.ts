import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import type { ReceivedRequest } from '../../sandbox/testing/receiver.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** Event binding and delivery (api-reference/events/): form-urlencoded POSTs with application_token, once. */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;
let eti: number;
const token = () => portal.issueTokens(1, app.clientId).accessToken;
const asApp = (method: string, params: Record<string, unknown> = {}) => restCall(portal.clientEndpoint, method, { auth: token(), ...params });
const hook = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => resultOf<T>(portal.webhookUrl, method, params);

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal);
  eti = (await hook<{ type: { entityTypeId: number } }>('crm.type.add', { fields: { title: 'События', isStagesEnabled: 'Y' } })).type.entityTypeId;
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});

const byEvent = (event: string, id?: number) => (r: ReceivedRequest) =>
  r.body.event === event && (id === undefined || ((r.body.data as { FIELDS?: { ID?: string } })?.FIELDS?.ID === String(id)));

describe('event.bind / get / unbind / events', () => {
  it('when handlers are bound, then event.get lists them and a duplicate answers ERROR_HANDLER_ALREADY_EXIST', async () => {
    expect((await asApp('event.bind', { event: 'onCrmCompanyAdd', handler: `${app.receiver.url}/company` })).body.result).toBe(true);
    expect((await asApp('event.bind', { event: 'ONCRMCOMPANYADD', handler: `${app.receiver.url}/company` })).body).toEqual({ error: 'ERROR_HANDLER_ALREADY_EXIST', error_description: 'Handler already exists!' });
    const list = (await asApp('event.get')).body.result as Record<string, unknown>[];
    expect(list).toContainEqual({ event: 'ONCRMCOMPANYADD', handler: `${app.receiver.url}/company`, auth_type: '0', offline: 0 });
  });

  it('when the event name is unknown, then 400 ERROR_EVENT_NOT_FOUND; per-type dynamic events exist for each smart process', async () => {
    expect((await asApp('event.bind', { event: 'ONNOTHING', handler: `${app.receiver.url}/x` })).body.error).toBe('ERROR_EVENT_NOT_FOUND');
    const events = (await asApp('events')).body.result as string[];
    expect(events).toEqual(expect.arrayContaining(['ONCRMDYNAMICITEMADD', `ONCRMDYNAMICITEMADD_${eti}`, 'ONAPPUNINSTALL']));
  });

  it('when a non-admin binds an offline event or another user\'s handler, then 403 ACCESS_DENIED', async () => {
    const t = portal.issueTokens(portal.users.managers[0] as number, app.clientId).accessToken;
    const offline = await restCall(portal.clientEndpoint, 'event.bind', { auth: t, event: 'ONCRMCOMPANYADD', event_type: 'offline' });
    expect(offline).toEqual({ status: 403, body: { error: 'ACCESS_DENIED', error_description: 'Access denied! Offline events binding requires administrator access rights' } });
    const other = await restCall(portal.clientEndpoint, 'event.bind', { auth: t, event: 'ONCRMCOMPANYADD', handler: `${app.receiver.url}/x`, auth_type: 1 });
    expect(other.body.error_description).toBe('Access denied! Event binding with AUTH_TYPE requires administrator access rights');
  });

  it('when a handler is unbound, then the count of removed handlers is returned', async () => {
    await asApp('event.bind', { event: 'ONCRMCONTACTDELETE', handler: `${app.receiver.url}/gone` });
    expect((await asApp('event.unbind', { event: 'ONCRMCONTACTDELETE', handler: `${app.receiver.url}/gone` })).body.result).toEqual({ count: 1 });
  });
});

describe('delivery', () => {
  it('when a smart-process item is added, updated and deleted, then the general and per-type events arrive with the documented form body', async () => {
    await asApp('event.bind', { event: 'ONCRMDYNAMICITEMADD', handler: `${app.receiver.url}/dyn` });
    await asApp('event.bind', { event: `ONCRMDYNAMICITEMUPDATE_${eti}`, handler: `${app.receiver.url}/dyn-type` });
    await asApp('event.bind', { event: 'ONCRMDYNAMICITEMDELETE', handler: `${app.receiver.url}/dyn` });
    const { item } = await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: eti, fields: { title: 'e' } });
    const added = await app.receiver.waitFor(byEvent('ONCRMDYNAMICITEMADD', item.id));
    expect(added.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(added.rawBody).toContain('data%5BFIELDS%5D%5BID%5D=');
    expect(Object.keys(added.body)).toEqual(['event', 'event_handler_id', 'data', 'ts', 'auth']);
    expect(added.body.data).toEqual({ FIELDS: { ID: String(item.id), ENTITY_TYPE_ID: String(eti) } });
    const auth = added.body.auth as Record<string, string>;
    expect(Object.keys(auth)).toEqual(['access_token', 'expires_in', 'scope', 'domain', 'server_endpoint', 'status', 'client_endpoint', 'member_id', 'application_token']);
    expect(auth).toMatchObject({ application_token: app.applicationToken, domain: portal.domain, member_id: portal.memberId, client_endpoint: portal.clientEndpoint, server_endpoint: portal.serverEndpoint });
    // The token belongs to the user who made the change (the webhook's admin).
    const me = await restCall(portal.clientEndpoint, 'user.current', { auth: auth.access_token });
    expect((me.body.result as { ID: string }).ID).toBe('1');

    await hook('crm.item.update', { entityTypeId: eti, id: item.id, fields: { title: 'e2' } });
    const updated = await app.receiver.waitFor(byEvent(`ONCRMDYNAMICITEMUPDATE_${eti}`, item.id));
    expect(updated.path).toBe('/dyn-type');
    await hook('crm.item.delete', { entityTypeId: eti, id: item.id });
    await app.receiver.waitFor(byEvent('ONCRMDYNAMICITEMDELETE', item.id));
  });

  it('when a company or contact changes, then ONCRMCOMPANY… / ONCRMCONTACT… arrive with data[FIELDS][ID]', async () => {
    await asApp('event.bind', { event: 'ONCRMCONTACTUPDATE', handler: `${app.receiver.url}/contact` });
    const id = await hook<number>('crm.company.add', { fields: { TITLE: 'ООО «Событие»' } });
    const company = await app.receiver.waitFor(byEvent('ONCRMCOMPANYADD', id));
    expect(company.body.data).toEqual({ FIELDS: { ID: String(id) } });
    await hook('crm.contact.update', { id: 1, fields: { POST: 'Закупщик' } });
    await app.receiver.waitFor(byEvent('ONCRMCONTACTUPDATE', 1));
  });

  it('when the app has not finished installation, then no events are delivered', async () => {
    const pending = await installTestApp(portal, { finish: false });
    try {
      const t = portal.issueTokens(1, pending.clientId).accessToken;
      await restCall(portal.clientEndpoint, 'event.bind', { auth: t, event: 'ONCRMCOMPANYADD', handler: `${pending.receiver.url}/c` });
      await hook('crm.company.add', { fields: { TITLE: 'Тихо' } });
      await portal.idle();
      expect(pending.receiver.requests.filter((r) => r.path === '/c')).toHaveLength(0);
      portal.markInstallFinished(pending.clientId);
      await hook('crm.company.add', { fields: { TITLE: 'Громко' } });
      await pending.receiver.waitFor((r) => r.path === '/c');
    } finally {
      await pending.receiver.close();
    }
  });

  it('when a delivery is dropped or the handler fails, then it is not retried and the delivery log says so', async () => {
    portal.faults.dropEvents(1);
    const dropped = await hook<number>('crm.company.add', { fields: { TITLE: 'Потеряно' } });
    await portal.idle();
    expect(app.receiver.requests.filter(byEvent('ONCRMCOMPANYADD', dropped))).toHaveLength(0);
    expect(portal.store.deliveries.filter((d) => d.event === 'ONCRMCOMPANYADD' && d.status === 'dropped')).toHaveLength(1);

    app.receiver.respond = (r) => (r.body.event === 'ONCRMCOMPANYADD' ? { status: 500 } : { status: 200 });
    const failed = await hook<number>('crm.company.add', { fields: { TITLE: 'Ошибка' } });
    await app.receiver.waitFor(byEvent('ONCRMCOMPANYADD', failed));
    await portal.idle();
    expect(app.receiver.requests.filter(byEvent('ONCRMCOMPANYADD', failed))).toHaveLength(1);
    expect(portal.store.deliveries.find((d) => (d.body.data as { FIELDS: { ID: string } }).FIELDS?.ID === String(failed) && d.event === 'ONCRMCOMPANYADD')?.status).toBe('failed');
    app.receiver.respond = () => ({ status: 200 });
  });
});
