import { Box } from '@mui/material';
import type { ReactNode } from 'react';

/** The page body inside the portal's frame: the portal's grey around white sections, compact padding. */
export function WidgetFrame({ children }: { children: ReactNode }) {
  return (
    <Box component="main" sx={{ p: 1.5, bgcolor: 'background.default', minHeight: '100%' }}>
      {children}
    </Box>
  );
}
