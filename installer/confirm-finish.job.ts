import { z } from 'zod';
import type { AppContext } from '../server/context.js';
import { PermanentJobError, RetryJobError, type JobHandler } from '../server/jobs/index.js';

/**
 * Job `installer.confirm-finish`: after the install page called installFinish(), the portal reloads the frame to the
 * app page (settings/app-installation/installation-finish.md), so the page may not live to report it. The page asks
 * for this job first; it checks `app.info` INSTALLED until the portal says yes (then the tenant is marked finished).
 */
export const CONFIRM_FINISH_JOB = 'installer.confirm-finish';
export const ZConfirmFinishPayload = z.object({ portalId: z.number().int().positive() });
export type TConfirmFinishPayload = z.infer<typeof ZConfirmFinishPayload>;

/** True when the portal reports the installation finished (api-reference/common/system/app-info.md). */
export async function confirmInstallFinished(ctx: AppContext, portalId: number): Promise<boolean> {
  const info = await ctx.b24.forPortal(portalId).call<{ INSTALLED?: unknown }>('app.info');
  const installed = info?.INSTALLED === true || info?.INSTALLED === 'Y' || info?.INSTALLED === '1' || info?.INSTALLED === 1;
  if (installed) await ctx.portals.markInstallFinished(portalId);
  return installed;
}

export function confirmFinishJobHandler(ctx: AppContext): JobHandler<TConfirmFinishPayload> {
  return async (job) => {
    const payload = ZConfirmFinishPayload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError(`bad ${CONFIRM_FINISH_JOB} payload`);
    const portal = await ctx.portals.findById(payload.data.portalId);
    if (!portal || portal.status !== 'installed') return { skipped: true };
    if (portal.installFinished) return { installFinished: true };
    if (await confirmInstallFinished(ctx, portal.id)) return { installFinished: true };
    // The admin may still be reading the page; look again a little later each time.
    throw new RetryJobError('the portal does not report installFinish yet', Math.min(60_000, 2_000 * 2 ** (job.attempts - 1)));
  };
}
