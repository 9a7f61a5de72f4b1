import { useCabinetShell } from '../shell/cabinet-shell-context.js';
import { DealerHome } from './dealer-home.js';
import { StaffHome } from './staff-home.js';

/** Home: the dealer's dashboard, for a dealer user or staff acting as one; else the staff dealer finder. */
export function HomeScreen() {
  const { dealer } = useCabinetShell();
  return dealer ? <DealerHome dealer={dealer} /> : <StaffHome />;
}
