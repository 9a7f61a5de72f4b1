import type { Installed } from '../../../installer/index.js';
import type { SandboxPortal } from '../../../sandbox/index.js';
import { ORDER_STAGE_KEYS } from './order-stages.js';

/**
 * NotifyDealer's message per stage. The robot puts the document's name in front («№DH-000123: …»), so the text does
 * not name the order again ({=Document:TITLE} is «Заказ DH-000123»: it read «№DH-000123: Заказ Заказ DH-000123 …»).
 */
const STAGE_MESSAGES: Record<string, string> = {
  new: 'Заказ принят и ждёт проверки',
  approval: 'Заказ на согласовании у менеджера',
  agreed: 'Заказ согласован и передаётся в ERP',
  sentToErp: 'Заказ передан в ERP',
  confirmed: 'Заказ подтверждён',
  invoiced: 'По заказу выставлен счёт',
  paid: 'Заказ оплачен',
  shipped: 'Заказ отгружен',
  delivered: 'Заказ доставлен',
  cancelled: 'Заказ отменён',
};

/**
 * The default automation of the Orders pipeline, for the sandbox portal (Bitrix24 has no REST for automation rules;
 * on a real portal an administrator sets them up in the automation rules editor the same way):
 * new: CheckDealerCredit → RequestManagerApproval; agreed: SendOrderToErp; confirmed: ReserveStock;
 * every stage: NotifyDealer (kind order_status). Robots must be registered (the installer does it).
 */
export function attachDefaultAutomation(portal: SandboxPortal, installed: Installed, opts: { clientId?: string } = {}): number {
  const orders = installed.smartProcess('orders');
  const attach = (stageKey: string, robot: string, properties: Record<string, unknown> = {}) =>
    portal.automation.attach({ entityTypeId: orders.entityTypeId, stageId: orders.stage(stageKey), ...(orders.categoryId !== null ? { categoryId: orders.categoryId } : {}), robot, properties, ...(opts.clientId ? { clientId: opts.clientId } : {}) });
  let attached = 0;
  const add = (stageKey: string, robot: string, properties?: Record<string, unknown>) => {
    attach(stageKey, robot, properties);
    attached++;
  };
  add('new', 'dh_check_dealer_credit');
  add('new', 'dh_request_manager_approval');
  add('agreed', 'dh_send_order_to_erp', { post: 'Y' });
  add('confirmed', 'dh_reserve_stock');
  for (const stageKey of ORDER_STAGE_KEYS) add(stageKey, 'dh_notify_dealer', { message: STAGE_MESSAGES[stageKey] ?? 'Стадия заказа изменилась', kind: 'order_status' });
  return attached;
}
