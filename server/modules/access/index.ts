export { ROLES, PERMISSIONS, can, isDealerRole, isStaffRole, type Role, type Permission } from './roles.js';
export { issueWidgetSession, verifyWidgetSession, ZWidgetSession, SESSION_TTL_SECONDS, type TWidgetSession } from './widget-session.js';
export { sessionGuard, scopeOf, requirePermission, SESSION_HEADER, SESSION_COOKIE, type RequestScope } from './session-guard.js';
export { canSeeDealer, assertDealerInScope, GRANTABLE_PERMISSIONS, DEALER_ROLES, permissionsOf } from './dealer-scope.js';
export { ZPortalRoles, portalRolesOf, type TPortalRoles } from './portal-roles.js';
