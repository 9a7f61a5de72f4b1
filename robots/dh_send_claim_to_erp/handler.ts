import { notAvailableYet } from '../not-available-yet.js';

/** dh_send_claim_to_erp: sending claims to the ERP comes with the claims module and the ERP outbox */
export const sendClaimToErp = notAvailableYet({
  ru: 'передача рекламаций в ERP появится вместе с модулем рекламаций и исходящей очередью ERP',
  en: 'sending claims to the ERP comes with the claims module and the ERP outbox',
});
