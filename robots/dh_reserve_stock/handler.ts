import { notAvailableYet } from '../not-available-yet.js';

/** dh_reserve_stock: reserving stock in the ERP comes with the ordering module and the ERP connector */
export const reserveStock = notAvailableYet({
  ru: 'резервирование в ERP появится вместе с модулем заказов и коннектором ERP',
  en: 'reserving stock in the ERP comes with the ordering module and the ERP connector',
});
