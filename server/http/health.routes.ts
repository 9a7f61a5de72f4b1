import { Router } from 'express';
import type { AppContext } from '../context.js';

/** Liveness and readiness in one: 200 when the database answers, 503 otherwise. No secrets, no tenant data. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const dbUp = await ctx.db.ping();
    res.status(dbUp ? 200 : 503).json({
      status: dbUp ? 'ok' : 'degraded',
      version: ctx.config.version,
      mode: ctx.config.mode,
      db: { dialect: ctx.db.dialect, up: dbUp },
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
  return router;
}
