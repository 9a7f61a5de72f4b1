import type { Request } from 'express';
import type { PortalRuntime } from '../core/runtime.js';
import type { SUser } from '../store/types.js';

/** Cookie the sandbox's user switcher sets; the portal pages and /oauth/authorize/ act as this user. */
export const UI_USER_COOKIE = 'b24sandbox_user';

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The signed-in sandbox user: the cookie's user if active, else the administrator. */
export function currentUiUser(rt: PortalRuntime, req: Request): SUser {
  const id = Number(readCookie(req, UI_USER_COOKIE));
  const user = Number.isInteger(id) ? rt.store.users.get(id) : undefined;
  if (user && user.ACTIVE) return user;
  return rt.store.users.all().find((u) => u.IS_ADMIN && u.ACTIVE) ?? (rt.store.users.get(1) as SUser);
}
