import { toIntOrNull } from '../../crm/values.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';

/**
 * im.notify.system.add / im.notify.personal.add (api-reference/chats/notifications/). Notifications are stored and
 * readable through `portal.store.notifications`; a TAG replaces the app's earlier notification with that tag.
 */
function addNotification(kind: 'system' | 'personal') {
  return (call: MethodCall) => {
    const p = call.params;
    const userId = toIntOrNull(p.USER_ID);
    if (userId === null || userId <= 0) throw new RestError('USER_ID_EMPTY', "User ID can't be empty", 400);
    const message = String(p.MESSAGE ?? '').trim();
    if (!message) throw new RestError('MESSAGE_EMPTY', "Message can't be empty", 400);
    let attach: unknown = p.ATTACH ?? null;
    if (typeof attach === 'string' && attach !== '') {
      try {
        attach = JSON.parse(attach);
      } catch {
        throw new RestError('ATTACH_ERROR', 'Incorrect attach params', 400);
      }
    }
    if (attach !== null && JSON.stringify(attach).length > 60_000) throw new RestError('ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach', 400);
    const clientId = call.auth.app?.clientId ?? (typeof p.CLIENT_ID === 'string' ? p.CLIENT_ID : null);
    const tag = typeof p.TAG === 'string' ? p.TAG : '';
    if (tag) call.rt.store.notifications.deleteWhere((n) => n.tag === tag && n.clientId === clientId);
    const id = call.rt.store.nextId('notification');
    call.rt.store.notifications.insert({
      id,
      kind,
      toUserId: userId,
      fromUserId: kind === 'personal' ? call.auth.user.ID : null,
      message,
      messageOut: String(p.MESSAGE_OUT ?? ''),
      tag,
      subTag: typeof p.SUB_TAG === 'string' ? p.SUB_TAG : '',
      attach,
      clientId,
      createdAt: call.rt.clock.now(),
    });
    return id;
  };
}

export const imMethods: MethodDef[] = [
  { name: 'im.notify.system.add', scope: 'im', handler: addNotification('system') },
  { name: 'im.notify.personal.add', scope: 'im', handler: addNotification('personal') },
];
