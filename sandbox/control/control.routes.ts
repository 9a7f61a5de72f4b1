import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { safeEqual } from '../../server/lib/crypto.js';
import type { AppLifecycle, RegisterAppInput } from '../apps/apps.js';
import type { AutomationEngine, AttachRobotInput } from '../bizproc/engine.js';
import type { PortalRuntime } from '../core/runtime.js';

/**
 * `/_sandbox/*`: the test and demo control surface of a running portal (the standalone process, browser tests).
 * Every call needs the portal's control secret in `X-Sandbox-Secret` (or `?secret=`). JSON in, JSON out.
 */
export interface ControlDeps {
  rt: PortalRuntime;
  apps: AppLifecycle;
  automation: AutomationEngine;
  secret: string;
  info: () => Record<string, unknown>;
  idle: () => Promise<void>;
}

export function createControlRouter(deps: ControlDeps): Router {
  const { rt, apps, automation } = deps;
  const router = express.Router();

  router.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-sandbox-secret') ?? (typeof req.query.secret === 'string' ? req.query.secret : undefined);
    if (!safeEqual(given, deps.secret)) return void res.status(403).json({ error: 'FORBIDDEN', error_description: 'sandbox control secret required' });
    next();
  });

  const body = (req: Request): Record<string, unknown> => {
    if (typeof req.body !== 'string' || req.body.trim() === '') return {};
    return JSON.parse(req.body) as Record<string, unknown>;
  };
  const handle = (fn: (b: Record<string, unknown>, req: Request) => unknown) => async (req: Request, res: Response) => {
    try {
      res.json({ result: (await fn(body(req), req)) ?? true });
    } catch (err) {
      res.status(400).json({ error: 'SANDBOX_CONTROL', error_description: err instanceof Error ? err.message : String(err) });
    }
  };
  const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));

  router.get('/info', handle(() => deps.info()));
  router.post('/apps', handle((b) => apps.register(b as unknown as RegisterAppInput)));
  router.post('/apps/install', handle(async (b) => {
    const r = await apps.install({ userId: num(b.userId), clientId: b.clientId as string | undefined, https: b.https === true });
    return { applicationToken: r.applicationToken, pageStatus: r.page.status, eventStatus: r.eventStatus };
  }));
  router.post('/apps/install-finished', handle((b) => apps.markInstallFinished(b.clientId as string | undefined)));
  router.post('/apps/uninstall', handle((b) => apps.uninstall({ clean: b.clean === true, clientId: b.clientId as string | undefined })));
  router.post('/apps/update', handle((b) => apps.update(Number(b.version), { clientId: b.clientId as string | undefined })));
  router.post('/tokens', handle((b) => apps.issueTokens(Number(b.userId ?? 1), b.clientId as string | undefined)));

  router.post('/faults/rate-limit-storm', handle((b) => rt.faults.rateLimitStorm({ calls: num(b.calls), forMs: num(b.forMs) })));
  router.post('/faults/rate-limit', handle((b) => rt.faults.setRateLimit(b.off ? null : { burst: Number(b.burst), drainPerSecond: Number(b.drainPerSecond) })));
  router.post('/faults/operating-limit', handle((b) => rt.faults.setOperatingLimit(b.seconds === null ? null : Number(b.seconds))));
  router.post('/faults/operating-cost', handle((b) => rt.faults.setOperatingCost(String(b.method ?? '*'), Number(b.seconds))));
  router.post('/faults/expire-tokens', handle(() => rt.faults.expireAllTokens()));
  router.post('/faults/token-lifetime', handle((b) => rt.faults.setTokenLifetime(Number(b.seconds))));
  router.post('/faults/fail-next', handle((b) => rt.faults.failNext(Number(b.calls ?? 1), { status: num(b.status), code: b.code as string | undefined, method: b.method as string | undefined })));
  router.post('/faults/slow', handle((b) => rt.faults.slow(Number(b.delayMs), { method: b.method as string | undefined, calls: num(b.calls) })));
  router.post('/faults/drop-events', handle((b) => rt.faults.dropEvents(Number(b.count ?? 1))));
  router.post('/faults/reset', handle(() => rt.faults.reset()));
  router.post('/clock/advance', handle((b) => rt.clock.advance(Number(b.ms))));

  router.get('/automation', handle((_b, req) => automation.list({ entityTypeId: num(req.query.entityTypeId) })));
  router.post('/automation', handle((b) => automation.attach(b as unknown as AttachRobotInput)));
  router.post('/automation/detach', handle((b) => automation.detach(b as unknown as { entityTypeId: number; stageId: string; robot?: string })));
  router.get('/automation/log', handle((_b, req) => automation.log(Number(req.query.entityTypeId), Number(req.query.itemId))));

  router.get('/store/:table', handle((_b, req) => {
    const table = rt.store.tables().find((t) => t.name === req.params.table);
    if (!table) throw new Error(`no table ${String(req.params.table)}`);
    return table.all();
  }));
  router.post('/idle', handle(() => deps.idle()));
  return router;
}
