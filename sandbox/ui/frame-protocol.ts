import type { PortalRuntime } from '../core/runtime.js';
import type { AppLifecycle } from '../apps/apps.js';
import { issueTokenPair } from '../oauth/tokens.js';
import type { SApp, SUser } from '../store/types.js';
import { crmPickerOptions, type CrmPickerType } from './crm-picker.js';
import { userName } from './view.js';

/**
 * Server side of the b24jssdk frame protocol (packages/jssdk/src/frame/message/commands.ts): the child posts
 * `"{command}:{json}:{callbackKey}:{appSid}"`, the parent page answers `"{callbackKey}:{json}"`. The browser relay
 * (sandbox/ui/assets/frame-host.js) checks the message's origin and APP_SID, asks this module, applies the `effect`
 * in the page (resize the iframe, set the title, open a slider or a picker…) and answers the frame — at once, or after
 * the person acted when `deferReply` is set (pickers, sliders: the SDK's promise settles when they close).
 * What each command does follows sdk/bx24-js-sdk/** and api-reference/widgets/ui-interaction/**.
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

export type FrameEffect =
  | { kind: 'resize'; width: number | string; height: number }
  | { kind: 'title'; title: string }
  | { kind: 'scroll'; scroll: number }
  | { kind: 'reloadFrame' }
  | { kind: 'reloadPage' }
  | { kind: 'navigate'; url: string }
  | { kind: 'slider'; url: string }
  | { kind: 'closeSlider' }
  | { kind: 'pickUsers'; multiple: boolean; access: boolean; users: PickerUser[] }
  | { kind: 'pickCrm'; multiple: boolean; options: Partial<Record<CrmPickerType, PickerCrmEntity[]>> }
  | { kind: 'notice'; text: string };

export interface PickerUser {
  id: string;
  name: string;
  photo: string;
  position: string;
  url: string;
  sub: boolean;
  sup: boolean;
}

export interface PickerCrmEntity {
  id: string;
  type: CrmPickerType;
  place: string;
  title: string;
  desc: string;
  url: string;
  image?: string;
}

export type FrameAnswer = { ok: true; data: unknown; effect?: FrameEffect; deferReply?: boolean } | { ok: false; error: string };

const ok = (data: unknown, effect?: FrameEffect, deferReply?: boolean): FrameAnswer => ({ ok: true, data, ...(effect ? { effect } : {}), ...(deferReply ? { deferReply } : {}) });
const refuse = (error: string): FrameAnswer => ({ ok: false, error });

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function userOptionsKey(app: SApp, userId: number): string {
  return `userOptions:${app.clientId}:${userId}`;
}

/** FIRST_RUN: the user opens the app for the first time; the SDK then sends setInstall({install: true}) to record it. */
function firstRunKey(app: SApp, userId: number): string {
  return `firstRunDone:${app.clientId}:${userId}`;
}

/**
 * A path inside this portal for openPath (bx24-open-path.md: starts with `/`, same portal, no other domains). The SDK
 * prefixes a width-dependent `…/../..` base and appends IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER; resolving normalises both.
 */
export function portalPath(raw: unknown): string | null {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(raw, 'http://portal.invalid');
  } catch {
    return null;
  }
  if (url.host !== 'portal.invalid') return null;
  url.searchParams.delete('IFRAME_TYPE');
  url.searchParams.set('IFRAME', 'Y');
  return `${url.pathname}${url.search}`;
}

const KNOWN_SECTIONS = /^\/(crm\/(deal|company|contact|type\/\d+)\/|online\/|notifications\/|marketplace\/|company\/|$)/;

function pickerUsers(rt: PortalRuntime): PickerUser[] {
  return rt.store.users
    .filter((u) => u.ACTIVE)
    .sort((a, b) => a.ID - b.ID)
    .map((u: SUser) => ({ id: String(u.ID), name: userName(u), photo: '', position: u.WORK_POSITION, url: `/company/personal/user/${u.ID}/`, sub: false, sup: false }));
}

