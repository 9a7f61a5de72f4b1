import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** The widget's headline: title, a stage or status chip, secondary facts, and actions on the right. */
export function CardHeader({ title, chip, subtitle, actions }: { title: ReactNode; chip?: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, mb: 1.5, flexWrap: 'wrap' }}>
      <Box sx={{ flex: 1, minWidth: 200 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="h2" component="h1" data-testid="card-title">
            {title}
          </Typography>
          {chip}
        </Box>
        {subtitle ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
            {subtitle}
          </Typography>
        ) : null}
      </Box>
      {actions}
    </Box>
  );
}
