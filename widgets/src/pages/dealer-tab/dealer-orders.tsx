import { Box, Table, TableBody, TableCell, TableHead, TablePagination, TableRow } from '@mui/material';
import { useState } from 'react';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { EmptyState } from '../../components/empty-state.js';
import { StageChip } from '../../components/stage-chip.js';
import { useI18n } from '../../i18n/i18n.js';
import { ErpStateChip } from '../order-tab/erp-state.js';
import type { OrdersPage } from './dealer-tab.types.js';

const PAGE = 10;

/** The dealer's latest orders (GET /api/orders?dealerId, staff scope), newest first, ten a page. */
export function DealerOrders({ dealerItemId }: { dealerItemId: number }) {
  const { t, money, dateTime } = useI18n();
  const [page, setPage] = useState(0);
  const state = useApi<OrdersPage>('/orders', { dealerId: dealerItemId, sort: 'created', dir: 'desc', offset: page * PAGE, limit: PAGE });
  return (
    <AsyncView state={state}>
      {(p) =>
        p.total === 0 ? (
          <EmptyState title={t('mgr.orders.empty')} />
        ) : (
          <>
            <Table size="small" data-testid="dealer-orders" sx={{ '& td, & th': { px: 1.5, py: 0.5 } }}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('order.number')}</TableCell>
                  <TableCell>{t('mgr.orders.date')}</TableCell>
                  <TableCell>{t('order.stage')}</TableCell>
                  <TableCell>{t('order.erp')}</TableCell>
                  <TableCell align="right">{t('lines.sum')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {p.items.map((o) => (
                  <TableRow key={o.id} hover data-testid="dealer-order" data-number={o.number}>
                    <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                      {o.number}
                      {o.changesPending ? <Box component="span" sx={{ ml: 0.75, color: '#e08a00', fontSize: 11 }}>{t('mgr.orders.pending')}</Box> : null}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap', color: 'text.secondary' }}>{dateTime(o.submittedAt ?? o.createdAt)}</TableCell>
                    <TableCell>
                      <StageChip name={o.stage.name} color={o.stage.color} />
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      {o.erp.number ? <Box component="span" sx={{ mr: 1 }}>№ {o.erp.number}</Box> : null}
                      <ErpStateChip order={o} outbox={null} />
                    </TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 600 }}>{money(o.total, o.currency)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {p.total > PAGE ? (
              <TablePagination
                component="div"
                count={p.total}
                page={page}
                rowsPerPage={PAGE}
                rowsPerPageOptions={[PAGE]}
                onPageChange={(_e, n) => setPage(n)}
                labelDisplayedRows={({ from, to, count }) => t('mgr.orders.range', { from, to, count })}
              />
            ) : null}
          </>
        )
      }
    </AsyncView>
  );
}
