import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { answerFrameCommand, type FrameSession } from '../../sandbox/ui/frame-protocol.js';
import { restCall } from '../../sandbox/testing/rest-call.js';

/** The portal's page layer and the server side of the frame protocol (the seam the browser part plugs into). */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal, { finish: false });
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});

describe('pages', () => {
  it('when a user is picked in the switcher, then the cookie names them and the start page greets them', async () => {
    const manager = portal.store.users.get(portal.users.managers[0] as number)!;
    const res = await fetch(`${portal.url}/_ui/switch-user?id=${manager.ID}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${portal.url}/`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain(`${manager.NAME} ${manager.LAST_NAME}`);
  });
});

describe('frame protocol seam', () => {
  const session = (userId: number): FrameSession => ({ clientId: app.clientId, userId, placement: 'DEFAULT', placementOptions: {}, appSid: 'sid', lang: 'ru', face: 'http' });

  it('when the install frame asks getInitData, then it gets the documented keys with working tokens and INSTALL=true', async () => {
    const { runtime, apps } = portal;
    const answer = answerFrameCommand(runtime, apps, session(1), 'getInitData', {});
    expect(answer.ok).toBe(true);
    const data = (answer as { data: Record<string, unknown> }).data;
    expect(Object.keys(data)).toEqual(['DOMAIN', 'PROTOCOL', 'PATH', 'LANG', 'MEMBER_ID', 'IS_ADMIN', 'AUTH_ID', 'REFRESH_ID', 'AUTH_EXPIRES', 'APP_OPTIONS', 'USER_OPTIONS', 'PLACEMENT', 'PLACEMENT_OPTIONS', 'INSTALL', 'FIRST_RUN']);
    expect(data).toMatchObject({ DOMAIN: portal.domain, MEMBER_ID: portal.memberId, IS_ADMIN: true, INSTALL: true });
    expect((await restCall(portal.clientEndpoint, 'profile', { auth: data.AUTH_ID as string })).status).toBe(200);
  });

  it('when a non-admin sends setInstallFinish, then it is refused; the admin\'s call marks the app installed', () => {
    const { runtime, apps } = portal;
    expect(answerFrameCommand(runtime, apps, session(portal.users.managers[0] as number), 'setInstallFinish', {}).ok).toBe(false);
    expect(portal.store.apps.get(app.clientId)?.installed).toBe(false);
    expect(answerFrameCommand(runtime, apps, session(1), 'setInstallFinish', {}).ok).toBe(true);
    expect(portal.store.apps.get(app.clientId)?.installed).toBe(true);
  });
});
