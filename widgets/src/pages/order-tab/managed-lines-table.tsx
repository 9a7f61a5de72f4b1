import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import KeyboardArrowDownIcon from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@mui/icons-material/KeyboardArrowRight';
import { Box, Chip, IconButton, Table, TableBody, TableCell, TableContainer, TableFooter, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import { Fragment, useState } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { useI18n } from '../../i18n/i18n.js';
import { LineDetails } from './line-details.js';
import { LineEditor } from './line-editor.js';
import { ProposalRow } from './proposal-row.js';
import type { LineChange, ManagedLine, ManagedOrder } from './managed-order.types.js';

const COLUMNS = 11;
const stockOf = (l: ManagedLine) => l.stockByWarehouse.reduce((acc, w) => acc + Number(w.available), 0);

/**
 * The order's lines for the manager: individual price against the price type's base and today's price, stock, reserve
 * and waiting list, the manager's proposal per line. A line opens to its price breakdown, stock per warehouse and
 * analogs; the pencil edits quantity and price in place. Every change is a proposal the dealer agrees to.
 */
export function ManagedLinesTable({
  data,
  canPropose,
  busyLine,
  onPropose,
  onWithdraw,
}: {
  data: ManagedOrder;
  canPropose: boolean;
  busyLine: number | null;
  onPropose: (lineId: number, change: LineChange) => Promise<unknown>;
  onWithdraw: (lineId: number) => Promise<unknown>;
}) {
  const { t, money, number } = useI18n();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<number | null>(null);
  const { lines, totals, order } = data;
  const currency = order.currency;
  if (lines.length === 0) return <EmptyState title={t('lines.empty')} />;
  // UI state is kept by line number: repricing or an agreed change rewrites the lines with new ids.
  const toggle = (lineNo: number) => setOpen((s) => (s.has(lineNo) ? new Set([...s].filter((x) => x !== lineNo)) : new Set([...s, lineNo])));

  return (
    <TableContainer>
      <Table size="small" data-testid="managed-lines" sx={{ '& td, & th': { px: 1, py: 0.5 }, '& td': { fontSize: 13 } }}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 28, p: 0 }} />
            <TableCell sx={{ width: 28 }}>#</TableCell>
            <TableCell>{t('lines.product')}</TableCell>
            <TableCell align="right">{t('lines.quantity')}</TableCell>
            <TableCell align="right">{t('mgr.line.basePrice')}</TableCell>
            <TableCell align="right">{t('mgr.line.price')}</TableCell>
            <TableCell align="right">{t('mgr.line.today')}</TableCell>
            <TableCell align="right">{t('lines.sum')}</TableCell>
            <TableCell align="right">{t('mgr.stock.short')}</TableCell>
            <TableCell>{t('mgr.reserve.title')}</TableCell>
            <TableCell sx={{ width: 36 }} />
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((l) => {
            const isOpen = open.has(l.lineNo);
            const stock = stockOf(l);
            const short = l.stockByWarehouse.length > 0 && stock < Number(l.baseQty);
            const drift = l.currentPrice !== null && l.currentPrice !== l.price;
            const busy = busyLine === l.id;
            return (
              <Fragment key={l.id}>
                <TableRow hover data-testid="managed-line" data-line-id={l.id} data-sku={l.sku ?? ''} sx={{ '& > td': { borderBottom: isOpen || l.proposed || editing === l.lineNo ? 'none' : undefined }, bgcolor: l.proposed ? '#fffaf0' : undefined }}>
                  <TableCell sx={{ p: 0 }}>
                    <IconButton size="small" onClick={() => toggle(l.lineNo)} aria-label={t('mgr.line.details')} aria-expanded={isOpen} data-testid="line-toggle">
                      {isOpen ? <KeyboardArrowDownIcon fontSize="small" /> : <KeyboardArrowRightIcon fontSize="small" />}
                    </IconButton>
                  </TableCell>
                  <TableCell sx={{ color: 'text.secondary' }}>{l.lineNo}</TableCell>
                  <TableCell sx={{ minWidth: 220 }}>
                    <Box sx={{ fontWeight: 600, lineHeight: 1.3 }}>{l.name}</Box>
                    <Box sx={{ fontSize: 11, color: 'text.secondary' }}>{l.sku ?? t('mgr.line.noSku')}</Box>
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }} data-testid="line-qty">
                    {number(l.baseQty)} {l.unitName ?? ''}
                    {l.unit === 'pack' && l.packRatio ? <Box sx={{ fontSize: 11, color: 'text.secondary' }}>{t('mgr.line.packs', { n: number(l.qty), ratio: number(l.packRatio) })}</Box> : null}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', color: 'text.secondary' }}>{money(l.basePrice, currency)}</TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    <Box sx={{ fontWeight: 600 }}>{money(l.price, currency)}</Box>
                    {Number(l.discountPercent) > 0 ? <Box sx={{ fontSize: 11, color: '#5a9a00' }}>−{number(l.discountPercent)}%</Box> : null}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', color: drift ? '#e08a00' : 'text.secondary' }} data-testid="line-today" title={drift ? t('mgr.line.todayDiffers') : t('mgr.line.todaySame')}>
                    {l.currentPrice === null ? '—' : drift ? money(l.currentPrice, currency) : '='}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 700 }} data-testid="line-total">{money(l.lineTotal, currency)}</TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    {l.stockByWarehouse.length === 0 ? (
                      <Box component="span" sx={{ color: 'text.disabled' }}>—</Box>
                    ) : (
                      <Tooltip title={l.stockByWarehouse.map((w) => `${w.name}: ${number(w.available)}`).join(' · ')}>
                        <Box component="span" sx={{ fontWeight: 600, color: short ? 'error.main' : '#5a9a00' }} data-testid="line-stock">{number(stock)}</Box>
                      </Tooltip>
                    )}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }} data-testid="line-reserve">
                    <ReserveCell line={l} />
                  </TableCell>
                  <TableCell sx={{ p: 0 }}>
                    {canPropose ? (
                      <Tooltip title={t('mgr.line.edit')}>
                        <span>
                          <IconButton size="small" disabled={busy} onClick={() => setEditing(editing === l.lineNo ? null : l.lineNo)} aria-label={t('mgr.line.edit')} data-testid="line-edit">
                            <EditOutlinedIcon fontSize="small" />
                          </IconButton>
                        </span>
                      </Tooltip>
                    ) : null}
                  </TableCell>
                </TableRow>
                {editing === l.lineNo ? (
                  <TableRow>
                    <TableCell colSpan={COLUMNS} sx={{ bgcolor: '#f3fbfe', py: 1 }}>
                      <LineEditor
                        line={l}
                        currency={currency}
                        busy={busy}
                        onCancel={() => setEditing(null)}
                        onSubmit={async (change) => {
                          if (await onPropose(l.id, change)) setEditing(null);
                        }}
                      />
                    </TableCell>
                  </TableRow>
                ) : null}
                {l.proposed ? (
                  <TableRow sx={{ '& > td': { borderBottom: isOpen ? 'none' : undefined } }}>
                    <TableCell colSpan={COLUMNS} sx={{ bgcolor: '#fffaf0', py: 0.5 }}>
                      <ProposalRow line={l} currency={currency} canWithdraw={canPropose} busy={busy} onWithdraw={() => void onWithdraw(l.id)} />
                    </TableCell>
                  </TableRow>
                ) : null}
                {isOpen ? (
                  <TableRow>
                    <TableCell colSpan={COLUMNS} sx={{ p: 0 }}>
                      <LineDetails line={l} currency={currency} priceType={data.priceType ?? null} canPropose={canPropose} busy={busy} onReplace={(productId) => void onPropose(l.id, { replaceWithProductId: productId })} />
                    </TableCell>
                  </TableRow>
                ) : null}
              </Fragment>
            );
          })}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell colSpan={4}>
              <Typography variant="body2" color="text.secondary">
                {t('lines.count', { n: totals.lines })}
              </Typography>
            </TableCell>
            <TableCell colSpan={3} align="right" sx={{ fontWeight: 600, color: 'text.primary' }}>
              {t('common.total')}
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 700, color: 'text.primary', fontSize: 14 }} data-testid="lines-total">
              {money(totals.amount, currency)}
              {totals.proposedAmount !== null ? (
                <Box sx={{ fontSize: 12, fontWeight: 600, color: '#e08a00' }} data-testid="proposed-total">
                  {t('mgr.totals.afterAgreement', { amount: money(totals.proposedAmount, currency) })}
                </Box>
              ) : null}
            </TableCell>
            <TableCell colSpan={3} />
          </TableRow>
        </TableFooter>
      </Table>
    </TableContainer>
  );
}

function ReserveCell({ line }: { line: ManagedLine }) {
  const { t, number } = useI18n();
  const { reserved, waiting, onWaitingList } = line.reserve;
  if (reserved === null && waiting === null) return <Box component="span" sx={{ color: 'text.disabled' }}>—</Box>;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center', flexWrap: 'wrap' }}>
      {reserved !== null && Number(reserved) > 0 ? <Chip size="small" color="success" variant="outlined" label={t('mgr.reserve.reserved', { n: number(reserved) })} sx={{ height: 20, fontSize: 11 }} /> : null}
      {onWaitingList ? <Chip size="small" color="warning" label={t('mgr.reserve.waiting', { n: number(waiting ?? '0') })} sx={{ height: 20, fontSize: 11 }} data-testid="waiting-list" /> : null}
    </Box>
  );
}
