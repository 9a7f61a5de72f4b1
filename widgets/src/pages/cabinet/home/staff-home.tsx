import { Alert, Box, Button, Chip, List, ListItemButton, ListItemText, Paper, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { DealerCard, DealerSummary, Page } from '../../../api/types.js';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { CardHeader } from '../../../components/card-header.js';
import { roleLabelKey } from '../../../components/dealer-users-table.js';
import { EmptyState } from '../../../components/empty-state.js';
import { Section } from '../../../components/section.js';
import { StageChip } from '../../../components/stage-chip.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useFrame } from '../../../shell/frame.js';
import { useCabinetShell } from '../shell/cabinet-shell-context.js';

/**
 * Staff home: find a dealer, see its users, and act as one of them — the cabinet then works for that user (cart,
 * checkout, orders), and the server records the employee as the actor on the dealer's behalf.
 */
export function StaffHome() {
  const { t } = useI18n();
  const { home } = useCabinetShell();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(20);
  const [picked, setPicked] = useState<number | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(timer);
  }, [q]);
  const list = useApi<Page<DealerSummary>>('/dealers', { q: query, limit });
  if (home.kind !== 'staff') return null;
  return (
    <>
      <CardHeader title={t('cab.actAs.title')} subtitle={t('cabinet.dealersTotal', { n: home.dealersTotal })} chip={<Chip size="small" label={t(roleLabelKey(home.me.role))} />} />
      <Alert severity="info" sx={{ mb: 1.5 }}>
        {t('cab.actAs.intro')}
      </Alert>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '2fr 3fr' }, gap: 1.5, alignItems: 'start' }}>
        <Paper sx={{ p: 1.5 }}>
          <TextField fullWidth size="small" label={t('cabinet.pickDealer')} value={q} onChange={(e) => setQ(e.target.value)} sx={{ mb: 1 }} slotProps={{ htmlInput: { 'data-testid': 'dealer-search' } }} />
          <AsyncView state={list}>
            {(page) =>
              page.items.length === 0 ? (
                <EmptyState title={t('cabinet.noDealers')} />
              ) : (
                <>
                  <List dense data-testid="dealer-picker">
                    {page.items.map((d) => (
                      <ListItemButton key={d.itemId} selected={picked === d.itemId} onClick={() => setPicked(d.itemId)} data-testid="dealer-pick">
                        <ListItemText primary={d.title} secondary={[d.city, d.dealerGroup?.label].filter(Boolean).join(' · ')} />
                        <StageChip name={d.stage.name} color={d.stage.color} />
                      </ListItemButton>
                    ))}
                  </List>
                  {page.total > page.items.length && (
                    <Button size="small" onClick={() => setLimit((n) => n + 20)}>
                      {t('common.showMore')}
                    </Button>
                  )}
                </>
              )
            }
          </AsyncView>
        </Paper>
        {picked ? <DealerUsersToActAs itemId={picked} /> : <EmptyState title={t('cab.actAs.pickFirst')} />}
      </Box>
    </>
  );
}

function DealerUsersToActAs({ itemId }: { itemId: number }) {
  const { t } = useI18n();
  const { openPath } = useFrame();
  const { startActing } = useCabinetShell();
  const card = useApi<DealerCard>(`/dealers/${itemId}`);
  return (
    <AsyncView state={card}>
      {(c) => (
        <Section
          title={c.dealer.title}
          testId="act-as-users"
          dense
          action={
            c.dealer.cardPath ? (
              <Button size="small" onClick={() => openPath(c.dealer.cardPath!)}>
                {t('cab.actAs.openCard')}
              </Button>
            ) : undefined
          }
        >
          {!c.users || c.users.length === 0 ? (
            <EmptyState title={t('cab.actAs.noUsers')} />
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('cab.actAs.user')}</TableCell>
                  <TableCell>{t('cab.actAs.role')}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {c.users.map((u) => (
                  <TableRow key={u.id} hover data-testid="act-as-user">
                    <TableCell>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        {u.name}
                      </Typography>
                      <Typography variant="caption" color="text.secondary">
                        {u.email ?? ''}
                      </Typography>
                    </TableCell>
                    <TableCell>{t(roleLabelKey(u.role))}</TableCell>
                    <TableCell align="right">
                      <Button size="small" variant="contained" disabled={!u.active} onClick={() => startActing({ dealer: c.dealer, user: { b24UserId: u.b24UserId, name: u.name, role: u.role, legalEntityIds: u.legalEntityIds } })} data-testid="act-as-start">
                        {u.active ? t('cab.actAs.start') : t('cab.actAs.inactive')}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
      )}
    </AsyncView>
  );
}
