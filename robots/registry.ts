import { ROBOT_DEFINITIONS, type RobotDefinition } from './definitions.js';
import { checkDealerCredit } from './dh_check_dealer_credit/handler.js';
import { notifyDealer } from './dh_notify_dealer/handler.js';
import { recalculateOrderPrices } from './dh_recalculate_order_prices/handler.js';
import { requestManagerApproval } from './dh_request_manager_approval/handler.js';
import { reserveStock } from './dh_reserve_stock/handler.js';
import { sendClaimToErp } from './dh_send_claim_to_erp/handler.js';
import { sendOrderToErp } from './dh_send_order_to_erp/handler.js';
import type { RobotHandler } from './robot.types.js';

/** Robots as data plus a handler (STYLE.md §6): code → definition (robots/definitions.ts) and what runs it. */
export interface RegisteredRobot {
  definition: RobotDefinition;
  handler: RobotHandler;
}

const HANDLERS: Record<string, RobotHandler> = {
  dh_check_dealer_credit: checkDealerCredit,
  dh_request_manager_approval: requestManagerApproval,
  dh_notify_dealer: notifyDealer,
  dh_send_order_to_erp: sendOrderToErp,
  dh_reserve_stock: reserveStock,
  dh_recalculate_order_prices: recalculateOrderPrices,
  dh_send_claim_to_erp: sendClaimToErp,
};

export const ROBOTS: Record<string, RegisteredRobot> = Object.fromEntries(
  ROBOT_DEFINITIONS.map((definition) => {
    const handler = HANDLERS[definition.code];
    if (!handler) throw new Error(`robot ${definition.code} has no handler in robots/registry.ts`);
    return [definition.code, { definition, handler }];
  }),
);

export function robotByCode(code: string): RegisteredRobot | null {
  return Object.hasOwn(ROBOTS, code) ? ROBOTS[code]! : null;
}

/** The URL Bitrix24 posts a robot call to (bizproc.robot.add HANDLER), under the app's public URL. */
export const robotHandlerPath = (code: string): string => `/robots/${code}`;
