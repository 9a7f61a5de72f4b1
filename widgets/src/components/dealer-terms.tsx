import { Link, Stack, Typography } from '@mui/material';
import type { DealerSummary } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { FieldList } from './field-list.js';

/**
 * The dealer's terms as the Dealers card keeps them: ERP link, price type, group, place, credit and blocking rules.
 * Its stage is shown by the header around it. Dealers themselves see only their commercial terms.
 */
export function DealerTerms({ dealer, onOpenManager, audience = 'staff' }: { dealer: DealerSummary; onOpenManager?: (userId: number) => void; audience?: 'staff' | 'dealer' }) {
  const staff = audience === 'staff';
  const { t, money, dateTime } = useI18n();
  const blocking = [
    dealer.blocking.overLimit ? t('dealer.blockOverLimit') : null,
    dealer.blocking.overdueDays !== null ? t('dealer.blockOverdue', { n: dealer.blocking.overdueDays }) : null,
  ].filter(Boolean);
  return (
    <>
      <FieldList
        items={[
          ...(staff
            ? [
                { label: t('dealer.erpCustomer'), value: dealer.erpCustomerId, testId: 'dealer-erp-id' },
                { label: t('dealer.priceType'), value: dealer.priceTypeName ?? dealer.priceType },
                { label: t('dealer.group'), value: dealer.dealerGroup?.label },
              ]
            : []),
          { label: t('dealer.location'), value: [dealer.city, dealer.region].filter(Boolean).join(', ') },
          { label: t('dealer.creditLimit'), value: dealer.creditLimit ? money(dealer.creditLimit, dealer.currency) : null, testId: 'dealer-credit-limit' },
          { label: t('dealer.paymentTerm'), value: dealer.paymentTermDays !== null ? t('common.days', { n: dealer.paymentTermDays }) : null },
          {
            label: t('dealer.manager'),
            value: dealer.manager ? (
              onOpenManager ? (
                <Link component="button" onClick={() => onOpenManager(dealer.manager!.id)} underline="hover">
                  {dealer.manager.name}
                </Link>
              ) : (
                dealer.manager.name
              )
            ) : null,
            testId: 'dealer-manager',
          },
          ...(staff
            ? [
                {
                  label: t('dealer.blocking'),
                  wide: true,
                  value: (
                    <Stack component="span" spacing={0.25}>
                      {blocking.length ? blocking.map((b) => <span key={b}>{b}</span>) : <span>{t('dealer.noBlocking')}</span>}
                    </Stack>
                  ),
                },
              ]
            : []),
        ]}
      />
      {staff && (
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1.5 }}>
          {t('dealer.syncedAt', { date: dateTime(dealer.syncedAt) })}
        </Typography>
      )}
    </>
  );
}
