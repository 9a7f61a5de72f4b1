import { findOrderOfDocument, repriceOrder } from '../../server/modules/orders/index.js';
import { isRussian, loadDocumentItem } from '../robot-document.js';
import { outcome, RobotFailure, type RobotHandler } from '../robot.types.js';

/**
 * dh_recalculate_order_prices: reprices the order's lines with the dealer's prices of today (price type, discounts,
 * special offers) and writes the item's product rows and total (server/modules/orders/reprice-order.ts). Returns the
 * new total. Only before the ERP has the order.
 */
export const recalculateOrderPrices: RobotHandler = async (run) => {
  await loadDocumentItem(run);
  const order = await findOrderOfDocument(run.ctx, run.portal.id, run.document.itemId);
  if (!order) throw new RobotFailure('this Orders item was not submitted through DealerHub: there are no priced lines');
  const r = await repriceOrder(run.ctx, run.portal, order, run.userId);
  const ru = isRussian(run);
  const kept = r.unpriced.length ? (ru ? `; без цены оставлены строки ${r.unpriced.map((u) => u.lineNo).join(', ')}` : `; lines ${r.unpriced.map((u) => u.lineNo).join(', ')} kept their price`) : '';
  return outcome('ok', `${ru ? 'сумма' : 'total'} ${r.oldTotal} → ${r.newTotal} ${order.currency}${kept}`, { total: r.newTotal });
};
