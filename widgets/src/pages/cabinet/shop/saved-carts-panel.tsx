import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import DriveFileRenameOutlineIcon from '@mui/icons-material/DriveFileRenameOutline';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Paper, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../../api/use-api.js';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorState } from '../../../components/error-state.js';
import { Loading } from '../../../components/loading.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { SaveCartDialog } from './save-cart-dialog.js';
import type { CartView, SavedCartSummary } from './shop-types.js';
import { useCartAction, useShopParams } from './use-shop-api.js';

/**
 * Saved carts of this user: save the current cart under a name, load one into the current cart (added to it or
 * replacing it; prices are today's), overwrite one with the current cart, rename, delete.
 */
export function SavedCartsPanel() {
  const { t, dateTime, number } = useI18n();
  const { go, cartVersion } = useCabinet();
  const params = useShopParams();
  const list = useApi<{ items: SavedCartSummary[] }>('/carts/saved', params.cart);
  const { run, busy, error } = useCartAction();
  const [saving, setSaving] = useState(false);
  const [renaming, setRenaming] = useState<SavedCartSummary | null>(null);
  const [deleting, setDeleting] = useState<SavedCartSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { reload } = list;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
  }, [cartVersion, reload]);

  const load = async (s: SavedCartSummary, mode: 'add' | 'replace') => {
    const cart = await run<CartView>((api, p) => api.post(`/carts/saved/${s.id}/load`, { mode }, { params: p }));
    if (cart) setNotice(t('shop.saved.loaded', { name: s.name, n: cart.lines.length }));
  };
  const update = async (s: SavedCartSummary) => {
    if (await run<CartView>((api, p) => api.patch(`/carts/saved/${s.id}`, { fromCurrent: true }, { params: p }))) setNotice(t('shop.saved.updated', { name: s.name }));
  };
  const remove = async (s: SavedCartSummary) => {
    setDeleting(null);
    await run<unknown>((api, p) => api.delete(`/carts/saved/${s.id}`, { params: p }));
  };

  return (
    <Box data-testid="saved-carts">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>{t('shop.saved.hint')}</Typography>
        <Button variant="contained" onClick={() => setSaving(true)} data-testid="saved-save-current">{t('shop.saved.saveCurrent')}</Button>
      </Box>
      {error && <Alert severity="error" sx={{ mb: 1 }} data-testid="saved-error">{error}</Alert>}
      {notice && <Alert severity="success" sx={{ mb: 1 }} onClose={() => setNotice(null)} action={<Button size="small" onClick={() => go('cart')}>{t('shop.quick.openCart')}</Button>} data-testid="saved-notice">{notice}</Alert>}
      {list.error && !list.data ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? (
        <Paper><EmptyState title={t('shop.saved.empty')} /></Paper>
      ) : (
        <Paper sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="saved-list">
            <TableHead>
              <TableRow>
                <TableCell>{t('shop.saved.name')}</TableCell>
                <TableCell align="right">{t('shop.cart.lines')}</TableCell>
                <TableCell>{t('shop.saved.updatedAt')}</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {list.data.items.map((s) => (
                <TableRow key={s.id} hover data-testid="saved-cart" data-name={s.name}>
                  <TableCell>
                    <Typography variant="body2" sx={{ fontWeight: 500 }}>{s.name}</Typography>
                    {s.note && <Typography variant="caption" color="text.secondary">{s.note}</Typography>}
                  </TableCell>
                  <TableCell align="right">{number(s.lineCount)}</TableCell>
                  <TableCell>{dateTime(s.updatedAt)}</TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    <Button size="small" variant="outlined" disabled={busy} onClick={() => void load(s, 'add')} data-testid="saved-load">{t('shop.saved.loadAdd')}</Button>{' '}
                    <Button size="small" disabled={busy} onClick={() => void load(s, 'replace')} data-testid="saved-replace">{t('shop.saved.loadReplace')}</Button>{' '}
                    <Button size="small" disabled={busy} onClick={() => void update(s)} data-testid="saved-update">{t('shop.saved.updateFromCurrent')}</Button>
                    <Tooltip title={t('shop.saved.rename')}><IconButton size="small" disabled={busy} onClick={() => setRenaming(s)}><DriveFileRenameOutlineIcon fontSize="small" /></IconButton></Tooltip>
                    <Tooltip title={t('shop.saved.delete')}><IconButton size="small" disabled={busy} onClick={() => setDeleting(s)} data-testid="saved-delete"><DeleteOutlineIcon fontSize="small" /></IconButton></Tooltip>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
      {saving && <SaveCartDialog onClose={() => setSaving(false)} onSaved={reload} />}
      {renaming && <SaveCartDialog renameId={renaming.id} initialName={renaming.name} onClose={() => setRenaming(null)} onSaved={reload} />}
      <Dialog open={Boolean(deleting)} onClose={() => setDeleting(null)}>
        <DialogTitle>{t('shop.saved.deleteTitle')}</DialogTitle>
        <DialogContent><Typography>{t('shop.saved.deleteText', { name: deleting?.name ?? '' })}</Typography></DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(null)}>{t('common.cancel')}</Button>
          <Button color="error" variant="contained" onClick={() => deleting && void remove(deleting)} data-testid="saved-delete-confirm">{t('shop.saved.delete')}</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
