import { Box, Tab, Tabs } from '@mui/material';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { CartPanel } from './cart-panel.js';
import { QuickOrderPanel } from './quick-order-panel.js';
import { SavedCartsPanel } from './saved-carts-panel.js';

type CartTab = 'cart' | 'quick-order' | 'saved-carts';

/**
 * The cart with its two helpers as sub-tabs: quick order and saved carts. Each sub-tab is a shell screen of that name
 * (#/quick-order, #/saved-carts), so a reload or a link lands on it. The sub-tabs' test ids differ from the shell's
 * `tab-cart`, which is on the page at the same time.
 */
export function CartScreen() {
  const { t } = useI18n();
  const { screen, go } = useCabinet();
  const tab: CartTab = screen === 'quick-order' || screen === 'saved-carts' ? screen : 'cart';
  return (
    <Box data-testid="cart-screen">
      <Tabs value={tab} onChange={(_e, v: CartTab) => go(v)} sx={{ mb: 1.5, minHeight: 36, '& .MuiTab-root': { minHeight: 36, py: 0.5 } }}>
        <Tab value="cart" label={t('shop.cart.linesTab')} data-testid="cart-tab-lines" />
        <Tab value="quick-order" label={t('shop.quick.title')} data-testid="cart-tab-quick-order" />
        <Tab value="saved-carts" label={t('shop.saved.title')} data-testid="cart-tab-saved-carts" />
      </Tabs>
      {tab === 'cart' && <CartPanel />}
      {tab === 'quick-order' && <QuickOrderPanel />}
      {tab === 'saved-carts' && <SavedCartsPanel />}
    </Box>
  );
}
