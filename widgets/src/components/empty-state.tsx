import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';

export function EmptyState({ title, action }: { title?: string; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Box sx={{ p: 4, textAlign: 'center' }}>
      <Typography color="text.secondary" sx={{ mb: action ? 2 : 0 }}>
        {title ?? t('common.empty')}
      </Typography>
      {action}
    </Box>
  );
}
