import { notAvailableYet } from '../not-available-yet.js';

/** dh_send_order_to_erp: sending orders to the ERP comes with the ordering module and the ERP outbox */
export const sendOrderToErp = notAvailableYet({
  ru: 'передача заказов в ERP появится вместе с модулем заказов и исходящей очередью ERP',
  en: 'sending orders to the ERP comes with the ordering module and the ERP outbox',
});
