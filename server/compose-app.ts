import type { Express } from 'express';
import { installRoutes, registerInstaller, type InstallerRegistration } from '../installer/index.js';
import { registerPlacements } from '../placements/index.js';
import { registerRobotRoutes, registerRobots } from '../robots/index.js';
import { registerDealerSync } from './modules/dealers/index.js';
import { createApp, type AppExtension } from './app.js';
import type { AppContext } from './context.js';

export interface ComposedApp {
  app: Express;
  installer: InstallerRegistration;
}

/**
 * Wires every domain into one app: lifecycle hooks and job handlers first, then routes in their security order.
 * `npm start`, production and the end-to-end tests all build the app here, so they run the same thing.
 * `publicUrl` is a function because in sandbox mode it is known only once the server listens.
 */
export function composeApp(ctx: AppContext, opts: { publicUrl: () => string; extensions?: AppExtension[] }): ComposedApp {
  const installer = registerInstaller(ctx, { publicUrl: opts.publicUrl });
  registerDealerSync(ctx);
  registerRobots(ctx);
  const app = createApp(ctx, [
    // Placements first: they own /widgets/assets and the /placement and /app handlers the portal frames.
    (a, c) => registerPlacements(a, c),
    (a, c) => registerRobotRoutes(a, c),
    (a, c) => a.use(installRoutes(c, installer)),
    ...(opts.extensions ?? []),
  ]);
  return { app, installer };
}
