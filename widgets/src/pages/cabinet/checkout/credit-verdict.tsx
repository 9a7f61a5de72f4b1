import { Alert, AlertTitle } from '@mui/material';
import { useI18n } from '../../../i18n/i18n.js';
import type { CreditCheck } from '../cabinet-types.js';

/**
 * The credit check of the order as the checkout runs it (server/modules/orders/credit-check.ts). A blocked dealer
 * reads exactly why — over the limit by how much, or overdue N days when M are allowed — and what to do.
 */
export function CreditVerdict({ credit }: { credit: CreditCheck }) {
  const { t, money } = useI18n();
  const m = (v: string | null) => (v === null ? '—' : money(v, credit.currency));
  if (credit.result === 'blocked') {
    const text =
      credit.reason === 'overdue'
        ? t('cab.checkout.blockedOverdue', { days: credit.overdueDays ?? 0, allowed: credit.allowedOverdueDays ?? 0, overdue: m(credit.overdue) })
        : credit.reason === 'over_limit' && credit.availableCredit !== null && Number(credit.availableCredit) <= 0
          ? t('cab.checkout.blockedLimitUsed', { limit: m(credit.creditLimit), debt: m(credit.debt), total: m(credit.orderTotal) })
          : credit.reason === 'over_limit'
          ? t('cab.checkout.blockedLimit', { over: m(credit.overBy), total: m(credit.orderTotal), available: m(credit.availableCredit), limit: m(credit.creditLimit), debt: m(credit.debt) })
          : credit.reason === 'dealer_inactive'
            ? t('cab.checkout.blockedInactive')
            : credit.reason === 'currency'
              ? t('cab.checkout.blockedCurrency')
              : credit.message;
    return (
      <Alert severity="error" data-testid="credit-verdict" data-result="blocked" data-reason={credit.reason}>
        <AlertTitle>{t('cab.checkout.blocked')}</AlertTitle>
        {text}
        <div>{t('cab.checkout.blockedWhat')}</div>
      </Alert>
    );
  }
  if (credit.result === 'error') {
    return (
      <Alert severity="warning" data-testid="credit-verdict" data-result="error" data-reason={credit.reason}>
        {t('cab.checkout.creditUnknown')}
      </Alert>
    );
  }
  return (
    <Alert severity={credit.reason === 'over_limit_allowed' ? 'warning' : 'success'} data-testid="credit-verdict" data-result="ok" data-reason={credit.reason}>
      {credit.reason === 'over_limit_allowed'
        ? t('cab.checkout.overAllowed', { over: m(credit.overBy) })
        : credit.availableCredit !== null
          ? t('cab.checkout.creditOk', { available: m(credit.availableCredit) })
          : t('cab.checkout.creditNoLimit')}
    </Alert>
  );
}
