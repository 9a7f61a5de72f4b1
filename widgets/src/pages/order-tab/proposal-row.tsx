import { Box, Button, Chip } from '@mui/material';
import { useI18n } from '../../i18n/i18n.js';
import type { ManagedLine } from './managed-order.types.js';

/** The manager's proposal on a line, as the dealer will see it: what changes, from what to what, awaiting the dealer. */
export function ProposalRow({ line, currency, canWithdraw, busy, onWithdraw }: { line: ManagedLine; currency: string; canWithdraw: boolean; busy: boolean; onWithdraw: () => void }) {
  const { t, money, number, dateTime } = useI18n();
  const p = line.proposed!;
  const parts: string[] = [];
  if (p.kind === 'remove') parts.push(t('mgr.proposal.remove'));
  if (p.kind === 'replace') parts.push(t('mgr.proposal.replace', { name: `${p.sku ? `${p.sku} ` : ''}${p.name ?? ''}`.trim() }));
  if (p.kind !== 'remove') {
    if (p.baseQty !== undefined && Number(p.baseQty) !== Number(line.baseQty)) parts.push(t('mgr.proposal.qty', { from: number(line.baseQty), to: number(p.baseQty) }));
    if (p.price !== undefined && Number(p.price) !== Number(line.price)) parts.push(t('mgr.proposal.price', { from: money(line.price, currency), to: money(p.price, currency) }));
    if (p.lineTotal !== undefined) parts.push(t('mgr.proposal.total', { from: money(line.lineTotal, currency), to: money(p.lineTotal, currency) }));
  }
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', pl: 4.5 }} data-testid="line-proposal" data-kind={p.kind}>
      <Chip size="small" color="warning" label={t('mgr.proposal.awaiting')} sx={{ height: 20, fontSize: 11, fontWeight: 600 }} />
      <Box sx={{ fontSize: 12, flex: 1, minWidth: 200 }}>
        {parts.join(' · ')}
        {p.comment ? <Box component="span" sx={{ color: 'text.secondary' }}> — «{p.comment}»</Box> : null}
        <Box component="span" sx={{ color: 'text.secondary', fontSize: 11 }}> · {dateTime(p.at)}</Box>
      </Box>
      {canWithdraw ? (
        <Button size="small" color="inherit" disabled={busy} onClick={onWithdraw} data-testid="proposal-withdraw">
          {t('mgr.proposal.withdraw')}
        </Button>
      ) : null}
    </Box>
  );
}
