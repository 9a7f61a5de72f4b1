import { Box, Table, TableBody, TableCell, TableContainer, TableFooter, TableHead, TableRow, Typography } from '@mui/material';
import type { LinesTotals, ProductLine } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { EmptyState } from './empty-state.js';

/** Product rows of an order or claim: quantity, unit price, discount, VAT, amount; totals in the footer. */
export function LinesTable({ lines, totals, currency, emptyText }: { lines: ProductLine[]; totals: LinesTotals; currency: string; emptyText: string }) {
  const { t, money, number } = useI18n();
  if (lines.length === 0) return <EmptyState title={emptyText} />;
  return (
    <TableContainer>
      <Table size="small" data-testid="lines-table">
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 36 }}>#</TableCell>
            <TableCell>{t('lines.product')}</TableCell>
            <TableCell align="right">{t('lines.quantity')}</TableCell>
            <TableCell align="right">{t('lines.price')}</TableCell>
            <TableCell align="right">{t('lines.discount')}</TableCell>
            <TableCell align="right">{t('lines.tax')}</TableCell>
            <TableCell align="right">{t('lines.sum')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((l, i) => (
            <TableRow key={l.id} hover data-testid="line-row">
              <TableCell sx={{ color: 'text.secondary' }}>{i + 1}</TableCell>
              <TableCell>{l.name}</TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                {number(l.quantity)} {l.measure ?? ''}
              </TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>{money(l.price, currency)}</TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap', color: 'text.secondary' }}>{Number(l.discountSum) ? money(l.discountSum, currency) : '—'}</TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap', color: 'text.secondary' }}>{l.taxRate === null ? '—' : `${number(l.taxRate)}%`}</TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 600 }}>{money(l.sum, currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell colSpan={2}>
              <Typography variant="body2" color="text.secondary">
                {t('lines.count', { n: totals.lines })} · {t('lines.totalQty', { n: number(totals.quantity) })}
              </Typography>
            </TableCell>
            <TableCell colSpan={4} align="right" sx={{ fontWeight: 600, color: 'text.primary' }}>
              {t('common.total')}
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontWeight: 700, color: 'text.primary', fontSize: 14 }} data-testid="lines-total">
              <Box component="span">{money(totals.amount, currency)}</Box>
            </TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </TableContainer>
  );
}
