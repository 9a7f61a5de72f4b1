import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** Robots and automation rules (api-reference/bizproc/bizproc-robot/): handler POST, waiting, event.send, chaining. */
let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;
let eti: number;
let categoryId: number;
const token = () => portal.issueTokens(1, app.clientId).accessToken;
const asApp = (method: string, params: Record<string, unknown> = {}) => restCall(portal.clientEndpoint, method, { auth: token(), ...params });
const hook = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => resultOf<T>(portal.webhookUrl, method, params);
const stage = (s: string) => `DT${eti}_${categoryId}:${s}`;

async function addRobot(code: string, extra: Record<string, unknown> = {}) {
  const r = await asApp('bizproc.robot.add', {
    CODE: code,
    HANDLER: `${app.receiver.url}/robot/${code}`,
    AUTH_USER_ID: 1,
    NAME: { ru: code },
    PROPERTIES: { orderId: { Name: 'Заказ', Type: 'int', Required: 'Y' }, note: { Name: 'Примечание', Type: 'string', Default: 'по умолчанию' } },
    RETURN_PROPERTIES: { approved: { Name: 'Одобрено', Type: 'bool' } },
    DOCUMENT_TYPE: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${eti}`],
    ...extra,
  });
  expect(r.body.result, JSON.stringify(r.body)).toBe(true);
}

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal);
  const type = await hook<{ type: { entityTypeId: number } }>('crm.type.add', { fields: { title: 'Заказы', isStagesEnabled: 'Y', isAutomationEnabled: 'Y' } });
  eti = type.type.entityTypeId;
  categoryId = (await hook<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId: eti })).categories[0]!.id;
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});

describe('bizproc.robot.*', () => {
  it('when robots are added, listed, updated and deleted, then the documented answers come back', async () => {
    await addRobot('tmp_robot');
    expect((await asApp('bizproc.robot.list')).body.result).toContain('tmp_robot');
    expect((await asApp('bizproc.robot.update', { CODE: 'tmp_robot', FIELDS: { USE_SUBSCRIPTION: 'N' } })).body.result).toBe(true);
    expect(portal.store.robots.find((r) => r.code === 'tmp_robot')?.useSubscription).toBe('N');
    expect((await asApp('bizproc.robot.delete', { CODE: 'tmp_robot' })).body.result).toBe(true);
    expect((await asApp('bizproc.robot.delete', { CODE: 'tmp_robot' })).body).toEqual({ error: 'ERROR_ACTIVITY_NOT_FOUND', error_description: 'Activity or Robot not found!' });
  });

  it('when the code repeats, is empty or invalid, or the handler is on another host, then the documented validation errors answer', async () => {
    await addRobot('dup_robot');
    expect((await asApp('bizproc.robot.add', { CODE: 'dup_robot', HANDLER: `${app.receiver.url}/r`, NAME: 'x' })).body.error).toBe('ERROR_ACTIVITY_ALREADY_INSTALLED');
    expect((await asApp('bizproc.robot.add', { HANDLER: `${app.receiver.url}/r`, NAME: 'x' })).body).toEqual({ error: 'ERROR_ACTIVITY_VALIDATION_FAILURE', error_description: 'Empty activity code!' });
    expect((await asApp('bizproc.robot.add', { CODE: 'bad code!', HANDLER: `${app.receiver.url}/r`, NAME: 'x' })).body.error_description).toBe('Wrong activity code!');
    expect((await asApp('bizproc.robot.add', { CODE: 'elsewhere', HANDLER: 'https://evil.example/r', NAME: 'x' })).body.error).toBe('ERROR_WRONG_HANDLER_URL');
    expect((await asApp('bizproc.robot.add', { CODE: 'noname', HANDLER: `${app.receiver.url}/r` })).body.error_description).toBe('Empty activity NAME!');
    expect((await asApp('bizproc.robot.add', { CODE: 'props', HANDLER: `${app.receiver.url}/r`, NAME: 'x', PROPERTIES: { '1bad': { Name: 'x' } } })).body.error_description).toBe('Wrong property key 1bad!');
  });
});

describe('automation run', () => {
  it('when an item enters a stage with two robots, then the first is POSTed, the workflow waits for bizproc.event.send, and then the second runs', async () => {
    await addRobot('check_credit');
    await addRobot('notify_dealer', { USE_SUBSCRIPTION: 'N' });
    portal.automation.attach({ entityTypeId: eti, stageId: stage('NEW'), robot: 'check_credit', properties: { orderId: '{=Document:ID}' } });
    portal.automation.attach({ entityTypeId: eti, stageId: stage('NEW'), robot: 'notify_dealer', properties: { orderId: '{=Document:ID}', note: 'Заказ {=Document:TITLE}' } });
    const { item } = await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: eti, fields: { title: 'З-1' } });

    const first = await app.receiver.waitFor((r) => r.path === '/robot/check_credit' && (r.body.properties as Record<string, string>)?.orderId === String(item.id));
    expect(first.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(first.body).toMatchObject({
      code: 'check_credit',
      document_id: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${eti}_${item.id}`],
      document_type: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${eti}`],
      properties: { orderId: String(item.id), note: 'по умолчанию' },
      use_subscription: 'Y',
    });
    expect(Object.keys(first.body)).toEqual(['event_token', 'workflow_id', 'code', 'document_id', 'document_type', 'properties', 'use_subscription', 'timeout_duration', 'ts', 'auth']);
    const auth = first.body.auth as Record<string, string>;
    expect(auth).toMatchObject({ application_token: app.applicationToken, member_id: portal.memberId, domain: portal.domain, user_id: '1' });
    expect(auth.access_token).toBeTruthy();

    await portal.idle();
    let [wf] = portal.automation.log(eti, item.id);
    expect(wf?.status).toBe('waiting');
    expect(app.receiver.requests.filter((r) => r.path === '/robot/notify_dealer')).toHaveLength(0);

    const sent = await restCall(portal.clientEndpoint, 'bizproc.event.send', { auth: auth.access_token, EVENT_TOKEN: first.body.event_token, RETURN_VALUES: { approved: 'Y' }, LOG_MESSAGE: 'Кредит в норме' });
    expect(sent.body.result).toBe(true);
    const second = await app.receiver.waitFor((r) => r.path === '/robot/notify_dealer' && (r.body.properties as Record<string, string>)?.orderId === String(item.id));
    expect(second.body.properties).toEqual({ orderId: String(item.id), note: 'Заказ З-1' });
    expect(second.body.use_subscription).toBe('N');
    await portal.idle();
    [wf] = portal.automation.log(eti, item.id);
    expect(wf?.status).toBe('completed');
    expect(wf?.steps.map((s) => [s.robotCode, s.status])).toEqual([['check_credit', 'done'], ['notify_dealer', 'done']]);
    expect(wf?.steps[0]).toMatchObject({ returnValues: { approved: 'Y' }, logMessage: 'Кредит в норме' });

    const again = await restCall(portal.clientEndpoint, 'bizproc.event.send', { auth: token(), EVENT_TOKEN: first.body.event_token });
    expect(again).toEqual({ status: 403, body: { error: 'ACCESS_DENIED', error_description: 'Access denied!' } });
    expect((await restCall(portal.clientEndpoint, 'bizproc.event.send', { auth: token(), EVENT_TOKEN: 'made-up' })).status).toBe(403);
    portal.automation.detach({ entityTypeId: eti, stageId: stage('NEW') });
  });

  it('when a robot handler moves the item to the next stage itself, then that stage\'s robots start', async () => {
    await addRobot('to_approval', { USE_SUBSCRIPTION: 'N' });
    await addRobot('approve');
    portal.automation.attach({ entityTypeId: eti, stageId: stage('PREPARATION'), robot: 'to_approval', properties: { orderId: '{=Document:ID}' } });
    portal.automation.attach({ entityTypeId: eti, stageId: stage('CLIENT'), robot: 'approve', properties: { orderId: '{=Document:ID}' } });
    app.receiver.respond = async (r) => {
      if (r.path === '/robot/to_approval') {
        const a = r.body.auth as Record<string, string>;
        const id = (r.body.document_id as string[])[2]!.split('_').at(-1);
        await restCall(portal.clientEndpoint, 'crm.item.update', { auth: a.access_token, entityTypeId: eti, id, fields: { stageId: stage('CLIENT') } });
      }
      return { status: 200 };
    };
    const { item } = await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: eti, fields: { stageId: stage('PREPARATION') } });
    const approve = await app.receiver.waitFor((r) => r.path === '/robot/approve' && (r.body.properties as Record<string, string>)?.orderId === String(item.id));
    expect(approve.body.code).toBe('approve');
    const current = await hook<{ item: { stageId: string; previousStageId: string } }>('crm.item.get', { entityTypeId: eti, id: item.id });
    expect(current.item).toMatchObject({ stageId: stage('CLIENT'), previousStageId: stage('PREPARATION') });
    await portal.idle();
    expect(portal.automation.log(eti, item.id).map((w) => w.stageId)).toEqual([stage('PREPARATION'), stage('CLIENT')]);
    app.receiver.respond = () => ({ status: 200 });
  });

  it('when a robot handler answers 500, then the workflow fails at that robot and is not retried', async () => {
    await addRobot('broken', { USE_SUBSCRIPTION: 'N' });
    portal.automation.attach({ entityTypeId: eti, stageId: stage('SUCCESS'), robot: 'broken' });
    app.receiver.respond = (r) => (r.path === '/robot/broken' ? { status: 500 } : { status: 200 });
    const { item } = await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: eti, fields: { stageId: stage('SUCCESS') } });
    await portal.idle();
    const [wf] = portal.automation.log(eti, item.id);
    expect(wf).toMatchObject({ status: 'failed', steps: [{ robotCode: 'broken', status: 'failed', httpStatus: 500 }] });
    expect(app.receiver.requests.filter((r) => r.path === '/robot/broken')).toHaveLength(1);
    app.receiver.respond = () => ({ status: 200 });
  });

  it('when the rules are listed, then each stage shows its robots in order', () => {
    const rules = portal.automation.list({ entityTypeId: eti });
    expect(rules.map((r) => [r.stageId, r.robots.map((x) => x.code)])).toEqual([
      [stage('PREPARATION'), ['to_approval']],
      [stage('CLIENT'), ['approve']],
      [stage('SUCCESS'), ['broken']],
    ]);
  });
});
