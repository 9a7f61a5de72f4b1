import { bbText } from '../dh_request_manager_approval/handler.js';
import { documentName, isRussian, loadDocumentDealer, loadDocumentItem } from '../robot-document.js';
import { outcome, RobotFailure, type RobotHandler } from '../robot.types.js';

const KINDS = ['order_status', 'order_changed', 'claim_status', 'other'] as const;

/**
 * dh_notify_dealer: the message (a robot property; Bitrix24 has already put document values into it) to every active
 * user of the document's dealer who did not switch this kind of notification off, and who may act for the document's
 * legal entity (im.notify.system.add; extranet users get it in their messenger). Returns how many were notified.
 */
export const notifyDealer: RobotHandler = async (run) => {
  const text = typeof run.properties.message === 'string' ? run.properties.message.trim() : '';
  if (!text) throw new RobotFailure('the robot has no message to send');
  const kind = (KINDS as readonly string[]).includes(String(run.properties.kind)) ? String(run.properties.kind) : 'order_status';
  const doc = await loadDocumentItem(run);
  const { dealer, legalEntities } = await loadDocumentDealer(run, doc);
  const companyId = Number(doc.item.companyId) || null;
  const users = (await run.ctx.dealers.listUsers(run.portal.id, dealer.id)).filter((u) => {
    if (!u.active || u.notificationSettings[kind] === false) return false;
    if (u.legalEntityIds.length === 0 || companyId === null) return true;
    return legalEntities.some((e) => u.legalEntityIds.includes(e.id) && e.companyId === companyId);
  });
  const ru = isRussian(run);
  const message = `[B]${bbText(documentName(doc))}[/B]: ${bbText(text).slice(0, 4000)}`;
  const results = await run.client.callMany(
    users.map((u) => ({ method: 'im.notify.system.add', params: { USER_ID: u.b24UserId, MESSAGE: message, MESSAGE_OUT: message.replace(/\[\/?B\]/g, ''), TAG: `DEALERHUB|${kind.toUpperCase()}|${run.runKey}|${u.b24UserId}` } })),
  );
  const failed = results.filter((r) => !r.ok);
  const notified = results.length - failed.length;
  if (failed.length > 0) {
    run.logger.warn({ failed: failed.length, dealerId: dealer.id }, 'some dealer users could not be notified');
    if (notified === 0) throw new RobotFailure(`no dealer user could be notified (${failed.length} failed)`);
  }
  const message2 = ru ? `уведомлено пользователей: ${notified}${failed.length ? `, не доставлено: ${failed.length}` : ''}` : `users notified: ${notified}${failed.length ? `, failed: ${failed.length}` : ''}`;
  return outcome('ok', message2, { notified });
};
