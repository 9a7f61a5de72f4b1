import { Box, Chip, Paper, Tab, Tabs, Typography } from '@mui/material';
import StorefrontOutlinedIcon from '@mui/icons-material/StorefrontOutlined';
import { roleLabelKey } from '../../../components/dealer-users-table.js';
import { useI18n, type MessageKey } from '../../../i18n/i18n.js';
import { useCabinet, type CabinetScreen } from '../cabinet-context.js';
import { lazy, Suspense } from 'react';
import { Loading } from '../../../components/loading.js';
import { HomeScreen } from '../home/home-screen.js';
import { CabinetSearchBox } from '../shop/cabinet-search-box.js';
import { CartBadge } from '../shop/cart-badge.js';
import { ActAsBanner } from './act-as-banner.js';
import { useCabinetShell } from './cabinet-shell-context.js';
import { LegalEntitySwitcher } from './legal-entity-switcher.js';

type TabKey = 'home' | 'catalog' | 'cart' | 'orders';

/** Which tab a screen belongs to (checkout is a step of the cart; an order page is under Orders). */
const TAB_OF: Record<CabinetScreen, TabKey> = { home: 'home', catalog: 'catalog', cart: 'cart', 'quick-order': 'cart', 'saved-carts': 'cart', checkout: 'cart', orders: 'orders', order: 'orders' };
const TAB_LABEL: Record<TabKey, MessageKey> = { home: 'cab.tab.home', catalog: 'cab.tab.catalog', cart: 'cab.tab.cart', orders: 'cab.tab.orders' };

/** The cabinet's frame: header (dealer, legal entity, search, cart), tab bar, act-as banner and the current screen. */
export function CabinetShell() {
  const { t } = useI18n();
  const { screen, go } = useCabinet();
  const { home, dealer, acting, caps } = useCabinetShell();
  const tabs: TabKey[] = ['home', 'catalog', ...(caps.canOrder ? (['cart'] as const) : []), 'orders'];
  // A screen the person may not use (a viewer sent to checkout) shows home instead.
  const shown: CabinetScreen = !caps.canOrder && TAB_OF[screen] === 'cart' ? 'home' : screen;
  const role = home.kind === 'dealer' ? home.me.role : (acting?.user.role ?? home.me.role);
  return (
    <Box data-testid="cabinet-shell" data-screen={shown}>
      <Paper sx={{ mb: 1.5, overflow: 'hidden' }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, px: 2, py: 1.25, flexWrap: 'wrap' }}>
          <StorefrontOutlinedIcon color="primary" />
          <Box sx={{ minWidth: 160, maxWidth: 360 }}>
            <Typography sx={{ fontWeight: 700, fontSize: 16, lineHeight: 1.2 }} noWrap data-testid="cabinet-dealer-title">
              {dealer ? dealer.title : t('cab.staffMode')}
            </Typography>
            <Typography variant="caption" color="text.secondary" noWrap component="div">
              {home.kind === 'dealer' ? `${home.me.name} · ${t(roleLabelKey(role))}` : acting ? `${acting.user.name} · ${t(roleLabelKey(role))}` : t(roleLabelKey(home.me.role))}
            </Typography>
          </Box>
          {dealer && <LegalEntitySwitcher />}
          <Box sx={{ flex: 1, minWidth: 220 }}>
            <CabinetSearchBox />
          </Box>
          {caps.canOrder && (
            <Box data-testid="shell-cart-badge">
              <CartBadge />
            </Box>
          )}
          {caps.readOnly && !caps.isStaff && !caps.canReadFinance && <Chip size="small" variant="outlined" label={t('cab.readOnly')} data-testid="shell-read-only" />}
        </Box>
        <Tabs value={TAB_OF[shown]} onChange={(_e, v: TabKey) => go(v)} sx={{ px: 1, minHeight: 40, borderTop: 1, borderColor: 'divider' }} data-testid="cabinet-tabs">
          {tabs.map((k) => (
            <Tab key={k} value={k} label={t(TAB_LABEL[k])} data-testid={`tab-${k}`} sx={{ minHeight: 40, py: 0, textTransform: 'none', fontWeight: 600 }} />
          ))}
        </Tabs>
      </Paper>
      {acting && <ActAsBanner />}
      <Screen screen={shown} />
    </Box>
  );
}

// Screens other than home load when first opened: the cabinet's first paint carries the shell and home only.
const CatalogScreen = lazy(() => import('../shop/catalog-screen.js').then((m) => ({ default: m.CatalogScreen })));
const CartScreen = lazy(() => import('../shop/cart-screen.js').then((m) => ({ default: m.CartScreen })));
const CheckoutScreen = lazy(() => import('../checkout/checkout-screen.js').then((m) => ({ default: m.CheckoutScreen })));
const OrdersScreen = lazy(() => import('../orders/orders-screen.js').then((m) => ({ default: m.OrdersScreen })));
const OrderScreen = lazy(() => import('../orders/order-screen.js').then((m) => ({ default: m.OrderScreen })));

function Screen({ screen }: { screen: CabinetScreen }) {
  return (
    <Suspense fallback={<Loading />}>
      <ScreenBody screen={screen} />
    </Suspense>
  );
}

function ScreenBody({ screen }: { screen: CabinetScreen }) {
  switch (screen) {
    case 'home':
      return <HomeScreen />;
    case 'catalog':
      return <CatalogScreen />;
    case 'cart':
    case 'quick-order':
    case 'saved-carts':
      return <CartScreen />;
    case 'checkout':
      return <CheckoutScreen />;
    case 'orders':
      return <OrdersScreen />;
    case 'order':
      return <OrderScreen />;
  }
}
