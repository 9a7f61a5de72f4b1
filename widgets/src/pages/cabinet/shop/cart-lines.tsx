import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import { Box, IconButton, Link, MenuItem, Select, Table, TableBody, TableCell, TableHead, TableRow, TextField, Tooltip, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { qtyProblemKey } from './add-to-cart.js';
import { PriceWithBreakdown } from './price-breakdown.js';
import { convertQty, isWholeUnit, parseQtyInput } from './qty.js';
import type { CartLine, CartUnit, CartView } from './shop-types.js';

/**
 * The cart's lines: quantity in pieces or packs edited in place (saved on Enter or leaving the field), the dealer's
 * unit price (its breakdown on click), the line total, stock in the cart's scope and every problem of the line.
 */
export function CartLines({ cart, busy, onPatch, onRemove }: { cart: CartView; busy: boolean; onPatch(line: CartLine, patch: { qty?: string; unit?: CartUnit }): void; onRemove(line: CartLine): void }) {
  const { t } = useI18n();
  return (
    <Table size="small" data-testid="cart-lines" sx={{ '& td, & th': { px: 1 } }}>
      <TableHead>
        <TableRow>
          <TableCell>{t('shop.col.sku')}</TableCell>
          <TableCell>{t('shop.col.name')}</TableCell>
          <TableCell sx={{ width: 210 }}>{t('shop.col.qty')}</TableCell>
          <TableCell align="right">{t('shop.col.price')}</TableCell>
          <TableCell align="right">{t('shop.col.sum')}</TableCell>
          <TableCell align="right">{t('shop.col.stock')}</TableCell>
          <TableCell sx={{ width: 40 }} />
        </TableRow>
      </TableHead>
      <TableBody>
        {/* Keyed by product and unit: the server renumbers lines on every change, and a row must outlive that. */}
        {cart.lines.map((line) => <LineRow key={`${line.productId}-${line.unit}`} line={line} busy={busy} onPatch={onPatch} onRemove={onRemove} />)}
      </TableBody>
    </Table>
  );
}

function LineRow({ line, busy, onPatch, onRemove }: { line: CartLine; busy: boolean; onPatch(line: CartLine, patch: { qty?: string; unit?: CartUnit }): void; onRemove(line: CartLine): void }) {
  const { t, money, number, lang } = useI18n();
  const { go } = useCabinet();
  const [text, setText] = useState(line.qty);
  useEffect(() => setText(line.qty), [line.qty]);
  const parsed = parseQtyInput(text, { whole: isWholeUnit(line.unit, line.unitName) });
  const problem = 'problem' in parsed ? t(qtyProblemKey[parsed.problem]) : null;
  // Enter and then leaving the field would otherwise send the same change twice.
  const sent = useRef<string | null>(null);
  const commit = () => {
    if (!('qty' in parsed) || parsed.qty === line.qty || sent.current === `${line.id}:${parsed.qty}`) return;
    sent.current = `${line.id}:${parsed.qty}`;
    onPatch(line, { qty: parsed.qty });
  };
  const short = line.price && !line.stock.enough && line.problems.length === 0;
  const blocked = line.problems.length > 0;
  return (
    <TableRow data-testid="cart-line" data-sku={line.sku ?? ''} sx={{ bgcolor: blocked ? 'error.50' : undefined, verticalAlign: 'top' }}>
      <TableCell sx={{ fontFamily: 'monospace', fontSize: 12, pt: 1.25 }}>{line.sku ?? '—'}</TableCell>
      <TableCell sx={{ pt: 1.25 }}>
        <Link component="button" type="button" underline="hover" onClick={() => go('catalog', { productId: line.productId })} sx={{ textAlign: 'left', fontSize: 13 }}>{line.name}</Link>
        {line.problems.map((p) => (
          <Typography key={p.code} variant="caption" color="error" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }} data-testid="line-problem">
            <WarningAmberIcon sx={{ fontSize: 14 }} />{p.message[lang]}
          </Typography>
        ))}
        {short && (
          <Typography variant="caption" sx={{ display: 'flex', alignItems: 'center', gap: 0.5, color: 'warning.dark' }} data-testid="line-stock-warning">
            <WarningAmberIcon sx={{ fontSize: 14 }} />
            {line.stock.inStock ? t('shop.cart.notEnough', { n: number(line.stock.available), unit: line.unitName }) : t('shop.cart.outOfStock')}
            {line.stock.scope === 'city' && line.stock.city ? ` (${line.stock.city})` : ''}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center' }}>
          <Tooltip title={problem ?? ''} open={Boolean(problem)} arrow placement="top">
            <TextField size="small" value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} error={Boolean(problem)} disabled={busy} sx={{ width: 72 }} slotProps={{ htmlInput: { 'aria-label': t('shop.qty.label'), inputMode: 'decimal', style: { textAlign: 'right', padding: '4px 6px' }, 'data-testid': 'line-qty' } }} />
          </Tooltip>
          {line.packRatio ? (
            <Select size="small" value={line.unit} disabled={busy} onChange={(e) => { const unit = e.target.value as CartUnit; onPatch(line, { unit, qty: convertQty(line.qty, line.unit, unit, line.packRatio) }); }} sx={{ fontSize: 12, '& .MuiSelect-select': { py: '4px', pl: 1 } }} data-testid="line-unit">
              <MenuItem value="base">{line.unitName || t('shop.unit.pcs')}</MenuItem>
              <MenuItem value="pack">{t('shop.unit.pack', { n: number(line.packRatio) })}</MenuItem>
            </Select>
          ) : <Typography variant="body2" color="text.secondary">{line.unitName}</Typography>}
        </Box>
        {line.unit === 'pack' && line.baseQty !== line.qty && <Typography variant="caption" color="text.secondary">= {number(line.baseQty)} {line.unitName}</Typography>}
      </TableCell>
      <TableCell align="right"><PriceWithBreakdown productId={line.productId} price={line.price ? { ...line.price } : null} qty={line.baseQty} /></TableCell>
      <TableCell align="right" sx={{ fontWeight: 600, pt: 1.25, whiteSpace: 'nowrap' }} data-testid="line-total">{line.price ? money(line.price.lineTotal, line.price.currency) : '—'}</TableCell>
      <TableCell align="right" sx={{ pt: 1.25, whiteSpace: 'nowrap', color: line.stock.inStock ? 'success.dark' : 'text.secondary' }}>{line.stock.inStock ? `${number(line.stock.available)} ${line.unitName}` : t('shop.stock.none')}</TableCell>
      <TableCell>
        <IconButton size="small" onClick={() => onRemove(line)} disabled={busy} aria-label={t('shop.cart.remove')} title={t('shop.cart.remove')} data-testid="line-remove"><DeleteOutlineIcon fontSize="small" /></IconButton>
      </TableCell>
    </TableRow>
  );
}
