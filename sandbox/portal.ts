import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino, type Logger } from 'pino';
import { AppLifecycle, type InstallResult, type RegisterAppInput } from './apps/apps.js';
import { AutomationEngine } from './bizproc/engine.js';
import { createClock, type Clock } from './core/clock.js';
import { randomHex, randomToken } from './core/random.js';
import type { Face, PortalAddresses, PortalRuntime } from './core/runtime.js';
import { createControlRouter } from './control/control.routes.js';
import { EventDispatcher } from './events/dispatcher.js';
import { FaultController } from './faults/faults.js';
import { createSelfSignedTls } from './http/tls.js';
import { registerAllMethods } from './methods/register-all.js';
import { createAuthorizeHandler, createOAuthServerRouter } from './oauth/oauth.routes.js';
import type { TokenPair } from './oauth/tokens.js';
import { LeakyBucket, OperatingTracker } from './rest/limits.js';
import { MethodRegistry } from './rest/registry.js';
import { restCors } from './rest/cors.js';
import { createRestHandler, faceOf } from './rest/rest.routes.js';
import { attachPersistence, type StorePersistence } from './store/persist.js';
import { seedBase } from './store/seed-base.js';
import { seedDemo, seededUsersFrom, type SeededUsers } from './store/seed-demo.js';
import { SandboxStore } from './store/store.js';
import type { SApp } from './store/types.js';
import { createUiRouter } from './ui/pages.routes.js';

export interface SandboxPortalOptions {
  host?: string;
  /** 0 = ephemeral. */
  httpPort?: number;
  /** 0 = ephemeral; null = no HTTPS listener. */
  httpsPort?: number | null;
  memberId?: string;
  /** Rate limits 50 / 2 per second (default) or 250 / 5 (enterprise), limits.md. */
  plan?: 'default' | 'enterprise';
  /** SQLite file that keeps the portal across restarts; in-memory when absent. */
  persistFile?: string;
  /** Seed users, dealer companies and contacts (default true). */
  seedDemo?: boolean;
  logger?: Logger;
  /** Secret for `/_sandbox/*`; generated (and persisted) when absent. */
  controlSecret?: string;
}

export interface SandboxPortal {
  /** HTTP base, no trailing slash. */
  url: string;
  httpsUrl: string | null;
  /** host:port of the HTTP face (what DOMAIN carries). */
  domain: string;
  httpsDomain: string | null;
  memberId: string;
  /** The OAuth server's REST base (`${url}/oauth-server/rest/`); its token endpoint is `${url}/oauth-server/oauth/token/`. */
  serverEndpoint: string;
  /** `${url}/rest/` */
  clientEndpoint: string;
  httpsClientEndpoint: string | null;
  /** The self-signed certificate of the HTTPS face, for clients to trust (never switch verification off). */
  caCertPem: string | null;
  /** Admin incoming webhook `http://127.0.0.1:N/rest/1/<secret>/`. */
  webhookUrl: string;
  httpsWebhookUrl: string | null;
  controlSecret: string;
  users: SeededUsers;
  store: SandboxStore;
  clock: Clock;
  faults: FaultController;
  automation: AutomationEngine;
  registry: MethodRegistry;
  /** Internals for the portal page layer (sandbox/ui): the runtime every handler sees and the app lifecycle. */
  runtime: PortalRuntime;
  apps: AppLifecycle;
  registerApp(input: RegisterAppInput): SApp;
  install(opts?: { userId?: number; clientId?: string; https?: boolean; lang?: string }): Promise<InstallResult>;
  markInstallFinished(clientId?: string): void;
  uninstall(opts?: { clean?: boolean; clientId?: string }): Promise<number[]>;
  update(version: number, opts?: { clientId?: string; keepEventBindings?: boolean }): Promise<number[]>;
  issueTokens(userId: number, clientId?: string): ReturnType<AppLifecycle['issueTokens']>;
  /** Another incoming webhook (e.g. for a manager, or with limited scopes); returns its URL on the HTTP face. */
  createWebhook(opts: { userId: number; scope?: string[] | null; title?: string }): { url: string; httpsUrl: string | null; secret: string };
  /** CRM item permission of a user: full (default), read (no add/update/delete) or none (ACCESS_DENIED on get). */
  setCrmAccess(userId: number, access: 'full' | 'read' | 'none'): void;
  /** Resolves when every queued event/robot delivery and runnable workflow step has been attempted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: http.Server | https.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server | https.Server | null): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** Starts one independent portal (own member_id, ports, store). */
export async function startSandboxPortal(opts: SandboxPortalOptions = {}): Promise<SandboxPortal> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger ?? pino({ level: 'silent' });
  const clock = createClock();
  const store = new SandboxStore();
  let persistence: StorePersistence | null = null;
  if (opts.persistFile) persistence = await attachPersistence(store, opts.persistFile);
  const restored = persistence?.restored ?? false;
  if (!restored) {
    seedBase(store, clock.now());
    store.setSetting('memberId', opts.memberId ?? randomHex(16));
    store.setSetting('controlSecret', opts.controlSecret ?? randomToken(24));
  }
  const users = restored ? seededUsersFrom(store) : opts.seedDemo === false ? seededUsersFrom(store) : seedDemo(store, clock.now());
  const memberId = opts.memberId ?? store.getSetting<string>('memberId') ?? randomHex(16);
  const controlSecret = opts.controlSecret ?? store.getSetting<string>('controlSecret') ?? randomToken(24);

  const plan = opts.plan ?? 'default';
  const limits = plan === 'enterprise' ? { burst: 250, drainPerSecond: 5 } : { burst: 50, drainPerSecond: 2 };
  const bucket = new LeakyBucket(limits.burst, limits.drainPerSecond, clock);
  const operating = new OperatingTracker(clock, 480);
  const faults = new FaultController({ clock, store, bucket, operating, defaults: { ...limits, operatingLimitSec: 480 } });
  const registry = new MethodRegistry();

