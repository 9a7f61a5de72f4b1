import type { PortalRuntime } from '../core/runtime.js';
import { issueAccessToken } from '../oauth/tokens.js';
import type { SApp } from '../store/types.js';

/**
 * The `auth` block of what the portal POSTs to an app (api-reference/events/index.md §auth,
 * _includes/auth-params-in-events.md): tokens for `userId` when a user made the change, none when a robot, workflow
 * or agent did; always domain, endpoints, member_id and application_token.
 */
export function handlerAuth(
  rt: PortalRuntime,
  app: SApp,
  userId: number | null,
  opts: { robot?: boolean; withTokens?: boolean } = {},
): Record<string, unknown> {
  const base = {
    domain: rt.domain(app.face),
    client_endpoint: rt.clientEndpoint(app.face),
    server_endpoint: rt.serverEndpoint(),
    member_id: rt.memberId,
    application_token: app.applicationToken ?? '',
  };
  if (userId === null || opts.withTokens === false) return base;
  const t = issueAccessToken(rt, app, userId);
  const auth: Record<string, unknown> = {
    access_token: t.token,
    ...(opts.robot ? { expires: t.expires } : {}),
    expires_in: t.expiresIn,
    scope: app.scope.join(','),
    domain: base.domain,
    server_endpoint: base.server_endpoint,
    status: app.status,
    client_endpoint: base.client_endpoint,
    member_id: base.member_id,
    ...(opts.robot ? { user_id: userId } : {}),
    application_token: base.application_token,
  };
  return auth;
}
