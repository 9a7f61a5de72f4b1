import { join } from 'node:path';
import type { AppContext } from './context.js';

/** Scopes the app asks for (README "Connecting a real Bitrix24 portal" lists the same). */
export const APP_SCOPES = ['crm', 'placement', 'bizproc', 'im', 'user', 'user_brief', 'event', 'app'];

export interface SandboxHandle {
  portalUrl: string;
  webhookUrl: string;
  httpsWebhookUrl: string | null;
  memberId: string;
  close(): Promise<void>;
}

/**
 * `npm start` in sandbox mode: the local Bitrix24 portal runs in this process on its own ports (its own origin, as a
 * real portal is), trusts nothing of ours beyond what a real portal would, and gets the app installed on first start.
 * The portal's host and OAuth server are added to the allow-lists exactly like an on-premise portal would be.
 */
export async function startSandboxMode(ctx: AppContext, appUrl: string): Promise<SandboxHandle> {
  const { startSandboxPortal } = await import('../sandbox/index.js');
  const portal = await startSandboxPortal({
    host: ctx.config.host === '0.0.0.0' ? '127.0.0.1' : ctx.config.host,
    httpPort: ctx.config.sandbox.httpPort,
    httpsPort: ctx.config.sandbox.httpsPort,
    persistFile: join(ctx.config.dataDir, 'sandbox-portal.sqlite'),
    seedDemo: ctx.config.sandboxDemo,
    logger: ctx.logger.child({ component: 'sandbox' }),
  });
  ctx.config.b24.portalDomains.push(portal.domain.toLowerCase(), ...(portal.httpsDomain ? [portal.httpsDomain.toLowerCase()] : []));
  ctx.config.b24.oauthServers.push(portal.serverEndpoint);

  portal.registerApp({
    clientId: ctx.config.app.clientId,
    clientSecret: ctx.config.app.clientSecret,
    appUrl: `${appUrl}/app`,
    installUrl: `${appUrl}/install`,
    installEventHandlerUrl: `${appUrl}/b24/events`,
    scope: APP_SCOPES,
  });
  const known = await ctx.portals.findByMemberId(portal.memberId);
  if (known?.status !== 'installed') {
    ctx.logger.info({ memberId: portal.memberId }, 'installing DealerHub into the sandbox portal');
    const result = await portal.install();
    if (result.page.status !== 200) ctx.logger.error({ status: result.page.status }, 'the sandbox install page answered with an error');
  }
  return {
    portalUrl: portal.url,
    webhookUrl: portal.webhookUrl,
    httpsWebhookUrl: portal.httpsWebhookUrl ?? null,
    memberId: portal.memberId,
    close: () => portal.close(),
  };
}
