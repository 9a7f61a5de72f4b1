import { AppError } from '../../http/app-error.js';
import type { AppContext } from '../../context.js';
import type { Portal } from './portals.repository.js';
import { verifyPortalAuth } from './verify-portal-auth.js';

export interface InstallClaim {
  memberId: string;
  domain: string;
  protocol: 'http' | 'https';
  serverEndpoint: string;
  refreshToken: string;
  applicationToken: string | null;
  appVersion?: number | null;
  languageId?: string | null;
  source: 'install-page' | 'ONAPPINSTALL';
}

/**
 * Records a portal that installed the app. Both the install page POST and the ONAPPINSTALL event land here, in
 * either order (the event "may arrive with a delay"). The tokens in the request are proven with the OAuth server
 * before anything is stored; a repeat of the same install updates the same row and changes nothing else.
 */
export async function installPortal(ctx: AppContext, claim: InstallClaim): Promise<{ portal: Portal; created: boolean }> {
  const existing = await ctx.portals.findByMemberId(claim.memberId);
  if (existing?.status === 'installed' && existing.hasApplicationToken && claim.applicationToken) {
    // A known portal presenting a different application_token is either a reinstall (the OAuth proof below will pass)
    // or a forgery (it will not). A matching token still goes through the proof: tokens are only stored once vouched.
    const matches = await ctx.portals.applicationTokenMatches(claim.memberId, claim.applicationToken);
    if (!matches) ctx.logger.warn({ memberId: claim.memberId, source: claim.source }, 'install claim with a new application_token; verifying');
  }
  const vouched = await verifyPortalAuth(ctx, {
    memberId: claim.memberId,
    domain: claim.domain,
    serverEndpoint: claim.serverEndpoint,
    refreshToken: claim.refreshToken,
  });
  if (!claim.applicationToken && !existing?.hasApplicationToken) {
    ctx.logger.info({ memberId: claim.memberId }, 'portal installed without application_token yet; waiting for ONAPPINSTALL');
  }
  const result = await ctx.portals.upsertInstalled({
    memberId: vouched.memberId,
    domain: vouched.domain,
    protocol: claim.protocol,
    serverEndpoint: vouched.serverEndpoint,
    clientEndpoint: vouched.clientEndpoint,
    scope: vouched.scope,
    appStatus: vouched.appStatus,
    appVersion: claim.appVersion ?? undefined,
    languageId: claim.languageId ?? undefined,
    applicationToken: claim.applicationToken,
    tokens: vouched.tokens,
  });
  const wasInstalled = existing?.status === 'installed';
  if (!wasInstalled) {
    await ctx.audit.record({ portalId: result.portal.id, actor: 'portal', action: 'app.installed', details: { source: claim.source } });
    for (const hook of ctx.hooks.portalInstalled) await hook(result.portal);
  }
  return result;
}

export function assertInstalled(portal: Portal | null): asserts portal is Portal {
  if (!portal || portal.status !== 'installed') throw new AppError('FORBIDDEN', 'The portal has not installed this application');
}
