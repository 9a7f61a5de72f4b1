import { safeEqual } from '../../server/lib/crypto.js';
import type { Face, PortalRuntime } from '../core/runtime.js';
import { SystemErrors } from './rest-error.js';
import type { CallAuth } from './registry.js';

/**
 * Finds the caller of a REST request. Webhooks carry `/{userId}/{secret}/` in the path; applications pass the access
 * token as `auth` (query or body), `access_token`, or an `Authorization: Bearer` header
 * (settings/how-to-call-rest-api/authorization.md; the rest module's OAuth auth reads the same three places).
 */
export function extractToken(params: Record<string, unknown>, authorizationHeader: string | undefined): string | null {
  const fromParams = params.auth ?? params.access_token;
  if (typeof fromParams === 'string' && fromParams !== '') return fromParams;
  const m = /^Bearer\s+(\S+)$/i.exec(authorizationHeader ?? '');
  return m ? (m[1] as string) : null;
}

export function resolveAuth(
  rt: PortalRuntime,
  input: { webhook: { userId: number; secret: string } | null; token: string | null; face: Face },
): CallAuth {
  const { store } = rt;
  if (input.webhook) {
    const { userId, secret } = input.webhook;
    const hook = store.webhooks.find((w) => w.userId === userId && safeEqual(w.secret, secret));
    const user = hook ? store.users.get(hook.userId) : undefined;
    if (!hook || !user || !user.ACTIVE) throw SystemErrors.invalidCredentials();
    return {
      type: 'webhook',
      user,
      app: null,
      webhook: hook,
      scope: hook.scope,
      accessToken: null,
      face: input.face,
      subjectKey: `webhook:${hook.id}`,
    };
  }
  if (!input.token) throw SystemErrors.noAuth();
  const token = store.accessTokens.get(input.token);
  if (!token) throw SystemErrors.invalidToken();
  if (token.expiresAt <= rt.clock.now()) throw SystemErrors.expiredToken();
  const app = store.apps.get(token.clientId);
  const user = store.users.get(token.userId);
  if (!app || !app.active || !user || !user.ACTIVE) throw SystemErrors.invalidToken();
  if (app.accessUserIds && !user.IS_ADMIN && !app.accessUserIds.includes(user.ID)) throw SystemErrors.userAccess();
  return {
    type: 'oauth',
    user,
    app,
    webhook: null,
    scope: token.scope,
    accessToken: token.token,
    face: input.face,
    subjectKey: `app:${app.clientId}`,
  };
}
