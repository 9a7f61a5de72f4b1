import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../http/app-error.js';
import type { AppContext } from '../../context.js';
import type { Portal } from '../portals/index.js';
import { can, type Permission } from './roles.js';
import { verifyWidgetSession, type TWidgetSession } from './widget-session.js';

export const SESSION_HEADER = 'x-dealerhub-session';
export const SESSION_COOKIE = 'dh_session';

export interface RequestScope {
  session: TWidgetSession;
  portal: Portal;
}

declare module 'express-serve-static-core' {
  interface Locals {
    scope?: RequestScope;
  }
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * How long this process reuses a portal row the guard read. Every API request reads it, and the catalog benchmark
 * showed that read as the largest single cost left per query (one SQL statement of about two); a portal changes
 * rarely. A change made in this process (uninstall, settings, tokens) drops it at once (the repository's write count);
 * one made by another process is seen within this time.
 */
const PORTAL_TTL_MS = 2_000;

interface CachedPortal {
  readAt: number;
  writeCount: number;
  portal: Promise<Portal | null>;
}

const portalCaches = new WeakMap<AppContext, Map<number, CachedPortal>>();

function portalOf(ctx: AppContext, portalId: number): Promise<Portal | null> {
  let cache = portalCaches.get(ctx);
  if (!cache) portalCaches.set(ctx, (cache = new Map()));
  const writeCount = ctx.portals.writeCount();
  const now = Date.now();
  const hit = cache.get(portalId);
  if (hit && hit.writeCount === writeCount && now - hit.readAt < PORTAL_TTL_MS) return hit.portal;
  const portal = ctx.portals.findById(portalId);
  const entry = { readAt: now, writeCount, portal };
  if (cache.size >= 10_000) cache.clear();
  cache.set(portalId, entry);
  portal.catch(() => cache.get(portalId) === entry && cache.delete(portalId));
  return portal;
}

/**
 * The one guard in front of /api/* (STYLE.md §4): a valid, unexpired widget session for an installed portal, or 401.
 * The standalone cabinet keeps the same token in an HttpOnly cookie instead of the header.
 */
export function sessionGuard(ctx: AppContext): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = (req.headers[SESSION_HEADER] as string | undefined) ?? readCookie(req, SESSION_COOKIE);
    const check = verifyWidgetSession(ctx.config.app.secretKey, token);
    if (!check.ok) {
      throw new AppError('UNAUTHENTICATED', check.reason === 'expired' ? 'The session has expired; open the widget again' : 'A valid DealerHub session is required');
    }
    const portal = await portalOf(ctx, check.session.portalId);
    if (!portal || portal.status !== 'installed') throw new AppError('UNAUTHENTICATED', 'The portal of this session is no longer installed');
    res.locals.scope = { session: check.session, portal };
    next();
  };
}

/** The request's scope; routes behind sessionGuard can rely on it. */
export function scopeOf(res: Response): RequestScope {
  const scope = res.locals.scope;
  if (!scope) throw new AppError('UNAUTHENTICATED', 'A valid DealerHub session is required');
  return scope;
}

export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const { session } = scopeOf(res);
    if (!can(session.role, permission, session.grants as Permission[])) {
      throw new AppError('FORBIDDEN', `Your role (${session.role}) may not do this (${permission})`);
    }
    next();
  };
}
