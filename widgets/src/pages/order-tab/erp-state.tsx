import { Alert, AlertTitle, Box, Chip, Typography } from '@mui/material';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import type { OrderSummary, OutboxState } from './managed-order.types.js';

type Tone = 'default' | 'info' | 'success' | 'warning' | 'error';

/** One word for where the order is on its way to the ERP, from our hand-off state and the outbox row. */
export function erpStateOf(order: OrderSummary, outbox: OutboxState | null): { key: MessageKey; tone: Tone } {
  const h = order.erp.handoff;
  if (h === 'rejected' || outbox?.state === 'dead') return { key: 'mgr.erp.rejected', tone: 'error' };
  if (h === 'posted') return { key: 'mgr.erp.posted', tone: 'success' };
  if (h === 'created') return { key: 'mgr.erp.created', tone: 'success' };
  if (h === 'queued') return outbox?.state === 'failed' ? { key: 'mgr.erp.retrying', tone: 'warning' } : { key: 'mgr.erp.queued', tone: 'info' };
  return { key: 'mgr.erp.notSent', tone: 'default' };
}

export function ErpStateChip({ order, outbox }: { order: OrderSummary; outbox: OutboxState | null }) {
  const { t } = useI18n();
  const s = erpStateOf(order, outbox);
  return <Chip size="small" variant={s.tone === 'default' ? 'outlined' : 'filled'} color={s.tone} label={t(s.key)} data-testid="erp-state" data-state={order.erp.handoff ?? 'none'} sx={{ fontWeight: 600 }} />;
}

/**
 * What a manager must act on about the ERP hand-off: the ERP refused the order (its own words, and what to do), or the
 * ERP cannot be reached and the outbox keeps retrying (attempt n of m, the next try, the last error).
 */
export function ErpProblem({ order, outbox }: { order: OrderSummary; outbox: OutboxState | null }) {
  const { t, dateTime } = useI18n();
  const s = erpStateOf(order, outbox);
  if (s.tone === 'error') {
    return (
      <Alert severity="error" sx={{ mb: 1.5 }} data-testid="erp-problem">
        <AlertTitle>{t('mgr.erp.rejectedTitle')}</AlertTitle>
        <Box component="span" sx={{ whiteSpace: 'pre-wrap' }}>{order.erp.error ?? outbox?.lastError ?? '—'}</Box>
        <Typography variant="body2" sx={{ mt: 0.5 }}>{t('mgr.erp.rejectedHint')}</Typography>
      </Alert>
    );
  }
  if (s.key === 'mgr.erp.retrying' && outbox) {
    return (
      <Alert severity="warning" sx={{ mb: 1.5 }} data-testid="erp-problem">
        <AlertTitle>{t('mgr.erp.retryingTitle')}</AlertTitle>
        {t('mgr.erp.retryingText', { n: outbox.attempts, max: outbox.maxAttempts, at: outbox.nextAttemptAt ? dateTime(outbox.nextAttemptAt) : '—' })}
        {outbox.lastError ? <Box sx={{ mt: 0.5, fontFamily: 'monospace', fontSize: 12 }}>{outbox.lastError}</Box> : null}
      </Alert>
    );
  }
  return null;
}
