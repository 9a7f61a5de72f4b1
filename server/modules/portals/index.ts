export { createPortalsRepository, type Portal, type PortalsRepository, type PortalTokens } from './portals.repository.js';
export { installPortal, assertInstalled } from './install-portal.js';
export { handleAppEvent, onAppEvent, ZAppEvent, ZEventAuth, type TAppEvent, type AppEventListener } from './handle-app-event.js';
export { lifecycleRoutes } from './lifecycle.routes.js';
export { verifyPortalAuth } from './verify-portal-auth.js';
