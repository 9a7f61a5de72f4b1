import { Box, Button, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import type { ManagedLine, PriceStep } from './managed-order.types.js';

const STEP_KEYS: Record<PriceStep['kind'], MessageKey> = { base: 'mgr.breakdown.base', rule: 'mgr.breakdown.rule', offer: 'mgr.breakdown.offer' };

/** How the line's unit price was made: the price type's base, then a discount rule, then a special offer. */
export function PriceBreakdown({ steps, currency, priceType }: { steps: PriceStep[]; currency: string; priceType: { erpId: string; name: string } | null }) {
  const { t, money } = useI18n();
  if (steps.length === 0) return <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{t('mgr.breakdown.none')}</Typography>;
  return (
    <Box component="ol" sx={{ m: 0, p: 0, listStyle: 'none' }} data-testid="price-breakdown">
      {steps.map((s, i) => (
        <Box component="li" key={`${s.kind}-${s.ref}-${i}`} sx={{ display: 'flex', gap: 1, alignItems: 'baseline', py: 0.25, borderBottom: i < steps.length - 1 ? '1px dashed #e0e6ec' : 'none' }} data-testid="price-step" data-kind={s.kind}>
          <Box sx={{ width: 64, flexShrink: 0, fontSize: 11, textTransform: 'uppercase', color: s.kind === 'base' ? 'text.secondary' : s.kind === 'rule' ? '#11a9d9' : '#e08a00', fontWeight: 600 }}>{t(STEP_KEYS[s.kind])}</Box>
          <Box sx={{ flex: 1, minWidth: 0, fontSize: 12 }}>
            {s.kind === 'base' ? (priceType && priceType.erpId === s.ref ? t('mgr.breakdown.priceType', { name: priceType.name }) : t('mgr.breakdown.dealerPrice')) : s.title}
            {s.how ? <Box component="span" sx={{ color: 'text.secondary' }}> ({s.how})</Box> : null}
            {s.conditions ? <Box sx={{ fontSize: 11, color: 'text.secondary' }}>{s.conditions}</Box> : null}
          </Box>
          <Box sx={{ fontSize: 12, fontWeight: 600, whiteSpace: 'nowrap' }}>{money(s.price, currency)}</Box>
        </Box>
      ))}
    </Box>
  );
}

const Caption = ({ children }: { children: string }) => <Typography sx={{ fontSize: 11, textTransform: 'uppercase', letterSpacing: 0.3, color: 'text.secondary', fontWeight: 600, mb: 0.5 }}>{children}</Typography>;

/**
 * The line opened: price breakdown, stock per warehouse and analogs from the ERP read model; an analog can replace
 * the line (a proposal the dealer agrees to).
 */
export function LineDetails({
  line,
  currency,
  priceType,
  canPropose,
  busy,
  onReplace,
}: {
  line: ManagedLine;
  currency: string;
  priceType: { erpId: string; name: string } | null;
  canPropose: boolean;
  busy: boolean;
  onReplace: (productId: number) => void;
}) {
  const { t, money, number } = useI18n();
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(240px, 1.1fr) minmax(200px, 0.9fr) minmax(300px, 1.4fr)' }, gap: 2, p: 1.5, bgcolor: '#f8fafb' }} data-testid="line-details">
      <Box>
        <Caption>{t('mgr.breakdown.title')}</Caption>
        <PriceBreakdown steps={line.breakdown} currency={currency} priceType={priceType} />
        {line.currentPrice !== null && line.currentPrice !== line.price ? (
          <Typography sx={{ fontSize: 12, mt: 0.75, color: '#e08a00' }}>{t('mgr.line.priceToday', { price: money(line.currentPrice, currency) })}</Typography>
        ) : null}
      </Box>
      <Box>
        <Caption>{t('mgr.stock.title')}</Caption>
        {line.stockByWarehouse.length === 0 ? (
          <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{t('mgr.stock.none')}</Typography>
        ) : (
          <Table size="small" sx={{ '& td, & th': { px: 0.75, py: 0.25, fontSize: 12 } }} data-testid="stock-table">
            <TableBody>
              {line.stockByWarehouse.map((w) => (
                <TableRow key={w.warehouseId}>
                  <TableCell>
                    {w.name}
                    {w.city ? <Box component="span" sx={{ color: 'text.secondary' }}> · {w.city}</Box> : null}
                  </TableCell>
                  <TableCell align="right" sx={{ fontWeight: 600, color: Number(w.available) > 0 ? 'text.primary' : 'text.disabled', whiteSpace: 'nowrap' }}>
                    {number(w.available)} {line.unitName ?? ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
      <Box>
        <Caption>{t('mgr.analogs.title')}</Caption>
        {line.analogs.length === 0 ? (
          <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{t('mgr.analogs.none')}</Typography>
        ) : (
          <Table size="small" sx={{ '& td, & th': { px: 0.75, py: 0.25, fontSize: 12 } }} data-testid="analogs-table">
            <TableHead>
              <TableRow>
                <TableCell>{t('lines.product')}</TableCell>
                <TableCell align="right">{t('lines.price')}</TableCell>
                <TableCell align="right">{t('mgr.stock.short')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {line.analogs.map((a) => (
                <TableRow key={a.productId} data-testid="analog-row">
                  <TableCell sx={{ maxWidth: 220 }}>
                    <Box sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={a.name}>{a.name}</Box>
                    <Box sx={{ color: 'text.secondary', fontSize: 11 }}>{a.sku ?? ''}</Box>
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>{a.price !== null ? money(a.price, currency) : '—'}</TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', color: Number(a.available) >= Number(line.baseQty) ? '#5a9a00' : 'text.secondary' }}>{number(a.available)}</TableCell>
                  <TableCell align="right">
                    {canPropose ? (
                      <Button size="small" disabled={busy || a.price === null} onClick={() => onReplace(a.productId)} data-testid="replace-with-analog">
                        {t('mgr.analogs.replace')}
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
    </Box>
  );
}
