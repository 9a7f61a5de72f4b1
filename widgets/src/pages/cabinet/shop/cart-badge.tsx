import ShoppingCartOutlinedIcon from '@mui/icons-material/ShoppingCartOutlined';
import { Badge, Box, ButtonBase, Typography } from '@mui/material';
import { useEffect, useRef } from 'react';
import { useApi } from '../../../api/use-api.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import type { CartView } from './shop-types.js';
import { useShopParams } from './use-shop-api.js';

/** The header's cart: number of lines and the total; reloads whenever a screen reports a cart change. */
export function CartBadge() {
  const { t, money } = useI18n();
  const { go, cartVersion } = useCabinet();
  const params = useShopParams();
  const cart = useApi<CartView>('/cart', params.cart);
  const first = useRef(true);
  const { reload } = cart;
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
  }, [cartVersion, reload]);
  const lines = cart.data?.totals.lines ?? 0;
  return (
    <ButtonBase onClick={() => go('cart')} sx={{ borderRadius: 1, px: 1, py: 0.5, gap: 1, '&:hover': { bgcolor: 'action.hover' } }} aria-label={t('shop.cart.title')} data-testid="cart-badge">
      <Badge badgeContent={lines} color="primary" max={999} data-testid="cart-badge-count" sx={{ mr: 1 }}>
        <ShoppingCartOutlinedIcon />
      </Badge>
      <Box sx={{ textAlign: 'left' }}>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', lineHeight: 1.1 }}>{t('shop.cart.title')}</Typography>
        <Typography variant="body2" sx={{ fontWeight: 600, lineHeight: 1.2 }} data-testid="cart-badge-total">
          {cart.data ? money(cart.data.totals.amount, cart.data.totals.currency) : '…'}
        </Typography>
      </Box>
    </ButtonBase>
  );
}
