import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ApiVersion, B24Hook, B24OAuth, type B24OAuthParams, type HandlerRefreshAuth, type RestrictionParams, type TypeHttp } from '@bitrix24/b24jssdk';
import { isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { B24Error, type B24Failure } from './b24-error.js';
import type { B24Call, B24Envelope } from './b24-client.js';
import type { PortalAuth, PortalTokenSource } from './portal-tokens.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * The wire layer: one HTTP request (or one `batch` request) through the official SDK's transport.
 *
 * From @bitrix24/b24jssdk we use: B24OAuth / B24Hook (endpoint and auth placement: `auth` in the JSON body for apps,
 * the secret in the path for webhooks), HttpV2.call / HttpV2.batch (URL building with the request id, JSON POST, batch
 * command encoding in the PHP bracket format, error-body parsing into AjaxError).
 *
 * We switch off, so nothing is done twice:
 * - the SDK's rate limiter and adaptive delay — ours is shared across instances (rate-limiter.ts);
 * - the SDK's operating limiter — ours also reads nested batch times (operating-tracker.ts);
 * - the SDK's retries (maxRetries 1) — they resend writes after timeouts and 5xx, which can create duplicates;
 *   our loop retries only what was certainly refused, and reads;
 * - the SDK's token refresh — it coalesces only inside one object and keeps tokens in memory (portal-tokens.ts).
 *
 * We add, through interceptors on the SDK's own axios instance (`ajaxClient`, public API):
 * - pacing: every request, including the SDK's internal 401 retry, waits for the shared limiter first;
 * - token injection at send time: a request that waited in the limiter while another call refreshed goes out with the
 *   new token instead of burning a hit on a 401;
 * - 401 expired_token/invalid_token: one shared refresh (single-flight, cross-instance), then the same request is
 *   replayed — safe for any method because the portal refused it before processing;
 * - capture of the raw answer: the SDK's AjaxResult drops `total`/`next` of batch commands and all of a failed
 *   answer's context; we parse the envelope ourselves.
 * The capture reaches the caller through AsyncLocalStorage, so concurrent calls never see each other's answers.
 */

interface WireContext {
  hits: number;
  status?: number;
  body?: unknown;
  transport?: 'not_sent' | 'sent' | 'timeout';
  transportCode?: string;
  fatal?: B24Error;
}

const wire = new AsyncLocalStorage<WireContext>();

export type WireOutcome =
  | { ok: true; envelope: B24Envelope; hits: number }
  | { ok: false; failure: B24Failure; hits: number; body?: unknown };

export interface B24Transport {
  /** The limiter bucket (the portal's member_id, or the webhook's host). */
  readonly limiterKey: string;
  /** Who the portal's operating-time accounting is kept for (an app or one webhook). */
  readonly identity: string;
  send(method: string, params: Record<string, unknown>): Promise<WireOutcome>;
  sendBatch(calls: Record<string, B24Call> | B24Call[], halt: boolean): Promise<WireOutcome>;
  readonly tokens?: PortalTokenSource;
}

/** The SDK's limiters and retries, neutralised (see the header comment). */
export const SDK_RESTRICTIONS_OFF: RestrictionParams = {
  rateLimit: { burstLimit: 1e9, drainRate: 1e9, adaptiveEnabled: false },
  operatingLimit: { windowMs: 600_000, limitMs: Number.MAX_SAFE_INTEGER, heavyPercent: 100 },
  adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
  maxRetries: 1,
  retryDelay: 0,
  retryOnNetworkError: false,
};

export interface TransportOptions {
  limiter: RateLimiter;
  /** Per-request timeout. Default 65 s: the cloud stops a request after 60 s (limits.md) and answers that itself. */
  timeoutMs?: number;
  /** Extra CA certificates (PEM) to trust, e.g. the sandbox portal's. */
  caCertPem?: string;
}

/** Connection errors that happen before any byte of the request reached the portal. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED',
  'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

type B24Config = InternalAxiosRequestConfig & { b24?: { params?: unknown; token?: string; replayed?: boolean } };

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Keep-alive agents shared by every client of the process (one pair per extra CA), so creating clients freely never
 * piles up idle sockets; the portal sees few long-lived connections instead of a TLS handshake per call.
 */
const agents = new Map<string, { http: HttpAgent; https: HttpsAgent }>();
function agentsFor(caCertPem: string | undefined) {
  const key = caCertPem ?? '';
  let pair = agents.get(key);
  if (!pair) {
    const options = { keepAlive: true, maxSockets: 32 };
    pair = { http: new HttpAgent(options), https: new HttpsAgent(caCertPem ? { ...options, ca: caCertPem } : options) };
    agents.set(key, pair);
  }
  return pair;
}

function installInterceptors(client: AxiosInstance, opts: TransportOptions & { limiterKey: string; tokens?: PortalTokenSource }): void {
  client.defaults.timeout = opts.timeoutMs ?? 65_000;
  const shared = agentsFor(opts.caCertPem);
  client.defaults.httpAgent = shared.http;
  client.defaults.httpsAgent = shared.https;
  // A moved portal answers 302 to a POST (change-domen.md); following it as a GET would lose the body. Surface it.
  client.defaults.maxRedirects = 0;

  client.interceptors.request.use(async (config: B24Config) => {
    const ctx = wire.getStore();
    config.b24 ??= {};
    // On a replay the body was already serialised with the old token: start again from the parameters.
    if (config.b24.params !== undefined) config.data = config.b24.params;
    try {
      await opts.limiter.acquire(opts.limiterKey, 1);
    } catch (err) {
      // Without the shared limiter we could exceed the portal's limit together with other instances: do not send.
      const fatal = new B24Error({ code: 'LIMITER_UNAVAILABLE', kind: 'network', method: 'limiter', isRetryable: true, description: 'the shared rate limiter (Redis) is unavailable', cause: err });
      if (ctx) ctx.fatal = fatal;
      throw fatal;
    }
    if (opts.tokens && isPlainObject(config.data) && 'auth' in config.data) {
      let auth: PortalAuth;
      try {
        auth = await opts.tokens.current();
      } catch (err) {
        if (ctx && err instanceof B24Error) ctx.fatal = err;
        throw err;
      }
      config.data = { ...config.data, auth: auth.accessToken };
      config.b24.token = auth.accessToken;
    }
    config.b24.params = config.data;
    if (ctx) ctx.hits += 1;
    return config;
  });

  client.interceptors.response.use(
    (response) => {
      const ctx = wire.getStore();
      if (ctx) {
        ctx.status = response.status;
        ctx.body = response.data;
      }
      return response;
    },
    async (error: unknown) => {
      const ctx = wire.getStore();
      if (!isAxiosError(error)) throw error;
      const config = error.config as B24Config | undefined;
      if (error.response) {
        const body = error.response.data as { error?: unknown } | undefined;
        const code = isPlainObject(body) ? body.error : undefined;
        if (opts.tokens && config && error.response.status === 401 && (code === 'expired_token' || code === 'invalid_token') && !config.b24?.replayed) {
          try {
            await opts.tokens.refresh(config.b24?.token ?? '');
          } catch (refreshError) {
            if (ctx && refreshError instanceof B24Error) ctx.fatal = refreshError;
            throw refreshError;
          }
          config.b24 = { ...config.b24, replayed: true };
          return client.request(config);
        }
        if (ctx) {
          ctx.status = error.response.status;
          ctx.body = error.response.data;
        }
      } else if (ctx) {
        const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
        ctx.transportCode = code;
        ctx.transport = code && NOT_SENT_CODES.has(code) ? 'not_sent' : code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timeout' : 'sent';
      }
      throw error;
    },
  );
}

function outcomeFrom(ctx: WireContext, sdkError: unknown, method: string): WireOutcome {
  if (ctx.fatal) throw ctx.fatal;
  const body = ctx.body;
  if (ctx.status !== undefined) {
    if (isPlainObject(body) && typeof body.error === 'string') {
      return {
        ok: false,
        hits: ctx.hits,
        body,
        failure: { httpStatus: ctx.status, code: body.error, description: typeof body.error_description === 'string' ? body.error_description : undefined },
      };
    }
    if (ctx.status >= 200 && ctx.status < 300 && isPlainObject(body) && 'result' in body) {
      return { ok: true, hits: ctx.hits, envelope: normaliseEnvelope(body) };
    }
    const redirected = ctx.status >= 300 && ctx.status < 400;
    return {
      ok: false,
      hits: ctx.hits,
      body,
      failure: {
        httpStatus: ctx.status,
        code: redirected ? 'PORTAL_MOVED' : undefined,
        description: redirected ? 'the portal answered with a redirect (domain changed?)' : 'unexpected answer without result or error',
      },
    };
  }
  if (ctx.hits === 0) {
    // Nothing went out: the SDK refused the call itself (e.g. circular params) or the limiter failed.
    throw new B24Error({
      code: (sdkError as { code?: string } | undefined)?.code ?? 'CLIENT_ERROR',
      kind: 'invalid_request',
      method,
      description: sdkError instanceof Error ? sdkError.message : 'the request could not be prepared',
      cause: sdkError,
    });
  }
  return {
    ok: false,
    hits: ctx.hits,
    failure: {
      transport: ctx.transport ?? 'sent',
      code: ctx.transport === 'timeout' ? 'REQUEST_TIMEOUT' : ctx.transport === 'not_sent' ? 'NETWORK_ERROR' : 'CONNECTION_LOST',
      description: ctx.transportCode,
    },
  };
}

function normaliseEnvelope(body: Record<string, unknown>): B24Envelope {
  const env: B24Envelope = { result: body.result };
  if (body.total !== undefined && body.total !== null) env.total = Number(body.total);
  if (body.next !== undefined && body.next !== null) env.next = Number(body.next);
  if (isPlainObject(body.time)) env.time = body.time as B24Envelope['time'];
  return env;
}

async function run(method: string, work: () => Promise<unknown>): Promise<WireOutcome> {
  const ctx: WireContext = { hits: 0 };
  let sdkError: unknown;
  try {
    await wire.run(ctx, work);
  } catch (err) {
    sdkError = err;
  }
  return outcomeFrom(ctx, sdkError, method);
}

function batchOf(calls: Record<string, B24Call> | B24Call[]) {
  // The SDK takes {method, params} in both shapes; an array keeps numeric keys for `$result[0][…]` references.
  return Array.isArray(calls)
    ? calls.map((c) => ({ method: c.method, params: c.params ?? {} }))
    : Object.fromEntries(Object.entries(calls).map(([k, c]) => [k, { method: c.method, params: c.params ?? {} }]));
}

function makeTransport(getHttp: () => Promise<TypeHttp>, keys: () => { limiterKey: string; identity: string }, tokens?: PortalTokenSource): B24Transport {
  return {
    get limiterKey() {
      return keys().limiterKey;
    },
    get identity() {
      return keys().identity;
    },
    tokens,
    async send(method, params) {
      const http = await getHttp();
      return run(method, () => http.call(method, params));
    },
    async sendBatch(calls, halt) {
      const http = await getHttp();
      return run('batch', () => http.batch(batchOf(calls) as Parameters<TypeHttp['batch']>[0], { isHaltOnError: halt }));
    },
  };
}

/** SDK parameters for an app client. The SDK never sees the refresh token: refreshes go through portal-tokens.ts. */
function oauthParams(auth: PortalAuth): B24OAuthParams {
  return {
    applicationToken: '',
    userId: auth.userId ?? 0,
    memberId: auth.memberId,
    accessToken: auth.accessToken,
    refreshToken: 'held-by-dealerhub',
    // Far in the future so the SDK never refreshes on its own (auto-renewal.md: refresh on 401 expired_token only).
    expires: Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600,
    expiresIn: 3600,
    scope: auth.scope.join(','),
    domain: auth.domain,
    // Without the trailing slash the SDK builds `…/rest/<method>` rather than `…/rest//<method>`.
    clientEndpoint: auth.clientEndpoint.replace(/\/+$/, ''),
    serverEndpoint: auth.serverEndpoint,
    status: (auth.appStatus ?? 'L') as B24OAuthParams['status'],
  };
}

function toRefreshPayload(auth: PortalAuth): HandlerRefreshAuth {
  return {
    access_token: auth.accessToken,
    refresh_token: 'held-by-dealerhub',
    expires: Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600,
    expires_in: 3600,
    client_endpoint: auth.clientEndpoint,
    server_endpoint: auth.serverEndpoint,
    member_id: auth.memberId,
    scope: auth.scope.join(','),
    status: auth.appStatus ?? 'L',
    domain: auth.domain,
  } as unknown as HandlerRefreshAuth;
}

/** The transport of an installed app: B24OAuth with tokens from the tenant store. */
export function createOAuthTransport(tokens: PortalTokenSource, options: TransportOptions): B24Transport {
  let sdk: { http: TypeHttp; endpoint: string } | null = null;
  let memberId = '';
  let building: Promise<TypeHttp> | null = null;

  async function build(): Promise<TypeHttp> {
    const auth = await tokens.current();
    memberId = auth.memberId;
    const b24 = new B24OAuth(oauthParams(auth), { clientId: 'held-by-dealerhub', clientSecret: 'held-by-dealerhub' }, { restrictionParams: SDK_RESTRICTIONS_OFF });
    // If a 401 slips past our interceptor (the replay was refused too), the SDK's own one retry gets the freshest
    // stored pair instead of calling the OAuth server with credentials it does not have.
    b24.setCustomRefreshAuth(async () => toRefreshPayload(await tokens.current()));
    const http = b24.getHttpClient(ApiVersion.v2);
    installInterceptors(http.ajaxClient, { ...options, limiterKey: auth.memberId, tokens });
    sdk = { http, endpoint: auth.clientEndpoint };
    return http;
  }

  async function getHttp(): Promise<TypeHttp> {
    const auth = await tokens.current();
    // The portal's REST address can change with a refresh (domain change): rebuild the SDK object then.
    if (sdk && sdk.endpoint === auth.clientEndpoint) return sdk.http;
    building ??= build().finally(() => {
      building = null;
    });
    return building;
  }

  return makeTransport(getHttp, () => ({ limiterKey: memberId, identity: `app:${memberId}` }), tokens);
}

/**
 * The transport of an incoming webhook (B24Hook). The SDK insists on https and a numeric user id in the URL
 * (hook/b24.ts `fromWebhookUrl`), which is also what Bitrix24 issues.
 */
export function createHookTransport(webhookUrl: string, options: TransportOptions & { limiterKey?: string }): B24Transport {
  const b24 = B24Hook.fromWebhookUrl(webhookUrl, { restrictionParams: SDK_RESTRICTIONS_OFF });
  const http = b24.getHttpClient(ApiVersion.v2);
  const url = new URL(webhookUrl);
  const limiterKey = options.limiterKey ?? url.host;
  const userId = url.pathname.split('/').filter(Boolean).at(-2) ?? '0';
  installInterceptors(http.ajaxClient, { ...options, limiterKey });
  const keys = { limiterKey, identity: `hook:${url.host}:${userId}` };
  return makeTransport(async () => http, () => keys);
}
