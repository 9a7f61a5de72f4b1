import AddShoppingCartIcon from '@mui/icons-material/AddShoppingCart';
import { Box, CircularProgress, IconButton, MenuItem, Select, TextField, Tooltip } from '@mui/material';
import { useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { isWholeUnit, parseQtyInput, type QtyProblem } from './qty.js';
import type { CartUnit, CartView, ProductListItem } from './shop-types.js';
import { useCartAction } from './use-shop-api.js';

export const qtyProblemKey = {
  empty: 'shop.qty.empty',
  notNumber: 'shop.qty.notNumber',
  zero: 'shop.qty.zero',
  tooPrecise: 'shop.qty.tooPrecise',
  notWhole: 'shop.qty.notWhole',
} as const satisfies Record<QtyProblem, string>;

/**
 * Quantity (in pieces or packs when the product has a pack) and the add button, for a table row, a tile or the card.
 * Keys typed here stay here: the data grid would otherwise take arrows and space for its own navigation.
 */
export function AddToCart({ product, onAdded, size = 'small' }: { product: ProductListItem; onAdded?: (cart: CartView) => void; size?: 'small' | 'medium' }) {
  const { t } = useI18n();
  const { run, busy, error } = useCartAction();
  const [text, setText] = useState('1');
  const [unit, setUnit] = useState<CartUnit>('base');
  const [added, setAdded] = useState(false);
  const pack = product.packs[0];
  const parsed = parseQtyInput(text, { whole: isWholeUnit(unit, product.unit.name) });
  const problem = 'problem' in parsed ? t(qtyProblemKey[parsed.problem]) : null;
  const add = async () => {
    if (!('qty' in parsed)) return;
    const cart = await run<CartView>((api, params) => api.post('/cart/lines', { lines: [{ productId: product.id, qty: parsed.qty, unit }] }, { params }));
    if (cart) {
      setAdded(true);
      setTimeout(() => setAdded(false), 1500);
      onAdded?.(cart);
    }
  };
  const disabled = !product.price || busy || Boolean(problem);
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()} data-testid="add-to-cart">
      <Tooltip title={error ?? problem ?? ''} open={Boolean(error ?? (problem && text !== '1' ? problem : null))} arrow placement="top">
        <TextField
          size="small"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void add()}
          error={Boolean(problem) || Boolean(error)}
          slotProps={{ htmlInput: { 'aria-label': t('shop.qty.label'), inputMode: 'decimal', 'data-testid': 'qty-input', style: { textAlign: 'right', padding: size === 'small' ? '4px 6px' : undefined } } }}
          sx={{ width: 64 }}
        />
      </Tooltip>
      {pack && (
        <Select size="small" value={unit} onChange={(e) => setUnit(e.target.value as CartUnit)} sx={{ fontSize: 12, '& .MuiSelect-select': { py: size === 'small' ? '4px' : undefined, pl: 1 } }} aria-label={t('shop.qty.unit')}>
          <MenuItem value="base">{product.unit.name || t('shop.unit.pcs')}</MenuItem>
          <MenuItem value="pack">{t('shop.unit.pack', { n: pack.ratio })}</MenuItem>
        </Select>
      )}
      <Tooltip title={product.price ? t('shop.addToCart') : t('shop.price.none')}>
        <span>
          <IconButton size="small" color={added ? 'success' : 'primary'} disabled={disabled} onClick={() => void add()} aria-label={t('shop.addToCart')} data-testid="add-button">
            {busy ? <CircularProgress size={16} /> : <AddShoppingCartIcon fontSize="small" />}
          </IconButton>
        </span>
      </Tooltip>
    </Box>
  );
}
