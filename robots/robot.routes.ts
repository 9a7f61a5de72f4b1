import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { AppContext } from '../server/context.js';
import { AppError } from '../server/http/app-error.js';
import { cleanProperties, ZRobotCall, type RobotJobPayload } from './robot-call.js';
import { robotByCode } from './registry.js';

export const ROBOT_RUN_JOB = 'robot.run';

/** The queue's dedup key: one job per (portal, event_token), whatever the number of deliveries. */
export function robotDedupKey(portalId: number, eventToken: string): string {
  const raw = `robot:${portalId}:${eventToken}`;
  // The key column holds 191 characters; longer tokens are keyed by their hash.
  return raw.length <= 191 ? raw : `robot:${portalId}:h:${createHash('sha256').update(eventToken).digest('base64url')}`;
}

/**
 * POST /robots/:code — what Bitrix24 calls when a workflow reaches one of our robots (bizproc-robot-add.md). The call
 * is proven by auth[application_token] (constant-time compare with the stored one; unknown portal or mismatch → 403
 * and nothing happens), then queued as one durable `robot.run` job per event_token and acknowledged at once: the
 * portal does not resend, and a repeated delivery of the same event_token finds the first job and adds nothing.
 */
export function robotRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/robots/:code', async (req, res) => {
    const robot = robotByCode(String(req.params.code));
    if (!robot) throw new AppError('NOT_FOUND', `No robot ${String(req.params.code)} in this app`);
    const call = ZRobotCall.parse(req.body ?? {});
    const memberId = call.auth?.member_id ?? '';
    const matches = await ctx.portals.applicationTokenMatches(memberId, call.auth?.application_token ?? '');
    const portal = matches ? await ctx.portals.findByMemberId(memberId) : null;
    if (!portal || portal.status !== 'installed' || (call.auth?.domain && call.auth.domain.toLowerCase() !== portal.domain.toLowerCase())) {
      ctx.logger.warn({ robot: robot.definition.code, memberId }, 'robot call refused: application_token does not match');
      throw new AppError('FORBIDDEN', 'application_token does not match this portal');
    }
    if (call.code && call.code !== robot.definition.code) throw new AppError('BAD_REQUEST', `The call is for robot ${call.code}, not ${robot.definition.code}`);
    const payload: RobotJobPayload = {
      portalId: portal.id,
      code: robot.definition.code,
      eventToken: call.event_token,
      workflowId: call.workflow_id ?? null,
      documentId: call.document_id,
      properties: cleanProperties(call.properties),
      waits: call.use_subscription ? call.use_subscription.toUpperCase() !== 'N' : robot.definition.waitsForAnswer,
      userId: call.auth?.user_id ?? null,
    };
    const job = await ctx.jobs.enqueue({ kind: ROBOT_RUN_JOB, portalId: portal.id, payload, dedupKey: robotDedupKey(portal.id, call.event_token), maxAttempts: 6 });
    if (!job.created) ctx.logger.info({ robot: robot.definition.code, jobId: job.id }, 'robot call delivered again; the first job stands');
    res.json({ accepted: true, duplicate: !job.created });
  });
  return router;
}
