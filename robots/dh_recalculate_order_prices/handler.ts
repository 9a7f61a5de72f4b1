import { notAvailableYet } from '../not-available-yet.js';

/** dh_recalculate_order_prices: repricing an order comes with the ordering and pricing modules */
export const recalculateOrderPrices = notAvailableYet({
  ru: 'пересчёт цен заказа появится вместе с модулями заказов и ценообразования',
  en: 'repricing an order comes with the ordering and pricing modules',
});
