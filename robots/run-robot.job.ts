import { isB24Error } from '../server/bitrix24/index.js';
import type { AppContext } from '../server/context.js';
import { PermanentJobError, type Job, type JobHelpers } from '../server/jobs/index.js';
import { AppError } from '../server/http/app-error.js';
import { parseRobotDocument } from './robot-document.js';
import type { RobotJobPayload } from './robot-call.js';
import { createRobotRunsRepository, eventTokenHash } from './robot-runs.repository.js';
import { robotByCode } from './registry.js';
import { outcome, RobotFailure, type RobotOutcome } from './robot.types.js';

/** Transient trouble (the portal busy or unreachable) is retried before a robot gives up with dhResult error. */
const RETRY_HANDLER_ATTEMPTS = 3;

function isTransient(err: unknown): boolean {
  if (isB24Error(err)) return err.isRetryable || ['network', 'timeout', 'server', 'rate_limit', 'operation_time_limit'].includes(err.kind);
  return false;
}

/**
 * The `robot.run` job: runs the robot's handler once per event_token and answers the workflow with
 * bizproc.event.send {EVENT_TOKEN, RETURN_VALUES, LOG_MESSAGE} when it waits (bizproc-event-send.md).
 *
 * Exactly-once, as far as the portal allows: the run row (robot_runs) is read first — a retried job whose handler
 * already finished reuses the stored values instead of running it again, and one whose answer was already sent does
 * nothing. A handler that fails for good answers dhResult `error` with dhMessage (the workflow can branch) and is logged.
 */
export function createRunRobotJob(ctx: AppContext) {
  const runs = createRobotRunsRepository(ctx.db.sequelize);
  return async (job: Job<RobotJobPayload>, helpers: JobHelpers): Promise<unknown> => {
    const p = job.payload;
    const robot = robotByCode(p.code);
    if (!robot) throw new PermanentJobError(`unknown robot ${p.code}`);
    const portal = await ctx.portals.findById(p.portalId);
    if (!portal || portal.status !== 'installed') throw new PermanentJobError(`portal ${p.portalId} is not installed`);
    const tokenHash = eventTokenHash(p.eventToken);
    const logger = helpers.logger.child({ robot: p.code, portalId: p.portalId, workflowId: p.workflowId });
    const run = await runs.open({ portalId: p.portalId, tokenHash, code: p.code, workflowId: p.workflowId, documentId: p.documentId[2] ?? null });
    if (run.status === 'sent' || run.status === 'done' || run.status === 'send_failed') return { status: run.status, reused: true };

    let result: RobotOutcome;
    if (run.status === 'handled' && run.returnValues) {
      result = { returnValues: run.returnValues as RobotOutcome['returnValues'], logMessage: run.logMessage ?? '' };
    } else {
      const client = ctx.b24.forPortal(portal.id);
      const document = parseRobotDocument(p.documentId, portal.settings);
      try {
        if (!document) throw new RobotFailure(`unsupported document ${p.documentId.join('/')}`);
        result = await robot.handler({ ctx, portal, client, logger, definition: robot.definition, properties: p.properties, document, runKey: tokenHash.slice(0, 16), userId: p.userId });
      } catch (err) {
        if (isTransient(err) && helpers.attempt < RETRY_HANDLER_ATTEMPTS) throw err;
        const message = err instanceof RobotFailure || err instanceof AppError ? err.message : isB24Error(err) ? `Bitrix24 answered ${err.code}` : 'internal error (logged)';
        logger.error({ err }, 'robot failed');
        result = outcome('error', message);
      }
      await runs.markHandled(run.id, result.returnValues.dhResult, result.returnValues, result.logMessage);
    }

    if (!p.waits) {
      await runs.markFinished(run.id, 'done');
      return { status: 'done', result: result.returnValues.dhResult };
    }
    // Checked again right before sending: another worker may have taken over a lost lease and sent it already.
    const fresh = await runs.find(p.portalId, tokenHash);
    if (fresh && (fresh.status === 'sent' || fresh.status === 'send_failed')) return { status: fresh.status, reused: true };
    try {
      await ctx.b24.forPortal(portal.id).call('bizproc.event.send', { EVENT_TOKEN: p.eventToken, RETURN_VALUES: result.returnValues, LOG_MESSAGE: result.logMessage.slice(0, 1000) });
    } catch (err) {
      // An answer lost after sending (`ambiguous`) is retried by the job: if the first one arrived, the portal refuses
      // the used token with ACCESS_DENIED and we stop there — the handler never runs twice either way.
      if (isB24Error(err) && (err.kind === 'access_denied' || err.kind === 'not_found' || err.kind === 'invalid_request')) {
        // The portal refuses an expired or already used token (ACCESS_DENIED): sending again cannot help.
        logger.warn({ code: err.code }, 'bizproc.event.send refused; the workflow keeps waiting or has moved on');
        await runs.markFinished(run.id, 'send_failed');
        return { status: 'send_failed', code: err.code };
      }
      throw err;
    }
    await runs.markFinished(run.id, 'sent');
    logger.info({ result: result.returnValues.dhResult }, 'robot answered');
    return { status: 'sent', result: result.returnValues.dhResult };
  };
}
