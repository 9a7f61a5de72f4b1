export { createDealersRepository, type DealersRepository } from './dealers.repository.js';
export type { Dealer, DealerLegalEntity, DealerUser, DealerUserRole, DealerStage, DealerUpsert } from './dealer.types.js';
export {
  installedSmartProcess,
  requireSmartProcess,
  smartProcessKeyOf,
  restNameOf,
  productRowOwnerType,
  itemCardPath,
  type InstalledSmartProcess,
  type InstalledField,
} from './installed-smart-process.js';
export { crmLinkId, crmLinkIds, ufBool, ufInt, ufMoney, ufString, decimalOrNull } from './crm-values.js';
export { mapDealerItem, dealerStageOf, type MappedDealerItem } from './map-dealer-item.js';
export { loadEnumOptions, enumKeyOf, enumIdOf, ufNameOf, forgetEnumOptions } from './enum-options.js';
export { createErpCustomersRepository, matchErpCustomer, type ErpCustomersRepository, type ErpCustomerRef, type ErpFinanceRow } from './erp-customers.repository.js';
export { syncDealerItem, type DealerSyncResult } from './sync-dealer-item.js';
export { syncAllDealers, type FullSyncSummary } from './sync-all-dealers.js';
export { registerDealerSync, DEALER_SYNC_ITEM_JOB, DEALER_SYNC_ALL_JOB, DEALER_SCHEDULES } from './register-dealer-sync.js';
export { dealerUsersRoutes, publicDealerUser, ZDealerUserPatch, ZDealerItemParams, ZPage, type TDealerUserPatch } from './dealer-users.routes.js';
export { summarizeFinance, erpIdsOf, type DealerFinance } from './dealer-finance.js';
export { findDealersForCompany } from './find-dealers-for-company.js';
