import type { Express } from 'express';
import type { AppContext } from '../server/context.js';
import { widgetApiRoutes } from './api/widget-api.routes.js';
import { createRedisNonceStore, createSqlNonceStore, type NonceStore } from './placement-nonces.js';
import { placementRoutes } from './placement.routes.js';

export { WIDGETS, WIDGET_KEYS, widgetByKey, placementCodesOf, widgetOfHandlerPath, type WidgetEntry, type WidgetKey } from './registry.js';
export { verifyPlacement, ZPlacementBody, ZPlacementQuery, type VerifiedPlacement, type PortalUser } from './verify-placement.js';
export { resolveRole, type ResolvedRole } from './resolve-role.js';
export { resolveDealerUser, type DealerLink } from './resolve-dealer-user.js';
export { openWidget } from './open-widget.js';
export { callAsUser, restBaseOf } from './call-as-user.js';
export { createSqlNonceStore, createRedisNonceStore, type NonceStore } from './placement-nonces.js';
export { jsonForScript, renderWidgetPage, loadWidgetTemplate, WIDGETS_DIST_DIR, type WidgetBootstrap } from './widget-page.js';

/** The nonce store a context should use: Redis when the app runs with REDIS_URL (the limiter's connection), else SQL. */
export function nonceStoreFor(ctx: AppContext): NonceStore {
  const redis = ctx.b24.limiter.redis;
  return redis ? createRedisNonceStore(redis, ctx.b24.limiter.keyPrefix ?? '') : createSqlNonceStore(ctx.db.sequelize);
}

/**
 * Mounts the placement handlers (POST /placement/:widget, POST /app), the built widget assets (/widgets/assets/*) and
 * the widgets' API (/api/*, behind the session guard). Shaped as an AppExtension: `createApp(ctx, [registerPlacements])`.
 */
export function registerPlacements(app: Express, ctx: AppContext, options: { distDir?: string; nonces?: NonceStore } = {}): void {
  app.use(placementRoutes(ctx, { nonces: options.nonces ?? nonceStoreFor(ctx), distDir: options.distDir }));
  app.use('/api', widgetApiRoutes(ctx));
}
