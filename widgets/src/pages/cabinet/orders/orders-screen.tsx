import { Box, Button, IconButton, MenuItem, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TablePagination, TableRow, TableSortLabel, TextField, Tooltip, Typography } from '@mui/material';
import ClearIcon from '@mui/icons-material/Clear';
import { useEffect, useState } from 'react';
import type { Page } from '../../../api/types.js';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { EmptyState } from '../../../components/empty-state.js';
import { StageChip } from '../../../components/stage-chip.js';
import { useI18n, type MessageKey } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { OPEN_STAGES, PIPELINE, type OrderSummary } from '../cabinet-types.js';
import { useCabinetShell } from '../shell/cabinet-shell-context.js';

type Sort = 'created' | 'number' | 'total' | 'stage';
const STATUS_FILTERS = ['all', 'open', ...PIPELINE, 'cancelled'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

interface Filters {
  from: string;
  to: string;
  status: StatusFilter;
  companyId: number | 0;
  q: string;
}

const EMPTY: Filters = { from: '', to: '', status: 'all', companyId: 0, q: '' };

/** The dealer's orders: filters by period, status and legal entity, search by number, sort, server paging. */
export function OrdersScreen() {
  const { t, money, date } = useI18n();
  const { go, cartVersion } = useCabinet();
  const { legalEntities, ordersScope, caps } = useCabinetShell();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<{ by: Sort; dir: 'asc' | 'desc' }>({ by: 'created', dir: 'desc' });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(20);
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === q.trim() ? f : { ...f, q: q.trim() })), 300);
    return () => clearTimeout(timer);
  }, [q]);
  useEffect(() => setPage(0), [filters, sort, pageSize]);
  const stage = filters.status === 'all' ? undefined : filters.status === 'open' ? [...OPEN_STAGES] : [filters.status];
  const state = useApi<Page<OrderSummary>>('/orders', {
    ...ordersScope,
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(stage ? { stage } : {}),
    ...(filters.companyId ? { companyId: filters.companyId } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    sort: sort.by,
    dir: sort.dir,
    offset: page * pageSize,
    limit: pageSize,
    v: cartVersion,
  });
  const entityName = (id: number | null) => legalEntities.find((e) => e.companyId === id)?.name ?? '—';
  const filtered = JSON.stringify(filters) !== JSON.stringify(EMPTY);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const header = (by: Sort, label: string, align?: 'right') => (
    <TableCell align={align} sortDirection={sort.by === by ? sort.dir : false}>
      <TableSortLabel active={sort.by === by} direction={sort.by === by ? sort.dir : 'desc'} onClick={() => setSort((s) => ({ by, dir: s.by === by && s.dir === 'desc' ? 'asc' : 'desc' }))}>
        {label}
      </TableSortLabel>
    </TableCell>
  );
  return (
    <Paper data-testid="orders-screen">
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', p: 1.5, borderBottom: 1, borderColor: 'divider' }}>
        <TextField size="small" label={t('cab.orders.search')} value={q} onChange={(e) => setQ(e.target.value)} sx={{ width: 200 }} slotProps={{ htmlInput: { 'data-testid': 'orders-search' } }} />
        <TextField select size="small" label={t('cab.orders.status')} value={filters.status} onChange={(e) => set({ status: e.target.value as StatusFilter })} sx={{ width: 190 }} slotProps={{ htmlInput: { 'data-testid': 'orders-status' } }}>
          {STATUS_FILTERS.map((s) => (
            <MenuItem key={s} value={s}>
              {t(`cab.stage.${s}` as MessageKey)}
            </MenuItem>
          ))}
        </TextField>
        {legalEntities.length > 1 && (
          <TextField select size="small" label={t('cab.legalEntity')} value={filters.companyId} onChange={(e) => set({ companyId: Number(e.target.value) })} sx={{ width: 220 }}>
            <MenuItem value={0}>{t('cab.orders.allEntities')}</MenuItem>
            {legalEntities.map((e) => (
              <MenuItem key={e.companyId} value={e.companyId}>
                {e.name}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField type="date" size="small" label={t('cab.orders.from')} value={filters.from} onChange={(e) => set({ from: e.target.value })} sx={{ width: 160 }} slotProps={{ inputLabel: { shrink: true } }} />
        <TextField type="date" size="small" label={t('cab.orders.to')} value={filters.to} onChange={(e) => set({ to: e.target.value })} sx={{ width: 160 }} slotProps={{ inputLabel: { shrink: true } }} />
        {filtered && (
          <Tooltip title={t('cab.orders.reset')}>
            <IconButton
              size="small"
              onClick={() => {
                setQ('');
                setFilters(EMPTY);
              }}
            >
              <ClearIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
        <Box sx={{ flex: 1 }} />
        {state.data && (
          <Typography variant="body2" color="text.secondary" data-testid="orders-total">
            {t('cab.orders.found', { n: state.data.total })}
          </Typography>
        )}
      </Box>
      <AsyncView state={state}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState
              title={filtered ? t('cab.orders.noneFiltered') : t('cab.orders.none')}
              action={
                filtered ? (
                  <Button onClick={() => { setQ(''); setFilters(EMPTY); }}>{t('cab.orders.reset')}</Button>
                ) : caps.canOrder ? (
                  <Button variant="contained" onClick={() => go('catalog')}>
                    {t('cab.orders.toCatalog')}
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <>
              <TableContainer sx={{ opacity: state.loading ? 0.6 : 1, transition: 'opacity .15s' }}>
                <Table size="small" data-testid="orders-table">
                  <TableHead>
                    <TableRow>
                      {header('number', t('cab.orders.number'))}
                      {header('created', t('cab.orders.date'))}
                      {legalEntities.length > 1 && <TableCell>{t('cab.legalEntity')}</TableCell>}
                      {header('stage', t('cab.orders.status'))}
                      <TableCell>{t('cab.orders.delivery')}</TableCell>
                      <TableCell>{t('cab.orders.erp')}</TableCell>
                      {header('total', t('cab.orders.total'), 'right')}
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {data.items.map((o) => (
                      <TableRow key={o.id} hover sx={{ cursor: 'pointer' }} onClick={() => go('order', { orderId: o.id })} data-testid="order-row">
                        <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{o.number}</TableCell>
                        <TableCell sx={{ whiteSpace: 'nowrap' }}>{date(o.submittedAt ?? o.createdAt)}</TableCell>
                        {legalEntities.length > 1 && <TableCell>{entityName(o.companyId)}</TableCell>}
                        <TableCell>
                          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                            <StageChip name={o.stage.name} color={o.stage.color} />
                            {o.changesPending && <StageChip name={t('cab.orders.changes')} color="#FFA900" testId="order-row-changes" />}
                          </Box>
                        </TableCell>
                        <TableCell sx={{ color: 'text.secondary' }}>{o.delivery.label}</TableCell>
                        <TableCell sx={{ color: 'text.secondary' }}>{o.erp.number ?? '—'}</TableCell>
                        <TableCell align="right" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                          {money(o.total, o.currency)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </TableContainer>
              <TablePagination
                component="div"
                count={data.total}
                page={page}
                rowsPerPage={pageSize}
                rowsPerPageOptions={[20, 50, 100]}
                onPageChange={(_e, p) => setPage(p)}
                onRowsPerPageChange={(e) => setPageSize(Number(e.target.value))}
                labelRowsPerPage={t('cab.orders.perPage')}
                labelDisplayedRows={({ from, to, count }) => t('cab.orders.rows', { from, to, count })}
              />
            </>
          )
        }
      </AsyncView>
    </Paper>
  );
}
