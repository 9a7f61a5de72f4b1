import type { AppConfig } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { PortalsRepository } from '../modules/portals/portals.repository.js';
import { B24Error } from './b24-error.js';
import { OAuthServerError, refreshOAuthToken } from './oauth-server.js';
import { isTrustedOAuthServer } from './portal-domains.js';
import type { RefreshLock } from './refresh-lock.js';

/** The tenant's current OAuth pair and where to use it. */
export interface PortalAuth {
  portalId: number;
  memberId: string;
  domain: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  clientEndpoint: string;
  serverEndpoint: string;
  scope: string[];
  appStatus: string | null;
  userId: number | null;
}

/**
 * Tokens of one portal, shared by every client of that portal in this process (one object per repository + portal).
 *
 * Refresh happens only after the portal answered 401 expired_token/invalid_token (settings/oauth/auto-renewal.md: do
 * not refresh on a schedule), once for all waiting calls:
 * - in process: calls whose token already changed get the new one; concurrent callers share one promise;
 * - across instances: a short lock (Redis when configured); after taking it — and while waiting for it — the tokens
 *   are re-read from the database, because another instance may have refreshed already and refresh tokens rotate;
 * - the new pair is stored (saveTokens) before anyone uses it, so a crash never loses the only valid refresh token;
 * - a refused refresh (invalid_grant: revoked, expired after 180 days, app removed) marks the tenant
 *   'reinstall_required' and fails with a B24Error of that kind.
 *
 * Why not the SDK's refresh (oauth/auth.ts `refreshAuth`, abstract-http.ts `_refreshAuth`): it coalesces refreshes only
 * inside one B24OAuth object and keeps the pair in memory; it cannot re-read the store or lock across instances.
 */
export interface PortalTokenSource {
  current(): Promise<PortalAuth>;
  /** The portal refused `failedAccessToken`; returns a newer pair (refreshing at the OAuth server only if needed). */
  refresh(failedAccessToken: string): Promise<PortalAuth>;
  /** Refresh requests this process sent to the OAuth server (successful or not). */
  readonly refreshCount: number;
}

export interface PortalTokenDeps {
  portals: PortalsRepository;
  config: AppConfig;
  logger: Logger;
  portalId: number;
  lock: RefreshLock;
  /** How long a refresh may hold the lock. */
  lockTtlMs?: number;
  /** How long to wait for another instance's refresh before giving up. */
  lockWaitMs?: number;
}

const registry = new WeakMap<PortalsRepository, Map<number, PortalTokenSource>>();

