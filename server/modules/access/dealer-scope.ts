import { AppError } from '../../http/app-error.js';
import { isDealerRole, PERMISSIONS, ROLES, type Permission, type Role } from './roles.js';
import type { TWidgetSession } from './widget-session.js';

/**
 * Which dealers a session may see. Staff see every dealer of their portal (the portal is already fixed by the
 * session); a dealer user sees exactly the dealer in their session. Anything else answers "not found", so another
 * dealer's ids are not even confirmed to exist.
 */
export function canSeeDealer(session: Pick<TWidgetSession, 'role' | 'dealerId'>, dealerItemId: number | null | undefined): boolean {
  if (!isDealerRole(session.role)) return true;
  return dealerItemId !== null && dealerItemId !== undefined && session.dealerId === dealerItemId;
}

export function assertDealerInScope(session: Pick<TWidgetSession, 'role' | 'dealerId'>, dealerItemId: number | null | undefined, what = 'This record'): void {
  if (!canSeeDealer(session, dealerItemId)) throw new AppError('NOT_FOUND', `${what} was not found`);
}

/** Permissions a dealer head may grant to their users: only those some dealer role can have by itself. */
export const GRANTABLE_PERMISSIONS: Permission[] = (Object.keys(PERMISSIONS) as Permission[]).filter((p) =>
  (PERMISSIONS[p] as readonly Role[]).some((r) => isDealerRole(r)),
);

export const DEALER_ROLES = ROLES.filter((r) => isDealerRole(r));

/** Every permission a role has with its grants (for the widgets: show only what the API would allow). */
export function permissionsOf(role: Role, grants: readonly string[] = []): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => (PERMISSIONS[p] as readonly Role[]).includes(role) || grants.includes(p));
}
