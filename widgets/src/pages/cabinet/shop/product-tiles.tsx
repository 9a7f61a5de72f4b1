import { Box, Card, CardActionArea, CardContent, Pagination, Typography } from '@mui/material';
import { useI18n } from '../../../i18n/i18n.js';
import { AddToCart } from './add-to-cart.js';
import { PriceWithBreakdown } from './price-breakdown.js';
import { ProductPicture } from './product-picture.js';
import type { ProductListItem } from './shop-types.js';
import { StockLabel } from './stock-label.js';

/** The picture view: cards with the picture, name, price and stock, and the same add-to-cart as the table. */
export function ProductTiles({ items, total, page, pageSize, onPage, onOpen }: { items: ProductListItem[]; total: number; page: number; pageSize: number; onPage(page: number): void; onOpen(id: number): void }) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Box data-testid="product-tiles">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 1 }}>
        {items.map((p) => (
          <Card key={p.id} variant="outlined" sx={{ display: 'flex', flexDirection: 'column' }} data-testid="product-tile">
            <CardActionArea onClick={() => onOpen(p.id)} sx={{ flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'stretch', justifyContent: 'flex-start' }}>
              <Box sx={{ p: 1, display: 'flex', justifyContent: 'center' }}><ProductPicture src={p.picture} size={120} alt={p.name} /></Box>
              <CardContent sx={{ p: 1, pt: 0, '&:last-child': { pb: 1 } }}>
                <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>{p.sku ?? p.code}</Typography>
                <Typography variant="body2" sx={{ fontWeight: 500, display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden', minHeight: 40 }} title={p.name}>{p.name}</Typography>
                {p.brand && <Typography variant="caption" color="text.secondary">{p.brand}</Typography>}
              </CardContent>
            </CardActionArea>
            <Box sx={{ px: 1, pb: 1, display: 'flex', alignItems: 'flex-end', justifyContent: 'space-between', gap: 1 }}>
              <PriceWithBreakdown productId={p.id} price={p.price} align="left" />
              <StockLabel stock={p.stock} unit={p.unit.name} />
            </Box>
            <Box sx={{ px: 1, pb: 1 }}><AddToCart product={p} /></Box>
          </Card>
        ))}
      </Box>
      {pages > 1 && (
        <Box sx={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 2, mt: 1.5 }}>
          <Pagination count={pages} page={page} onChange={(_e, n) => onPage(n)} size="small" />
          <Typography variant="caption" color="text.secondary">{t('shop.catalog.found', { n: total })}</Typography>
        </Box>
      )}
    </Box>
  );
}
