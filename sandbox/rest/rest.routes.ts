import type { TLSSocket } from 'node:tls';
import type { Request, Response } from 'express';
import type { Face, PortalRuntime } from '../core/runtime.js';
import { extractToken, resolveAuth } from './auth.js';
import { buildTime } from './envelope.js';
import { runMethod } from './execute.js';
import { RestError, SystemErrors } from './rest-error.js';
import { BodyParseError, parseRequestParams } from './request-body.js';

/**
 * `/rest/<method>[.json]`, `/rest//<method>` (the SDK's OAuth client can produce a double slash) and the webhook
 * form `/rest/<userId>/<secret>/<method>[.json]` (settings/how-to-call-rest-api/general-principles.md,
 * local-integrations/local-webhooks.md).
 */
export function parseRestPath(path: string): { method: string; webhook: { userId: number; secret: string } | null } | null {
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0) return null;
  const strip = (m: string) => decodeURIComponent(m).replace(/\.(json|xml)$/i, '').toLowerCase();
  if (segments.length >= 3 && /^\d+$/.test(segments[0] as string)) {
    return { method: strip(segments.slice(2).join('/')), webhook: { userId: Number(segments[0]), secret: segments[1] as string } };
  }
  if (segments.length !== 1) return { method: strip(segments.join('/')), webhook: null };
  return { method: strip(segments[0] as string), webhook: null };
}

/** Which listener the request came in on: the TLS one is the portal's HTTPS face. */
export function faceOf(req: Request): Face {
  return (req.socket as TLSSocket).encrypted ? 'https' : 'http';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createRestHandler(rt: PortalRuntime) {
  return async (req: Request, res: Response): Promise<void> => {
    const face = faceOf(req);
    const startMs = rt.clock.now();
    const send = (status: number, body: unknown) => {
      res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
    };
    const fail = (err: RestError) => send(err.status, err.toBody());

    const route = parseRestPath(req.path);
    if (!route) return fail(SystemErrors.methodNotFound());

    const delay = rt.faults.takeDelay(route.method);
    if (delay > 0) await sleep(delay);

    if (rt.faults.takeStorm() || (rt.faults.rateLimitEnabled && !rt.bucket.take())) return fail(SystemErrors.queryLimit());

    let params: Record<string, unknown>;
    try {
      const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      params = parseRequestParams(rawQuery, req.headers['content-type'], typeof req.body === 'string' ? req.body : '');
    } catch (err) {
      if (err instanceof BodyParseError) return fail(new RestError('INVALID_REQUEST', err.message, 400));
      throw err;
    }

    const def = rt.registry.get(route.method);
    if (!def) return fail(SystemErrors.methodNotFound());
    if (face === 'http' && rt.faults.httpsRequired) return fail(new RestError('INVALID_REQUEST', 'Https required.', 400));

    let auth;
    try {
      auth = resolveAuth(rt, { webhook: route.webhook, token: extractToken(params, req.headers.authorization), face });
    } catch (err) {
      if (err instanceof RestError) return fail(err);
      throw err;
    }

    const outcome = await runMethod(rt, def, auth, params, { inBatch: false, startMs });
    if (!outcome.ok) return fail(outcome.error);
    const body: Record<string, unknown> = { result: outcome.result };
    if (outcome.next !== undefined) body.next = outcome.next;
    if (outcome.total !== undefined) body.total = outcome.total;
    body.time = outcome.time ?? buildTime({ startMs, processStartMs: startMs, finishMs: rt.clock.now() });
    send(200, body);
  };
}
