import { randomToken } from '../core/random.js';
import type { Face, PortalRuntime } from '../core/runtime.js';
import type { SApp } from '../store/types.js';

/**
 * The OAuth server's side of the portal (settings/oauth/index.md, auto-renewal.md): access tokens live an hour
 * (shortenable per test), refresh tokens 180 days and rotate on every refresh, authorization codes 30 s.
 */
export const REFRESH_TOKEN_LIFETIME_MS = 180 * 86_400_000;
export const AUTH_CODE_LIFETIME_MS = 30_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  /** Unix seconds. */
  expires: number;
  userId: number;
  scope: string[];
  face: Face;
}

/**
 * Expired access tokens still answer `expired_token` for a day, then go (events and robots mint a token per delivery,
 * so a long demo would otherwise keep them all).
 */
function purgeOldTokens(rt: PortalRuntime): void {
  if (rt.store.accessTokens.size < 5000) return;
  const cutoff = rt.clock.now() - 86_400_000;
  rt.store.accessTokens.deleteWhere((t) => t.expiresAt < cutoff);
  rt.store.authCodes.deleteWhere((c) => c.expiresAt < cutoff);
}

export function issueTokenPair(rt: PortalRuntime, app: SApp, userId: number, face: Face = app.face): TokenPair {
  purgeOldTokens(rt);
  const now = rt.clock.now();
  const lifetime = rt.faults.tokenLifetimeSec;
  const accessToken = randomToken(32);
  const refreshToken = randomToken(32);
  rt.store.accessTokens.insert({ token: accessToken, clientId: app.clientId, userId, scope: [...app.scope], expiresAt: now + lifetime * 1000, face });
  rt.store.refreshTokens.insert({ token: refreshToken, clientId: app.clientId, userId, scope: [...app.scope], expiresAt: now + REFRESH_TOKEN_LIFETIME_MS, face });
  return { accessToken, refreshToken, expiresIn: lifetime, expires: Math.floor((now + lifetime * 1000) / 1000), userId, scope: [...app.scope], face };
}

/** Just an access token (event/robot `auth` blocks carry no refresh token). */
export function issueAccessToken(rt: PortalRuntime, app: SApp, userId: number, face: Face = app.face): { token: string; expiresIn: number; expires: number } {
  purgeOldTokens(rt);
  const now = rt.clock.now();
  const lifetime = rt.faults.tokenLifetimeSec;
  const token = randomToken(32);
  rt.store.accessTokens.insert({ token, clientId: app.clientId, userId, scope: [...app.scope], expiresAt: now + lifetime * 1000, face });
  return { token, expiresIn: lifetime, expires: Math.floor((now + lifetime * 1000) / 1000) };
}

/** The token endpoint's JSON answer (auto-renewal.md): `domain` is the OAuth server's, client_endpoint the portal's. */
export function tokenResponse(rt: PortalRuntime, app: SApp, pair: TokenPair): Record<string, unknown> {
  const server = new URL(rt.serverEndpoint());
  return {
    access_token: pair.accessToken,
    expires: pair.expires,
    expires_in: pair.expiresIn,
    scope: pair.scope.join(','),
    domain: server.host,
    server_endpoint: rt.serverEndpoint(),
    status: app.status,
    client_endpoint: rt.clientEndpoint(pair.face),
    member_id: rt.memberId,
    user_id: pair.userId,
    refresh_token: pair.refreshToken,
  };
}

export class OAuthError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(description);
  }
}

function authenticateClient(rt: PortalRuntime, clientId: unknown, clientSecret: unknown): SApp {
  if (typeof clientId !== 'string' || clientId === '') throw new OAuthError('invalid_request', 'client_id is required', 400);
  const app = rt.store.apps.get(clientId);
  if (!app || app.clientSecret !== clientSecret) throw new OAuthError('invalid_client', 'Invalid client credentials', 401);
  if (!app.active) throw new OAuthError('invalid_client', 'Application is not installed', 401);
  return app;
}

/** grant_type=refresh_token: the old refresh token is spent (a second use answers invalid_grant). */
export function refreshGrant(rt: PortalRuntime, input: Record<string, unknown>): Record<string, unknown> {
  const app = authenticateClient(rt, input.client_id, input.client_secret);
  const token = typeof input.refresh_token === 'string' ? rt.store.refreshTokens.get(input.refresh_token) : undefined;
  if (!token || token.clientId !== app.clientId || token.expiresAt <= rt.clock.now()) {
    throw new OAuthError('invalid_grant', 'Invalid refresh token', 400);
  }
  rt.store.refreshTokens.delete(token.token);
  const user = rt.store.users.get(token.userId);
  if (!user || !user.ACTIVE) throw new OAuthError('invalid_grant', 'User is not active', 400);
  return tokenResponse(rt, app, issueTokenPair(rt, app, token.userId, token.face));
}

/** grant_type=authorization_code: a code from /oauth/authorize/, valid 30 s and once. */
export function authorizationCodeGrant(rt: PortalRuntime, input: Record<string, unknown>): Record<string, unknown> {
  const app = authenticateClient(rt, input.client_id, input.client_secret);
  const code = typeof input.code === 'string' ? rt.store.authCodes.get(input.code) : undefined;
  if (!code || code.clientId !== app.clientId || code.used || code.expiresAt <= rt.clock.now()) {
    throw new OAuthError('invalid_grant', 'Invalid authorization code', 400);
  }
  code.used = true;
  rt.store.authCodes.touch();
  const pair = issueTokenPair(rt, app, code.userId, code.face);
  const { expires: _expires, user_id: _userId, ...rest } = tokenResponse(rt, app, pair);
  return rest;
}

export function createAuthCode(rt: PortalRuntime, app: SApp, userId: number, face: Face): string {
  const code = randomToken(32);
  rt.store.authCodes.insert({ code, clientId: app.clientId, userId, expiresAt: rt.clock.now() + AUTH_CODE_LIFETIME_MS, face, used: false });
  return code;
}