/** One token source per (repository, portal): every client of the portal in this process shares it. */
export function portalTokenSource(deps: PortalTokenDeps): PortalTokenSource {
  let perRepo = registry.get(deps.portals);
  if (!perRepo) registry.set(deps.portals, (perRepo = new Map()));
  let source = perRepo.get(deps.portalId);
  if (!source) perRepo.set(deps.portalId, (source = createPortalTokenSource(deps)));
  return source;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPortalTokenSource(deps: PortalTokenDeps): PortalTokenSource {
  const { portals, portalId, logger } = deps;
  const lockTtlMs = deps.lockTtlMs ?? 30_000;
  const lockWaitMs = deps.lockWaitMs ?? 25_000;
  let cached: PortalAuth | null = null;
  let inflight: Promise<PortalAuth> | null = null;
  let refreshCount = 0;
  let loadedAt = 0;

  const fail = (code: string, kind: B24Error['kind'], description: string, extra: { cause?: unknown; retryable?: boolean } = {}) =>
    new B24Error({ code, kind, description, method: 'oauth/token', portalId, isRetryable: extra.retryable ?? false, cause: extra.cause });

  async function load(): Promise<PortalAuth> {
    const portal = await portals.findById(portalId);
    if (!portal) throw fail('PORTAL_NOT_FOUND', 'auth', `portal ${portalId} is not registered`);
    if (portal.status === 'reinstall_required') {
      throw fail('REINSTALL_REQUIRED', 'reinstall_required', 'the app lost its authorization on this portal; an administrator must reinstall or reopen it');
    }
    if (portal.status === 'uninstalled') throw fail('APP_UNINSTALLED', 'auth', 'the app is uninstalled from this portal');
    const tokens = await portals.getTokens(portalId);
    if (!tokens) throw fail('NO_TOKENS', 'auth', 'no OAuth tokens are stored for this portal');
    return {
      portalId,
      memberId: portal.memberId,
      domain: portal.domain,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      clientEndpoint: portal.clientEndpoint ?? `${portal.protocol}://${portal.domain}/rest/`,
      serverEndpoint: portal.serverEndpoint ?? 'https://oauth.bitrix.info/rest/',
      scope: portal.scope,
      appStatus: portal.appStatus,
      userId: tokens.userId ?? portal.tokenUserId,
    };
  }

  async function exchange(auth: PortalAuth): Promise<PortalAuth> {
    // The client secret only ever goes to an OAuth server we trust (same rule as install verification).
    if (!isTrustedOAuthServer(auth.serverEndpoint, deps.config.b24.oauthServers)) {
      throw fail('UNTRUSTED_OAUTH_SERVER', 'auth', 'the stored server_endpoint is not a trusted Bitrix24 OAuth server');
    }
    let answer;
    refreshCount += 1;
    try {
      answer = await refreshOAuthToken({
        serverEndpoint: auth.serverEndpoint,
        clientId: deps.config.app.clientId,
        clientSecret: deps.config.app.clientSecret,
        refreshToken: auth.refreshToken,
      });
    } catch (err) {
      if (err instanceof OAuthServerError) {
        if (err.code === 'invalid_grant') {
          // Refresh tokens rotate: if the stored one changed meanwhile, another instance (one without the shared lock,
          // e.g. REDIS_URL missing) refreshed first — its pair is valid, so the tenant is fine.
          const stored = await load().catch(() => null);
          if (stored && stored.refreshToken !== auth.refreshToken) {
            logger.warn({ portalId }, 'b24 refresh raced with another instance; using its tokens (is REDIS_URL shared by all instances?)');
            return stored;
          }
          await portals.setStatus(portalId, 'reinstall_required');
          logger.warn({ portalId, code: err.code }, 'b24 refresh token refused; portal marked reinstall_required');
          throw fail('invalid_grant', 'reinstall_required', 'the refresh token was refused (revoked or expired); an administrator must reinstall or reopen the app', { cause: err });
        }
        if (err.code === 'PAYMENT_REQUIRED') throw fail(err.code, 'payment_required', 'the application subscription or trial has ended', { cause: err });
        const transient = (err.httpStatus ?? 0) >= 500 || err.code === 'invalid_response';
        throw fail(err.code, transient ? 'server' : 'auth', err.message, { cause: err, retryable: transient });
      }
      throw fail('OAUTH_SERVER_UNREACHABLE', 'network', 'the OAuth server could not be reached', { cause: err, retryable: true });
    }
    if (answer.member_id !== auth.memberId) {
      throw fail('MEMBER_MISMATCH', 'auth', 'the OAuth server answered for a different portal');
    }
    const next: PortalAuth = {
      ...auth,
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      expiresAt: new Date(Date.now() + answer.expires_in * 1000),
      clientEndpoint: answer.client_endpoint,
      serverEndpoint: answer.server_endpoint,
      scope: answer.scope ? answer.scope.split(',').map((s) => s.trim()).filter(Boolean) : auth.scope,
      appStatus: answer.status ?? auth.appStatus,
      userId: answer.user_id ?? auth.userId,
    };
    // Persist before use: the old refresh token is spent now, the new one exists only in this variable.
    let saveError: unknown;
    for (let i = 0; i < 3; i++) {
      try {
        await portals.saveTokens(portalId, {
          accessToken: next.accessToken,
          refreshToken: next.refreshToken,
          expiresAt: next.expiresAt,
          userId: next.userId,
          clientEndpoint: next.clientEndpoint,
          serverEndpoint: next.serverEndpoint,
          scope: next.scope,
        });
        saveError = undefined;
        break;
      } catch (err) {
        saveError = err;
        await sleep(100 * (i + 1));
      }
    }
    if (saveError) throw fail('TOKEN_SAVE_FAILED', 'server', 'the refreshed tokens could not be stored', { cause: saveError, retryable: false });
    logger.info({ portalId }, 'b24 tokens refreshed');
    return next;
  }

  async function refreshGuarded(failed: string): Promise<PortalAuth> {
    const lockKey = `refresh:${cached?.memberId ?? portalId}`;
    const deadline = Date.now() + lockWaitMs;
    let release: (() => Promise<void>) | null;
    while (!(release = await deps.lock.tryAcquire(lockKey, lockTtlMs))) {
      const fresh = await load();
      if (fresh.accessToken !== failed) return fresh;
      if (Date.now() > deadline) throw fail('REFRESH_LOCK_TIMEOUT', 'server', 'another instance holds the token refresh lock for too long', { retryable: true });
      await sleep(40 + Math.random() * 40);
    }
    try {
      const fresh = await load();
      if (fresh.accessToken !== failed) return fresh; // refreshed by another instance while we were getting here
      return await exchange(fresh);
    } finally {
      await release();
    }
  }

  return {
    get refreshCount() {
      return refreshCount;
    },
    async current() {
      // While a refresh is running, the old token is known to be refused: wait for the new one instead of wasting a hit.
      if (inflight) return inflight;
      // An expired pair is re-read (another instance may hold a newer one), never refreshed here: refresh is for 401s.
      const now = Date.now();
      if (!cached || (cached.expiresAt.getTime() <= now && now - loadedAt > 5_000)) {
        cached = await load();
        loadedAt = now;
      }
      return cached;
    },
    async refresh(failed) {
      if (cached && cached.accessToken !== failed) return cached;
      if (!inflight) {
        inflight = refreshGuarded(failed)
          .then((auth) => (cached = auth))
          .catch((err: unknown) => {
            // A tenant that needs reinstalling must fail fast on every later call, not retry with a refused token.
            if (err instanceof B24Error && err.kind === 'reinstall_required') cached = null;
            throw err;
          })
          .finally(() => {
            inflight = null;
          });
      }
      return inflight;
    },
  };
}