  const addresses: PortalAddresses = { httpUrl: '', httpsUrl: null, httpDomain: '', httpsDomain: null };
  const events: EventDispatcher = new EventDispatcher(() => rt);
  const automation: AutomationEngine = new AutomationEngine(() => rt, events);
  const rt: PortalRuntime = {
    memberId,
    plan,
    store,
    clock,
    logger,
    faults,
    bucket,
    operating,
    registry,
    events,
    automation,
    languageId: 'ru',
    addresses: () => addresses,
    serverEndpoint: () => `${addresses.httpUrl}/oauth-server/rest/`,
    clientEndpoint: (face: Face) => `${face === 'https' && addresses.httpsUrl ? addresses.httpsUrl : addresses.httpUrl}/rest/`,
    domain: (face: Face) => (face === 'https' && addresses.httpsDomain ? addresses.httpsDomain : addresses.httpDomain),
  };
  const apps = new AppLifecycle(() => rt, events);
  registerAllMethods(registry, () => automation);

  const idle = async () => {
    for (let i = 0; i < 1000; i++) {
      await events.idle();
      await automation.idle();
      await new Promise((r) => setTimeout(r, 0));
      if (!events.busy && !automation.busy) return;
    }
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(express.text({ type: () => true, limit: '50mb' }));
  app.use('/rest', restCors, createRestHandler(rt));
  app.use('/oauth-server', createOAuthServerRouter(rt));
  app.get(['/oauth/authorize', '/oauth/authorize/'], (req, res) => createAuthorizeHandler(rt, faceOf(req))(req, res));
  const info = (): Record<string, unknown> => ({
    url: addresses.httpUrl,
    httpsUrl: addresses.httpsUrl,
    memberId,
    serverEndpoint: rt.serverEndpoint(),
    clientEndpoint: rt.clientEndpoint('http'),
    webhookUrl: portal.webhookUrl,
    httpsWebhookUrl: portal.httpsWebhookUrl,
    users,
    apps: store.apps.all().map((a) => ({ clientId: a.clientId, active: a.active, installed: a.installed, version: a.version })),
  });
  app.use('/_sandbox', createControlRouter({ rt, apps, automation, secret: controlSecret, info, idle }));
  app.use('/', createUiRouter(rt, apps, automation));
  app.use((_req, res) => void res.status(404).type('text').send('Not found'));

  const httpServer = http.createServer(app);
  const httpPort = await listen(httpServer, host, opts.httpPort ?? 0);
  addresses.httpUrl = `http://${host}:${httpPort}`;
  addresses.httpDomain = `${host}:${httpPort}`;

  let httpsServer: https.Server | null = null;
  let caCertPem: string | null = null;
  if (opts.httpsPort !== null) {
    const tls = await createSelfSignedTls(Date.now());
    caCertPem = tls.cert;
    httpsServer = https.createServer({ key: tls.key, cert: tls.cert }, app);
    const httpsPort = await listen(httpsServer, host, opts.httpsPort ?? 0);
    addresses.httpsUrl = `https://${host}:${httpsPort}`;
    addresses.httpsDomain = `${host}:${httpsPort}`;
  }

  const adminHook = store.webhooks.all().sort((a, b) => a.id - b.id).find((w) => w.userId === users.admin && w.scope === null);
  const hookPath = (userId: number, secret: string) => `/rest/${userId}/${secret}/`;

  const portal: SandboxPortal = {
    url: addresses.httpUrl,
    httpsUrl: addresses.httpsUrl,
    domain: addresses.httpDomain,
    httpsDomain: addresses.httpsDomain,
    memberId,
    serverEndpoint: rt.serverEndpoint(),
    clientEndpoint: rt.clientEndpoint('http'),
    httpsClientEndpoint: addresses.httpsUrl ? `${addresses.httpsUrl}/rest/` : null,
    caCertPem,
    webhookUrl: adminHook ? `${addresses.httpUrl}${hookPath(adminHook.userId, adminHook.secret)}` : '',
    httpsWebhookUrl: adminHook && addresses.httpsUrl ? `${addresses.httpsUrl}${hookPath(adminHook.userId, adminHook.secret)}` : null,
    controlSecret,
    users,
    store,
    clock,
    faults,
    automation,
    registry,
    runtime: rt,
    apps,
    registerApp: (input) => apps.register(input),
    install: (o) => apps.install(o),
    markInstallFinished: (clientId) => apps.markInstallFinished(clientId),
    uninstall: (o) => apps.uninstall(o),
    update: (version, o) => apps.update(version, o),
    issueTokens: (userId, clientId) => apps.issueTokens(userId, clientId),
    createWebhook({ userId, scope = null, title = '' }) {
      if (!store.users.get(userId)) throw new Error(`no user ${userId}`);
      const secret = randomToken(16);
      store.webhooks.insert({ id: store.nextId('webhook'), userId, secret, scope, title });
      return {
        url: `${addresses.httpUrl}${hookPath(userId, secret)}`,
        httpsUrl: addresses.httpsUrl ? `${addresses.httpsUrl}${hookPath(userId, secret)}` : null,
        secret,
      };
    },
    setCrmAccess(userId, access) {
      if (!store.users.update(userId, { crmAccess: access })) throw new Error(`no user ${userId}`);
    },
    idle,
    async close() {
      await idle().catch(() => undefined);
      await Promise.all([closeServer(httpServer), closeServer(httpsServer)]);
      await persistence?.close();
    },
  };
  return portal;
}

export type { TokenPair, InstallResult, RegisterAppInput, SeededUsers };
