/**
 * Who a user is to DealerHub. Intranet users come from the portal's own roles; extranet users are dealer staff whose
 * role inside their dealer is kept by us (the head of a dealer manages it in the cabinet).
 */
export const ROLES = ['admin', 'manager', 'service', 'dealer_head', 'dealer_buyer', 'dealer_accountant', 'dealer_viewer'] as const;
export type Role = (typeof ROLES)[number];

export const isDealerRole = (r: Role) => r.startsWith('dealer_');
export const isStaffRole = (r: Role) => !isDealerRole(r);

/**
 * Permission codes, checked in exactly one place (`can`), so a screen and its API agree on what a role may do.
 * Scope (own / company / holding) is applied by the repositories from the session, not by these codes.
 */
export const PERMISSIONS = {
  'catalog.read': ['admin', 'manager', 'service', 'dealer_head', 'dealer_buyer', 'dealer_accountant', 'dealer_viewer'],
  'prices.breakdown': ['admin', 'manager', 'dealer_head', 'dealer_buyer'],
  'cart.use': ['admin', 'manager', 'dealer_head', 'dealer_buyer'],
  'orders.create': ['admin', 'manager', 'dealer_head', 'dealer_buyer'],
  'orders.read.own': ['admin', 'manager', 'service', 'dealer_head', 'dealer_buyer', 'dealer_accountant', 'dealer_viewer'],
  'orders.read.company': ['admin', 'manager', 'service', 'dealer_head', 'dealer_accountant', 'dealer_viewer'],
  'orders.manage': ['admin', 'manager'],
  'orders.agree': ['dealer_head', 'dealer_buyer'],
  'finance.read': ['admin', 'manager', 'dealer_head', 'dealer_accountant'],
  'documents.read': ['admin', 'manager', 'dealer_head', 'dealer_accountant'],
  'claims.create': ['admin', 'manager', 'service', 'dealer_head', 'dealer_buyer'],
  'claims.manage': ['admin', 'service'],
  'dealer.users.manage': ['admin', 'manager', 'dealer_head'],
  'dealer.manage': ['admin', 'manager'],
  'act-as-dealer': ['admin', 'manager'],
  'admin.settings': ['admin'],
  'sync.admin': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission, grants: readonly Permission[] = []): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role) || grants.includes(permission);
}
