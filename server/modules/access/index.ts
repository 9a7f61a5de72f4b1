export { ROLES, PERMISSIONS, can, isDealerRole, isStaffRole, type Role, type Permission } from './roles.js';
export { issueWidgetSession, verifyWidgetSession, ZWidgetSession, SESSION_TTL_SECONDS, type TWidgetSession } from './widget-session.js';
export { sessionGuard, scopeOf, requirePermission, SESSION_HEADER, SESSION_COOKIE, type RequestScope } from './session-guard.js';
