import { Box, Paper, Tab, Tabs, Typography } from '@mui/material';
import { useCallback, useMemo, useState } from 'react';
import { WidgetFrame } from '../../../components/widget-frame.js';
import { useI18n } from '../../../i18n/i18n.js';
import { CabinetContext, type CabinetContextValue, type CabinetScreen } from '../cabinet-context.js';
import { CabinetSearchBox, CartBadge, CartScreen, CatalogScreen } from './index.js';

/**
 * A stand-in for the cabinet shell with only the shopping screens: the same context contract (go, scope, legal
 * entity, cart version) so the screens can be developed and tested in a browser before the shell mounts them.
 * Served as /widgets/shop-preview.html; the e2e test opens it with a dealer user's session. Checkout is a stub here.
 */
export function ShopPreview() {
  const { t } = useI18n();
  const [screen, setScreen] = useState<CabinetScreen>('catalog');
  const [params, setParams] = useState<Record<string, string | number | undefined>>({});
  const [companyId, setCompanyId] = useState<number | null>(null);
  const [cartVersion, setCartVersion] = useState(0);
  const go = useCallback((next: CabinetScreen, p: Record<string, string | number | undefined> = {}) => {
    setScreen(next);
    setParams(p);
  }, []);
  const cartChanged = useCallback(() => setCartVersion((v) => v + 1), []);
  const value = useMemo<CabinetContextValue>(
    () => ({ screen, params, go, scope: { cart: {}, catalog: {} }, companyId, setCompanyId, cartVersion, cartChanged }),
    [screen, params, go, companyId, cartVersion, cartChanged],
  );
  const tab = screen === 'catalog' ? 'catalog' : ['cart', 'quick-order', 'saved-carts'].includes(screen) ? 'cart' : 'other';
  return (
    <CabinetContext.Provider value={value}>
      <WidgetFrame>
        {/* A floor for the frame's height: the search list and dialogs need room even over a short cart. */}
        <Box sx={{ minHeight: 760 }}>
        <Paper sx={{ display: 'flex', alignItems: 'center', gap: 2, px: 1.5, py: 1, mb: 1.5 }} data-testid="preview-header">
          <Typography variant="h6" sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>{t('app.name')}</Typography>
          <Tabs value={tab === 'other' ? false : tab} onChange={(_e, v: CabinetScreen) => go(v)} sx={{ minHeight: 36, '& .MuiTab-root': { minHeight: 36 } }}>
            <Tab value="catalog" label={t('shop.catalog.title')} data-testid="nav-catalog" />
            <Tab value="cart" label={t('shop.cart.title')} data-testid="nav-cart" />
          </Tabs>
          <CabinetSearchBox />
          <Box sx={{ flex: 1 }} />
          <CartBadge />
        </Paper>
        {screen === 'catalog' && <CatalogScreen />}
        {tab === 'cart' && <CartScreen />}
        {screen === 'checkout' && <Paper sx={{ p: 3 }} data-testid="preview-checkout">{t('shop.preview.checkout')}</Paper>}
        </Box>
      </WidgetFrame>
    </CabinetContext.Provider>
  );
}
