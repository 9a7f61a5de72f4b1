import { Chip } from '@mui/material';

/** A stage as the portal shows it: its own colour, readable text on top. */
export function StageChip({ name, color, testId }: { name: string; color: string | null; testId?: string }) {
  const bg = color ?? '#e0e6ec';
  const dark = /^#?([0-9a-f]{6})$/i.test(bg) ? luminance(bg) < 0.55 : false;
  return <Chip size="small" label={name} data-testid={testId} sx={{ bgcolor: bg, color: dark ? '#fff' : '#333', fontWeight: 600, borderRadius: '4px' }} />;
}

function luminance(hex: string): number {
  const n = parseInt(hex.replace('#', ''), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}
