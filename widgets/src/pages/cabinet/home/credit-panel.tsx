import { Alert, Box, Chip, Tooltip, Typography } from '@mui/material';
import { useI18n } from '../../../i18n/i18n.js';

/** Debt, overdue and the credit limit as a dealer needs them, from the dealer card's finance or the checkout's check. */
export interface CreditFigures {
  currency: string;
  debt: string | null;
  overdue: string | null;
  overdueDays: number | null;
  creditLimit: string | null;
  available: string | null;
  asOf: string | null;
  /** The dealer's blocking rules (from the dealer card). */
  blockOverLimit: boolean;
  blockOverdueDays: number | null;
}

function Figure({ label, value, tone, testId }: { label: string; value: string; tone?: 'bad' | 'good'; testId: string }) {
  return (
    <Box sx={{ minWidth: 120 }} data-testid={testId}>
      <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{label}</Typography>
      <Typography sx={{ fontSize: 17, fontWeight: 700, color: tone === 'bad' ? 'error.main' : tone === 'good' ? 'success.main' : 'text.primary', whiteSpace: 'nowrap' }}>{value}</Typography>
    </Box>
  );
}

/**
 * The credit picture: four figures and a bar of the limit — debt within terms (blue), overdue (red), what is left
 * (grey) — and a chip saying whether new orders pass the blocking rules right now.
 */
export function CreditPanel({ figures }: { figures: CreditFigures | null }) {
  const { t, money, dateTime } = useI18n();
  if (!figures || (figures.debt === null && figures.creditLimit === null)) return <Alert severity="info" data-testid="credit-empty">{t('cab.credit.noData')}</Alert>;
  const f = figures;
  const debt = Number(f.debt ?? 0);
  const overdue = Math.min(Number(f.overdue ?? 0), debt);
  const limit = f.creditLimit === null ? null : Number(f.creditLimit);
  const overdueBlocked = f.blockOverdueDays !== null && (f.overdueDays ?? 0) > f.blockOverdueDays && overdue > 0;
  const overLimitBlocked = f.blockOverLimit && limit !== null && debt >= limit;
  const blocked = overdueBlocked || overLimitBlocked;
  const scale = Math.max(limit ?? 0, debt, 1);
  const pct = (n: number) => `${Math.max(0, Math.min(100, (n / scale) * 100))}%`;
  return (
    <Box data-testid="credit-panel">
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2.5, mb: 1.5 }}>
        <Figure label={t('cab.credit.limit')} value={limit === null ? t('cab.credit.noLimit') : money(limit, f.currency)} testId="credit-limit" />
        <Figure label={t('cab.credit.debt')} value={money(debt, f.currency)} testId="credit-debt" />
        <Figure
          label={t('cab.credit.overdue')}
          value={overdue > 0 ? `${money(overdue, f.currency)}${f.overdueDays ? ` · ${t('common.days', { n: f.overdueDays })}` : ''}` : '—'}
          tone={overdue > 0 ? 'bad' : undefined}
          testId="credit-overdue"
        />
        {f.available !== null && <Figure label={t('cab.credit.available')} value={money(f.available, f.currency)} tone={Number(f.available) <= 0 ? 'bad' : 'good'} testId="credit-available" />}
      </Box>
      {limit !== null && (
        <Tooltip title={t('cab.credit.barHint')}>
          <Box sx={{ position: 'relative', height: 12, borderRadius: 6, bgcolor: '#e8edf2', overflow: 'hidden', mb: 0.75 }} data-testid="credit-bar" aria-label={t('cab.credit.barHint')}>
            <Box sx={{ position: 'absolute', left: 0, top: 0, bottom: 0, width: pct(debt - overdue), bgcolor: debt > (limit ?? 0) ? 'error.light' : 'primary.main' }} />
            <Box sx={{ position: 'absolute', left: pct(debt - overdue), top: 0, bottom: 0, width: pct(overdue), bgcolor: 'error.main' }} />
            {debt > limit && <Box sx={{ position: 'absolute', left: pct(limit), top: -2, bottom: -2, width: 2, bgcolor: 'text.primary' }} />}
          </Box>
        </Tooltip>
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Chip
          size="small"
          color={blocked ? 'error' : 'success'}
          label={blocked ? (overdueBlocked ? t('cab.credit.blockedOverdue', { days: f.overdueDays ?? 0, allowed: f.blockOverdueDays ?? 0 }) : t('cab.credit.blockedLimit')) : t('cab.credit.canOrder')}
          data-testid="credit-status"
        />
        <Typography variant="caption" color="text.secondary">
          {[f.blockOverLimit ? t('cab.credit.ruleLimit') : null, f.blockOverdueDays !== null ? t('cab.credit.ruleOverdue', { n: f.blockOverdueDays }) : null, f.asOf ? t('dealer.financeAsOf', { date: dateTime(f.asOf) }) : null].filter(Boolean).join(' · ')}
        </Typography>
      </Box>
    </Box>
  );
}
