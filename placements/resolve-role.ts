import type { AppContext } from '../server/context.js';
import { portalRolesOf, type Role } from '../server/modules/access/index.js';
import type { Dealer, DealerUser } from '../server/modules/dealers/index.js';
import type { Portal } from '../server/modules/portals/index.js';
import { resolveDealerUser, type DealerLink } from './resolve-dealer-user.js';
import type { PortalUser } from './verify-placement.js';

export type ResolvedRole =
  | { ok: true; role: Role; dealer: Dealer | null; dealerUser: DealerUser | null; grants: string[] }
  | { ok: false; reason: Extract<DealerLink, { ok: false }>['reason'] };

/**
 * Who the user is to DealerHub:
 * - employee with portal admin rights (user.admin) → admin;
 * - employee listed as a service engineer in the portal's DealerHub settings (settings.roles.serviceUserIds) → service;
 * - any other employee → manager;
 * - extranet user → the role kept in dealer_users for the dealer found through their CRM contact (resolveDealerUser);
 *   no dealer found → not allowed (the caller shows "not connected to a dealer yet").
 */
export async function resolveRole(ctx: AppContext, portal: Portal, user: PortalUser): Promise<ResolvedRole> {
  if (user.userType === 'employee') {
    if (user.isAdmin) return { ok: true, role: 'admin', dealer: null, dealerUser: null, grants: [] };
    if (portalRolesOf(portal.settings).serviceUserIds.includes(user.id)) return { ok: true, role: 'service', dealer: null, dealerUser: null, grants: [] };
    return { ok: true, role: 'manager', dealer: null, dealerUser: null, grants: [] };
  }
  const link = await resolveDealerUser(ctx, portal, user);
  if (!link.ok) return link;
  return { ok: true, role: link.user.role, dealer: link.dealer, dealerUser: link.user, grants: link.user.grants };
}
