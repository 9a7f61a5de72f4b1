import { join } from 'node:path';
import type { Express, RequestHandler } from 'express';
import { installRoutes, registerInstaller, type InstallerRegistration } from '../installer/index.js';
import { registerPlacements } from '../placements/index.js';
import { registerRobotRoutes, registerRobots } from '../robots/index.js';
import { createApp, type AppExtension } from './app.js';
import type { AppContext } from './context.js';
import { createCommerceMlFeed, portalExchangeCredentials } from './erp/onec-commerceml/index.js';
import { createErpSyncForContext, syncHealthRoutes, type ErpSync } from './erp/sync/index.js';
import type { ScheduleDefinition } from './jobs/index.js';
import { requirePermission, scopeOf, sessionGuard } from './modules/access/index.js';
import { CATALOG_SCHEDULES, catalogRoutes, installCatalogModule } from './modules/catalog/index.js';
import { DEALER_SCHEDULES, registerDealerSync } from './modules/dealers/index.js';
import { createMediaCache, mediaRoutes } from './modules/media/index.js';
import { parseSmtpUrl } from './modules/notifications/index.js';
import { ORDER_SCHEDULES, registerOrderRoutes, registerOrders } from './modules/orders/index.js';

export interface ComposedApp {
  app: Express;
  installer: InstallerRegistration;
  erpSync: ErpSync;
  /** Every scheduled job of every domain; the scheduler only enqueues them. */
  schedules: ScheduleDefinition[];
}

/** Admin pages and APIs: a valid widget session whose role may administer sync; scopes the request to its portal. */
function adminGuard(ctx: AppContext): RequestHandler[] {
  return [
    sessionGuard(ctx),
    requirePermission('sync.admin'),
    (_req, res, next) => {
      res.locals.portalId = scopeOf(res).portal.id;
      next();
    },
  ];
}

/**
 * Wires every domain into one app: lifecycle hooks and job handlers first, then routes in their security order.
 * `npm start`, production and the end-to-end tests all build the app here, so they run the same thing.
 * `publicUrl` is a function because in sandbox mode it is known only once the server listens.
 */
/** How long a cached ERP picture or file is served before the ERP is asked again. */
const MEDIA_TTL_MS = 24 * 3600_000;

export function composeApp(ctx: AppContext, opts: { publicUrl: () => string; extensions?: AppExtension[] }): ComposedApp {
  const installer = registerInstaller(ctx, { publicUrl: opts.publicUrl });
  registerDealerSync(ctx);
  registerRobots(ctx);
  const erpSync = createErpSyncForContext(ctx);
  erpSync.registerJobs();
  // A newly installed portal gets its first full ERP sync at once instead of waiting for the night.
  ctx.hooks.portalInstalled.push(async (portal) => {
    if (ctx.config.erp.kind !== 'none' && ctx.config.erp.kind !== '1c-commerceml') await erpSync.enqueueSync(portal.id, 'all', { mode: 'full', trigger: 'startup' });
  });
  installCatalogModule(ctx);
  registerOrders(ctx, { erpSync, smtp: parseSmtpUrl(ctx.config.smtpUrl) });

  // 1C «обмен с сайтом» pushes its catalog to us when the ERP is reached through CommerceML.
  const feed =
    ctx.config.erp.kind === '1c-commerceml'
      ? createCommerceMlFeed({ ctx, storageDir: join(ctx.config.dataDir, 'commerceml'), credentials: portalExchangeCredentials(ctx.portals) })
      : null;
  if (feed) {
    erpSync.attachInboundFeed(feed);
    ctx.onClose.push(() => feed.close());
  }

  const app = createApp(ctx, [
    // Placements first: they own /widgets/assets and the /placement and /app handlers the portal frames.
    (a, c) => registerPlacements(a, c),
    (a, c) => registerRobotRoutes(a, c),
    (a, c) => a.use(installRoutes(c, installer)),
    (a, c) => void a.use('/api', catalogRoutes(c)),
    (a, c) => registerOrderRoutes(a, c),
    (a, c) => void a.use(mediaRoutes(c, { connectorFor: erpSync.connectorFor, feed, cache: createMediaCache({ dir: join(c.config.dataDir, 'media'), ttlMs: MEDIA_TTL_MS, logger: c.logger }) })),
    (a, c) => a.use(syncHealthRoutes(c, { guard: adminGuard(c) })),
    ...(feed ? [(a: Express) => void a.use(feed.router())] : []),
    ...(opts.extensions ?? []),
  ]);
  return { app, installer, erpSync, schedules: [...DEALER_SCHEDULES, ...CATALOG_SCHEDULES, ...ORDER_SCHEDULES, ...erpSync.schedules] };
}
