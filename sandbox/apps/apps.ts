import { randomHex, randomToken } from '../core/random.js';
import type { Face, PortalRuntime } from '../core/runtime.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import { handlerAuth } from '../events/event-auth.js';
import { postForm, type PostResult } from '../events/post-form.js';
import { issueTokenPair, type TokenPair } from '../oauth/tokens.js';
import type { SApp } from '../store/types.js';

/**
 * What the portal does around an application's life: registration (a local app's card), installation by an admin
 * (install page POST + ONAPPINSTALL), installFinish, update (ONAPPUPDATE) and removal (ONAPPUNINSTALL).
 * settings/app-installation/*, settings/oauth/simple-way.md, api-reference/common/events/on-app-*.md.
 */
export interface RegisterAppInput {
  clientId: string;
  clientSecret: string;
  appUrl: string;
  installUrl: string;
  scope: string[];
  version?: number;
  installEventHandlerUrl?: string;
  /** Where /oauth/authorize/ sends the user back; defaults to appUrl. */
  redirectUrl?: string;
  code?: string;
  status?: SApp['status'];
}

export interface InstallResult {
  applicationToken: string;
  /** The install page's answer (what the admin would see in the slider). */
  page: PostResult;
  /** HTTP status of the ONAPPINSTALL delivery (null when there is no handler or it failed/was dropped). */
  eventStatus: number | null;
  /** The token pair the install page received (AUTH_ID / REFRESH_ID). */
  tokens: TokenPair;
}

export class AppLifecycle {
  constructor(
    private readonly rt: () => PortalRuntime,
    private readonly events: EventDispatcher,
  ) {}

  register(input: RegisterAppInput): SApp {
    const rt = this.rt();
    const existing = rt.store.apps.get(input.clientId);
    const app: SApp = {
      id: existing?.id ?? rt.store.nextId('app'),
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      code: input.code ?? input.clientId,
      appUrl: input.appUrl,
      installUrl: input.installUrl,
      redirectUrl: input.redirectUrl ?? null,
      installEventHandlerUrl: input.installEventHandlerUrl ?? null,
      scope: [...input.scope],
      version: input.version ?? 1,
      status: input.status ?? 'L',
      active: existing?.active ?? false,
      installed: existing?.installed ?? false,
      applicationToken: existing?.applicationToken ?? null,
      installedBy: existing?.installedBy ?? null,
      accessUserIds: existing?.accessUserIds ?? null,
      face: existing?.face ?? 'http',
      languageId: rt.languageId,
    };
    rt.store.apps.insert(app);
    return app;
  }

  app(clientId?: string): SApp {
    const rt = this.rt();
    const apps = rt.store.apps.all();
    const app = clientId ? rt.store.apps.get(clientId) : apps[apps.length - 1];
    if (!app) throw new Error(clientId ? `no app ${clientId} is registered` : 'no app is registered (registerApp first)');
    return app;
  }

  /**
   * An admin installs the app: the portal opens the install page (POST with the query/body split of
   * settings/oauth/simple-way.md) and queues ONAPPINSTALL with its own token pair and the application_token.
   */
  async install(opts: { userId?: number; clientId?: string; https?: boolean; lang?: string } = {}): Promise<InstallResult> {
    const rt = this.rt();
    const app = this.app(opts.clientId);
    const userId = opts.userId ?? 1;
    const user = rt.store.users.get(userId);
    if (!user?.IS_ADMIN) throw new Error('only an administrator can install an application');
    const face: Face = opts.https ? 'https' : 'http';
    if (face === 'https' && !rt.addresses().httpsUrl) throw new Error('this portal has no HTTPS face');
    app.active = true;
    app.installed = false;
    app.installedBy = userId;
    app.face = face;
    app.applicationToken = randomHex(16);
    rt.store.apps.touch();

    const pageTokens = issueTokenPair(rt, app, userId, face);
    const lang = opts.lang ?? rt.languageId;
    const page = await postForm(
      app.installUrl,
      {
        AUTH_ID: pageTokens.accessToken,
        AUTH_EXPIRES: String(pageTokens.expiresIn),
        REFRESH_ID: pageTokens.refreshToken,
        SERVER_ENDPOINT: rt.serverEndpoint(),
        member_id: rt.memberId,
        status: app.status,
        PLACEMENT: 'DEFAULT',
        PLACEMENT_OPTIONS: '{}',
        APPLICATION_TOKEN: app.applicationToken,
        APPLICATION_SCOPE: app.scope.join(','),
      },
      { query: { DOMAIN: rt.domain(face), PROTOCOL: face === 'https' ? '1' : '0', LANG: lang, APP_SID: randomToken(32) } },
    );

    let eventStatus: number | null = null;
    if (app.installEventHandlerUrl) {
      const eventTokens = issueTokenPair(rt, app, userId, face);
      const body = {
        event: 'ONAPPINSTALL',
        data: { VERSION: String(app.version), ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: lang },
        ts: String(Math.floor(rt.clock.now() / 1000)),
        auth: {
          domain: rt.domain(face),
          scope: app.scope.join(','),
          access_token: eventTokens.accessToken,
          refresh_token: eventTokens.refreshToken,
          expires_in: String(eventTokens.expiresIn),
          server_endpoint: rt.serverEndpoint(),
          status: app.status,
          client_endpoint: rt.clientEndpoint(face),
          member_id: rt.memberId,
          application_token: app.applicationToken,
        },
      };
      eventStatus = await this.events.deliverToApp(app, app.installEventHandlerUrl, body, 'ONAPPINSTALL');
    }
    return { applicationToken: app.applicationToken, page, eventStatus, tokens: pageTokens };
  }

