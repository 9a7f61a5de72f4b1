import https from 'node:https';
import { ApiVersion, B24Hook, B24OAuth, type B24OAuthParams } from '@bitrix24/b24jssdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { startReceiver, type Receiver } from '../../sandbox/testing/receiver.js';

/**
 * The unmodified official SDK (@bitrix24/b24jssdk) against the sandbox: B24Hook over HTTPS (trusting the portal's own
 * certificate, verification stays on) and B24OAuth refreshing on expired_token through the sandbox OAuth server.
 */
let portal: SandboxPortal;
let agent: https.Agent;

beforeAll(async () => {
  portal = await startSandboxPortal();
  agent = new https.Agent({ ca: portal.caCertPem as string });
});
afterAll(() => portal.close());

/** B24Hook validated the URL itself (HTTPS, numeric user id); we only hand its axios client our CA. */
function hook(): B24Hook {
  const b24 = B24Hook.fromWebhookUrl(portal.httpsWebhookUrl as string);
  b24.getHttpClient(ApiVersion.v2).ajaxClient.defaults.httpsAgent = agent;
  return b24;
}

describe('B24Hook over HTTPS', () => {
  it('when the webhook URL of the HTTPS face is used, then call.make answers with the portal user', async () => {
    const b24 = hook();
    const answer = await b24.actions.v2.call.make<{ ID: string; USER_TYPE: string }>({ method: 'user.current' });
    expect(answer.isSuccess).toBe(true);
    expect(answer.getData()?.result).toMatchObject({ ID: '1', USER_TYPE: 'employee' });
    expect(answer.getData()?.time).toMatchObject({ operating_reset_at: expect.any(Number), operating: expect.any(Number) });
  });

  it('when the CA is not trusted, then the TLS handshake fails instead of being skipped', async () => {
    const b24 = B24Hook.fromWebhookUrl(portal.httpsWebhookUrl as string, { restrictionParams: { maxRetries: 1 } });
    await expect(b24.actions.v2.call.make({ method: 'profile' })).rejects.toThrow();
  });

  it('when batch.make sends named commands with $result references, then each answer is an AjaxResult and the references resolve', async () => {
    const b24 = hook();
    const type = await b24.actions.v2.call.make<{ type: { entityTypeId: number } }>({ method: 'crm.type.add', params: { fields: { title: 'SDK', isStagesEnabled: 'Y' } } });
    const eti = type.getData()!.result.type.entityTypeId;
    const response = await b24.actions.v2.batch.make({
      calls: {
        add: { method: 'crm.item.add', params: { entityTypeId: eti, fields: { title: 'Через SDK' } } },
        get: { method: 'crm.item.get', params: { entityTypeId: eti, id: '$result[add][item][id]' } },
        comment: { method: 'crm.timeline.comment.add', params: { fields: { ENTITY_TYPE: `dynamic_${eti}`, ENTITY_ID: '$result[add][item][id]', COMMENT: 'из batch' } } },
      },
      options: { isHaltOnError: true, returnAjaxResult: true },
    });
    expect(response.isSuccess).toBe(true);
    const data = response.getData() as unknown as Record<string, { getData(): { result: { item: { id: number; title: string } } } }>;
    const added = data.add!.getData().result.item;
    expect(data.get!.getData().result.item).toMatchObject({ id: added.id, title: 'Через SDK' });
    expect(portal.store.timelineComments.find((c) => c.entityId === added.id)?.comment).toBe('из batch');
  });

  it('when callList and fetchList page crm.item.list by id, then every item comes back exactly once', async () => {
    const b24 = hook();
    const type = await b24.actions.v2.call.make<{ type: { entityTypeId: number } }>({ method: 'crm.type.add', params: { fields: { title: 'Много' } } });
    const eti = type.getData()!.result.type.entityTypeId;
    for (let chunk = 0; chunk < 3; chunk++) {
      const calls = Array.from({ length: 40 }, (_, i) => ({ method: 'crm.item.add', params: { entityTypeId: eti, fields: { title: `№${chunk * 40 + i}` } } }));
      const r = await b24.actions.v2.batch.make({ calls, options: { isHaltOnError: true } });
      expect(r.isSuccess).toBe(true);
    }
    const all = await b24.actions.v2.callList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: eti, select: ['id', 'title'] },
      idKey: 'id',
      customKeyForResult: 'items',
    });
    expect(all.isSuccess).toBe(true);
    const ids = all.getData()!.map((i) => i.id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);

    let pages = 0;
    let rows = 0;
    for await (const page of b24.actions.v2.fetchList.make<{ id: number }>({ method: 'crm.item.list', params: { entityTypeId: eti, select: ['id'] }, idKey: 'id', customKeyForResult: 'items' })) {
      pages++;
      rows += page.length;
    }
    expect({ pages, rows }).toEqual({ pages: 3, rows: 120 });
  });

  it('when a method answers a documented error, then the SDK surfaces its code', async () => {
    const b24 = hook();
    await expect(b24.actions.v2.call.make({ method: 'crm.item.get', params: { entityTypeId: 4242, id: 1 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('B24OAuth with the sandbox OAuth server', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('when the access token has expired, then the SDK refreshes it once at the sandbox token endpoint and retries', async () => {
    const clientId = 'local.sdk00000000.00000001';
    const clientSecret = 'sdk-client-secret';
    portal.registerApp({ clientId, clientSecret, appUrl: `${receiver.url}/app`, installUrl: `${receiver.url}/install`, scope: ['crm', 'user'] });
    const install = await portal.install({ clientId, https: true });
    portal.markInstallFinished(clientId);
    const page = await receiver.waitFor((r) => r.path === '/install');
    expect(page.query.PROTOCOL).toBe('1');

    const params: B24OAuthParams = {
      applicationToken: install.applicationToken,
      userId: 1,
      memberId: portal.memberId,
      accessToken: page.body.AUTH_ID as string,
      refreshToken: page.body.REFRESH_ID as string,
      expires: Math.floor(Date.now() / 1000) + 3600,
      expiresIn: 3600,
      scope: page.body.APPLICATION_SCOPE as string,
      domain: page.query.DOMAIN as string,
      clientEndpoint: `https://${page.query.DOMAIN as string}/rest/`,
      serverEndpoint: page.body.SERVER_ENDPOINT as string,
      status: 'L',
    };
    const b24 = new B24OAuth(params, { clientId, clientSecret });
    b24.getHttpClient(ApiVersion.v2).ajaxClient.defaults.httpsAgent = agent;
    const refreshed: string[] = [];
    b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => {
      refreshed.push(b24OAuthParams.refreshToken);
    });

    const before = await b24.actions.v2.call.make<{ ID: string }>({ method: 'user.current' });
    expect(before.getData()?.result.ID).toBe('1');

    portal.faults.expireAllTokens();
    const after = await b24.actions.v2.call.make<{ ID: string }>({ method: 'user.current' });
    expect(after.getData()?.result.ID).toBe('1');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(params.refreshToken);
    // The SDK's old refresh token is spent: the server rotated it.
    expect(portal.store.refreshTokens.get(page.body.REFRESH_ID as string)).toBeUndefined();
    expect(portal.store.refreshTokens.get(refreshed[0] as string)).toBeDefined();
  });
});
