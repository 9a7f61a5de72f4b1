import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { SMART_PROCESSES, type FieldSpec, type SmartProcessKey } from '../../installer/manifest.js';
import { registerPlacements } from '../../placements/index.js';
import { registerRobotRoutes, registerRobots } from '../../robots/index.js';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { createApp } from '../../server/app.js';
import type { B24Client } from '../../server/bitrix24/index.js';
import { registerDealerSync } from '../../server/modules/dealers/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * The sandbox portal with DealerHub installed in it, as the placement, robot and dealer tests need it: the app
 * registered and installed (install page + ONAPPINSTALL), installFinish done, and the Dealers, Orders and Claims
 * smart processes with DealerHub's fields and stages created through REST with the app's token, recorded in
 * settings.installer the way the installer records them (installer/installer-record.ts).
 */

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Builds the widgets once for all test files when the bundle is missing or older than the sources. */
export function ensureWidgetsBuilt(): void {
  const newest = (dir: string): number => {
    if (!existsSync(dir)) return 0;
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  const dist = join(ROOT, 'dist', 'widgets', 'pages');
  if (existsSync(dist) && newest(join(ROOT, 'widgets')) <= newest(join(ROOT, 'dist', 'widgets'))) return;
  // A lock directory keeps parallel test files from building at once; the others wait for it.
  const lock = join(ROOT, 'dist', '.widgets-build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    const until = Date.now() + 120_000;
    while (existsSync(lock) && Date.now() < until) execFileSync('sleep', ['0.2']);
    return;
  }
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const UF_TYPES: Record<FieldSpec['type'], string> = {
  string: 'string', integer: 'integer', double: 'double', boolean: 'boolean', date: 'date', datetime: 'datetime', enumeration: 'enumeration',
  money: 'money', employee: 'employee', crm: 'crm', url: 'url', file: 'file',
};

/** `UF_CRM_13_ERP_NUMBER` → `ufCrm13ErpNumber` (api-reference/crm/universal/index.md §Field Naming Conventions). */
export const restNameOf = (upper: string): string =>
  upper.toLowerCase().split('_').map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');

export interface TestFieldRecord {
  upperName: string;
  restName: string;
  id: number;
  enumIds: Record<string, number>;
}

export interface TestSmartProcess {
  key: SmartProcessKey;
  typeId: number;
  entityTypeId: number;
  categoryId: number;
  stages: Record<string, string>;
  fields: Record<string, TestFieldRecord>;
}

/** Creates the smart processes, fields and stages the manifest describes (dealers, orders, claims) and records them. */
export async function createSmartProcesses(client: B24Client, keys: SmartProcessKey[] = ['dealers', 'orders', 'claims']): Promise<Record<string, TestSmartProcess>> {
  const out: Record<string, TestSmartProcess> = {};
  for (const key of keys) {
    const spec = SMART_PROCESSES.find((s) => s.key === key)!;
    const flags = Object.fromEntries(Object.entries(spec.flags).map(([k, v]) => [k, v ? 'Y' : 'N']));
    const parents = spec.parents.filter((p) => out[p]).map((p) => ({ entityTypeId: out[p]!.entityTypeId, isChildrenListEnabled: 'true' }));
    const type = (await client.call<{ type: { id: number; entityTypeId: number } }>('crm.type.add', { fields: { title: spec.title.ru, ...flags, relations: { parent: parents } } })).type;
    const categories = await client.call<{ categories: Array<{ id: number; isDefault: string | boolean }> }>('crm.category.list', { entityTypeId: type.entityTypeId });
    const categoryId = Number((categories.categories.find((c) => c.isDefault === 'Y' || c.isDefault === true) ?? categories.categories[0])!.id);
    const fields: Record<string, TestFieldRecord> = {};
    for (const f of spec.fields) {
      const upperName = `UF_CRM_${type.id}_${f.code}`;
      const settings: Record<string, unknown> = { ...(f.settings ?? {}) };
      if (f.type === 'crm') for (const l of f.links ?? []) if (typeof l === 'string' && l === l.toUpperCase()) settings[l] = 'Y';
      const added = await client.call<{ field: { id: string; enum?: Array<{ id: string; xmlId: string }> } }>('userfieldconfig.add', {
        moduleId: 'crm',
        field: {
          entityId: `CRM_${type.id}`,
          fieldName: upperName,
          userTypeId: UF_TYPES[f.type],
          multiple: f.multiple ? 'Y' : 'N',
          mandatory: 'N',
          editFormLabel: f.label,
          settings,
          ...(f.options ? { enum: f.options.map((o, i) => ({ value: o.label.ru, xmlId: o.xmlId, def: o.def ? 'Y' : 'N', sort: (i + 1) * 10 })) } : {}),
        },
      });
      fields[f.key] = { upperName, restName: restNameOf(upperName), id: Number(added.field.id), enumIds: Object.fromEntries((added.field.enum ?? []).map((e) => [e.xmlId, Number(e.id)])) };
    }
    const stageEntityId = `DYNAMIC_${type.entityTypeId}_STAGE_${categoryId}`;
    const existing = await client.call<Array<{ STATUS_ID: string }>>('crm.status.list', { filter: { ENTITY_ID: stageEntityId } });
    const stages: Record<string, string> = {};
    let sort = 10;
    for (const s of spec.stages) {
      const statusId = `DT${type.entityTypeId}_${categoryId}:${s.code}`;
      if (!existing.some((e) => e.STATUS_ID === statusId)) {
        await client.call('crm.status.add', { fields: { ENTITY_ID: stageEntityId, STATUS_ID: s.code, NAME: s.name.ru, SORT: sort, COLOR: s.color, SEMANTICS: s.semantics === 'P' ? '' : s.semantics } });
      }
      stages[s.key] = statusId;
      sort += 10;
    }
    out[key] = { key, typeId: type.id, entityTypeId: type.entityTypeId, categoryId, stages, fields };
  }
  return out;
}

/** The installer's record shape (installer/installer-record.ts) for what createSmartProcesses made. */
export function installerRecordOf(sps: Record<string, TestSmartProcess>): Record<string, unknown> {
  return {
    schema: 1,
    manifestVersion: 1,
    smartProcesses: Object.fromEntries(
      Object.values(sps).map((sp) => [
        sp.key,
        {
          typeId: sp.typeId,
          entityTypeId: sp.entityTypeId,
          categoryId: sp.categoryId,
          title: SMART_PROCESSES.find((s) => s.key === sp.key)!.title.ru,
          stages: sp.stages,
          fields: Object.fromEntries(Object.entries(sp.fields).map(([k, f]) => [k, { upperName: f.upperName, restName: f.restName, id: f.id }])),
        },
      ]),
    ),
  };
}

export interface PlacementPostOptions {
  placement?: string;
  options?: Record<string, unknown>;
  appSid?: string;
  lang?: string;
  /** Replace or drop (undefined) form fields, to forge requests. */
  body?: Record<string, string | undefined>;
  query?: Record<string, string | undefined>;
  accessToken?: string;
}

export interface Harness {
  portal: SandboxPortal;
  t: TestContext;
  server: Server;
  appUrl: string;
  portalId: number;
  applicationToken: string;
  client: B24Client;
  sp: Record<string, TestSmartProcess>;
  /** A placement POST as the portal makes it for this user (fresh tokens and APP_SID unless given). */
  placementPost(userId: number, path: string, opts?: PlacementPostOptions): Promise<request.Response>;
  /** The bootstrap JSON of a served widget page. */
  bootstrapOf(res: request.Response): Record<string, unknown> & { session: string; user: { id: number; role: string; dealerId: number | null } };
  api(session: string): { get(path: string): request.Test; patch(path: string): request.Test; put(path: string): request.Test; post(path: string): request.Test };
  createDealer(input: DealerInput): Promise<number>;
  createOrder(input: OrderInput): Promise<number>;
  createClaim(input: ClaimInput): Promise<number>;
  close(): Promise<void>;
}

export interface DealerInput {
  title: string;
  companyId: number;
  legalEntityCompanyIds?: number[];
  erpCustomerId?: string;
  priceType?: string;
  dealerGroup?: 'A' | 'B' | 'C' | 'PARTNER';
  city?: string;
  region?: string;
  creditLimit?: string;
  paymentTermDays?: number;
  blockOverLimit?: boolean;
  blockOverdueDays?: number;
  managerId?: number;
  stage?: 'onboarding' | 'active' | 'paused' | 'closed';
}

export interface OrderInput {
  dealerItemId: number;
  companyId?: number;
  title?: string;
  number?: string;
  stage?: string;
  submittedBy?: number;
  deliveryMethod?: 'pickup' | 'our_transport' | 'carrier';
  deliveryAddress?: string;
  lines?: Array<{ name: string; price: number; quantity: number; taxRate?: number }>;
}

export interface ClaimInput {
  dealerItemId: number;
  companyId?: number;
  number?: string;
  serial?: string;
  defect?: string;
  resolution?: 'repair' | 'parts' | 'replace' | 'refund' | 'reject';
  lines?: Array<{ name: string; price: number; quantity: number }>;
}

export async function startHarness(opts: { env?: Record<string, string>; withSmartProcesses?: boolean; workers?: boolean } = {}): Promise<Harness> {
  const portal = await startSandboxPortal({ httpPort: 0, httpsPort: null, seedDemo: true });
  // The set-up alone makes ~100 calls; pacing them at the cloud's 2/s would only make the suite slow (the limiter has
  // its own tests). Both sides get a roomy bucket instead.
  portal.faults.setRateLimit({ burst: 10_000, drainPerSecond: 1_000 });
  const t = await createTestContext({ B24_PORTAL_DOMAINS: portal.domain, B24_OAUTH_SERVERS: portal.serverEndpoint, LOG_LEVEL: 'warn', B24_RATE_LIMIT: '5000/1000', ...(opts.env ?? {}) });
  registerDealerSync(t.ctx);
  registerRobots(t.ctx);
  const app = createApp(t.ctx, [registerPlacements, registerRobotRoutes]);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  portal.registerApp({
    clientId: t.ctx.config.app.clientId,
    clientSecret: t.ctx.config.app.clientSecret,
    appUrl: `${appUrl}/app`,
    installUrl: `${appUrl}/install`,
    installEventHandlerUrl: `${appUrl}/b24/events`,
    scope: ['crm', 'placement', 'bizproc', 'im', 'user', 'user_brief', 'event', 'app'],
  });
  const installed = await portal.install();
  portal.markInstallFinished();
  await portal.idle();
  const until = Date.now() + 5000;
  let stored = await t.ctx.portals.findByMemberId(portal.memberId);
  while (!stored?.hasApplicationToken && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    stored = await t.ctx.portals.findByMemberId(portal.memberId);
  }
  if (!stored?.hasApplicationToken) throw new Error('the app did not get its application_token');
  const portalId = stored.id;
  const client = t.ctx.b24.forPortal(portalId);
  const sp = opts.withSmartProcesses === false ? {} : await createSmartProcesses(client);
  if (opts.withSmartProcesses !== false) await t.ctx.portals.updateSettings(portalId, (s) => ({ ...s, installer: installerRecordOf(sp) }));
  if (opts.workers) await t.ctx.jobs.startWorkers({ concurrency: 2, pollMs: 25 });

  const field = (key: string, fieldKey: string) => sp[key]!.fields[fieldKey]!.restName;
  const enumId = (key: string, fieldKey: string, xmlId: string) => sp[key]!.fields[fieldKey]!.enumIds[xmlId];

  const h: Harness = {
    portal,
    t,
    server,
    appUrl,
    portalId,
    applicationToken: installed.applicationToken,
    client,
    sp,
    async placementPost(userId, path, o = {}) {
      const tokens = portal.issueTokens(userId);
      const query: Record<string, string | undefined> = { DOMAIN: portal.domain, PROTOCOL: '0', LANG: o.lang ?? 'ru', APP_SID: o.appSid ?? `sid${Math.random().toString(36).slice(2)}${Date.now()}`, ...(o.query ?? {}) };
      const body: Record<string, string | undefined> = {
        AUTH_ID: o.accessToken ?? tokens.accessToken,
        AUTH_EXPIRES: String(tokens.expiresIn),
        REFRESH_ID: tokens.refreshToken,
        SERVER_ENDPOINT: portal.serverEndpoint,
        APPLICATION_TOKEN: installed.applicationToken,
        APPLICATION_SCOPE: 'crm,placement,bizproc,im,user',
        member_id: portal.memberId,
        status: 'L',
        PLACEMENT: o.placement ?? 'DEFAULT',
        PLACEMENT_OPTIONS: JSON.stringify(o.options ?? {}),
        ...(o.body ?? {}),
      };
      const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
      return request(server).post(`${path}?${qs}`).type('form').send(Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
    },
    bootstrapOf(res) {
      const m = /<script id="dh-bootstrap" type="application\/json">([\s\S]*?)<\/script>/.exec(res.text);
      if (!m) throw new Error(`no bootstrap in the page (status ${res.status}): ${res.text.slice(0, 300)}`);
      return JSON.parse(m[1]!);
    },
    api(session) {
      const withSession = (r: request.Test) => r.set('X-DealerHub-Session', session);
      return {
        get: (p) => withSession(request(server).get(`/api${p}`)),
        patch: (p) => withSession(request(server).patch(`/api${p}`)),
        put: (p) => withSession(request(server).put(`/api${p}`)),
        post: (p) => withSession(request(server).post(`/api${p}`)),
      };
    },
    async createDealer(d) {
      const f = (k: string) => field('dealers', k);
      const fields: Record<string, unknown> = {
        title: d.title,
        companyId: d.companyId,
        stageId: sp.dealers!.stages[d.stage ?? 'active'],
        [f('legalEntities')]: d.legalEntityCompanyIds ?? [],
        [f('erpCustomerId')]: d.erpCustomerId ?? '',
        [f('priceType')]: d.priceType ?? '',
        [f('city')]: d.city ?? '',
        [f('region')]: d.region ?? '',
        [f('blockOverLimit')]: d.blockOverLimit ? 'Y' : 'N',
      };
      if (d.dealerGroup) fields[f('dealerGroup')] = enumId('dealers', 'dealerGroup', d.dealerGroup);
      if (d.creditLimit) fields[f('creditLimit')] = `${d.creditLimit}|RUB`;
      if (d.paymentTermDays !== undefined) fields[f('paymentTermDays')] = d.paymentTermDays;
      if (d.blockOverdueDays !== undefined) fields[f('blockOverdueDays')] = d.blockOverdueDays;
      if (d.managerId) fields[f('personalManager')] = d.managerId;
      const added = await client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: sp.dealers!.entityTypeId, fields });
      return Number(added.item.id);
    },
    async createOrder(o) {
      const f = (k: string) => field('orders', k);
      const fields: Record<string, unknown> = {
        title: o.title ?? `Заказ ${o.number ?? ''}`.trim(),
        stageId: o.stage ?? sp.orders!.stages.new,
        companyId: o.companyId ?? null,
        [`parentId${sp.dealers!.entityTypeId}`]: o.dealerItemId,
        [f('orderNumber')]: o.number ?? '',
        [f('deliveryAddress')]: o.deliveryAddress ?? '',
        currencyId: 'RUB',
      };
      if (o.submittedBy) fields[f('submittedBy')] = o.submittedBy;
      if (o.deliveryMethod) fields[f('deliveryMethod')] = enumId('orders', 'deliveryMethod', o.deliveryMethod);
      const added = await client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: sp.orders!.entityTypeId, fields });
      const id = Number(added.item.id);
      if (o.lines?.length) {
        await client.call('crm.item.productrow.set', {
          ownerType: `T${sp.orders!.entityTypeId.toString(16)}`,
          ownerId: id,
          productRows: o.lines.map((l) => ({ productName: l.name, price: l.price, quantity: l.quantity, ...(l.taxRate !== undefined ? { taxRate: l.taxRate, taxIncluded: 'Y' } : {}) })),
        });
      }
      return id;
    },
    async createClaim(c) {
      const f = (k: string) => field('claims', k);
      const fields: Record<string, unknown> = {
        title: `Рекламация ${c.number ?? ''}`.trim(),
        stageId: sp.claims!.stages.new,
        companyId: c.companyId ?? null,
        [`parentId${sp.dealers!.entityTypeId}`]: c.dealerItemId,
        [f('claimNumber')]: c.number ?? '',
        [f('serialNumber')]: c.serial ?? '',
        [f('defect')]: c.defect ?? '',
        [f('productName')]: 'Насос циркуляционный',
        [f('productSku')]: 'PMP-25-40',
      };
      if (c.resolution) fields[f('resolution')] = enumId('claims', 'resolution', c.resolution);
      const added = await client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: sp.claims!.entityTypeId, fields });
      const id = Number(added.item.id);
      if (c.lines?.length) {
        await client.call('crm.item.productrow.set', { ownerType: `T${sp.claims!.entityTypeId.toString(16)}`, ownerId: id, productRows: c.lines.map((l) => ({ productName: l.name, price: l.price, quantity: l.quantity })) });
      }
      return id;
    },
    async close() {
      await t.ctx.jobs.stop({ graceMs: 1000 }).catch(() => undefined);
      await new Promise((r) => server.close(r));
      server.closeAllConnections?.();
      await t.close();
      await portal.close();
    },
  };
  return h;
}

