import { Link } from '@mui/material';
import type { CardDealer } from '../api/types.js';

/** A dealer's name; for staff inside the portal it opens the Dealers card in a slider. */
export function DealerLink({ dealer, onOpen }: { dealer: CardDealer; onOpen?: (path: string) => void }) {
  if (!dealer.cardPath || !onOpen) return <>{dealer.title}</>;
  return (
    <Link component="button" underline="hover" onClick={() => onOpen(dealer.cardPath!)} sx={{ fontSize: 13, verticalAlign: 'baseline' }}>
      {dealer.title}
    </Link>
  );
}
