import { toIntOrNull } from '../../crm/values.js';
import { RestError, SystemErrors } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SandboxStore } from '../../store/store.js';

/**
 * event.bind / unbind / get and `events` (api-reference/events/): application context only; non-admins may bind
 * online handlers for themselves only.
 */

const APP_EVENTS = ['ONAPPUNINSTALL', 'ONAPPINSTALL', 'ONAPPUPDATE', 'ONAPPPAYMENT', 'ONAPPTEST', 'ONAPPMETHODCONFIRM', 'ONOFFLINEEVENT'];
const USER_EVENTS = ['ONUSERADD'];
const CRM_ENTITIES = ['LEAD', 'DEAL', 'COMPANY', 'CONTACT', 'QUOTE', 'REQUISITE'];

/** Event names open to `scope` (null = all), incl. the per-type `ONCRMDYNAMICITEM*_{eTI}` variants. */
export function availableEvents(store: SandboxStore, scope: string[] | null): string[] {
  const has = (s: string) => scope === null || scope.includes(s);
  const out = [...APP_EVENTS];
  if (has('user') || has('user_basic') || has('user_brief')) out.push(...USER_EVENTS);
  if (has('crm')) {
    for (const e of CRM_ENTITIES) out.push(`ONCRM${e}ADD`, `ONCRM${e}UPDATE`, `ONCRM${e}DELETE`);
    out.push('ONCRMDEALMOVETOCATEGORY', 'ONCRMTIMELINECOMMENTADD', 'ONCRMTIMELINECOMMENTUPDATE', 'ONCRMTIMELINECOMMENTDELETE');
    out.push('ONCRMDYNAMICITEMADD', 'ONCRMDYNAMICITEMUPDATE', 'ONCRMDYNAMICITEMDELETE');
    for (const t of store.types.all()) out.push(`ONCRMDYNAMICITEMADD_${t.entityTypeId}`, `ONCRMDYNAMICITEMUPDATE_${t.entityTypeId}`, `ONCRMDYNAMICITEMDELETE_${t.entityTypeId}`);
    out.push('ONCRMTYPEADD', 'ONCRMTYPEUPDATE', 'ONCRMTYPEDELETE');
  }
  return out;
}

function isOffline(call: MethodCall): boolean {
  return String(call.params.event_type ?? call.params.EVENT_TYPE ?? 'online').toLowerCase() === 'offline';
}

function authTypeOf(call: MethodCall, action: 'binding' | 'unbinding'): number {
  const raw = call.params.auth_type ?? call.params.AUTH_TYPE;
  const authType = toIntOrNull(raw) ?? 0;
  if (!call.auth.user.IS_ADMIN) {
    if (isOffline(call)) throw SystemErrors.accessDenied(`Offline events ${action} requires administrator access rights`);
    if (authType > 0 && authType !== call.auth.user.ID) throw SystemErrors.accessDenied(`Event ${action} with AUTH_TYPE requires administrator access rights`);
    // A non-admin's handlers always run as that user (event-bind.md).
    return call.auth.user.ID;
  }
  return authType;
}

export const eventMethods: MethodDef[] = [
  {
    name: 'event.bind',
    scope: 'basic',
    appOnly: 'ACCESS_DENIED',
    handler(call) {
      const event = String(call.params.event ?? call.params.EVENT ?? '').trim().toUpperCase();
      if (!event || !availableEvents(call.rt.store, call.auth.scope).includes(event)) throw new RestError('ERROR_EVENT_NOT_FOUND', 'Event not found', 400);
      const authType = authTypeOf(call, 'binding');
      const offline = isOffline(call);
      const handler = String(call.params.handler ?? call.params.HANDLER ?? '').trim();
      if (!offline) {
        let url: URL | null;
        try {
          url = new URL(handler);
        } catch {
          url = null;
        }
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
      }
      const clientId = call.auth.app!.clientId;
      const dup = call.rt.store.eventBindings.find((b) => b.clientId === clientId && b.event === event && b.handler === handler && b.authType === authType && b.offline === (offline ? 1 : 0));
      if (dup) throw new RestError('ERROR_HANDLER_ALREADY_EXIST', 'Handler already exists!', 400);
      call.rt.store.eventBindings.insert({
        id: call.rt.store.nextId('eventBinding'),
        clientId,
        event,
        handler: offline ? '' : handler,
        authType,
        offline: offline ? 1 : 0,
        authConnector: String(call.params.auth_connector ?? ''),
        options: call.params.options && typeof call.params.options === 'object' ? (call.params.options as Record<string, unknown>) : {},
      });
      return true;
    },
  },
  {
    name: 'event.unbind',
    scope: 'basic',
    appOnly: 'ACCESS_DENIED',
    handler(call) {
      const event = String(call.params.event ?? call.params.EVENT ?? '').trim().toUpperCase();
      const handler = String(call.params.handler ?? call.params.HANDLER ?? '').trim();
      const authGiven = call.params.auth_type !== undefined || call.params.AUTH_TYPE !== undefined;
      const authType = authTypeOf(call, 'unbinding');
      const offline = isOffline(call) ? 1 : 0;
      const clientId = call.auth.app!.clientId;
      const count = call.rt.store.eventBindings.deleteWhere(
        (b) =>
          b.clientId === clientId &&
          b.offline === offline &&
          (!event || b.event === event) &&
          (!handler || b.handler === handler) &&
          (!authGiven && call.auth.user.IS_ADMIN ? true : b.authType === authType),
      );
      return { count };
    },
  },
  {
    name: 'event.get',
    scope: 'basic',
    appOnly: 'ACCESS_DENIED',
    handler(call) {
      return call.rt.store.eventBindings
        .filter((b) => b.clientId === call.auth.app!.clientId)
        .sort((a, b) => a.id - b.id)
        .map((b) => ({ event: b.event, handler: b.handler, auth_type: String(b.authType), offline: b.offline }));
    },
  },
  {
    name: 'events',
    scope: 'basic',
    appOnly: 'ACCESS_DENIED',
    handler(call) {
      const scope = call.params.SCOPE ?? call.params.scope;
      const full = ['1', 'true', 'Y'].includes(String(call.params.FULL ?? call.params.full));
      return availableEvents(call.rt.store, typeof scope === 'string' && scope ? [scope] : full ? null : call.auth.scope);
    },
  },
];
