import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../server/context.js';
import { AppError } from '../server/http/app-error.js';
import { scopeOf, sessionGuard } from '../server/modules/access/index.js';
import { confirmInstallFinished } from './confirm-finish.job.js';
import { readInstallProgress } from './install-progress.js';
import type { InstallerRegistration } from './register.js';

/**
 * The install page's API (the page is served by POST /install with a signed session for widget `install`, role
 * `admin`):
 * - GET  /api/install/progress  steps and errors of the current run, polled by the page;
 * - POST /api/install/retry     enqueues another run after a failure;
 * - POST /api/install/finished  around the page's installFinish() in the portal frame: confirmed with app.info
 *   (INSTALLED, settings/app-installation/installation-finish.md), never taken on the page's word — 200 when the
 *   portal says so, else 202 and a background check (the portal reloads the frame right after installFinish, so the
 *   page calls this before it and, if it is still there, after it).
 */
export function installRoutes(ctx: AppContext, installer: InstallerRegistration): Router {
  const router = Router();

  const installSession: RequestHandler = (_req, res, next) => {
    const { session } = scopeOf(res);
    if (session.widget !== 'install' || session.role !== 'admin') throw new AppError('FORBIDDEN', 'This is the install page API; open DealerHub from the portal as an administrator');
    next();
  };
  const guard = [sessionGuard(ctx), installSession];

  router.get('/api/install/progress', ...guard, async (_req, res) => {
    const { portal } = scopeOf(res);
    res.set('Cache-Control', 'no-store').json(await readInstallProgress(ctx, portal, installer.manifest));
  });

  router.post('/api/install/retry', ...guard, async (_req, res) => {
    const { portal } = scopeOf(res);
    const job = await installer.enqueueApply(portal, 'retry');
    res.status(202).json({ jobId: job.id });
  });

  router.post('/api/install/finished', ...guard, async (_req, res) => {
    const { portal } = scopeOf(res);
    if (portal.installFinished || (await confirmInstallFinished(ctx, portal.id))) {
      res.json({ installFinished: true });
      return;
    }
    await installer.enqueueConfirmFinish(portal);
    res.status(202).json({ installFinished: false, confirming: true });
  });
  return router;
}
