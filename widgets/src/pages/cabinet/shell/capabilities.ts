import type { CabinetHome } from '../../../api/types.js';
import type { ActingAs, CabinetCapabilities } from '../cabinet-types.js';

/**
 * Permission codes (server/modules/access/roles.ts) turned into what the cabinet shows, in one place: an accountant
 * sees finance and orders but no cart; a viewer only reads; staff order only while acting as a dealer user and never
 * agree to changes for the dealer (the server refuses it).
 */
export function capabilitiesOf(home: CabinetHome, acting: ActingAs | null): CabinetCapabilities {
  const has = (p: string) => home.me.permissions.includes(p);
  const isStaff = home.kind === 'staff';
  const canOrder = has('cart.use') && has('orders.create') && (!isStaff || acting !== null);
  const canAgree = !isStaff && has('orders.agree');
  return {
    isStaff,
    canOrder,
    canAgree,
    canCancel: has('orders.create') && (!isStaff || acting !== null),
    canReadFinance: has('finance.read'),
    readOnly: !canOrder && !canAgree,
  };
}
