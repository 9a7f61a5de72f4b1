import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import { useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import type { CartView } from './shop-types.js';
import { useCartAction } from './use-shop-api.js';

/** Names the current cart and saves it (POST /carts/saved), or renames a saved one (PATCH) when `renameId` is given. */
export function SaveCartDialog({ onClose, onSaved, renameId, initialName = '' }: { onClose(): void; onSaved?(): void; renameId?: number; initialName?: string }) {
  const { t, date } = useI18n();
  const { run, busy, error } = useCartAction();
  const [name, setName] = useState(initialName || t('shop.saved.defaultName', { date: date(new Date()) }));
  const save = async () => {
    const done = await run<CartView>((api, params) => (renameId ? api.patch(`/carts/saved/${renameId}`, { name: name.trim() }, { params }) : api.post('/carts/saved', { name: name.trim() }, { params })));
    if (done) {
      onSaved?.();
      onClose();
    }
  };
  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth>
      <DialogTitle>{renameId ? t('shop.saved.rename') : t('shop.saved.saveCurrent')}</DialogTitle>
      <DialogContent>
        {error && <Alert severity="error" sx={{ mb: 1 }}>{error}</Alert>}
        <TextField autoFocus fullWidth label={t('shop.saved.name')} value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && name.trim() && void save()} sx={{ mt: 1 }} slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'saved-name' } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button variant="contained" onClick={() => void save()} disabled={busy || !name.trim()} data-testid="saved-name-confirm">{t('common.save')}</Button>
      </DialogActions>
    </Dialog>
  );
}
