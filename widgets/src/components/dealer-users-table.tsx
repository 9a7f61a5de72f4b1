import { MenuItem, Select, Switch, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import type { DealerUser } from '../api/types.js';
import { useWidget } from '../shell/widget-context.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { EmptyState } from './empty-state.js';
import { ErrorState } from './error-state.js';

export const DEALER_ROLE_KEYS = ['dealer_head', 'dealer_buyer', 'dealer_accountant', 'dealer_viewer'] as const;
export const roleLabelKey = (role: string) => `role.${role}` as MessageKey;

/**
 * The dealer's users with their roles. Those who may manage them (the dealer's head, managers) change the role and
 * switch access on or off here; the API refuses anything the role may not do, and keeps one active head.
 */
export function DealerUsersTable({ dealerItemId, users, canManage, onChanged }: { dealerItemId: number; users: DealerUser[]; canManage: boolean; onChanged: (u: DealerUser) => void }) {
  const { t } = useI18n();
  const { api } = useWidget();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (users.length === 0) return <EmptyState title={t('dealer.noUsers')} />;

  async function patch(user: DealerUser, body: Partial<Pick<DealerUser, 'role' | 'active'>>) {
    setBusy(user.id);
    setError(null);
    try {
      const res = await api.patch<{ user: DealerUser }>(`/dealers/${dealerItemId}/users/${user.id}`, body);
      onChanged(res.data.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      <Table size="small" data-testid="dealer-users">
        <TableHead>
          <TableRow>
            <TableCell>{t('dealer.user')}</TableCell>
            <TableCell>{t('dealer.role')}</TableCell>
            <TableCell>{t('dealer.active')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {users.map((u) => (
            <TableRow key={u.id} hover>
              <TableCell>
                <Typography sx={{ fontSize: 13, fontWeight: 600 }}>{u.name}</Typography>
                <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{u.email ?? ''}</Typography>
              </TableCell>
              <TableCell>
                {canManage ? (
                  <Select size="small" value={u.role} disabled={busy === u.id} onChange={(e) => void patch(u, { role: e.target.value })} sx={{ minWidth: 160, fontSize: 13 }} inputProps={{ 'aria-label': t('dealer.role') }}>
                    {DEALER_ROLE_KEYS.map((r) => (
                      <MenuItem key={r} value={r}>
                        {t(roleLabelKey(r))}
                      </MenuItem>
                    ))}
                  </Select>
                ) : (
                  t(roleLabelKey(u.role))
                )}
              </TableCell>
              <TableCell>
                {canManage ? (
                  <Switch size="small" checked={u.active} disabled={busy === u.id} onChange={(e) => void patch(u, { active: e.target.checked })} slotProps={{ input: { 'aria-label': t('dealer.active') } }} />
                ) : u.active ? (
                  t('dealer.activeOn')
                ) : (
                  t('dealer.activeOff')
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
