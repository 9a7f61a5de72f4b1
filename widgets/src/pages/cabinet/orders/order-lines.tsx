import { Box, Table, TableBody, TableCell, TableContainer, TableFooter, TableHead, TableRow, Typography } from '@mui/material';
import { useI18n, type MessageKey } from '../../../i18n/i18n.js';
import type { OrderLine, OrderPage } from '../cabinet-types.js';

/**
 * The order's lines with prices; a line the manager changed is highlighted with what it was and what it becomes
 * (quantity, price, a replacement product, removal) until the dealer agrees or declines.
 */
export function OrderLines({ page }: { page: OrderPage }) {
  const { t, money } = useI18n();
  const cur = page.totals.currency;
  return (
    <TableContainer>
      <Table size="small" data-testid="order-lines">
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 36 }}>#</TableCell>
            <TableCell>{t('lines.product')}</TableCell>
            <TableCell align="right">{t('lines.quantity')}</TableCell>
            <TableCell align="right">{t('lines.price')}</TableCell>
            <TableCell align="right">{t('lines.discount')}</TableCell>
            <TableCell align="right">{t('lines.sum')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {page.lines.map((l) => (
            <LineRow key={l.id} line={l} currency={cur} />
          ))}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell colSpan={5} align="right" sx={{ fontWeight: 600, color: 'text.primary' }}>
              {t('common.total')}
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 700, color: 'text.primary', fontSize: 14 }} data-testid="order-total">
              {page.totals.proposedAmount !== null ? (
                <>
                  <Box component="span" sx={{ textDecoration: 'line-through', color: 'text.secondary', fontWeight: 400, mr: 1 }}>
                    {money(page.totals.amount, cur)}
                  </Box>
                  <Box component="span" sx={{ color: 'warning.dark' }}>
                    {money(page.totals.proposedAmount, cur)}
                  </Box>
                </>
              ) : (
                money(page.totals.amount, cur)
              )}
            </TableCell>
          </TableRow>
          <TableRow>
            <TableCell colSpan={6} sx={{ borderBottom: 0 }}>
              <Typography variant="caption" color="text.secondary">
                {t('lines.count', { n: page.totals.lines })}
              </Typography>
            </TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </TableContainer>
  );
}

function LineRow({ line: l, currency }: { line: OrderLine; currency: string }) {
  const { t, money, number } = useI18n();
  const p = l.proposed;
  const old = (text: string) => (
    <Box component="span" sx={{ textDecoration: 'line-through', color: 'text.secondary', mr: 0.75, fontWeight: 400 }}>
      {text}
    </Box>
  );
  const qty = `${number(l.qty)} ${l.unitName ?? ''}`.trim();
  const removed = p?.kind === 'remove';
  const newQty = p?.baseQty && p.baseQty !== l.baseQty ? `${number(p.baseQty)} ${p.unitName ?? l.unitName ?? ''}`.trim() : null;
  const newPrice = p?.price && p.price !== l.price ? money(p.price, currency) : null;
  return (
    <>
      <TableRow hover data-testid="order-line" data-proposed={p ? p.kind : undefined} sx={p ? { bgcolor: removed ? '#fdecea' : '#fff6e0', '& td': { borderBottomColor: p.comment ? 'transparent' : undefined } } : undefined}>
        <TableCell sx={{ color: 'text.secondary' }}>{l.lineNo}</TableCell>
        <TableCell sx={removed ? { textDecoration: 'line-through' } : undefined}>
          {p?.kind === 'replace' ? (
            <>
              {old(l.name)}
              <Box sx={{ fontWeight: 600 }}>{p.name}</Box>
            </>
          ) : (
            l.name
          )}
          <Typography component="div" variant="caption" color="text.secondary">
            {t('cab.order.sku')}: {p?.kind === 'replace' && p.sku ? p.sku : (l.sku ?? '—')}
          </Typography>
          {p && (
            <Typography component="div" variant="caption" sx={{ color: removed ? 'error.main' : 'warning.dark', fontWeight: 600 }} data-testid="line-change-label">
              {t(`cab.order.change.${p.kind}` as MessageKey)}
            </Typography>
          )}
        </TableCell>
        <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
          {newQty ? (
            <>
              {old(qty)}
              <b>{newQty}</b>
            </>
          ) : (
            qty
          )}
        </TableCell>
        <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
          {newPrice ? (
            <>
              {old(money(l.price, currency))}
              <b>{newPrice}</b>
            </>
          ) : (
            money(l.price, currency)
          )}
        </TableCell>
        <TableCell align="right" sx={{ color: 'text.secondary' }}>
          {Number(l.discountPercent) ? `${number(l.discountPercent)}%` : '—'}
        </TableCell>
        <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 600 }}>
          {p && (removed || (p.lineTotal && p.lineTotal !== l.lineTotal)) ? (
            <>
              {old(money(l.lineTotal, currency))}
              <b>{money(removed ? '0' : p.lineTotal!, currency)}</b>
            </>
          ) : (
            money(l.lineTotal, currency)
          )}
        </TableCell>
      </TableRow>
      {p?.comment && (
        <TableRow sx={{ bgcolor: removed ? '#fdecea' : '#fff6e0' }}>
          <TableCell />
          <TableCell colSpan={5} sx={{ pt: 0, fontSize: 12, color: 'text.secondary' }}>
            {t('cab.order.managerComment')}: {p.comment}
          </TableCell>
        </TableRow>
      )}
    </>
  );
}
