import { Box, Tab, Tabs } from '@mui/material';
import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { CartPanel } from './cart-panel.js';
import { QuickOrderPanel } from './quick-order-panel.js';
import { SavedCartsPanel } from './saved-carts-panel.js';

type CartTab = 'cart' | 'quick-order' | 'saved-carts';

/** The cart with its two helpers as sub-tabs: quick order and saved carts (the shell's screens of those names open them). */
export function CartScreen() {
  const { t } = useI18n();
  const { screen } = useCabinet();
  const fromScreen: CartTab = screen === 'quick-order' || screen === 'saved-carts' ? screen : 'cart';
  const [tab, setTab] = useState<CartTab>(fromScreen);
  useEffect(() => setTab(fromScreen), [fromScreen]);
  return (
    <Box data-testid="cart-screen">
      <Tabs value={tab} onChange={(_e, v: CartTab) => setTab(v)} sx={{ mb: 1.5, minHeight: 36, '& .MuiTab-root': { minHeight: 36, py: 0.5 } }}>
        <Tab value="cart" label={t('shop.cart.title')} data-testid="tab-cart" />
        <Tab value="quick-order" label={t('shop.quick.title')} data-testid="tab-quick-order" />
        <Tab value="saved-carts" label={t('shop.saved.title')} data-testid="tab-saved-carts" />
      </Tabs>
      {tab === 'cart' && <CartPanel />}
      {tab === 'quick-order' && <QuickOrderPanel />}
      {tab === 'saved-carts' && <SavedCartsPanel />}
    </Box>
  );
}
