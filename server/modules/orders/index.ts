/** Orders: checkout, the order index, manager changes, ERP hand-off and states, robots' services, default automation. */
export { registerOrders, registerOrderRoutes, findOrderOfDocument, ORDER_SCHEDULES, type RegisterOrdersOptions } from './register-orders.js';
export { orderRoutes } from './orders.routes.js';
export { createCheckout, formatOrderNumber, type Checkout, type CheckoutPreview } from './checkout.js';
export { checkOrderCredit, type CreditCheck, type CreditReason } from './credit-check.js';
export { createOrdersRepository, type OrdersRepository, type OrderRow, type OrderLineRow, type OrderEventRow, type ProposedChange, type OrderStatus, type ErpHandoff } from './orders.repository.js';
export { queueOrderForErp, submitOrderOf, acceptHandoff, rejectHandoff, createHandoffJob, ERP_HANDOFF_JOB, type QueuedForErp } from './erp-handoff.js';
export { createErpStateListener, ERP_STATUS_STAGE } from './erp-state-listener.js';
export { reserveOrderStock, type ReserveResult } from './reserve-stock.js';
export { repriceOrder, writeOrderLines, type RepriceResult } from './reprice-order.js';
export { proposeLineChange, agreeChanges, declineChanges, withdrawProposal, applyProposals } from './order-changes.js';
export { listOrders, readOrderPage, readManagedOrder, repeatOrder, approveOrder, cancelOrder, loadVisibleOrder, type OrderPage, type ManagedLine, type RepeatResult } from './orders.service.js';
export { moveOrderStage, type StageMove } from './move-order-stage.js';
export { summarizeOrder, lineView, timelineOf, type OrderSummary, type OrderLineView, type TimelineEntry } from './order-views.js';
export { ORDER_STAGE_KEYS, DELIVERY_METHODS, stageView, isLaterStage } from './order-stages.js';
export { checkWaitingList, WAITING_LIST_JOB } from './waiting-list.js';
export { attachDefaultAutomation } from './default-automation.js';
export { setOrdersRuntime, ordersRuntime, type OrdersRuntime, type OrdersErpLink } from './orders-runtime.js';
export { ZCheckout, ZOrderListQuery, ZLineChange, type TCheckout, type TLineChange } from './orders.schemas.js';
