import type { PortalRuntime } from '../core/runtime.js';
import { ListAnswer, buildTime, type RestTime } from './envelope.js';
import { RestError, SystemErrors } from './rest-error.js';
import type { CallAuth, MethodDef } from './registry.js';

export type MethodOutcome =
  | { ok: true; result: unknown; total?: number; next?: number; time: RestTime }
  | { ok: false; error: RestError; time: RestTime };

const GLOBAL_SCOPE = 'basic';

/** Scope, auth-type, admin and intranet checks, in the order the rest module applies them. */
export function checkAccess(def: MethodDef, auth: CallAuth): void {
  const scopes = [def.scope].flat();
  if (!scopes.includes(GLOBAL_SCOPE) && auth.scope !== null && !scopes.some((s) => auth.scope!.includes(s))) {
    throw SystemErrors.insufficientScope();
  }
  if (def.appOnly && auth.type !== 'oauth') {
    throw def.appOnly === 'WRONG_AUTH_TYPE' ? SystemErrors.wrongAuthType() : SystemErrors.accessDenied('Application context required');
  }
  if (def.intranetOnly && auth.user.USER_TYPE !== 'employee') throw SystemErrors.onlyIntranet();
  if (def.adminOnly && !auth.user.IS_ADMIN) throw SystemErrors.accessDenied('Administrator authorization required');
}

function startOf(params: Record<string, unknown>): number {
  if (!('start' in params)) return 0;
  const n = Number.parseInt(String(params.start), 10);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Runs one method for an authenticated caller: operating-time check (429 before the call, limits.md), the handler,
 * then the time accounting that goes into `time.operating`. Used for plain calls and for each command of a batch.
 */
export async function runMethod(
  rt: PortalRuntime,
  def: MethodDef,
  auth: CallAuth,
  rawParams: Record<string, unknown>,
  opts: { inBatch: boolean; startMs: number },
): Promise<MethodOutcome> {
  const processStartMs = rt.clock.now();
  const opKey = `${auth.subjectKey}|${def.name}`;
  // The outer batch call is not counted in `operating` (limits.md); its commands are.
  const accounted = def.name !== 'batch';
  const timeWith = (operating: { operating: number; resetAt: number } | null): RestTime =>
    buildTime({ startMs: opts.startMs, processStartMs, finishMs: rt.clock.now(), operating });
  try {
    const forced = rt.faults.takeFailure(def.name);
    if (forced) throw new RestError(forced.code, forced.description, forced.status);
    checkAccess(def, auth);
    if (accounted && rt.operating.isBlocked(opKey)) {
      return { ok: false, error: SystemErrors.operationTimeLimit(), time: timeWith(null) };
    }
    const params = { ...rawParams };
    const start = startOf(params);
    delete params.start;
    delete params.auth;
    delete params.access_token;
    const realStart = performance.now();
    let result = await def.handler({ rt, method: def.name, params, start, auth, inBatch: opts.inBatch });
    const spent = (performance.now() - realStart) / 1000 + rt.faults.operatingCost(def.name);
    const op = accounted ? rt.operating.add(opKey, spent) : null;
    let total: number | undefined;
    let next: number | undefined;
    if (result instanceof ListAnswer) {
      total = result.total;
      next = result.next;
      result = result.result;
    }
    return { ok: true, result, total, next, time: timeWith(op) };
  } catch (err) {
    const error = err instanceof RestError ? err : SystemErrors.internal();
    if (!(err instanceof RestError)) rt.logger.error({ err, method: def.name }, 'sandbox method failed');
    return { ok: false, error, time: timeWith(null) };
  }
}
