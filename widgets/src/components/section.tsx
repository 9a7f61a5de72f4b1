import { Box, Paper, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** A titled block of a card, in the portal's look: white, thin border, small grey caption. */
export function Section({ title, action, children, dense, testId }: { title?: ReactNode; action?: ReactNode; children: ReactNode; dense?: boolean; testId?: string }) {
  return (
    <Paper component="section" sx={{ mb: 1.5, overflow: 'hidden' }} data-testid={testId}>
      {(title || action) && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, pt: 1.5, pb: dense ? 0.5 : 1 }}>
          <Typography variant="h3" component="h2" sx={{ flex: 1, fontSize: 13, textTransform: 'uppercase', letterSpacing: 0.3, color: 'text.secondary' }}>
            {title}
          </Typography>
          {action}
        </Box>
      )}
      <Box sx={{ px: dense ? 0 : 2, pb: dense ? 0 : 1.5 }}>{children}</Box>
    </Paper>
  );
}
