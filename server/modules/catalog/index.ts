/** Catalog: the per-portal in-memory catalog, its API and the services other modules call (cart, orders, sync). */
export { catalogRoutes } from './catalog.routes.js';
export {
  catalogFor,
  peekCatalog,
  configureCatalog,
  notifyCatalogChanged,
  invalidateDealerPricing,
  priceQuote,
  installCatalogModule,
  enqueuePricingRulesSync,
  PRICING_JOB_KINDS,
  CATALOG_SCHEDULES,
} from './catalog-module.js';
export { PortalCatalog, type PortalCatalogOptions } from './portal-catalog.js';
export { CatalogIndex, type CatalogProductInput, type CatalogQuery, type CatalogPage, type Facet, type CatalogGroupNode, type CatalogSort } from './catalog-index.js';
export type { ChangePart } from './catalog.repository.js';
export type { ProductListItem, ProductListPage, ProductCard, ItemPrice, SuggestItem, PriceListRow } from './catalog.service.js';
