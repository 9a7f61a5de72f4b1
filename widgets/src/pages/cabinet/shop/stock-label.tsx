import { Typography } from '@mui/material';
import { useI18n } from '../../../i18n/i18n.js';

/** Available stock in base units: green when there is some, grey "out of stock" when there is none. */
export function StockLabel({ stock, unit }: { stock: { available: string; inStock: boolean }; unit: string }) {
  const { t, number } = useI18n();
  if (!stock.inStock) {
    return (
      <Typography variant="body2" color="text.secondary" component="span" data-testid="stock">
        {t('shop.stock.none')}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" component="span" sx={{ color: 'success.dark', fontWeight: 500 }} data-testid="stock">
      {number(stock.available)} {unit}
    </Typography>
  );
}
