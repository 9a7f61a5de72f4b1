import express, { type Request, type Response, type Router } from 'express';
import { currentUiUser } from './current-user.js';
import { answerFrameCommand } from './frame-protocol.js';
import { findFrameSession } from './frame-sessions.js';
import type { UiDeps } from './layout.js';

/**
 * `POST /_ui/frame/command` — what the parent page's relay (assets/frame-host.js) asks for each message an app frame
 * posts: `{appSid, command, params, origin}`. The frame must exist, belong to the signed-in user and the message must
 * have come from the handler's origin; otherwise the command is refused (403/404) and the page does not answer it.
 */
export function parseFrameParams(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  if (raw === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // setValue and other raw-value commands carry a plain string (frame/placement.ts isRawValue).
    return raw;
  }
}

export function createFrameRouter(deps: UiDeps): Router {
  const router = express.Router();
  router.post('/_ui/frame/command', (req: Request, res: Response) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '{}') as Record<string, unknown>;
    } catch {
      return void res.status(400).json({ ok: false, error: 'body is not JSON' });
    }
    const record = findFrameSession(deps.rt, body.appSid);
    if (!record) return void res.status(404).json({ ok: false, error: 'unknown APP_SID' });
    const me = currentUiUser(deps.rt, req);
    if (record.session.userId !== me.ID) return void res.status(403).json({ ok: false, error: 'the frame belongs to another user' });
    if (body.origin !== record.origin) return void res.status(403).json({ ok: false, error: 'the message did not come from the application origin' });
    const command = typeof body.command === 'string' ? body.command : '';
    const answer = answerFrameCommand(deps.rt, deps.apps, record.session, command, parseFrameParams(body.params));
    res.status(200).json(answer);
  });
  return router;
}
