import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { installedSmartProcess, requireSmartProcess } from '../dealers/index.js';
import type { Portal } from '../portals/index.js';
import type { OrderItemContext } from './b24-order-item.js';

/** The portal's Orders smart process and REST client, as every writer of the Orders item needs them. */
export function orderItemContext(ctx: AppContext, portal: Pick<Portal, 'id' | 'settings'>): OrderItemContext {
  const orders = requireSmartProcess(portal.settings, 'orders');
  const dealers = installedSmartProcess(portal.settings, 'dealers');
  if (!dealers) throw new AppError('UNAVAILABLE', 'The Dealers smart process is not installed on this portal; run the installer');
  return { client: ctx.b24.forPortal(portal.id), portalId: portal.id, orders, dealersEntityTypeId: dealers.entityTypeId };
}