  /** What installFinish() in the install frame does (the frame protocol arrives with sandbox/ui later). */
  markInstallFinished(clientId?: string): void {
    const app = this.app(clientId);
    if (!app.active) throw new Error('the app is not installed');
    app.installed = true;
    this.rt().store.apps.touch();
  }

  /** A token pair for `userId`, as a placement or app page POST would carry it. */
  issueTokens(userId: number, clientId?: string): TokenPair & { applicationToken: string | null; memberId: string; domain: string; serverEndpoint: string; clientEndpoint: string } {
    const rt = this.rt();
    const app = this.app(clientId);
    if (!app.active) throw new Error('the app is not installed');
    if (!rt.store.users.get(userId)) throw new Error(`no user ${userId}`);
    const pair = issueTokenPair(rt, app, userId);
    return { ...pair, applicationToken: app.applicationToken, memberId: rt.memberId, domain: rt.domain(app.face), serverEndpoint: rt.serverEndpoint(), clientEndpoint: rt.clientEndpoint(app.face) };
  }

  /** ONAPPUPDATE with fresh tokens; the app's event bindings are dropped afterwards (event-bind.md note). */
  async update(version: number, opts: { clientId?: string; keepEventBindings?: boolean } = {}): Promise<number[]> {
    const rt = this.rt();
    const app = this.app(opts.clientId);
    if (!app.active) throw new Error('the app is not installed');
    const previous = app.version;
    app.version = version;
    rt.store.apps.touch();
    const statuses: number[] = [];
    for (const url of this.handlersFor(app, 'ONAPPUPDATE')) {
      const tokens = issueTokenPair(rt, app, app.installedBy ?? 1);
      const body = {
        event: 'ONAPPUPDATE',
        data: { VERSION: String(version), PREVIOUS_VERSION: String(previous), LANGUAGE_ID: app.languageId },
        ts: String(Math.floor(rt.clock.now() / 1000)),
        auth: { ...handlerAuth(rt, app, null), scope: app.scope.join(','), access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: String(tokens.expiresIn), status: app.status },
      };
      const status = await this.events.deliverToApp(app, url, body, 'ONAPPUPDATE');
      if (status !== null) statuses.push(status);
    }
    if (!opts.keepEventBindings) rt.store.eventBindings.deleteWhere((b) => b.clientId === app.clientId);
    return statuses;
  }

  /** ONAPPUNINSTALL (auth without tokens, data[CLEAN]) then everything the app registered goes away. */
  async uninstall(opts: { clean?: boolean; clientId?: string } = {}): Promise<number[]> {
    const rt = this.rt();
    const app = this.app(opts.clientId);
    if (!app.active) throw new Error('the app is not installed');
    const statuses: number[] = [];
    const body = {
      event: 'ONAPPUNINSTALL',
      data: { LANGUAGE_ID: app.languageId, CLEAN: opts.clean ? '1' : '0' },
      ts: String(Math.floor(rt.clock.now() / 1000)),
      auth: handlerAuth(rt, app, null),
    };
    for (const url of this.handlersFor(app, 'ONAPPUNINSTALL')) {
      const status = await this.events.deliverToApp(app, url, body, 'ONAPPUNINSTALL');
      if (status !== null) statuses.push(status);
    }
    const { store } = rt;
    store.placements.deleteWhere((p) => p.clientId === app.clientId);
    store.robots.deleteWhere((r) => r.clientId === app.clientId);
    store.eventBindings.deleteWhere((b) => b.clientId === app.clientId);
    store.accessTokens.deleteWhere((t) => t.clientId === app.clientId);
    store.refreshTokens.deleteWhere((t) => t.clientId === app.clientId);
    for (const rule of store.automationRules.all()) rule.robots = rule.robots.filter((r) => r.clientId !== app.clientId);
    store.automationRules.deleteWhere((r) => r.robots.length === 0);
    if (opts.clean) store.settings.delete(`appOptions:${app.clientId}`);
    Object.assign(app, { active: false, installed: false, applicationToken: null });
    store.apps.touch();
    return statuses;
  }

  /** Lifecycle handlers: the app's bindings for the event, else the install event handler of its card. */
  private handlersFor(app: SApp, event: string): string[] {
    const bound = this.rt().store.eventBindings.filter((b) => b.clientId === app.clientId && b.event === event && b.offline === 0).map((b) => b.handler);
    if (bound.length) return [...new Set(bound)];
    return app.installEventHandlerUrl ? [app.installEventHandlerUrl] : [];
  }
}
