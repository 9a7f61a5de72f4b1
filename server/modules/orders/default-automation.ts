import type { Installed } from '../../../installer/index.js';
import type { SandboxPortal } from '../../../sandbox/index.js';
import { ORDER_STAGE_KEYS } from './order-stages.js';

/** NotifyDealer's message per stage ({=Document:…} is filled in by the portal). */
const STAGE_MESSAGES: Record<string, string> = {
  new: 'Заказ {=Document:TITLE} принят и ждёт проверки',
  approval: 'Заказ {=Document:TITLE} на согласовании у менеджера',
  agreed: 'Заказ {=Document:TITLE} согласован и передаётся в ERP',
  sentToErp: 'Заказ {=Document:TITLE} передан в ERP',
  confirmed: 'Заказ {=Document:TITLE} подтверждён',
  invoiced: 'По заказу {=Document:TITLE} выставлен счёт',
  paid: 'Заказ {=Document:TITLE} оплачен',
  shipped: 'Заказ {=Document:TITLE} отгружен',
  delivered: 'Заказ {=Document:TITLE} доставлен',
  cancelled: 'Заказ {=Document:TITLE} отменён',
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
  for (const stageKey of ORDER_STAGE_KEYS) add(stageKey, 'dh_notify_dealer', { message: STAGE_MESSAGES[stageKey] ?? '{=Document:TITLE}', kind: 'order_status' });
  return attached;
}
