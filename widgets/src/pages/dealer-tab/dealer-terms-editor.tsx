import { Box, Button, FormControlLabel, Switch, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { DealerCard } from '../../api/types.js';
import { ErrorState } from '../../components/error-state.js';
import { useI18n } from '../../i18n/i18n.js';
import { useWidget } from '../../shell/widget-context.js';
import type { DealerTermsPatch } from './dealer-tab.types.js';

const MONEY = /^\d{1,13}(\.\d{1,2})?$/;
const DAYS = /^\d{1,3}$/;
const clean = (v: string) => v.replace(/\s/g, '').replace(',', '.');

/**
 * Credit terms and blocking rules, edited by a manager (dealer.manage). Saved to the Dealers card in Bitrix24 through
 * PATCH /api/dealers/:id/terms; an empty limit or term clears it. Only what changed is sent.
 */
export function DealerTermsEditor({ card, onSaved, onCancel }: { card: DealerCard; onSaved: (card: DealerCard) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { api } = useWidget();
  const d = card.dealer;
  const [limit, setLimit] = useState(d.creditLimit ?? '');
  const [term, setTerm] = useState(d.paymentTermDays === null ? '' : String(d.paymentTermDays));
  const [overLimit, setOverLimit] = useState(d.blocking.overLimit);
  const [overdueOn, setOverdueOn] = useState(d.blocking.overdueDays !== null);
  const [overdue, setOverdue] = useState(d.blocking.overdueDays === null ? '15' : String(d.blocking.overdueDays));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const l = clean(limit);
  const limitError = l !== '' && !MONEY.test(l);
  const termError = term !== '' && (!DAYS.test(term) || Number(term) > 365);
  const overdueError = overdueOn && (!DAYS.test(overdue) || Number(overdue) > 365);
  const patch: DealerTermsPatch = {};
  const newLimit = l === '' ? null : l;
  if (newLimit === null ? d.creditLimit !== null : d.creditLimit === null || Number(newLimit) !== Number(d.creditLimit)) patch.creditLimit = newLimit;
  const newTerm = term === '' ? null : Number(term);
  if (newTerm !== d.paymentTermDays) patch.paymentTermDays = newTerm;
  if (overLimit !== d.blocking.overLimit) patch.blockOverLimit = overLimit;
  const newOverdue = overdueOn ? Number(overdue) : null;
  if (newOverdue !== d.blocking.overdueDays) patch.blockOverdueDays = newOverdue;
  const nothing = Object.keys(patch).length === 0;

  async function save() {
    setSaving(true);
    setError(null);
    try {
      onSaved((await api.patch<DealerCard>(`/dealers/${d.itemId}/terms`, patch)).data);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Box
      component="form"
      data-testid="terms-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!limitError && !termError && !overdueError && !nothing) void save();
      }}
    >
      {error ? <ErrorState error={error} /> : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1.5, mt: 1, mb: 1 }}>
        <TextField label={t('dealer.creditLimit')} value={limit} onChange={(e) => setLimit(e.target.value)} error={limitError} helperText={limitError ? t('mgr.edit.badNumber') : t('mgr.terms.emptyClears', { currency: d.currency })} slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'terms-limit' } }} />
        <TextField label={t('mgr.terms.paymentDays')} value={term} onChange={(e) => setTerm(e.target.value)} error={termError} helperText={termError ? t('mgr.terms.badDays') : ' '} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'terms-days' } }} />
      </Box>
      <Typography sx={{ fontSize: 12, color: 'text.secondary', mb: 0.5 }}>{t('dealer.blocking')}</Typography>
      <FormControlLabel control={<Switch checked={overLimit} onChange={(e) => setOverLimit(e.target.checked)} slotProps={{ input: { 'data-testid': 'terms-over-limit' } as object }} />} label={t('mgr.terms.blockOverLimit')} sx={{ display: 'flex', mb: 0.5 }} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <FormControlLabel control={<Switch checked={overdueOn} onChange={(e) => setOverdueOn(e.target.checked)} slotProps={{ input: { 'data-testid': 'terms-overdue-on' } as object }} />} label={t('mgr.terms.blockOverdue')} sx={{ mr: 0 }} />
        <TextField value={overdue} disabled={!overdueOn} onChange={(e) => setOverdue(e.target.value)} error={overdueError} sx={{ width: 80 }} slotProps={{ htmlInput: { inputMode: 'numeric', 'aria-label': t('mgr.terms.overdueDays'), 'data-testid': 'terms-overdue-days' } }} />
        <Typography sx={{ fontSize: 13 }}>{t('mgr.terms.days')}</Typography>
      </Box>
      <Box sx={{ display: 'flex', gap: 1, mt: 1.5 }}>
        <Button type="submit" variant="contained" disabled={saving || nothing || limitError || termError || overdueError} data-testid="terms-save">
          {t('common.save')}
        </Button>
        <Button color="inherit" disabled={saving} onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </Box>
    </Box>
  );
}
