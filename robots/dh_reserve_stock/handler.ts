import { findOrderOfDocument, reserveOrderStock } from '../../server/modules/orders/index.js';
import { isRussian, loadDocumentItem } from '../robot-document.js';
import { outcome, RobotFailure, type RobotHandler } from '../robot.types.js';

/**
 * dh_reserve_stock: reserve and waiting list of the order (server/modules/orders/reserve-stock.ts). The ERP reserves
 * when it posts the order and reports reserve / waiting per line; where it does not (1C OData reports none), the
 * synced stock is allocated line by line and what is missing goes on the waiting list (the dealer is told when it
 * arrives). Returns waitingLines.
 */
export const reserveStock: RobotHandler = async (run) => {
  await loadDocumentItem(run);
  const order = await findOrderOfDocument(run.ctx, run.portal.id, run.document.itemId);
  if (!order) throw new RobotFailure('this Orders item was not submitted through DealerHub: there are no lines to reserve');
  const r = await reserveOrderStock(run.ctx, run.portal, order);
  const ru = isRussian(run);
  const source = r.source === 'erp' ? (ru ? 'по данным ERP' : 'as the ERP reports') : ru ? 'по остаткам складов' : 'from the warehouses’ stock';
  return outcome('ok', ru ? `${source}: в резерве строк ${r.reservedLines}, в листе ожидания ${r.waitingLines}` : `${source}: ${r.reservedLines} lines reserved, ${r.waitingLines} on the waiting list`, { waitingLines: r.waitingLines });
};
