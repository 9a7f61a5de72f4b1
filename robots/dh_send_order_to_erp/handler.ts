import { findOrderOfDocument, queueOrderForErp } from '../../server/modules/orders/index.js';
import { isRussian, loadDocumentItem } from '../robot-document.js';
import { outcome, RobotFailure, type RobotHandler } from '../robot.types.js';

/**
 * dh_send_order_to_erp: queues the order for the ERP — the outbox row, the order's hand-off state and its watcher in
 * one transaction (server/modules/orders/erp-handoff.ts); the outbox worker then creates and posts the ERP document
 * idempotently by our external id. What it answers, honestly:
 * - `ok` with `erpNumber` when the ERP already has the order (a repeated call);
 * - `ok` "queued" with an empty `erpNumber` when it was just queued: the robot does not hold the workflow while the
 *   ERP is slow or down. The watcher then moves the item to "Sent to ERP" with the ERP number, or — when the ERP
 *   refuses it (dead letter, e.g. a validation error) — writes the ERP's message into the ERP status field and the
 *   timeline, tells the manager, and leaves the stage where it is;
 * - `error` when it cannot be queued (changes await the dealer, no ERP customer, lines without an ERP product…) or
 *   when the ERP already refused this order.
 */
export const sendOrderToErp: RobotHandler = async (run) => {
  await loadDocumentItem(run);
  const order = await findOrderOfDocument(run.ctx, run.portal.id, run.document.itemId);
  if (!order) throw new RobotFailure('this Orders item was not submitted through DealerHub: there is no order to send');
  const ru = isRussian(run);
  if (order.erpHandoff === 'rejected') throw new RobotFailure(`${ru ? 'ERP отклонила заказ' : 'the ERP refused the order'}: ${order.erpError ?? ''}`.trim());
  const post = String(run.properties.post ?? 'Y').toUpperCase() !== 'N';
  const queued = await queueOrderForErp(run.ctx, order, { post, actorUserId: run.userId });
  if (queued.erpNumber && (queued.handoff === 'posted' || queued.handoff === 'created')) {
    return outcome('ok', ru ? `заказ уже в ERP: № ${queued.erpNumber}` : `the order is already in the ERP: № ${queued.erpNumber}`, { erpNumber: queued.erpNumber });
  }
  return outcome('ok', ru ? `заказ поставлен в очередь передачи в ERP (исходящая очередь #${queued.outboxId}); номер ERP придёт после передачи` : `queued for the ERP (outbox #${queued.outboxId}); the ERP number follows the hand-off`, { erpNumber: '' });
};
