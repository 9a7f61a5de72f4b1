import { Box } from '@mui/material';
import { useI18n } from '../../i18n/i18n.js';
import type { SalesSummary } from './dealer-tab.types.js';

const HEIGHT = 96;

/**
 * Sales by month as bars, drawn by hand in SVG (no chart library in the bundle): each bar's height is its share of the
 * best month, the current month in the accent colour, a tooltip with the exact sum and order count. The SVG stretches
 * to the width; the month labels are HTML below it, so they never stretch with it.
 */
export function SalesChart({ sales }: { sales: SalesSummary }) {
  const { lang, money, t } = useI18n();
  const months = sales.months;
  const max = Math.max(...months.map((m) => Number(m.total)), 0);
  const width = 100 / months.length;
  const label = (month: string) => new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`)).replace('.', '');
  return (
    <Box data-testid="sales-chart" role="img" aria-label={t('mgr.sales.chart')}>
      <Box component="svg" viewBox={`0 0 100 ${HEIGHT}`} preserveAspectRatio="none" sx={{ width: '100%', height: HEIGHT, display: 'block' }}>
        {[0.5, 1].map((f) => (
          <line key={f} x1="0" x2="100" y1={HEIGHT * (1 - f)} y2={HEIGHT * (1 - f)} stroke="#eef2f4" strokeWidth="1" vectorEffect="non-scaling-stroke" />
        ))}
        <line x1="0" x2="100" y1={HEIGHT} y2={HEIGHT} stroke="#c9d1d8" strokeWidth="1" vectorEffect="non-scaling-stroke" />
        {months.map((m, i) => {
          const value = Number(m.total);
          const h = max > 0 && value > 0 ? Math.max((HEIGHT * value) / max, 1.5) : 0;
          const current = i === months.length - 1;
          return (
            <rect key={m.month} data-testid="sales-bar" data-month={m.month} data-total={m.total} x={i * width + width * 0.2} width={width * 0.6} y={HEIGHT - h} height={h} fill={current ? '#2fc6f6' : '#a8dff2'}>
              <title>{`${label(m.month)}: ${money(m.total, sales.currency)} · ${t('mgr.sales.orders', { n: m.orders })}`}</title>
            </rect>
          );
        })}
      </Box>
      <Box sx={{ display: 'flex', mt: 0.5 }}>
        {months.map((m, i) => (
          <Box key={m.month} sx={{ flex: 1, textAlign: 'center', fontSize: 10, color: i === months.length - 1 ? 'text.primary' : 'text.secondary', fontWeight: i === months.length - 1 ? 700 : 400, whiteSpace: 'nowrap', overflow: 'hidden' }}>
            {label(m.month)}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
