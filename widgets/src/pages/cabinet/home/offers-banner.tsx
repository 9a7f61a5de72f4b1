import { Box, Button, Chip, Paper, Typography } from '@mui/material';
import LocalOfferOutlinedIcon from '@mui/icons-material/LocalOfferOutlined';
import { useApi } from '../../../api/use-api.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import type { OfferView } from '../cabinet-types.js';

/** Special offers valid today for this dealer (GET /catalog/offers); nothing at all when there are none. */
export function OffersBanner() {
  const { t, date, number } = useI18n();
  const { scope, go } = useCabinet();
  const offers = useApi<{ items: OfferView[] }>('/catalog/offers', scope.catalog);
  const items = offers.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Paper sx={{ mb: 1.5, p: 1.5, display: 'flex', gap: 1.5, alignItems: 'center', flexWrap: 'wrap', background: 'linear-gradient(90deg, #fff4e0 0%, #ffffff 70%)', borderColor: '#ffd28a' }} data-testid="offers-banner">
      <LocalOfferOutlinedIcon sx={{ color: '#e08a00' }} />
      <Box sx={{ flex: 1, minWidth: 240, display: 'flex', flexDirection: 'column', gap: 0.5 }}>
        {items.slice(0, 3).map((o) => (
          <Box key={o.id} sx={{ display: 'flex', gap: 1, alignItems: 'baseline', flexWrap: 'wrap' }} data-testid="offer">
            <Typography sx={{ fontWeight: 700 }}>{o.banner || o.title}</Typography>
            <Chip size="small" label={o.kind === 'percent' ? `−${number(o.value)}%` : t('cab.offers.fixed')} sx={{ bgcolor: '#ffe2b0', fontWeight: 700 }} />
            <Typography variant="caption" color="text.secondary">
              {[o.conditions, o.validTo ? t('cab.offers.until', { date: date(o.validTo) }) : null].filter(Boolean).join(' · ')}
            </Typography>
          </Box>
        ))}
        {items.length > 3 && (
          <Typography variant="caption" color="text.secondary">
            {t('cab.offers.more', { n: items.length - 3 })}
          </Typography>
        )}
      </Box>
      <Button variant="contained" size="small" onClick={() => go('catalog')}>
        {t('cab.offers.toCatalog')}
      </Button>
    </Paper>
  );
}
