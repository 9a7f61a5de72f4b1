import { AppError } from '../../http/app-error.js';
import { isAllowedPortalDomain, isTrustedOAuthServer } from '../../bitrix24/portal-domains.js';
import { OAuthServerError, refreshOAuthToken } from '../../bitrix24/oauth-server.js';
import type { AppContext } from '../../context.js';
import type { PortalTokens } from './portals.repository.js';

export interface VouchedPortal {
  memberId: string;
  domain: string;
  clientEndpoint: string;
  serverEndpoint: string;
  scope: string[];
  appStatus: string | null;
  tokens: PortalTokens;
}

/**
 * Proves that a refresh token really belongs to `memberId` at `domain` before we trust anything else in the POST.
 * The proof is the OAuth server's own answer to a refresh with our client secret: only a token it issued to our app
 * refreshes, and its answer names the member_id and client_endpoint (settings/oauth/auto-renewal.md). The portal
 * domain and the OAuth server must both be on the configured allow-lists, so no request goes to a stranger's host.
 */
export async function verifyPortalAuth(
  ctx: AppContext,
  claim: { memberId: string; domain: string; serverEndpoint: string; refreshToken: string },
): Promise<VouchedPortal> {
  const domain = claim.domain.toLowerCase();
  if (!isAllowedPortalDomain(domain, ctx.config.b24.portalDomains)) {
    throw new AppError('FORBIDDEN', `Portal domain ${domain} is not allowed for this installation`);
  }
  if (!isTrustedOAuthServer(claim.serverEndpoint, ctx.config.b24.oauthServers)) {
    throw new AppError('FORBIDDEN', 'SERVER_ENDPOINT is not a trusted Bitrix24 OAuth server');
  }
  let answer;
  try {
    answer = await refreshOAuthToken({
      serverEndpoint: claim.serverEndpoint,
      clientId: ctx.config.app.clientId,
      clientSecret: ctx.config.app.clientSecret,
      refreshToken: claim.refreshToken,
    });
  } catch (err) {
    if (err instanceof OAuthServerError) {
      throw new AppError('FORBIDDEN', `The Bitrix24 OAuth server did not confirm the tokens (${err.code})`, { cause: err });
    }
    throw new AppError('UPSTREAM_FAILED', 'The Bitrix24 OAuth server could not be reached; try again in a minute', { cause: err });
  }
  const endpointHost = new URL(answer.client_endpoint).host.toLowerCase();
  if (answer.member_id !== claim.memberId || endpointHost !== domain) {
    throw new AppError('FORBIDDEN', 'The tokens belong to a different portal than the request claims');
  }
  return {
    memberId: answer.member_id,
    domain,
    clientEndpoint: answer.client_endpoint,
    serverEndpoint: answer.server_endpoint,
    scope: (answer.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    appStatus: answer.status ?? null,
    tokens: {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      expiresAt: new Date(Date.now() + answer.expires_in * 1000),
      userId: answer.user_id ?? null,
    },
  };
}
