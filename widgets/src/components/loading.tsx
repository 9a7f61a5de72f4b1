import { Box, CircularProgress, Typography } from '@mui/material';
import { useI18n } from '../i18n/i18n.js';

export function Loading() {
  const { t } = useI18n();
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, p: 3 }} role="status">
      <CircularProgress size={18} />
      <Typography color="text.secondary">{t('common.loading')}</Typography>
    </Box>
  );
}
