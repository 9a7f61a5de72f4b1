import { join } from 'node:path';
import type { AppContext } from './context.js';
import type { SandboxPortal } from '../sandbox/index.js';
import { seedSandboxDemo } from './sandbox-demo.js';

/** Scopes the app asks for (README "Connecting a real Bitrix24 portal" lists the same). */
export const APP_SCOPES = ['crm', 'placement', 'bizproc', 'im', 'user', 'user_brief', 'event', 'app', 'userfieldconfig'];

export interface SandboxHandle {
  portalUrl: string;
  /** The 1C OData emulator's base URL when the sandbox runs it (ERP_KIND=1c-odata without ERP_URL). */
  erpUrl: string | null;
  webhookUrl: string;
  httpsWebhookUrl: string | null;
  memberId: string;
  /** The running portal (its store and seeded users), for tests that drive it in a browser. */
  portal: SandboxPortal;
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
  const erp = await startDemoErp(ctx);
  const known = await ctx.portals.findByMemberId(portal.memberId);
  if (known?.status !== 'installed') {
    ctx.logger.info({ memberId: portal.memberId }, 'installing DealerHub into the sandbox portal');
    const result = await portal.install();
    if (result.page.status !== 200) ctx.logger.error({ status: result.page.status }, 'the sandbox install page answered with an error');
  }
  // Demo data needs the installer's smart processes: it waits for them in the background, the app is already serving.
  void seedSandboxDemo(ctx, portal, erp?.catalog ?? null).catch((err: unknown) => ctx.logger.error({ err }, 'sandbox demo data could not be seeded'));
  return {
    portalUrl: portal.url,
    erpUrl: erp?.baseUrl ?? null,
    webhookUrl: portal.webhookUrl,
    httpsWebhookUrl: portal.httpsWebhookUrl ?? null,
    memberId: portal.memberId,
    portal,
    close: async () => {
      await erp?.close();
      await portal.close();
    },
  };
}

/** Demo catalog size: big enough to feel real in the cabinet, small enough to sync in seconds on first start. */
const DEMO_SKUS = 3000;

/**
 * The 1C:Enterprise side of the demo: the OData emulator with a generated catalog dated today (so overdue days are
 * relative to now), on its own port, as a real 1C web server would be. Only when no ERP is configured.
 */
async function startDemoErp(ctx: AppContext) {
  if (ctx.config.erp.kind !== '1c-odata' || ctx.config.erp.url) return null;
  const { generateCatalog, formatLocal } = await import('../sandbox/erp/catalog/index.js');
  const { startOnecOdataEmulator } = await import('../sandbox/erp/onec-odata/index.js');
  const catalog = generateCatalog({ seed: 'dealerhub-demo', skus: DEMO_SKUS, asOf: formatLocal(Date.now()) });
  const running = await startOnecOdataEmulator({
    catalog,
    host: ctx.config.host === '0.0.0.0' ? '127.0.0.1' : ctx.config.host,
    port: ctx.config.sandbox.httpPort === 0 ? 0 : ctx.config.sandbox.httpPort + 2,
  });
  Object.assign(ctx.config.erp, { url: running.baseUrl, user: 'odata', password: 'odata', onecProfile: 'ut11' });
  ctx.logger.info({ url: running.baseUrl, skus: DEMO_SKUS }, '1C OData emulator started for the demo');
  return { baseUrl: running.baseUrl, catalog, close: () => running.close() };
}
