import { itemCardPath } from '../../server/modules/dealers/index.js';
import { documentName, isRussian, loadDocumentDealer, loadDocumentItem, portalUrl } from '../robot-document.js';
import { outcome, RobotFailure, type RobotHandler } from '../robot.types.js';

/** BB codes are markup in the notification (im-notify-system-add.md); text from properties must not inject any. */
export const bbText = (s: string): string => s.replace(/\[/g, '(').replace(/\]/g, ')');

/**
 * dh_request_manager_approval: tells the dealer's personal manager (the Dealers card's manager field) that the order
 * or claim awaits their approval, with a link to the card (im.notify.system.add). Returns ok + managerId (`user_<id>`,
 * the bizproc form of a user value).
 */
export const requestManagerApproval: RobotHandler = async (run) => {
  const doc = await loadDocumentItem(run);
  const { dealer } = await loadDocumentDealer(run, doc);
  if (!dealer.managerUserId) throw new RobotFailure(`the dealer «${dealer.title}» has no personal manager`);
  const ru = isRussian(run);
  const link = portalUrl(run, itemCardPath(doc.sp.entityTypeId, run.document.itemId));
  const what = doc.key === 'orders' ? (ru ? 'Заказ' : 'Order') : ru ? 'Рекламация' : 'Claim';
  const comment = typeof run.properties.comment === 'string' && run.properties.comment.trim() ? bbText(run.properties.comment.trim()).slice(0, 1000) : '';
  const message = ru
    ? `${what} [URL=${link}]${bbText(documentName(doc))}[/URL] дилера «${bbText(dealer.title)}» ждёт вашего согласования.${comment ? `\nКомментарий: ${comment}` : ''}`
    : `${what} [URL=${link}]${bbText(documentName(doc))}[/URL] of the dealer "${bbText(dealer.title)}" awaits your approval.${comment ? `\nComment: ${comment}` : ''}`;
  await run.client.call('im.notify.system.add', {
    USER_ID: dealer.managerUserId,
    MESSAGE: message,
    MESSAGE_OUT: message.replace(/\[\/?URL[^\]]*\]/g, ''),
    // Same tag for the same robot call: a retried send replaces the notification instead of adding a second one.
    TAG: `DEALERHUB|APPROVAL|${run.runKey}`,
  });
  return outcome('ok', ru ? `запрос отправлен менеджеру #${dealer.managerUserId}` : `request sent to manager #${dealer.managerUserId}`, { managerId: `user_${dealer.managerUserId}` });
};
