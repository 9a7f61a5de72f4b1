import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppContext } from './context.js';
import { errorMiddleware, notFoundHandler } from './http/error-middleware.js';
import { healthRoutes } from './http/health.routes.js';
import { genRequestId } from './http/request-id.js';
import { lifecycleRoutes } from './modules/portals/index.js';
import { scrubSecrets } from './lib/logger.js';

export interface AppExtension {
  /** Mounted before the 404 handler, in the order given; route order is part of the security model. */
  (app: Express, ctx: AppContext): void;
}

/**
 * Builds the Express app without listening (tests drive it with supertest). Order matters: request id and logging
 * first, security headers, bounded body parsers, public routes, then each domain's routes, then 404 and errors.
 */
export function createApp(ctx: AppContext, extensions: AppExtension[] = []): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'extended');

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: genRequestId,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      // Only what an operator needs; bodies and headers carry tokens and are never logged.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: scrubSecrets(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      // The portal frames our pages (placements, install page); framing rules are set per route by the placement handler.
      frameguard: false,
      contentSecurityPolicy: false,
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  // 1C's exchange posts raw file chunks whatever Content-Type it sets; its router reads the body itself.
  const rawBodyPaths = /^\/erp\/1c-exchange\//;
  const json = express.json({ limit: ctx.config.bodyLimit });
  const form = express.urlencoded({ extended: true, limit: ctx.config.bodyLimit, parameterLimit: 10_000 });
  app.use((req, res, next) => (rawBodyPaths.test(req.path) ? next() : json(req, res, next)));
  app.use((req, res, next) => (rawBodyPaths.test(req.path) ? next() : form(req, res, next)));

  app.use(healthRoutes(ctx));
  app.use(lifecycleRoutes(ctx));
  for (const extend of extensions) extend(app, ctx);

  app.use(notFoundHandler);
  app.use(errorMiddleware(ctx.logger));
  return app;
}
