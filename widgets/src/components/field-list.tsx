import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';

export interface FieldItem {
  label: string;
  value: ReactNode;
  /** Full row width (long text). */
  wide?: boolean;
  testId?: string;
}

const isEmpty = (v: ReactNode) => v === null || v === undefined || v === '' || v === false;

/** Label/value pairs in two columns (one on narrow tabs); empty values show a dash, not a hole. */
export function FieldList({ items }: { items: FieldItem[] }) {
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, columnGap: 3, rowGap: 1.25 }}>
      {items.map((f) => (
        <Box key={f.label} sx={{ gridColumn: f.wide ? '1 / -1' : undefined, minWidth: 0 }} data-testid={f.testId}>
          <Typography component="dt" sx={{ fontSize: 12, color: 'text.secondary', mb: 0.25 }}>
            {f.label}
          </Typography>
          <Typography component="dd" sx={{ m: 0, fontSize: 13, wordBreak: 'break-word', whiteSpace: f.wide ? 'pre-wrap' : undefined }}>
            {isEmpty(f.value) ? <Box component="span" sx={{ color: 'text.disabled' }}>—</Box> : f.value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
