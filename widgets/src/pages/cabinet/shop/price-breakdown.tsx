import { Box, Chip, CircularProgress, Link, Popover, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState, type MouseEvent } from 'react';
import { useApi } from '../../../api/use-api.js';
import { ErrorState } from '../../../components/error-state.js';
import { useI18n } from '../../../i18n/i18n.js';
import type { ItemPrice, PriceQuote } from './shop-types.js';
import { useShopParams } from './use-shop-api.js';

/**
 * A price as the dealer sees it: their unit price, the base price struck through and the discount when there is one.
 * Clicking it opens how it came to be (base → rules → offer) from /catalog/prices/breakdown.
 */
export function PriceWithBreakdown({ productId, price, qty = '1', align = 'right' }: { productId: number; price: ItemPrice | null; qty?: string; align?: 'left' | 'right' }) {
  const { t, money, number } = useI18n();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  if (!price) return <Typography variant="body2" color="text.secondary">{t('shop.price.none')}</Typography>;
  const discounted = Number(price.discountPercent) > 0 && price.basePrice !== price.unitPrice;
  const open = (e: MouseEvent<HTMLElement>) => {
    e.stopPropagation();
    setAnchor(e.currentTarget);
  };
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: align === 'right' ? 'flex-end' : 'flex-start', lineHeight: 1.2 }}>
      <Link component="button" type="button" underline="hover" onClick={open} data-testid="price" title={t('shop.price.howTitle')} sx={{ fontWeight: 600, color: discounted ? 'error.main' : 'text.primary', fontSize: 'inherit' }}>
        {money(price.unitPrice, price.currency)}
      </Link>
      {discounted && (
        <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center' }}>
          <Typography component="s" variant="caption" color="text.secondary">
            {money(price.basePrice, price.currency)}
          </Typography>
          <Chip size="small" color="error" variant="outlined" label={`−${number(price.discountPercent)}%`} sx={{ height: 16, fontSize: 10, '& .MuiChip-label': { px: 0.5 } }} />
        </Box>
      )}
      <Popover open={Boolean(anchor)} anchorEl={anchor} onClose={() => setAnchor(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }} transformOrigin={{ vertical: 'top', horizontal: 'right' }} onClick={(e) => e.stopPropagation()}>
        {anchor && <BreakdownTable productId={productId} qty={qty} />}
      </Popover>
    </Box>
  );
}

const kindKey = { base: 'shop.price.kind.base', rule: 'shop.price.kind.rule', offer: 'shop.price.kind.offer' } as const;

function BreakdownTable({ productId, qty }: { productId: number; qty: string }) {
  const { t, money } = useI18n();
  const params = useShopParams();
  const state = useApi<PriceQuote & { priceType: { name: string } | null }>('/catalog/prices/breakdown', { ...params.catalog, productId, qty });
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Box sx={{ p: 2 }}><CircularProgress size={18} /></Box>;
  const q = state.data;
  return (
    <Box sx={{ p: 1.5, minWidth: 380 }} data-testid="price-breakdown">
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.price.breakdown')}</Typography>
      {q.priceType && <Typography variant="caption" color="text.secondary">{t('shop.price.priceType', { name: q.priceType.name })}</Typography>}
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{t('shop.price.step')}</TableCell>
            <TableCell>{t('shop.price.how')}</TableCell>
            <TableCell align="right">{t('shop.price.after')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {q.breakdown.map((s, i) => (
            <TableRow key={`${s.kind}-${s.ref}-${i}`} data-testid="breakdown-step">
              <TableCell>
                <Typography variant="body2">{t(kindKey[s.kind])}{s.title && s.title !== s.kind ? `: ${s.title}` : ''}</Typography>
                {s.conditions && <Typography variant="caption" color="text.secondary">{s.conditions}</Typography>}
              </TableCell>
              <TableCell>{s.how}</TableCell>
              <TableCell align="right">{money(s.price, q.currency)}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell colSpan={2} sx={{ fontWeight: 600 }}>{t('shop.price.yours')}</TableCell>
            <TableCell align="right" sx={{ fontWeight: 600 }}>{money(q.unitPrice, q.currency)}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </Box>
  );
}
