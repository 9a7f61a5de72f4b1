import type { Face, PortalRuntime } from '../core/runtime.js';
import { checkAccess } from '../rest/execute.js';
import { RestError } from '../rest/rest-error.js';
import type { CallAuth } from '../rest/registry.js';
import type { SUser } from '../store/types.js';

/**
 * A person's action in the portal pages (move a stage, add a comment) runs the same method handler a REST call would
 * — so the same checks, events and automation follow, exactly as for crm.item.update — but as the signed-in user and
 * outside the REST limits and injected faults, which are about the REST channel, not the portal's own UI.
 */
export type SessionCallResult = { ok: true; result: unknown } | { ok: false; error: RestError };

export async function callAsUser(rt: PortalRuntime, user: SUser, method: string, params: Record<string, unknown>, face: Face = 'http'): Promise<SessionCallResult> {
  const def = rt.registry.get(method);
  if (!def) throw new Error(`no method ${method}`);
  const auth: CallAuth = { type: 'session', user, app: null, webhook: null, scope: null, accessToken: null, face, subjectKey: `session:${user.ID}` };
  try {
    checkAccess(def, auth);
    const result = await def.handler({ rt, method: def.name, params, start: 0, auth, inBatch: false });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof RestError) return { ok: false, error: err };
    throw err;
  }
}
