export { createDealersRepository, type DealersRepository } from './dealers.repository.js';
export type { Dealer, DealerLegalEntity, DealerUser, DealerUserRole, DealerStage, DealerUpsert } from './dealer.types.js';
