/**
 * Which calls may be sent again after an answer was lost. A lost answer (timeout, 5xx, broken connection after the
 * body went out) does not tell whether the portal applied the call; resending a create would make a second object.
 *
 * Default-deny: only calls known to be reads, or writes whose repetition leaves the same state (update/set/delete/
 * unbind), are idempotent. Anything else — `*.add`, `bizproc.event.send`, `im.notify.*`, `*.bind`,
 * `crm.timeline.comment.add`, unknown methods — is not, and an ambiguous failure surfaces as `kind: 'ambiguous'`.
 */

const READ_METHODS = new Set([
  'profile', 'scope', 'methods', 'method.get', 'events', 'server.time', 'app.info', 'app.option.get', 'user.option.get',
  'feature.get', 'access.name', 'user.access', 'user.current', 'user.get', 'user.search', 'user.fields', 'placement.get',
  'placement.list', 'event.get', 'bizproc.robot.list', 'bizproc.activity.list', 'event.offline.list',
]);

/** Last name segments that only read. */
const READ_SEGMENT = /^(get|list|fields|search|current|info|getlist|getfields|gettypes|getbyentitytypeid|getavailableforpayment|getsettings)$/i;
/** Last name segments that set a state which a repetition leaves unchanged. */
const IDEMPOTENT_WRITE_SEGMENT = /^(update|set|delete|unbind|setfields|deleteall)$/i;

export function isIdempotentMethod(method: string, params?: Record<string, unknown>): boolean {
  const m = method.trim().toLowerCase();
  // event.offline.get hands events out and, by default (clear=1), deletes them: a resend would lose events.
  if (m === 'event.offline.get') return params?.clear === 0 || params?.clear === '0';
  if (READ_METHODS.has(m)) return true;
  const last = m.slice(m.lastIndexOf('.') + 1);
  return READ_SEGMENT.test(last) || IDEMPOTENT_WRITE_SEGMENT.test(last);
}

/** A batch is only as safe as its least safe command. */
export function isIdempotentBatch(calls: Array<{ method: string; params?: Record<string, unknown> }>): boolean {
  return calls.every((c) => isIdempotentMethod(c.method, c.params));
}
