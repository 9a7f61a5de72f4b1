import { z } from 'zod';
import type { AppContext } from '../server/context.js';
import { isB24Error } from '../server/bitrix24/index.js';
import { PermanentJobError, RetryJobError, type JobHandler } from '../server/jobs/index.js';
import { InstallerError } from './installer-error.js';
import type { Manifest } from './manifest.js';
import { reconcile } from './reconcile/reconcile.js';

/**
 * Job `installer.apply`: one reconcile run for one portal. Enqueued on install, on ONAPPUPDATE, for a new manifest
 * version and by the install page's "retry"; never run inside the HTTP request that triggered it. A run that failed
 * part-way throws, so the queue retries it with backoff; the next attempt re-reads the portal and continues.
 */
export const APPLY_JOB = 'installer.apply';

export const ZApplyPayload = z.object({
  portalId: z.number().int().positive(),
  reason: z.enum(['install', 'update', 'upgrade', 'retry', 'manual']),
  manifestVersion: z.number().int(),
});
export type TApplyPayload = z.infer<typeof ZApplyPayload>;

export function applyJobHandler(ctx: AppContext, opts: { publicUrl: () => string; manifest: Manifest }): JobHandler<TApplyPayload> {
  return async (job, helpers) => {
    const payload = ZApplyPayload.safeParse(job.payload);
    if (!payload.success) throw new PermanentJobError(`bad installer.apply payload: ${payload.error.message}`);
    const portal = await ctx.portals.findById(payload.data.portalId);
    if (!portal || portal.status !== 'installed') {
      helpers.logger.info({ portalId: payload.data.portalId, status: portal?.status ?? 'unknown' }, 'installer.apply skipped: the portal is not installed');
      return { skipped: portal?.status ?? 'unknown portal' };
    }
    try {
      const result = await reconcile({ ctx, portalId: portal.id, manifest: opts.manifest, publicUrl: opts.publicUrl(), runId: `job${job.id}-a${job.attempts}` });
      const summary = { status: result.status, applied: result.applied.length, failed: result.failed.length, writes: result.writes, hits: result.hits };
      if (result.status !== 'done') {
        const first = result.failed[0];
        throw new Error(`installer run incomplete: ${result.failed.length} failed, ${result.remaining.length} left${first ? ` (first: ${first.op}: ${first.code} ${first.message})` : ''}`);
      }
      return summary;
    } catch (err) {
      if (err instanceof InstallerError) {
        if (err.code === 'BUSY') throw new RetryJobError(err.message, err.retryAfterMs ?? 30_000);
        throw new PermanentJobError(err.message, { cause: err });
      }
      if (isB24Error(err)) {
        if (err.kind === 'operation_time_limit' && err.retryAt) throw new RetryJobError(err.message, err.retryAt - Date.now(), { cause: err });
        if (err.kind === 'reinstall_required' || err.kind === 'payment_required' || err.kind === 'access_denied') throw new PermanentJobError(err.message, { cause: err });
      }
      throw err;
    }
  };
}
