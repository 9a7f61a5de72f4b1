import type { Express } from 'express';
import { installRoutes, registerInstaller, type InstallerRegistration } from '../installer/index.js';
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
  const app = createApp(ctx, [(a, c) => a.use(installRoutes(c, installer)), ...(opts.extensions ?? [])]);
  return { app, installer };
}
