import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROBOT_RUN_JOB } from '../../robots/index.js';
import { ensureWidgetsBuilt, spyOnPortalCalls, startHarness, waitFor, type Harness } from './placements-fixture.js';

/**
 * Placement and robot calls that must be refused, against the sandbox portal: each gets 403 and leaves no session and
 * no effect. A robot event delivered three times has one effect.
 */
describe('placement and robot security', () => {
  let h: Harness;
  let manager: number;
  const noSession = (text: string) => {
    expect(text).not.toContain('dh-bootstrap');
    expect(text).not.toMatch(/dh1\.[A-Za-z0-9_-]+\./);
  };

  beforeAll(async () => {
    ensureWidgetsBuilt();
    h = await startHarness();
    manager = h.portal.users.managers[0]!;
  });
  afterAll(() => h?.close());

  it('when the portal posts a genuine placement, then the widget is served (the baseline the refusals below differ from)', async () => {
    const res = await h.placementPost(manager, '/placement/cabinet', { placement: 'LEFT_MENU' });
    expect(res.status).toBe(200);
    expect(h.bootstrapOf(res).session).toMatch(/^dh1\./);
  });

  it('when DOMAIN names another host, then 403 and nothing is called there', async () => {
    const res = await h.placementPost(manager, '/placement/cabinet', { query: { DOMAIN: 'evil.example.com' } });
    expect(res.status).toBe(403);
    noSession(res.text);
    const sameHostOtherPort = await h.placementPost(manager, '/placement/cabinet', { query: { DOMAIN: '127.0.0.1:1' } });
    expect(sameHostOtherPort.status).toBe(403);
  });

  it('when member_id is not a registered portal, then 403', async () => {
    const res = await h.placementPost(manager, '/placement/cabinet', { body: { member_id: 'f'.repeat(32) } });
    expect(res.status).toBe(403);
    noSession(res.text);
  });

  it('when APPLICATION_TOKEN is wrong or missing, then 403', async () => {
    const wrong = await h.placementPost(manager, '/placement/cabinet', { body: { APPLICATION_TOKEN: 'not-the-token' } });
    const missing = await h.placementPost(manager, '/placement/cabinet', { body: { APPLICATION_TOKEN: undefined } });
    expect([wrong.status, missing.status]).toEqual([403, 403]);
    noSession(wrong.text);
    noSession(missing.text);
  });

  it('when AUTH_ID is forged, then the portal does not confirm it and it is 403', async () => {
    const res = await h.placementPost(manager, '/placement/cabinet', { accessToken: 'forged-access-token-0123456789' });
    expect(res.status).toBe(403);
    noSession(res.text);
  });

  it('when AUTH_ID has expired, then 403 (a user token is never refreshed by us)', async () => {
    const old = h.portal.issueTokens(manager);
    h.portal.faults.expireAllTokens();
    const res = await h.placementPost(manager, '/placement/cabinet', { accessToken: old.accessToken });
    expect(res.status).toBe(403);
    noSession(res.text);
    h.portal.faults.setTokenLifetime(1);
    const short = h.portal.issueTokens(manager);
    h.portal.clock.advance(2_000);
    const res2 = await h.placementPost(manager, '/placement/cabinet', { accessToken: short.accessToken });
    expect(res2.status).toBe(403);
    h.portal.faults.setTokenLifetime(3600);
  });

  it('when the same POST is replayed (same APP_SID), then the replay is 403, also with another AUTH_ID', async () => {
    const appSid = `replay-${Date.now()}`;
    const first = await h.placementPost(manager, '/placement/cabinet', { appSid });
    expect(first.status).toBe(200);
    const again = await h.placementPost(manager, '/placement/cabinet', { appSid });
    const otherToken = await h.placementPost(manager, '/placement/cabinet', { appSid, accessToken: h.portal.issueTokens(manager).accessToken });
    expect([again.status, otherToken.status]).toEqual([403, 403]);
    noSession(again.text);
    const rows = await h.t.ctx.db.sequelize.query('SELECT nonce_hash FROM placement_nonces WHERE portal_id = :p', { replacements: { p: h.portalId }, type: 'SELECT' as never });
    expect((rows as unknown[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(appSid);
  });

  it('when fields are missing, the widget is unknown or it is a GET, then a page says so with 400/404/405', async () => {
    const missing = await h.placementPost(manager, '/placement/cabinet', { body: { AUTH_ID: undefined } });
    const unknown = await h.placementPost(manager, '/placement/nope');
    const get = await request(h.server).get('/placement/cabinet');
    expect([missing.status, unknown.status, get.status]).toEqual([400, 404, 405]);
    noSession(missing.text);
  });

  it('when a card tab comes from another placement or without a card id, then 400', async () => {
    const dealer = h.portal.users.dealers[0]!;
    const dealerItem = await h.createDealer({ title: dealer.title, companyId: dealer.companyId });
    const wrong = await h.placementPost(manager, '/placement/dealer-tab', { placement: 'CRM_COMPANY_DETAIL_TAB', options: { ID: String(dealerItem) } });
    const noId = await h.placementPost(manager, '/placement/dealer-tab', { placement: `CRM_DYNAMIC_${h.sp.dealers!.entityTypeId}_DETAIL_TAB`, options: {} });
    expect([wrong.status, noId.status]).toEqual([400, 400]);
  });

  it('when the API is called without a session, with a tampered one or an expired one, then 401', async () => {
    const boot = h.bootstrapOf(await h.placementPost(manager, '/placement/cabinet'));
    const none = await request(h.server).get('/api/cabinet');
    const [p1, p2, sig] = boot.session.split('.');
    const body = JSON.parse(Buffer.from(p2!, 'base64url').toString());
    const tampered = `${p1}.${Buffer.from(JSON.stringify({ ...body, role: 'admin' })).toString('base64url')}.${sig}`;
    const forged = await h.api(tampered).get('/admin/settings');
    const { issueWidgetSession } = await import('../../server/modules/access/index.js');
    const expired = issueWidgetSession(h.t.ctx.config.app.secretKey, { portalId: h.portalId, userId: manager, role: 'manager', dealerId: null, widget: 'cabinet' }, Date.now() - 3 * 3600_000).token;
    const old = await h.api(expired).get('/cabinet');
    expect([none.status, forged.status, old.status]).toEqual([401, 401, 401]);
    expect(old.body.error.message).toMatch(/expired/);
  });

  it('when refusals and successes were logged, then no token, application token or APP_SID value is in the log', async () => {
    const tokens = h.portal.issueTokens(manager);
    const appSid = `log-check-${Date.now()}`;
    await h.placementPost(manager, '/placement/cabinet', { accessToken: tokens.accessToken, appSid });
    await h.placementPost(manager, '/placement/cabinet', { accessToken: tokens.accessToken, appSid });
    await h.placementPost(manager, '/placement/cabinet', { body: { APPLICATION_TOKEN: 'wrong-app-token-xyz' } });
    expect(h.t.logs.lines.length).toBeGreaterThan(0);
    for (const secret of [tokens.accessToken, tokens.refreshToken, h.applicationToken, 'wrong-app-token-xyz']) expect(h.t.logs.text).not.toContain(secret);
  });

  describe('robots', () => {
    let orderId: number;
    let dealerItemId: number;
    let calls: Map<string, number>;

    beforeAll(async () => {
      calls = spyOnPortalCalls(h);
      const d = h.portal.users.dealers[1]!;
      dealerItemId = await h.createDealer({ title: d.title, companyId: d.companyId, managerId: d.managerId });
      h.portal.automation.attach({ entityTypeId: h.sp.orders!.entityTypeId, stageId: h.sp.orders!.stages.approval!, robot: 'dh_request_manager_approval', properties: { comment: 'Срочно' } });
      orderId = await h.createOrder({ dealerItemId, companyId: d.companyId, number: 'SEC-1', lines: [{ name: 'Насос', price: 1000, quantity: 2 }] });
    });

    it('when a robot call carries a wrong application_token or an unknown portal, then 403 and no job', async () => {
      const before = await h.t.ctx.jobs.counts({ kinds: [ROBOT_RUN_JOB] });
      const body = {
        event_token: 'x'.repeat(40),
        workflow_id: 'wf1',
        code: 'dh_notify_dealer',
        document_id: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${h.sp.orders!.entityTypeId}_${orderId}`],
        properties: { message: 'hi' },
        auth: { member_id: h.portal.memberId, application_token: 'wrong', domain: h.portal.domain },
      };
      const wrong = await request(h.server).post('/robots/dh_notify_dealer').type('form').send(body);
      const unknown = await request(h.server).post('/robots/dh_notify_dealer').type('form').send({ ...body, auth: { member_id: 'nobody', application_token: h.applicationToken } });
      const noAuth = await request(h.server).post('/robots/dh_notify_dealer').type('form').send({ ...body, auth: undefined });
      expect([wrong.status, unknown.status, noAuth.status]).toEqual([403, 403, 403]);
      expect(await h.t.ctx.jobs.counts({ kinds: [ROBOT_RUN_JOB] })).toEqual(before);
    });

    it('when the same event_token arrives three times, then there is one job, one bizproc.event.send and one notification', async () => {
      await h.client.call('crm.item.update', { entityTypeId: h.sp.orders!.entityTypeId, id: orderId, fields: { stageId: h.sp.orders!.stages.approval } });
      await h.portal.idle();
      const delivery = await waitFor(() => h.portal.store.deliveries.all().find((d) => d.kind === 'robot' && d.event === 'dh_request_manager_approval'), 10_000, 'robot delivery');
      // The portal's own delivery was the first; two more of exactly the same POST follow.
      const replays = await Promise.all([1, 2].map(() => request(h.server).post('/robots/dh_request_manager_approval').type('form').send(delivery.body)));
      expect(replays.map((r) => [r.status, r.body.duplicate])).toEqual([[200, true], [200, true]]);
      await waitFor(async () => (await h.t.ctx.jobs.counts({ kinds: [ROBOT_RUN_JOB] })).done === 1, 10_000, 'robot job done');
      const wf = h.portal.automation.log(h.sp.orders!.entityTypeId, orderId).at(-1)!;
      await waitFor(() => wf.steps[0]!.status === 'done', 5000, 'workflow step done');
      const jobs = await h.t.ctx.jobs.list({ kind: ROBOT_RUN_JOB });
      expect(jobs.items).toHaveLength(1);
      expect(jobs.items[0]!.dedupKey).toBe(`robot:${h.portalId}:${String(delivery.body.event_token)}`);
      expect(calls.get('bizproc.event.send')).toBe(1);
      const managerId = h.portal.users.dealers[1]!.managerId;
      const notes = h.portal.store.notifications.all().filter((n) => n.toUserId === managerId && n.tag.startsWith('DEALERHUB|APPROVAL|'));
      expect(notes).toHaveLength(1);
      expect(notes[0]!.message).toContain('SEC-1');
      expect(notes[0]!.message).toContain(`/crm/type/${h.sp.orders!.entityTypeId}/details/${orderId}/`);
      expect(wf.steps[0]!.returnValues).toMatchObject({ dhResult: 'ok', managerId: `user_${managerId}` });
    });
  });
});
