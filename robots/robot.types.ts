import type { SmartProcessKey } from '../installer/manifest.js';
import type { B24Client } from '../server/bitrix24/index.js';
import type { AppContext } from '../server/context.js';
import type { Logger } from '../server/lib/logger.js';
import type { Portal } from '../server/modules/portals/index.js';
import type { RobotDefinition } from './definitions.js';

/** The CRM document a robot runs on: `DYNAMIC_<eTI>_<id>` (bizproc-robot-add.md; document_id[2]). */
export interface RobotDocument {
  entityTypeId: number;
  itemId: number;
  /** Which of our smart processes it is on this portal (null: a foreign one). */
  key: SmartProcessKey | null;
}

export interface RobotRun {
  ctx: AppContext;
  portal: Portal;
  /** The portal's client with the app's stored tokens (the robot's auth block is never stored or used). */
  client: B24Client;
  logger: Logger;
  definition: RobotDefinition;
  properties: Record<string, unknown>;
  document: RobotDocument;
  /** Stable per robot call (hash of event_token): used for notification TAGs, so a retried send replaces, not adds. */
  runKey: string;
  /** The user the portal ran the robot as (auth[user_id]), when given. */
  userId: number | null;
}

export type RobotResult = 'ok' | 'blocked' | 'error';

/** What goes back with bizproc.event.send: RETURN_VALUES (always dhResult + dhMessage) and LOG_MESSAGE. */
export interface RobotOutcome {
  returnValues: Record<string, string | number> & { dhResult: RobotResult; dhMessage: string };
  logMessage: string;
}

export type RobotHandler = (run: RobotRun) => Promise<RobotOutcome>;

export function outcome(result: RobotResult, message: string, values: Record<string, string | number> = {}): RobotOutcome {
  return { returnValues: { ...values, dhResult: result, dhMessage: message }, logMessage: `DealerHub: ${result}${message ? ` — ${message}` : ''}` };
}

/** A robot that cannot do its job says so (the workflow can branch on dhResult = error); it never reports ok for work not done. */
export class RobotFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RobotFailure';
  }
}
