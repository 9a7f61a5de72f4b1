import type { Express } from 'express';
import type { AppContext } from '../server/context.js';
import type { RobotJobPayload } from './robot-call.js';
import { ROBOT_RUN_JOB, robotRoutes } from './robot.routes.js';
import { createRunRobotJob } from './run-robot.job.js';

export { ROBOTS, robotByCode, robotHandlerPath, type RegisteredRobot } from './registry.js';
export { ROBOT_RUN_JOB, robotDedupKey, robotRoutes } from './robot.routes.js';
export { ZRobotCall, type TRobotCall, type RobotJobPayload } from './robot-call.js';
export { createRobotRunsRepository, eventTokenHash, type RobotRunRow } from './robot-runs.repository.js';
export { evaluateCredit, type CreditVerdict } from './dh_check_dealer_credit/evaluate-credit.js';
export type { RobotHandler, RobotOutcome, RobotRun } from './robot.types.js';

/** Registers the `robot.run` job handler on the context's queue (once per context, before workers start). */
export function registerRobots(ctx: AppContext): void {
  ctx.jobs.registerHandler<RobotJobPayload>(ROBOT_RUN_JOB, createRunRobotJob(ctx), { timeoutMs: 120_000 });
}

/** Mounts POST /robots/:code; shaped as an AppExtension: `createApp(ctx, [registerRobotRoutes])`. */
export function registerRobotRoutes(app: Express, ctx: AppContext): void {
  app.use(robotRoutes(ctx));
}