export function answerFrameCommand(rt: PortalRuntime, apps: AppLifecycle, session: FrameSession, command: string, params: unknown): FrameAnswer {
  const app = rt.store.apps.get(session.clientId);
  const user = rt.store.users.get(session.userId);
  if (!app || !app.active || !user || !user.ACTIVE) return refuse('app or user is gone');
  const p = asRecord(params);
  switch (command) {
    case 'getInitData': {
      const t = issueTokenPair(rt, app, user.ID, session.face);
      return ok({
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
        USER_OPTIONS: rt.store.getSetting(userOptionsKey(app, user.ID)) ?? {},
        PLACEMENT: session.placement,
        PLACEMENT_OPTIONS: session.placementOptions,
        INSTALL: !app.installed,
        FIRST_RUN: app.installed && !rt.store.getSetting(firstRunKey(app, user.ID)),
      });
    }
    case 'refreshAuth': {
      // A fresh pair for the same user and app (bx24-refresh-auth.md).
      const t = issueTokenPair(rt, app, user.ID, session.face);
      return ok({ AUTH_ID: t.accessToken, REFRESH_ID: t.refreshToken, AUTH_EXPIRES: t.expiresIn });
    }
    case 'setInstallFinish':
      // Only the administrator sees the install page (installation-finish.md); the portal then shows the app URL.
      if (!user.IS_ADMIN) return refuse('only an administrator finishes an installation');
      if (!app.installed) apps.markInstallFinished(app.clientId);
      return ok(null, { kind: 'reloadPage' });
    case 'setInstall':
      rt.store.setSetting(firstRunKey(app, user.ID), true);
      return ok(null);
    case 'setAppOption': {
      // bx24-app-option-set.md: application settings are for users who manage the app; the callback gets them all.
      if (!user.IS_ADMIN) return refuse('only an administrator sets application options');
      if (typeof p.name !== 'string' || !p.name) return refuse('option name is empty');
      const key = `appOptions:${app.clientId}`;
      const options = { ...(rt.store.getSetting<Record<string, unknown>>(key) ?? {}), [p.name]: p.value };
      rt.store.setSetting(key, options);
      return ok(options);
    }
    case 'setUserOption': {
      if (typeof p.name !== 'string' || !p.name) return refuse('option name is empty');
      const key = userOptionsKey(app, user.ID);
      const options = { ...(rt.store.getSetting<Record<string, unknown>>(key) ?? {}), [p.name]: p.value };
      rt.store.setSetting(key, options);
      return ok(options);
    }
    case 'resizeWindow': {
      const height = Number(p.height);
      if (!Number.isFinite(height) || height <= 0) return refuse('wrong height');
      const width = typeof p.width === 'number' || /^\d+(\.\d+)?$/.test(String(p.width)) ? Number(p.width) : String(p.width ?? '100%');
      return ok(null, { kind: 'resize', width, height: Math.ceil(height) });
    }
    case 'setTitle':
      return ok(null, { kind: 'title', title: String(p.title ?? '') });
    case 'setScroll': {
      const scroll = Number(p.scroll);
      return Number.isFinite(scroll) ? ok(null, { kind: 'scroll', scroll: Math.max(0, scroll) }) : refuse('wrong scroll');
    }
    case 'reloadWindow':
      return ok(null, { kind: 'reloadFrame' });
    case 'openPath': {
      const path = portalPath(p.path);
      if (!path || !KNOWN_SECTIONS.test(path.split('?')[0] as string)) return ok({ result: 'error', errorCode: 'PATH_NOT_AVAILABLE' });
      return ok({ result: 'close' }, { kind: 'slider', url: path }, true);
    }
    case 'openApplication': {
      // bx24-open-application.md: the app itself in a slider, `params` (and bx24_* settings) as its PLACEMENT_OPTIONS.
      const options = encodeURIComponent(JSON.stringify(p));
      return ok(null, { kind: 'slider', url: `/marketplace/app/${app.id}/?IFRAME=Y&options=${options}` }, true);
    }
    case 'closeApplication':
      return ok(null, { kind: 'closeSlider' });
    case 'imOpenMessenger':
    case 'imOpenHistory': {
      const dialog = p.dialogId === undefined || p.dialogId === null ? '' : String(p.dialogId);
      return ok(null, { kind: 'navigate', url: dialog ? `/online/?IM_DIALOG=${encodeURIComponent(dialog)}` : '/online/' });
    }
    case 'imCallTo':
    case 'imPhoneTo':
      return ok(null, { kind: 'notice', text: 'Звонки в песочнице не поддерживаются' });
    case 'selectUser':
      return ok(null, { kind: 'pickUsers', multiple: p.mult === true || p.mult === 'true', access: false, users: pickerUsers(rt) }, true);
    case 'selectAccess':
      return ok(null, { kind: 'pickUsers', multiple: true, access: true, users: pickerUsers(rt) }, true);
    case 'selectCRM': {
      if (user.USER_TYPE !== 'employee') return refuse('CRM is not available to extranet users');
      const types = (Array.isArray(p.entityType) ? p.entityType : ['lead', 'contact', 'company', 'deal']).map(String);
      return ok(null, { kind: 'pickCrm', multiple: p.multiple === true || p.multiple === 'true', options: crmPickerOptions(rt, types) }, true);
    }
    case 'getInterface':
      // The sandbox's placements register no commands or events of their own (bx24-placement-get-interface.md).
      return ok({ command: [], event: [] });
    case 'placementBindEvent':
      return ok({});
    default:
      // Bitrix24 silently ignores a command it does not know (bx24-placement-get-interface.md §Errors).
      return refuse(`command ${command} is not supported`);
  }
}
