import { Alert, Box, Typography } from '@mui/material';
import type { DealerFinance } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

function Figure({ label, value, tone, testId }: { label: string; value: string; tone?: 'bad' | 'good'; testId?: string }) {
  return (
    <Box sx={{ minWidth: 140 }} data-testid={testId}>
      <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{label}</Typography>
      <Typography sx={{ fontSize: 18, fontWeight: 600, color: tone === 'bad' ? 'error.main' : tone === 'good' ? '#5a9a00' : 'text.primary' }}>{value}</Typography>
    </Box>
  );
}

/** Debt, overdue and available credit from the ERP snapshot; says plainly when the ERP has sent nothing yet. */
export function FinancePanel({ finance }: { finance: DealerFinance }) {
  const { t, money, dateTime } = useI18n();
  if (!finance.hasErpData) return <Alert severity="info" data-testid="finance-empty">{t('dealer.noFinance')}</Alert>;
  const available = finance.availableCredit;
  return (
    <Box data-testid="finance">
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3 }}>
        <Figure label={t('dealer.debt')} value={money(finance.debt ?? '0', finance.currency)} testId="finance-debt" />
        <Figure label={t('dealer.overdue')} value={money(finance.overdue ?? '0', finance.currency)} tone={Number(finance.overdue ?? 0) > 0 ? 'bad' : undefined} testId="finance-overdue" />
        {finance.overdueDays !== null && <Figure label={t('dealer.overdueDays')} value={String(finance.overdueDays)} tone={finance.overdueDays > 0 ? 'bad' : undefined} />}
        {available !== null && <Figure label={t('dealer.availableCredit')} value={money(available, finance.currency)} tone={Number(available) < 0 ? 'bad' : 'good'} testId="finance-available" />}
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
        {finance.asOf ? t('dealer.financeAsOf', { date: dateTime(finance.asOf) }) : null}
        {finance.creditLimitSource === 'erp' ? ` · ${t('dealer.limitFromErp')}` : ''}
        {finance.erpCustomerIds.length ? ` · ${finance.erpCustomerIds.join(', ')}` : ''}
      </Typography>
    </Box>
  );
}
