import { Box, Button, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { LineChange, ManagedLine } from './managed-order.types.js';

const DECIMAL = /^\d{1,12}(\.\d{1,4})?$/;
/** People type "12,5" and "1 200": the API takes "12.5" and "1200". */
const clean = (v: string) => v.replace(/\s/g, '').replace(',', '.');

/** Quantity (base units), price and a note for the dealer; only what differs is proposed. Or propose removing the line. */
export function LineEditor({ line, currency, busy, onSubmit, onCancel }: { line: ManagedLine; currency: string; busy: boolean; onSubmit: (change: LineChange) => Promise<void>; onCancel: () => void }) {
  const { t, money } = useI18n();
  const [qty, setQty] = useState(line.proposed?.baseQty ?? line.baseQty);
  const [price, setPrice] = useState(line.proposed?.price ?? line.price);
  const [comment, setComment] = useState('');
  const q = clean(qty);
  const p = clean(price);
  const qtyError = !DECIMAL.test(q) || Number(q) <= 0;
  const priceError = !DECIMAL.test(p);
  const change: LineChange = {
    ...(Number(q) !== Number(line.baseQty) ? { qty: q } : {}),
    ...(Number(p) !== Number(line.price) ? { price: p } : {}),
    ...(comment.trim() ? { comment: comment.trim() } : {}),
  };
  const nothing = change.qty === undefined && change.price === undefined;
  const total = !qtyError && !priceError ? money((Number(q) * Number(p)).toFixed(2), currency) : '—';
  return (
    <Box
      component="form"
      data-testid="line-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!qtyError && !priceError && !nothing) void onSubmit(change);
      }}
      sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', flexWrap: 'wrap' }}
    >
      <TextField
        label={t('mgr.edit.qty', { unit: line.unitName ?? '' })}
        value={qty}
        onChange={(e) => setQty(e.target.value)}
        error={qtyError}
        helperText={qtyError ? t('mgr.edit.badNumber') : ' '}
        sx={{ width: 130 }}
        slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'edit-qty' } }}
        autoFocus
      />
      <TextField
        label={t('mgr.edit.price', { currency })}
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        error={priceError}
        helperText={priceError ? t('mgr.edit.badNumber') : t('mgr.edit.base', { price: money(line.basePrice, currency) })}
        sx={{ width: 150 }}
        slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'edit-price' } }}
      />
      <TextField label={t('mgr.edit.comment')} value={comment} onChange={(e) => setComment(e.target.value)} helperText=" " sx={{ flex: 1, minWidth: 200 }} slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'edit-comment' } }} />
      <Box sx={{ pt: 0.5 }}>
        <Typography sx={{ fontSize: 11, color: 'text.secondary' }}>{t('lines.sum')}</Typography>
        <Typography sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>{total}</Typography>
      </Box>
      <Box sx={{ display: 'flex', gap: 1, pt: 0.5, ml: 'auto' }}>
        <Button type="submit" variant="contained" disabled={busy || qtyError || priceError || nothing} data-testid="edit-submit">
          {t('mgr.edit.propose')}
        </Button>
        <Button color="error" disabled={busy} onClick={() => void onSubmit({ remove: true, ...(comment.trim() ? { comment: comment.trim() } : {}) })} data-testid="edit-remove">
          {t('mgr.edit.remove')}
        </Button>
        <Button color="inherit" disabled={busy} onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </Box>
    </Box>
  );
}
