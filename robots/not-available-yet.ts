import { isRussian } from './robot-document.js';
import { outcome, type RobotHandler } from './robot.types.js';

/**
 * A robot whose work needs a module that does not exist yet answers that honestly: dhResult `error` and
 * `not available yet: …`, so a workflow that uses it branches to its manual path instead of believing it ran.
 */
export function notAvailableYet(what: { ru: string; en: string }): RobotHandler {
  return async (run) => {
    run.logger.warn({ robot: run.definition.code }, 'robot called before its module exists');
    return outcome('error', `not available yet: ${isRussian(run) ? what.ru : what.en}`);
  };
}
