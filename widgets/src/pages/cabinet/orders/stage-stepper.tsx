import { Box, Typography } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import { useI18n, type MessageKey } from '../../../i18n/i18n.js';
import { PIPELINE, type OrderDocument, type OrderSummary, type TimelineEntry } from '../cabinet-types.js';

/** Stages an ERP document proves even when the ERP's order status never said so (1C bills without a status change). */
const STAGE_OF_DOCUMENT: Record<string, string> = { invoice: 'invoiced', payment: 'paid' };

/**
 * The order's way through the pipeline (new … delivered) as a stepper: passed stages ticked with the date they were
 * reached (from the order's events), the current one marked; a cancelled order ends in a red step where it stopped.
 * A stage the order went past without entering (1C reported "shipped" with no payment yet) is shown as skipped, not
 * ticked: a dealer must not read "paid" where nobody said so — unless the ERP's documents say it (an invoice, a
 * payment), and then the step is ticked with the document's date.
 */
export function StageStepper({ order, timeline, documents = [] }: { order: OrderSummary; timeline: TimelineEntry[]; documents?: OrderDocument[] }) {
  const { t, dateTime } = useI18n();
  const reached = new Map<string, string>();
  for (const e of timeline) if (e.stage && !reached.has(e.stage.key)) reached.set(e.stage.key, e.at);
  if (!reached.has('new') && order.submittedAt) reached.set('new', order.submittedAt);
  for (const d of documents) {
    const stage = STAGE_OF_DOCUMENT[d.kind];
    if (stage && !reached.has(stage)) reached.set(stage, d.date);
  }
  const cancelled = order.stage.key === 'cancelled';
  const currentIndex = cancelled ? Math.max(...PIPELINE.map((k, i) => (reached.has(k) ? i : 0))) : PIPELINE.indexOf(order.stage.key as (typeof PIPELINE)[number]);
  const steps: Array<{ key: string; state: 'done' | 'current' | 'todo' | 'cancelled' | 'skipped'; at: string | null }> = PIPELINE.map((key, i) => ({
    key,
    state: i < currentIndex && !reached.has(key) ? 'skipped' : i < currentIndex || (cancelled && i === currentIndex) ? 'done' : i === currentIndex ? (key === 'delivered' ? 'done' : 'current') : 'todo',
    at: reached.get(key) ?? (i === currentIndex && !cancelled ? order.stageChangedAt : null),
  }));
  if (cancelled) steps.splice(currentIndex + 1, steps.length, { key: 'cancelled', state: 'cancelled', at: reached.get('cancelled') ?? order.stageChangedAt });
  return (
    <Box sx={{ display: 'flex', overflowX: 'auto', py: 1 }} data-testid="stage-stepper" data-stage={order.stage.key}>
      {steps.map((s, i) => {
        const color = s.state === 'cancelled' ? 'error.main' : s.state === 'done' ? 'success.main' : s.state === 'current' ? 'primary.main' : 'grey.400';
        const hollow = s.state === 'todo' || s.state === 'skipped';
        return (
          <Box key={s.key} sx={{ flex: 1, minWidth: 66, px: 0.25, position: 'relative', textAlign: 'center' }} data-testid="stage-step" data-key={s.key} data-state={s.state}>
            {i > 0 && <Box sx={{ position: 'absolute', top: 13, right: '50%', width: '100%', height: 2, bgcolor: s.state === 'todo' ? 'grey.300' : s.state === 'skipped' ? 'success.main' : color, zIndex: 0 }} />}
            <Box
              sx={{
                position: 'relative',
                zIndex: 1,
                mx: 'auto',
                width: 28,
                height: 28,
                borderRadius: '50%',
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
                bgcolor: hollow ? '#fff' : color,
                border: 2,
                borderColor: color,
                color: '#fff',
                boxShadow: s.state === 'current' ? '0 0 0 4px rgba(47,198,246,.25)' : 'none',
                fontSize: 12,
                fontWeight: 700,
              }}
            >
              {s.state === 'done' ? <CheckIcon sx={{ fontSize: 16 }} /> : s.state === 'cancelled' ? <CloseIcon sx={{ fontSize: 16 }} /> : s.state === 'current' ? i + 1 : s.state === 'skipped' ? <Box component="span" sx={{ color: 'grey.500' }}>–</Box> : <Box component="span" sx={{ color: 'grey.500' }}>{i + 1}</Box>}
            </Box>
            <Typography sx={{ fontSize: 11.5, fontWeight: s.state === 'current' || s.state === 'cancelled' ? 700 : 500, mt: 0.5, color: hollow ? 'text.secondary' : 'text.primary', lineHeight: 1.2 }}>
              {t(`cab.stage.${s.key}` as MessageKey)}
            </Typography>
            <Typography sx={{ fontSize: 10.5, color: 'text.secondary', minHeight: 14, lineHeight: 1.2 }}>{s.state === 'skipped' ? t('cab.stage.skipped') : s.at && s.state !== 'todo' ? dateTime(s.at) : ''}</Typography>
          </Box>
        );
      })}
    </Box>
  );
}
