import { Box, Typography } from '@mui/material';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { useI18n } from '../../i18n/i18n.js';
import type { SalesSummary } from './dealer-tab.types.js';
import { SalesChart } from './sales-chart.js';

function Figure({ label, value, sub, testId }: { label: string; value: string; sub: string; testId: string }) {
  return (
    <Box sx={{ minWidth: 150 }} data-testid={testId}>
      <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{label}</Typography>
      <Typography sx={{ fontSize: 18, fontWeight: 600 }} data-testid={`${testId}-total`}>{value}</Typography>
      <Typography sx={{ fontSize: 11, color: 'text.secondary' }}>{sub}</Typography>
    </Box>
  );
}

/** The dealer's sales: this month, this year, and the last twelve months as bars (cancelled orders left out). */
export function DealerSales({ dealerItemId }: { dealerItemId: number }) {
  const { t, money } = useI18n();
  const state = useApi<SalesSummary>('/orders/sales/monthly', { dealerId: dealerItemId, months: 12 });
  return (
    <AsyncView state={state}>
      {(s) => (
        <Box data-testid="dealer-sales">
          <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', mb: 1.5 }}>
            <Figure label={t('mgr.sales.thisMonth')} value={money(s.thisMonth.total, s.currency)} sub={t('mgr.sales.orders', { n: s.thisMonth.orders })} testId="sales-month" />
            <Figure label={t('mgr.sales.thisYear')} value={money(s.thisYear.total, s.currency)} sub={t('mgr.sales.orders', { n: s.thisYear.orders })} testId="sales-year" />
          </Box>
          <SalesChart sales={s} />
          {s.otherCurrencyOrders > 0 ? <Typography variant="caption" color="text.secondary">{t('mgr.sales.otherCurrency', { n: s.otherCurrencyOrders })}</Typography> : null}
        </Box>
      )}
    </AsyncView>
  );
}
