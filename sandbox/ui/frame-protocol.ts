import type { PortalRuntime } from '../core/runtime.js';
import type { AppLifecycle } from '../apps/apps.js';
import { issueTokenPair } from '../oauth/tokens.js';

/**
 * Server side of the b24jssdk frame protocol (packages/jssdk/src/frame/message/commands.ts): the child posts
 * `"{command}:{json}:{callbackKey}:{appSid}"`, the parent page answers `"{callbackKey}:{json}"`. The browser part that
 * relays postMessage to this module arrives with the portal pages (later task); this is the seam it plugs into.
 */
export interface FrameSession {
  clientId: string;
  userId: number;
  placement: string;
  placementOptions: Record<string, unknown>;
  appSid: string;
  lang: string;
  face: 'http' | 'https';
}

export type FrameAnswer = { ok: true; data: unknown } | { ok: false; error: string };

export function answerFrameCommand(rt: PortalRuntime, apps: AppLifecycle, session: FrameSession, command: string, _params: unknown): FrameAnswer {
  const app = rt.store.apps.get(session.clientId);
  const user = rt.store.users.get(session.userId);
  if (!app || !app.active || !user) return { ok: false, error: 'app or user is gone' };
  switch (command) {
    case 'getInitData': {
      const t = issueTokenPair(rt, app, user.ID, session.face);
      return {
        ok: true,
        data: {
          DOMAIN: rt.domain(session.face),
          PROTOCOL: session.face === 'https' ? 1 : 0,
          PATH: '/rest/',
          LANG: session.lang,
          MEMBER_ID: rt.memberId,
          IS_ADMIN: user.IS_ADMIN,
          AUTH_ID: t.accessToken,
          REFRESH_ID: t.refreshToken,
          AUTH_EXPIRES: t.expiresIn,
          APP_OPTIONS: rt.store.getSetting(`appOptions:${app.clientId}`) ?? {},
          USER_OPTIONS: {},
          PLACEMENT: session.placement,
          PLACEMENT_OPTIONS: session.placementOptions,
          INSTALL: !app.installed,
          FIRST_RUN: false,
        },
      };
    }
    case 'refreshAuth': {
      const t = issueTokenPair(rt, app, user.ID, session.face);
      return { ok: true, data: { AUTH_ID: t.accessToken, REFRESH_ID: t.refreshToken, AUTH_EXPIRES: t.expiresIn } };
    }
    case 'setInstallFinish':
      if (!user.IS_ADMIN) return { ok: false, error: 'only an administrator finishes an installation' };
      apps.markInstallFinished(app.clientId);
      return { ok: true, data: null };
    case 'resizeWindow':
    case 'setTitle':
    case 'reloadWindow':
    case 'setScroll':
      return { ok: true, data: null };
    default:
      return { ok: false, error: `command ${command} is not supported by the sandbox yet` };
  }
}
