import CloseIcon from '@mui/icons-material/Close';
import { Box, Breadcrumbs, Dialog, DialogContent, DialogTitle, IconButton, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { useI18n } from '../../../i18n/i18n.js';
import { AddToCart } from './add-to-cart.js';
import { PriceWithBreakdown } from './price-breakdown.js';
import { ProductPicture } from './product-picture.js';
import type { ProductCardData } from './shop-types.js';
import { StockLabel } from './stock-label.js';
import { useShopParams } from './use-shop-api.js';

/**
 * A product's card over the catalog: pictures, properties, stock per warehouse and city, analogs priced for this
 * dealer (a click opens the analog's card), the price with its breakdown, and add to cart.
 */
export function ProductCardDialog({ productId, scope, onClose, onOpen }: { productId: number; scope: { city?: string; warehouse?: number }; onClose(): void; onOpen(id: number): void }) {
  const { t } = useI18n();
  const params = useShopParams();
  const state = useApi<ProductCardData>(`/catalog/products/${productId}`, { ...params.catalog, ...scope });
  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth data-testid="product-card">
      <DialogTitle sx={{ pr: 6, py: 1.5 }}>
        {state.data ? state.data.name : t('common.loading')}
        <IconButton onClick={onClose} aria-label={t('common.close')} sx={{ position: 'absolute', right: 8, top: 8 }}><CloseIcon /></IconButton>
      </DialogTitle>
      <DialogContent dividers>
        <AsyncView state={state}>{(card) => <CardBody card={card} onOpen={onOpen} />}</AsyncView>
      </DialogContent>
    </Dialog>
  );
}

function CardBody({ card, onOpen }: { card: ProductCardData; onOpen(id: number): void }) {
  const { t, number } = useI18n();
  const pictures = card.pictures.length ? card.pictures : [null];
  const [shown, setShown] = useState(0);
  useEffect(() => setShown(0), [card.id]);
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '280px 1fr' }, gap: 2 }}>
      <Box>
        <ProductPicture src={pictures[shown] ?? null} size={280} alt={card.name} />
        {pictures.length > 1 && (
          <Box sx={{ display: 'flex', gap: 0.5, mt: 1, flexWrap: 'wrap' }}>
            {pictures.map((src, i) => (
              <Box key={`${src}-${i}`} onClick={() => setShown(i)} sx={{ cursor: 'pointer', outline: i === shown ? 2 : 0, outlineColor: 'primary.main', borderRadius: 1 }}>
                <ProductPicture src={src} size={48} />
              </Box>
            ))}
          </Box>
        )}
      </Box>
      <Box sx={{ minWidth: 0 }}>
        {card.groupPath.length > 0 && (
          <Breadcrumbs sx={{ fontSize: 12, mb: 1 }}>
            {card.groupPath.map((g) => <Typography key={g.id} variant="caption" color="text.secondary">{g.name}</Typography>)}
          </Breadcrumbs>
        )}
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center', mb: 1.5 }}>
          <Typography variant="body2" color="text.secondary">{t('shop.col.sku')}: <b data-testid="card-sku">{card.sku ?? '—'}</b></Typography>
          {card.brand && <Typography variant="body2" color="text.secondary">{t('shop.col.brand')}: <b>{card.brand}</b></Typography>}
          {card.packs.map((p) => <Typography key={p.name} variant="body2" color="text.secondary">{t('shop.card.pack', { name: p.name, n: number(p.ratio), unit: card.unit.name })}</Typography>)}
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 3, p: 1.5, bgcolor: 'grey.50', borderRadius: 1, mb: 2, flexWrap: 'wrap' }}>
          <Box sx={{ fontSize: 20 }}><PriceWithBreakdown productId={card.id} price={card.price} align="left" /></Box>
          <Box>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>{t('shop.col.stock')}</Typography>
            <StockLabel stock={card.stock} unit={card.unit.name} />
          </Box>
          <Box sx={{ ml: 'auto' }}><AddToCart product={card} size="medium" /></Box>
        </Box>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
          <Box>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.card.properties')}</Typography>
            {card.properties.length ? (
              <Table size="small" data-testid="card-properties">
                <TableBody>
                  {card.properties.map((p) => (
                    <TableRow key={p.id}>
                      <TableCell sx={{ color: 'text.secondary', width: '45%' }}>{p.name}</TableCell>
                      <TableCell>{p.value}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : <Typography variant="body2" color="text.secondary">{t('shop.card.noProperties')}</Typography>}
          </Box>
          <Box>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.card.stockByWarehouse')}</Typography>
            {card.stockByWarehouse.length ? (
              <Table size="small" data-testid="card-stock">
                <TableHead><TableRow><TableCell>{t('shop.card.warehouse')}</TableCell><TableCell>{t('shop.card.city')}</TableCell><TableCell align="right">{t('shop.col.stock')}</TableCell></TableRow></TableHead>
                <TableBody>
                  {card.stockByWarehouse.map((w) => (
                    <TableRow key={w.warehouseId}>
                      <TableCell>{w.name}</TableCell>
                      <TableCell>{w.city ?? '—'}</TableCell>
                      <TableCell align="right">{number(w.available)} {card.unit.name}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : <Typography variant="body2" color="text.secondary">{t('shop.stock.none')}</Typography>}
            {card.stockByCity.length > 0 && (
              <>
                <Typography variant="subtitle2" sx={{ mt: 1.5, mb: 0.5 }}>{t('shop.card.stockByCity')}</Typography>
                <Table size="small" data-testid="card-stock-city">
                  <TableBody>
                    {card.stockByCity.map((c) => (
                      <TableRow key={c.city}><TableCell>{c.city}</TableCell><TableCell align="right">{number(c.available)} {card.unit.name}</TableCell></TableRow>
                    ))}
                  </TableBody>
                </Table>
              </>
            )}
          </Box>
        </Box>
        {card.analogs.length > 0 && (
          <Box sx={{ mt: 2 }} data-testid="card-analogs">
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>{t('shop.card.analogs')}</Typography>
            <Table size="small">
              <TableBody>
                {card.analogs.map((a) => (
                  <TableRow key={a.id} hover>
                    <TableCell sx={{ width: 40 }}><ProductPicture src={a.picture} size={28} /></TableCell>
                    <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>{a.sku}</TableCell>
                    <TableCell><Link component="button" type="button" onClick={() => onOpen(a.id)} sx={{ textAlign: 'left' }} data-testid="analog-link">{a.name}</Link></TableCell>
                    <TableCell align="right"><PriceWithBreakdown productId={a.id} price={a.price} /></TableCell>
                    <TableCell align="right"><StockLabel stock={a.stock} unit={a.unit.name} /></TableCell>
                    <TableCell><AddToCart product={a} /></TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
        {card.barcodes.length > 0 && <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1.5 }}>{t('shop.card.barcodes')}: {card.barcodes.join(', ')}</Typography>}
      </Box>
    </Box>
  );
}
