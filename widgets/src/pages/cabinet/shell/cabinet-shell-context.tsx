import { createContext, useContext } from 'react';
import type { CabinetHome, DealerSummary } from '../../../api/types.js';
import type { ActingAs, CabinetCapabilities, LegalEntityChoice } from '../cabinet-types.js';

/**
 * What the shell knows beyond the public cabinet contract (cabinet-context.tsx): who is in the cabinet, which dealer
 * the screens show (the user's own, or the one staff act for), its legal entities and what the person may do.
 */
export interface CabinetShellValue {
  home: CabinetHome;
  /** The dealer the screens are about; null: staff who do not act as a dealer. */
  dealer: DealerSummary | null;
  legalEntities: LegalEntityChoice[];
  acting: ActingAs | null;
  startActing(acting: ActingAs): void;
  stopActing(): void;
  caps: CabinetCapabilities;
  /** Query parameters of GET /orders: staff acting name the dealer (its Dealers item id); dealers get their own. */
  ordersScope: Record<string, number>;
}

export const CabinetShellContext = createContext<CabinetShellValue | null>(null);

export function useCabinetShell(): CabinetShellValue {
  const value = useContext(CabinetShellContext);
  if (!value) throw new Error('useCabinetShell outside of the cabinet shell');
  return value;
}
