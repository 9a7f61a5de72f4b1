import type { PortalRuntime } from '../core/runtime.js';
import type { SApp, SPlacement, SUser } from '../store/types.js';

/**
 * Which widgets a user sees. Widgets appear only once the app's installation is finished
 * (settings/app-installation/installation-finish.md), only to users the app is open to, LEFT_MENU only to employees
 * (widgets/left-menu.md), IM_NAVIGATION to extranet users only with OPTIONS extranet=Y and to admins only with
 * role=ADMIN (widgets/im/navigation.md); CRM widgets need CRM, which extranet users do not have.
 */
export function canOpenApp(app: SApp | undefined, user: SUser): app is SApp {
  if (!app || !app.active) return false;
  return !app.accessUserIds || user.IS_ADMIN || app.accessUserIds.includes(user.ID);
}

export function isVisiblePlacement(rt: PortalRuntime, p: SPlacement, user: SUser): boolean {
  const app = rt.store.apps.get(p.clientId);
  if (!canOpenApp(app, user) || !app.installed) return false;
  if (p.userId > 0 && p.userId !== user.ID) return false;
  const extranet = user.USER_TYPE !== 'employee';
  if (p.placement === 'IM_NAVIGATION') {
    const opt = (k: string) => String(p.options[k] ?? '').toUpperCase();
    if (extranet && opt('extranet') !== 'Y') return false;
    if (opt('role') === 'ADMIN' && !user.IS_ADMIN) return false;
    return true;
  }
  return !extranet;
}

export function visiblePlacements(rt: PortalRuntime, user: SUser, code: string): SPlacement[] {
  return rt.store.placements.filter((p) => p.placement === code && isVisiblePlacement(rt, p, user)).sort((a, b) => a.id - b.id);
}

export function leftMenuPlacements(rt: PortalRuntime, user: SUser): SPlacement[] {
  return visiblePlacements(rt, user, 'LEFT_MENU');
}

/** The title a placement shows in the user's language (LANG_ALL, then TITLE, then the app's code). */
export function placementTitle(rt: PortalRuntime, p: SPlacement, lang = 'ru'): string {
  return p.langAll[lang]?.TITLE || p.title || p.langAll.en?.TITLE || rt.store.apps.get(p.clientId)?.code || p.placement;
}

/** How the portal names an app: its left-menu item's title when it has one, else its code. */
export function appDisplayName(rt: PortalRuntime, app: SApp): string {
  const left = rt.store.placements.find((p) => p.clientId === app.clientId && p.placement === 'LEFT_MENU');
  return left ? placementTitle(rt, left) : app.code;
}
