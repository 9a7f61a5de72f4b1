/** Carts: the active cart per dealer user and legal entity, saved carts, quick order (paste / CSV / XLSX). */
export { cartRoutes } from './carts.routes.js';
export { createCartService, mergeLines, portFor, viewCart, type CartService, type CartView, type StockScopeChoice } from './cart.service.js';
export { resolveCartActor, allowedLegalEntities, auditActors, type CartActor, type LegalEntityChoice } from './cart-owner.js';
export { createCartsRepository, type CartsRepository, type CartRow, type CartLineRow, type CartLineInput, type CartUnit, type CartOwnerKey } from './carts.repository.js';
export { catalogPortFor, catalogPortOver, normalizeCode, type CatalogPort, type CatalogProductView, type StockScope, type WarehouseStock } from './catalog-port.js';
export { priceLines, totalsOf, baseQuantityOf, type PricedLine, type LinePrice, type LineTotals, type LineInput } from './price-lines.js';
export { lineProblem, type LineProblem, type LineProblemCode } from './line-problems.js';
export { resolveQuickOrder, type QuickOrderResolution, type QuickOrderAccepted, type QuickOrderRejected } from './quick-order.js';
export { parsePastedLines, parseCsv, parseXlsx, parseQuickOrderFile, parseQuantity, MAX_QUICK_ORDER_LINES, type ParsedQuickOrder, type QuickOrderLine } from './parse-quick-order.js';
export { dealerApiGuard } from './api-guard.js';
export { ZQty, ZUnit } from './carts.schemas.js';
