import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { APPLY_JOB, installRoutes, MANIFEST, readInstalled, readRecord, registerInstaller } from '../../installer/index.js';
import { SMART_PROCESSES, type SmartProcessKey } from '../../installer/manifest.js';
import { INSTALLER_TEST_SCOPE } from '../../installer/testing/sandbox-tenant.js';
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
  // A lock left by a killed run must not stall every later one.
  if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
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

export interface TestFieldRecord {
  upperName: string;
  restName: string;
  id: number;
  /** enumeration: our xmlId → the option id crm.item.* takes. */
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

/** What the installer recorded, plus the option ids of enumeration fields (read back with userfieldconfig.get). */
async function describeInstalled(client: B24Client, settings: Record<string, unknown>): Promise<Record<string, TestSmartProcess>> {
  const installed = readInstalled(settings);
  const out: Record<string, TestSmartProcess> = {};
  for (const spec of SMART_PROCESSES) {
    const sp = installed.smartProcess(spec.key);
    const fields: Record<string, TestFieldRecord> = {};
    for (const f of spec.fields) {
      const rec = sp.field(f.key);
      let enumIds: Record<string, number> = {};
      if (f.type === 'enumeration') {
        const got = await client.call<{ field: { enum?: Array<{ id: string; xmlId: string }> } }>('userfieldconfig.get', { moduleId: 'crm', id: rec.id });
        enumIds = Object.fromEntries((got.field.enum ?? []).map((e) => [e.xmlId, Number(e.id)]));
      }
      fields[f.key] = { upperName: rec.upperName, restName: rec.restName, id: rec.id, enumIds };
    }
    out[spec.key] = { key: spec.key, typeId: sp.typeId, entityTypeId: sp.entityTypeId, categoryId: sp.categoryId ?? 0, stages: { ...sp.stages }, fields };
  }
  return out;
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

/**
 * `finishInstall: false` leaves installFinish to the install page in a browser (e2e); the reconcile still runs and is
 * awaited here.
 */
export async function startHarness(opts: { env?: Record<string, string>; finishInstall?: boolean } = {}): Promise<Harness> {
  const portal = await startSandboxPortal({ httpPort: 0, httpsPort: null, seedDemo: true });
  // The installer alone makes a few hundred calls; pacing them at the cloud's 2/s would only make the suite slow (the
  // limiter has its own tests). Both sides get a roomy bucket instead.
  portal.faults.setRateLimit({ burst: 10_000, drainPerSecond: 1_000 });
  // A file database, as `npm start` uses: job workers and requests run at the same time, and on SQLite's :memory:
  // database (one shared connection in Sequelize) a statement of one task would run inside another task's transaction.
  const dbFile = join(mkdtempSync(join(tmpdir(), 'dealerhub-placements-')), 'dealerhub.sqlite');
  const t = await createTestContext({ B24_PORTAL_DOMAINS: portal.domain, B24_OAUTH_SERVERS: portal.serverEndpoint, LOG_LEVEL: 'warn', B24_RATE_LIMIT: '5000/1000', DATABASE_URL: `sqlite:${dbFile}`, ...(opts.env ?? {}) });
  // SQLite in WAL mode refuses a DEFERRED transaction that read before another connection wrote (SQLITE_BUSY, and no
  // wait helps); IMMEDIATE takes the write lock up front. server/db/database.ts should set this for SQLite (reported).
  if (t.ctx.db.dialect === 'sqlite') (t.ctx.db.sequelize as unknown as { options: { transactionType?: string } }).options.transactionType = 'IMMEDIATE';
  let appUrl = '';
  // What server/main.ts wires: the installer, the dealers sync, robots, and the routes of placements and robots.
  const installer = registerInstaller(t.ctx, { publicUrl: () => appUrl });
  registerDealerSync(t.ctx);
  registerRobots(t.ctx);
  const app = createApp(t.ctx, [registerPlacements, registerRobotRoutes, (a, c) => a.use(installRoutes(c, installer))]);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  portal.registerApp({
    clientId: t.ctx.config.app.clientId,
    clientSecret: t.ctx.config.app.clientSecret,
    appUrl: `${appUrl}/app`,
    installUrl: `${appUrl}/install`,
    installEventHandlerUrl: `${appUrl}/b24/events`,
    scope: [...new Set([...INSTALLER_TEST_SCOPE, 'user_brief', 'app'])],
  });
  await t.ctx.jobs.startWorkers({ concurrency: 2, pollMs: 25 });
  const installed = await portal.install();
  const stored = await waitFor(async () => {
    const p = await t.ctx.portals.findByMemberId(portal.memberId);
    return p?.hasApplicationToken ? p : null;
  }, 5000, 'the application_token stored');
  const portalId = stored.id;
  // The install page's job reconciles the portal; the page then calls installFinish (markInstallFinished here).
  try {
    await waitFor(async () => readRecord((await t.ctx.portals.findById(portalId))!.settings).manifestVersion === MANIFEST.version, 60_000, 'the installer run');
  } catch (err) {
    const jobs = (await t.ctx.jobs.list({ kind: APPLY_JOB })).items.map((j) => `${j.status} after ${j.attempts}: ${j.lastError ?? ''}`);
    const logged = t.logs.lines.filter((l) => /"level":(40|50)/.test(l)).slice(0, 5).join('\n');
    throw new Error(`${(err as Error).message}; installer jobs: ${jobs.join(' | ')}\n${logged}`, { cause: err });
  }
  if (opts.finishInstall !== false) portal.markInstallFinished();
  // The record is written just before the job reports done.
  await waitFor(async () => (await t.ctx.jobs.list({ kind: APPLY_JOB })).items.every((j) => j.status === 'done'), 10_000, 'the installer job done');
  const client = t.ctx.b24.forPortal(portalId);
  const sp = await describeInstalled(client, (await t.ctx.portals.findById(portalId))!.settings);

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
