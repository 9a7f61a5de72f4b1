import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { B24Error, type B24Client } from '../../server/bitrix24/index.js';
import { resultOf } from '../../sandbox/testing/rest-call.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { ROBOT_DEFINITIONS } from '../../robots/definitions.js';
import { InstallerError } from '../../installer/installer-error.js';
import { readRecord } from '../../installer/installer-record.js';
import { readInstalled } from '../../installer/installed.js';
import { MANIFEST, type Manifest } from '../../installer/manifest.js';
import { formatPlan } from '../../installer/reconcile/format-plan.js';
import { reconcile } from '../../installer/reconcile/reconcile.js';
import { uninstall } from '../../installer/reconcile/uninstall.js';
import { registerTenant, snapshotPortal, startSandboxWithApp } from '../../installer/testing/sandbox-tenant.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

/**
 * The reconciler against the sandbox portal (DESIGN.md §4 Install): a fresh install creates the documented shapes, a
 * re-run writes nothing, a new manifest version upgrades in place, a failed run resumes, uninstall removes only what
 * DealerHub created.
 */
type App = Awaited<ReturnType<typeof startSandboxWithApp>>;

interface Env {
  app: App;
  t: TestContext;
  portalId: number;
  /** The app's own REST client (placement.*, event.*, bizproc.* need application context). */
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** The admin's webhook: what a person does on the portal. */
  hook<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  run(opts?: { manifest?: Manifest; dryRun?: boolean }): ReturnType<typeof reconcile>;
  settings(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function startEnv(opts: { databaseUrl?: string } = {}): Promise<Env> {
  const app = await startSandboxWithApp();
  const t = await createTestContext({
    APP_CLIENT_ID: app.clientId,
    APP_CLIENT_SECRET: app.clientSecret,
    B24_OAUTH_SERVERS: app.sandbox.serverEndpoint,
    LOG_LEVEL: 'warn',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
  });
  const portalId = await registerTenant(t.ctx, app);
  const client = t.ctx.b24.forPortal(portalId);
  return {
    app,
    t,
    portalId,
    call: (method, params = {}) => client.call(method, params),
    hook: (method, params = {}) => resultOf(app.sandbox.webhookUrl, method, params),
    run: (opts = {}) => reconcile({ ctx: t.ctx, portalId, publicUrl: app.publicUrl, ...opts }),
    settings: async () => (await t.ctx.portals.findById(portalId))!.settings,
    async close() {
      await t.close();
      await app.close();
    },
  };
}

type TypeAnswer = { type: Record<string, unknown> & { id: number; entityTypeId: number; relations: { parent: Array<{ entityTypeId: number; isChildrenListEnabled: string }> } } };
type FieldAnswer = { id: string; fieldName: string; userTypeId: string; multiple: string; mandatory: string; editFormLabel: Record<string, string>; settings: Record<string, unknown> };
type StatusRow = { ID: string; STATUS_ID: string; NAME: string; SORT: string; SEMANTICS: string | null; COLOR: string };

/** Manifest v2 for the upgrade: one more field and one more stage on Orders. */
function manifestV2(): Manifest {
  return {
    ...MANIFEST,
    version: MANIFEST.version + 1,
    smartProcesses: MANIFEST.smartProcesses.map((sp) =>
      sp.key !== 'orders'
        ? sp
        : {
            ...sp,
            fields: [...sp.fields, { key: 'trackingNumber', code: 'TRACKING', type: 'string' as const, label: { ru: 'Трек-номер', en: 'Tracking number' } }],
            stages: [
              ...sp.stages.slice(0, 7),
              { key: 'packed', code: 'PACKED', name: { ru: 'Собран', en: 'Packed' }, semantics: 'P' as const, color: '#B0B0B0' },
              ...sp.stages.slice(7),
            ],
          },
    ),
  };
}

describe('installer reconcile: fresh portal, re-run, upgrade', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => env?.close());

  it('when a dry run plans a fresh portal, then it lists every change in both languages and writes nothing', async () => {
    const before = snapshotPortal(env.app.sandbox, env.app.clientId);
    const result = await env.run({ dryRun: true });
    expect(result.status).toBe('planned');
    expect(result.writes).toBe(0);
    expect(result.hits).toBe(1);
    expect(snapshotPortal(env.app.sandbox, env.app.clientId)).toBe(before);
    expect(await env.settings()).toEqual({});
    const kinds = (k: string) => result.plan.filter((o) => o.kind === k).length;
    expect(kinds('createType')).toBe(5);
    expect(kinds('addField')).toBe(MANIFEST.smartProcesses.reduce((n, s) => n + s.fields.length, 0));
    expect(kinds('addRobot')).toBe(ROBOT_DEFINITIONS.length);
    expect(kinds('bindEvent')).toBe(MANIFEST.events.length);
    const ru = formatPlan(result.plan, result.notices, 'ru');
    const en = formatPlan(result.plan, result.notices, 'en');
    expect(ru).toContain('+ Создать смарт-процесс «Заказы дилеров» / «Dealer orders» [orders], дочерний для: dealers');
    expect(ru).toMatch(/\+ Добавить поле «Номер в ERP» \/ «ERP number» UF_CRM_\?_ERP_NUMBER \(string\) в \[orders\]\s+\(после создания смарт-процесса\)/);
    expect(en).toContain('+ Bind event ONCRMDYNAMICITEMUPDATE');
    expect(en).toContain('CRM_DYNAMIC_<orders>_DETAIL_TAB');
  });

  it('when the portal is reconciled the first time, then the five smart processes exist with the documented shapes', async () => {
    const result = await env.run();
    expect(result.failed).toEqual([]);
    expect(result.status).toBe('done');
    expect(result.remaining).toEqual([]);
    // read → types with their pipelines (one batch) → everything that needs their ids (50 per batch).
    expect(result.hits).toBe(4);

    const installed = readInstalled(await env.settings());
    expect(installed.manifestVersion).toBe(MANIFEST.version);
    const { types } = await env.call<{ types: Array<{ id: number; code: string }> }>('crm.type.list');
    expect(types.map((t) => t.code).sort()).toEqual(['dealerhub_claims', 'dealerhub_dealers', 'dealerhub_discounts', 'dealerhub_offers', 'dealerhub_orders']);

    for (const spec of MANIFEST.smartProcesses) {
      const sp = installed.smartProcess(spec.key);
      const { type } = await env.call<TypeAnswer>('crm.type.get', { id: sp.typeId });
      expect(type.entityTypeId).toBe(sp.entityTypeId);
      expect(type.title).toBe(spec.title.ru);
      for (const [flag, on] of Object.entries(spec.flags)) expect([spec.key, flag, type[flag]]).toEqual([spec.key, flag, on ? 'Y' : 'N']);
      const parents = type.relations.parent.map((r) => r.entityTypeId);
      for (const p of spec.parents) expect(parents).toContain(installed.entityTypeIds[p]);

      const { fields } = await env.call<{ fields: FieldAnswer[] }>('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${sp.typeId}` } });
      expect(fields.map((f) => f.fieldName).sort()).toEqual(spec.fields.map((f) => `UF_CRM_${sp.typeId}_${f.code}`).sort());
      for (const f of spec.fields) {
        const row = fields.find((x) => x.fieldName === sp.field(f.key).upperName)!;
        expect(row.editFormLabel).toMatchObject({ ru: f.label.ru, en: f.label.en });
        expect(row.multiple).toBe(f.multiple ? 'Y' : 'N');
        expect(row.mandatory).toBe(f.mandatory ? 'Y' : 'N');
        if (f.type === 'enumeration') {
          const { field } = await env.call<{ field: { enum: Array<{ xmlId: string; value: string; def: string }> } }>('userfieldconfig.get', { moduleId: 'crm', id: row.id });
          expect(field.enum.map((e) => [e.xmlId, e.value, e.def])).toEqual(f.options!.map((o) => [o.xmlId, o.label.ru, o.def ? 'Y' : 'N']));
        }
        if (f.type === 'crm') for (const link of f.links!) expect(row.settings[link === 'COMPANY' ? 'COMPANY' : `DYNAMIC_${installed.entityTypeIds[link as 'dealers']}`]).toBe('Y');
      }

      if (spec.stages.length) {
        const stages = await env.call<StatusRow[]>('crm.status.list', { filter: { ENTITY_ID: sp.stageEntityId }, order: { SORT: 'ASC' } });
        const ours = stages.filter((s) => installed.smartProcess(spec.key).stageKey(s.STATUS_ID));
        expect(ours.map((s) => sp.stageKey(s.STATUS_ID))).toEqual(spec.stages.map((s) => s.key));
        expect(ours.map((s) => s.NAME)).toEqual(spec.stages.map((s) => s.name.ru));
        expect(ours.map((s) => (s.SEMANTICS === 'S' || s.SEMANTICS === 'F' ? s.SEMANTICS : 'P'))).toEqual(spec.stages.map((s) => s.semantics));
        // The new pipeline's other default stages are gone; only system stages the manifest has no use for stay.
        expect(stages.filter((s) => !ours.includes(s)).map((s) => s.STATUS_ID.split(':')[1])).toEqual(spec.stages.some((s) => s.semantics === 'S') ? [] : ['SUCCESS']);
      }
    }
    expect(installed.smartProcess('orders').stage('new')).toBe(`DT${installed.entityTypeIds.orders}_${installed.smartProcess('orders').categoryId}:NEW`);
    expect(installed.smartProcess('orders').stage('approval')).toMatch(/:APPROVAL$/);
    expect(installed.smartProcess('orders').field('erpNumber').restName).toBe(`ufCrm${installed.smartProcess('orders').typeId}ErpNumber`);

    const placements = await env.call<Array<{ placement: string; handler: string; title: string; langAll: Record<string, { TITLE: string }>; options: unknown }>>('placement.get');
    const expected = MANIFEST.placements.filter((p) => p.bind !== false);
    expect(placements).toHaveLength(expected.length);
    for (const p of expected) {
      const code = typeof p.code === 'string' ? p.code : p.code(installed.entityTypeIds);
      const row = placements.find((x) => x.placement === code)!;
      expect(row).toMatchObject({ handler: `${env.app.publicUrl}${p.handlerPath}`, title: p.title.ru, langAll: { ru: { TITLE: p.title.ru }, en: { TITLE: p.title.en } } });
      if (p.options) expect(row.options).toEqual(p.options);
    }

    expect((await env.call<string[]>('bizproc.robot.list')).sort()).toEqual(ROBOT_DEFINITIONS.map((r) => r.code).sort());
    for (const def of ROBOT_DEFINITIONS) {
      const stored = env.app.sandbox.store.robots.find((r) => r.clientId === env.app.clientId && r.code === def.code)!;
      const docTypes = def.documentTypes.map((k) => ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${installed.entityTypeIds[k]}`]);
      expect(stored.handler).toBe(`${env.app.publicUrl}/robots/${def.code}`);
      expect(stored.documentType).toEqual(docTypes[0]);
      expect(stored.filter).toEqual({ INCLUDE: docTypes });
      expect(stored.useSubscription).toBe(def.waitsForAnswer ? 'Y' : 'N');
      expect(stored.authUserId).toBe(env.app.sandbox.users.admin);
      expect(Object.keys(stored.returnProperties)).toEqual(Object.keys(def.returnProperties));
    }

    const events = await env.call<Array<{ event: string; handler: string }>>('event.get');
    expect(events.map((e) => e.event).sort()).toEqual([...MANIFEST.events].sort());
    expect(new Set(events.map((e) => e.handler))).toEqual(new Set([`${env.app.publicUrl}/b24/events`]));

    const record = readRecord(await env.settings());
    expect(record.createdByUs.types.sort()).toEqual(MANIFEST.smartProcesses.map((s) => s.key).sort());
    expect(record.lastRun).toMatchObject({ status: 'done', mode: 'apply', errors: [] });
    expect(record.lock).toBeNull();
    expect((await env.t.ctx.portals.findById(env.portalId))!.manifestVersion).toBe(MANIFEST.version);
  });

  it('when it runs again, then it sends no write at all and reads with one request', async () => {
    const before = snapshotPortal(env.app.sandbox, env.app.clientId);
    const result = await env.run();
    expect(result.status).toBe('done');
    expect(result.plan).toEqual([]);
    expect(result.writes).toBe(0);
    expect(result.hits).toBe(1);
    expect(snapshotPortal(env.app.sandbox, env.app.clientId)).toBe(before);
  });

  it('when an administrator renames a stage and a field, then a re-run keeps their wording', async () => {
    const installed = readInstalled(await env.settings());
    const orders = installed.smartProcess('orders');
    const stage = (await env.call<StatusRow[]>('crm.status.list', { filter: { STATUS_ID: orders.stage('paid') } }))[0]!;
    await env.hook('crm.status.update', { id: Number(stage.ID), fields: { NAME: 'Оплачен полностью' } });
    await env.hook('userfieldconfig.update', { moduleId: 'crm', id: orders.field('warehouse').id, field: { editFormLabel: { ru: 'Склад' } } });
    const result = await env.run();
    expect(result.writes).toBe(0);
    expect((await env.call<StatusRow[]>('crm.status.list', { filter: { STATUS_ID: orders.stage('paid') } }))[0]!.NAME).toBe('Оплачен полностью');
  });

  it('when the manifest gains a field and a stage, then they are added in place and items keep their values and stages', async () => {
    const installed = readInstalled(await env.settings());
    const orders = installed.smartProcess('orders');
    const dealer = await env.hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: installed.entityTypeIds.dealers, fields: { title: 'ООО «ТехноСнаб»', [installed.smartProcess('dealers').field('city').restName]: 'Казань' } });
    const erp = orders.field('erpNumber').restName;
    const method = orders.field('deliveryMethod').restName;
    const { field: methodField } = await env.call<{ field: { enum: Array<{ id: string; xmlId: string }> } }>('userfieldconfig.get', { moduleId: 'crm', id: orders.field('deliveryMethod').id });
    const carrier = methodField.enum.find((e) => e.xmlId === 'carrier')!.id;
    const created = await env.hook<{ item: { id: number } }>('crm.item.add', {
      entityTypeId: orders.entityTypeId,
      fields: { title: 'Заказ 1', stageId: orders.stage('shipped'), [erp]: 'ЗК-000123', [method]: carrier, [orders.parentField('dealers')]: dealer.item.id },
    });

    const v2 = manifestV2();
    const plan = await env.run({ manifest: v2, dryRun: true });
    expect(plan.plan.map((o) => o.id).sort()).toEqual(['field.add:orders.trackingNumber', 'stage.add:orders.packed', 'stage.update:orders.delivered', 'stage.update:orders.cancelled', 'stage.update:orders.shipped'].sort());
    const result = await env.run({ manifest: v2 });
    expect(result.status).toBe('done');
    expect(result.writes).toBe(5);

    const after = readInstalled(await env.settings());
    expect(after.manifestVersion).toBe(v2.version);
    const o2 = after.smartProcess('orders');
    expect(o2.typeId).toBe(orders.typeId);
    expect(o2.field('trackingNumber').upperName).toBe(`UF_CRM_${orders.typeId}_TRACKING`);
    expect(o2.stage('packed')).toBe(`DT${orders.entityTypeId}_${orders.categoryId}:PACKED`);
    const stages = await env.call<StatusRow[]>('crm.status.list', { filter: { ENTITY_ID: orders.stageEntityId }, order: { SORT: 'ASC' } });
    expect(stages.map((s) => o2.stageKey(s.STATUS_ID))).toEqual(['new', 'approval', 'agreed', 'sentToErp', 'confirmed', 'invoiced', 'paid', 'packed', 'shipped', 'delivered', 'cancelled']);

    const { item } = await env.hook<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: orders.entityTypeId, id: created.item.id });
    expect(item).toMatchObject({ stageId: orders.stage('shipped'), [erp]: 'ЗК-000123', [method]: Number(carrier), [orders.parentField('dealers')]: dealer.item.id });
    expect(item[o2.field('trackingNumber').restName]).toBeNull();

    const again = await env.run({ manifest: v2 });
    expect(again.writes).toBe(0);
  });
});

describe('installer reconcile: failures resume', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => env?.close());

  const counts = () => {
    const s = env.app.sandbox.store;
    const ours = s.types.filter((t) => t.code.startsWith('dealerhub_'));
    return {
      types: ours.length,
      fields: s.userFields.filter((u) => ours.some((t) => u.entityId === `CRM_${t.id}`)).length,
      placements: s.placements.filter((p) => p.clientId === env.app.clientId).length,
      robots: s.robots.filter((r) => r.clientId === env.app.clientId).length,
      events: s.eventBindings.filter((e) => e.clientId === env.app.clientId).length,
    };
  };
  const expected = {
    types: 5,
    fields: MANIFEST.smartProcesses.reduce((n, s) => n + s.fields.length, 0),
    placements: MANIFEST.placements.filter((p) => p.bind !== false).length,
    robots: ROBOT_DEFINITIONS.length,
    events: MANIFEST.events.length,
  };

  it('when a field is refused in the middle of the first run, then that run fails, the portal is not marked set up, and the next run completes with no duplicates', async () => {
    env.app.sandbox.faults.failNext(1, { method: 'userfieldconfig.add', status: 400, code: 'ERROR_CORE', description: 'Fail to create new user field' });
    const first = await env.run();
    expect(first.status).toBe('failed');
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]).toMatchObject({ code: 'ERROR_CORE', message: 'Fail to create new user field' });
    expect(first.failed[0]!.op).toMatch(/^field\.add:/);
    const record = readRecord(await env.settings());
    expect(record.lastRun).toMatchObject({ status: 'failed' });
    expect(record.lastRun!.steps.find((s) => s.key === 'fields')).toMatchObject({ status: 'failed', failed: 1 });
    expect(record.manifestVersion).toBeNull();
    expect(() => readInstalled({ installer: record })).toThrow(InstallerError);
    expect(() => readInstalled({ installer: record })).toThrow(/last installer run failed/);
    expect(counts()).toEqual({ ...expected, fields: expected.fields - 1 });

    const second = await env.run();
    expect(second.status).toBe('done');
    expect(second.writes).toBe(1);
    expect(counts()).toEqual(expected);
    expect(readInstalled(await env.settings()).manifestVersion).toBe(MANIFEST.version);
  });

  it('when the portal answers 500 to a new stage (the outcome is unknown), then the next run looks again and adds it once', async () => {
    const installed = readInstalled(await env.settings());
    const claims = installed.smartProcess('claims');
    // A stage that went missing (deleted on the portal) is put back; the first attempt's answer is lost.
    const row = (await env.call<StatusRow[]>('crm.status.list', { filter: { STATUS_ID: claims.stage('review') } }))[0]!;
    await env.hook('crm.status.delete', { id: Number(row.ID) });
    env.app.sandbox.faults.failNext(1, { method: 'crm.status.add' });
    const first = await env.run();
    expect(first.status).toBe('failed');
    expect(first.failed[0]).toMatchObject({ op: 'stage.add:claims.review', code: 'INTERNAL_SERVER_ERROR' });
    const second = await env.run();
    expect(second.status).toBe('done');
    const stages = await env.call<StatusRow[]>('crm.status.list', { filter: { ENTITY_ID: claims.stageEntityId } });
    expect(stages.filter((s) => s.STATUS_ID === claims.stage('review'))).toHaveLength(1);
    expect(counts()).toEqual(expected);
  });

  it('when the answer to the smart-process batch is lost after the portal applied it, then the next run finds the types by their code instead of creating them twice', async () => {
    const other = await startEnv();
    try {
      // The portal executes the batch; the answer never arrives (a timeout after the request went out).
      const inner = other.t.ctx.b24.forPortal(other.portalId);
      let lose = true;
      const lossy: B24Client = {
        ...inner,
        async batch<T>(calls: Parameters<B24Client['batch']>[0], options?: { halt?: boolean }) {
          const answer = await inner.batch<T>(calls, options);
          if (lose && Object.values(calls).some((c) => (c as { method: string }).method === 'crm.type.add')) {
            lose = false;
            throw new B24Error({ code: 'REQUEST_TIMEOUT', kind: 'ambiguous', method: 'batch', description: 'no answer within 65 s' });
          }
          return answer;
        },
      };
      const first = await reconcile({ ctx: other.t.ctx, portalId: other.portalId, publicUrl: other.app.publicUrl, client: lossy });
      expect(first.status).toBe('failed');
      expect(first.failed.filter((f) => f.op.startsWith('type.create:'))).toHaveLength(5);
      expect(other.app.sandbox.store.types.filter((t) => t.code.startsWith('dealerhub_'))).toHaveLength(5);

      const second = await other.run();
      expect(second.status).toBe('done');
      expect(second.plan.filter((o) => o.kind === 'createType')).toEqual([]);
      expect(other.app.sandbox.store.types.filter((t) => t.code.startsWith('dealerhub_'))).toHaveLength(5);
      // Recognised as ours: the new pipelines were tidied as on a normal first run.
      const record = readRecord(await other.settings());
      expect(record.createdByUs.types).toHaveLength(5);
      const orders = readInstalled(await other.settings()).smartProcess('orders');
      const stages = await other.call<StatusRow[]>('crm.status.list', { filter: { ENTITY_ID: orders.stageEntityId } });
      expect(stages.every((s) => orders.stageKey(s.STATUS_ID))).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe.each(STORAGE_BACKENDS)('installer reconcile: two runs at once ($name)', (backend) => {
  let env: Env;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await backend.create();
    env = await startEnv({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await env?.close();
    await db?.drop();
  });

  it('when two runs start at once, then the second is refused as busy and the portal has no duplicates', async () => {
    const [a, b] = await Promise.allSettled([env.run(), env.run()]);
    const outcomes = [a, b].map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as InstallerError).code));
    expect(outcomes.sort()).toEqual(['BUSY', 'done']);
    expect(env.app.sandbox.store.types.filter((t) => t.code.startsWith('dealerhub_'))).toHaveLength(5);
    const third = await env.run();
    expect(third.writes).toBe(0);
  });
});

describe('installer uninstall', () => {
  let env: Env;
  let other: Awaited<ReturnType<typeof installTestApp>>;
  beforeAll(async () => {
    env = await startEnv();
    expect((await env.run()).status).toBe('done');
    other = await installTestApp(env.app.sandbox, { scope: ['crm', 'placement'] });
  });
  afterAll(async () => {
    await other?.receiver.close();
    await env?.close();
  });

  it('when uninstalling with clean-up, then only what DealerHub created goes; portal-owned types, fields and widgets stay, and a smart process with items is kept and reported', async () => {
    // What the portal owns: its own smart process with a field, another app's widget, and a widget our app bound outside the manifest.
    const own = await env.hook<{ type: { id: number; entityTypeId: number } }>('crm.type.add', { fields: { title: 'Сервисные выезды' } });
    await env.hook('userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${own.type.id}`, fieldName: `UF_CRM_${own.type.id}_ADDRESS`, userTypeId: 'string', editFormLabel: { ru: 'Адрес' } } });
    await resultOf(env.app.sandbox.clientEndpoint, 'placement.bind', { auth: other.accessToken, PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${other.receiver.url}/tab`, TITLE: 'Other app' });
    await env.call('placement.bind', { PLACEMENT: 'CRM_CONTACT_DETAIL_TAB', HANDLER: `${env.app.publicUrl}/manual`, TITLE: 'Bound by hand' });
    const installed = readInstalled(await env.settings());
    const claim = await env.hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: installed.entityTypeIds.claims, fields: { title: 'Рекламация 1' } });

    const dry = await uninstall({ ctx: env.t.ctx, portalId: env.portalId, clean: true, dryRun: true });
    expect(dry.writes).toBe(0);
    expect(dry.notices.join('\n')).toMatch(/«Рекламации» \[claims\]: kept — it has 1 item\(s\).*crm\.type\.delete: BX_ERROR/);

    const result = await uninstall({ ctx: env.t.ctx, portalId: env.portalId, clean: true });
    expect(result.failed).toEqual([]);
    expect(result.status).toBe('done');
    const store = env.app.sandbox.store;
    expect(store.types.all().map((t) => t.title).sort()).toEqual(['Рекламации', 'Сервисные выезды']);
    expect(store.userFields.filter((u) => u.entityId === `CRM_${own.type.id}`).map((u) => u.fieldName)).toEqual([`UF_CRM_${own.type.id}_ADDRESS`]);
    expect(await env.call<Array<{ placement: string }>>('placement.get')).toEqual([expect.objectContaining({ placement: 'CRM_CONTACT_DETAIL_TAB', handler: `${env.app.publicUrl}/manual` })]);
    expect(store.placements.filter((p) => p.clientId === other.clientId)).toHaveLength(1);
    expect(await env.call('bizproc.robot.list')).toEqual([]);
    // ONAPPUNINSTALL stays so DealerHub hears the removal of the app; the portal drops it with the app.
    expect((await env.call<Array<{ event: string }>>('event.get')).map((e) => e.event)).toEqual(['ONAPPUNINSTALL']);
    const record = readRecord(await env.settings());
    expect(Object.keys(record.smartProcesses)).toEqual(['claims']);
    expect(record.manifestVersion).toBeNull();
    const settingsAfter = await env.settings();
    expect(() => readInstalled(settingsAfter)).toThrow(/removed by `installer uninstall`/);

    // Once the items are gone, the rest goes too.
    await env.hook('crm.item.delete', { entityTypeId: installed.entityTypeIds.claims, id: claim.item.id });
    const again = await uninstall({ ctx: env.t.ctx, portalId: env.portalId, clean: true, keepUninstallEvent: false });
    expect(again.status).toBe('done');
    expect(store.types.all().map((t) => t.title)).toEqual(['Сервисные выезды']);
    expect(await env.call('event.get')).toEqual([]);
    expect(store.userFields.filter((u) => u.entityId === `CRM_${own.type.id}`)).toHaveLength(1);
    expect(readRecord(await env.settings()).smartProcesses).toEqual({});
  });
});