/** What the installer does for robots (bizproc.robot.add with the app token), for the robot tests. */
export async function registerTestRobots(h: Harness): Promise<void> {
  const { ROBOT_DEFINITIONS } = await import('../../robots/definitions.js');
  for (const r of ROBOT_DEFINITIONS) {
    const props = (p: Record<string, { name: { ru: string }; type: string; required?: boolean; options?: Record<string, string>; default?: unknown }>) =>
      Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { Name: v.name.ru, Type: v.type, Required: v.required ? 'Y' : 'N', ...(v.options ? { Options: v.options } : {}), ...(v.default !== undefined ? { Default: v.default } : {}) }]));
    await h.client.call('bizproc.robot.add', {
      CODE: r.code,
      HANDLER: `${h.appUrl}/robots/${r.code}`,
      AUTH_USER_ID: 1,
      USE_SUBSCRIPTION: r.waitsForAnswer ? 'Y' : 'N',
      NAME: r.name.ru,
      PROPERTIES: props(r.properties),
      RETURN_PROPERTIES: props(r.returnProperties),
    });
  }
}

/** Counts the REST calls the app makes per method (a spy on the portal client; the calls still go to the sandbox). */
export function spyOnPortalCalls(h: Harness): Map<string, number> {
  const counts = new Map<string, number>();
  const original = h.t.ctx.b24.forPortal.bind(h.t.ctx.b24);
  (h.t.ctx.b24 as { forPortal: typeof original }).forPortal = (portalId: number) => {
    const client = original(portalId);
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'call' || prop === 'callRaw') {
          return (method: string, params?: Record<string, unknown>) => {
            counts.set(method, (counts.get(method) ?? 0) + 1);
            return (target[prop] as (m: string, p?: Record<string, unknown>) => Promise<unknown>)(method, params);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
  };
  return counts;
}

export async function waitFor<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Puts ERP customers and their finance snapshot into the read model the way the ERP sync does (server/erp/read-model). */
export async function seedErpFinance(
  h: Harness,
  rows: Array<{ erpId: string; name: string; inn?: string; kpp?: string; debt?: string; overdue?: string; overdueDays?: number; creditLimit?: string | null; currency?: string }>,
): Promise<void> {
  const { createIngestSession, ingestCustomers, ingestCustomerFinance } = await import('../../server/erp/read-model/index.js');
  const session = () => createIngestSession(h.t.ctx.db, h.portalId, { logger: h.t.ctx.logger });
  await ingestCustomers(session(), rows.map((r) => ({ ref: { erpId: r.erpId }, name: r.name, ...(r.inn ? { inn: r.inn } : {}), ...(r.kpp ? { kpp: r.kpp } : {}) })));
  const finance = rows.filter((r) => r.debt !== undefined);
  if (finance.length) {
    await ingestCustomerFinance(
      session(),
      finance.map((r) => ({ customerRef: { erpId: r.erpId }, currency: r.currency ?? 'RUB', debt: r.debt!, overdue: r.overdue ?? '0', overdueDays: r.overdueDays, creditLimit: r.creditLimit ?? null, creditLimitEnforced: false, asOf: '2026-11-23T09:00:00' })),
    );
  }
}
