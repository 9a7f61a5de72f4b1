import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Paper, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorState } from '../../../components/error-state.js';
import { Loading } from '../../../components/loading.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { CartLines } from './cart-lines.js';
import { SaveCartDialog } from './save-cart-dialog.js';
import type { CartLine, CartUnit, CartView } from './shop-types.js';
import { useCart } from './use-cart.js';
import { useCartAction } from './use-shop-api.js';

/** The current cart: legal entity, lines, totals with the discount, and save / clear / checkout. */
export function CartPanel() {
  const { t, money, number } = useI18n();
  const { go, companyId, setCompanyId } = useCabinet();
  const cart = useCart();
  const { run, busy, error } = useCartAction();
  const [confirmClear, setConfirmClear] = useState(false);
  const [saving, setSaving] = useState(false);
  const apply = (view: CartView | null) => view && cart.set(view);
  const patch = async (line: CartLine, change: { qty?: string; unit?: CartUnit }) => apply(await run<CartView>((api, params) => api.patch(`/cart/lines/${line.id}`, change, { params })));
  const remove = async (line: CartLine) => apply(await run<CartView>((api, params) => api.delete(`/cart/lines/${line.id}`, { params })));
  const clear = async () => {
    setConfirmClear(false);
    apply(await run<CartView>((api, params) => api.delete('/cart', { params })));
  };
  if (cart.error && !cart.data) return <ErrorState error={cart.error} onRetry={cart.reload} />;
  if (!cart.data) return <Loading />;
  const c = cart.data;
  const currency = c.totals.currency;
  return (
    <Box data-testid="cart-panel">
      <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
        {c.legalEntities.length > 0 && (
          <TextField select size="small" label={t('shop.cart.legalEntity')} value={companyId ?? c.legalEntity?.companyId ?? ''} onChange={(e) => setCompanyId(Number(e.target.value))} sx={{ minWidth: 280 }} data-testid="cart-legal-entity" disabled={c.legalEntities.length < 2}>
            {c.legalEntities.map((e) => <MenuItem key={e.companyId} value={e.companyId}>{e.name}{e.inn ? ` · ${t('shop.cart.inn', { inn: e.inn })}` : ''}</MenuItem>)}
          </TextField>
        )}
        {c.priceType && <Typography variant="body2" color="text.secondary">{t('shop.cart.priceType', { name: c.priceType.name })}</Typography>}
        <Typography variant="body2" color="text.secondary">{c.stockScope.kind === 'city' && c.stockScope.city ? t('shop.cart.stockCity', { city: c.stockScope.city }) : t('shop.cart.stockAll')}</Typography>
      </Box>
      {error && <Alert severity="error" sx={{ mb: 1 }} data-testid="cart-error">{error}</Alert>}
      {c.lines.length === 0 ? (
        <Paper><EmptyState title={t('shop.cart.empty')} action={<Box sx={{ display: 'flex', gap: 1, justifyContent: 'center' }}><Button variant="contained" onClick={() => go('catalog')}>{t('shop.cart.toCatalog')}</Button><Button onClick={() => go('quick-order')}>{t('shop.quick.title')}</Button></Box>} /></Paper>
      ) : (
        <>
          {c.blockingLines > 0 && <Alert severity="warning" sx={{ mb: 1 }} data-testid="cart-blocking">{t('shop.cart.blocking', { n: c.blockingLines })}</Alert>}
          <Paper sx={{ overflowX: 'auto' }}>
            <CartLines cart={c} busy={busy} onPatch={(l, p) => void patch(l, p)} onRemove={(l) => void remove(l)} />
          </Paper>
          <Paper sx={{ mt: 1, p: 1.5, display: 'flex', gap: 3, alignItems: 'center', flexWrap: 'wrap' }} data-testid="cart-totals">
            <Box>
              <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>{t('shop.cart.lines')}</Typography>
              <Typography variant="body2">{number(c.totals.orderable)} / {number(c.totals.lines)}</Typography>
            </Box>
            <Box>
              <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>{t('shop.cart.baseAmount')}</Typography>
              <Typography variant="body2">{money(c.totals.baseAmount, currency)}</Typography>
            </Box>
            {Number(c.totals.discount) > 0 && (
              <Box>
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>{t('shop.cart.discount')}</Typography>
                <Typography variant="body2" color="error.main">−{money(c.totals.discount, currency)}</Typography>
              </Box>
            )}
            <Box>
              <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>{t('common.total')}</Typography>
              <Typography variant="h6" sx={{ fontWeight: 700, lineHeight: 1.2 }} data-testid="cart-total">{money(c.totals.amount, currency)}</Typography>
            </Box>
            <Box sx={{ flex: 1 }} />
            <Button color="inherit" onClick={() => setConfirmClear(true)} disabled={busy} data-testid="cart-clear">{t('shop.cart.clear')}</Button>
            <Button variant="outlined" onClick={() => setSaving(true)} disabled={busy} data-testid="cart-save">{t('shop.saved.saveCurrent')}</Button>
            <Button variant="contained" size="large" onClick={() => go('checkout')} disabled={busy || c.totals.orderable === 0} data-testid="cart-checkout">{t('shop.cart.checkout')}</Button>
          </Paper>
        </>
      )}
      <Dialog open={confirmClear} onClose={() => setConfirmClear(false)}>
        <DialogTitle>{t('shop.cart.clearTitle')}</DialogTitle>
        <DialogContent><Typography>{t('shop.cart.clearText', { n: c.lines.length })}</Typography></DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmClear(false)}>{t('common.cancel')}</Button>
          <Button color="error" variant="contained" onClick={() => void clear()} data-testid="cart-clear-confirm">{t('shop.cart.clear')}</Button>
        </DialogActions>
      </Dialog>
      {saving && <SaveCartDialog onClose={() => setSaving(false)} />}
    </Box>
  );
}
