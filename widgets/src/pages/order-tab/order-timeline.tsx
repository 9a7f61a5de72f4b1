import { Box, Typography } from '@mui/material';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import type { TimelineEntry } from './managed-order.types.js';

const KNOWN = new Set(['created', 'submitted', 'stage', 'changes_proposed', 'changes_withdrawn', 'changes_agreed', 'changes_declined', 'repriced', 'reserved', 'erp_queued', 'erp_accepted', 'erp_rejected', 'goods_arrived']);
const SHOWN = 8;

/** Our events carry short English notes ("line 2: change", "outbox #1"); these read them in the user's language. */
function describe(e: TimelineEntry, t: ReturnType<typeof useI18n>['t']): string | null {
  const m = e.message;
  if (!m || e.kind === 'stage') return null;
  let x = /^line (\d+)(?:: (change|replace|remove|add))?$/.exec(m);
  if (x) return x[2] ? t(`mgr.eventNote.${x[2]}` as MessageKey, { n: x[1]! }) : t('mgr.eventNote.line', { n: x[1]! });
  x = /^reserved (\d+), waiting (\d+)$/.exec(m);
  if (x) return t('mgr.eventNote.reserved', { reserved: x[1]!, waiting: x[2]! });
  x = /^outbox #(\d+)$/.exec(m);
  if (x) return t('mgr.eventNote.outbox', { n: x[1]! });
  return m;
}

/** The order's latest events, newest first: what happened and when, in a few words. */
export function OrderTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, dateTime } = useI18n();
  const latest = [...entries].reverse().slice(0, SHOWN);
  if (latest.length === 0) return <Typography sx={{ px: 2, pb: 1.5, fontSize: 12, color: 'text.secondary' }}>{t('mgr.timeline.empty')}</Typography>;
  return (
    <Box component="ul" sx={{ m: 0, px: 2, pb: 1, listStyle: 'none' }}>
      {latest.map((e, i) => (
        <Box component="li" key={`${e.at}-${i}`} sx={{ py: 0.5, borderBottom: i < latest.length - 1 ? '1px solid #f0f3f5' : 'none' }} data-testid="timeline-entry" data-kind={e.kind}>
          <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
            <Typography sx={{ fontSize: 12, fontWeight: 600 }}>
              {KNOWN.has(e.kind) ? t(`mgr.event.${e.kind}` as MessageKey) : e.kind}
              {e.kind === 'stage' && e.stage ? `: ${e.stage.name}` : ''}
            </Typography>
            <Typography sx={{ fontSize: 11, color: 'text.secondary', whiteSpace: 'nowrap' }}>{dateTime(e.at)}</Typography>
          </Box>
          {describe(e, t) ? <Typography sx={{ fontSize: 11, color: 'text.secondary', wordBreak: 'break-word' }}>{describe(e, t)}</Typography> : null}
        </Box>
      ))}
    </Box>
  );
}
