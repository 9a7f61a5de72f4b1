import { toIntOrNull } from '../../crm/values.js';
import { RestError, SystemErrors } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SandboxStore } from '../../store/store.js';
import type { SPlacement } from '../../store/types.js';

/**
 * placement.* (api-reference/widgets/placement-*.md): handlers kept per app; administrators with application auth
 * only (WRONG_AUTH_TYPE with a webhook). Quirk kept: placement.bind answers its argument errors with HTTP 200.
 */

const CRM_OWNERS = ['DEAL', 'LEAD', 'CONTACT', 'COMPANY', 'INVOICE', 'QUOTE', 'SMART_INVOICE', 'ORDER'];
const CRM_SUFFIXES = ['LIST_TOOLBAR', 'DETAIL_TOOLBAR', 'DETAIL_TAB', 'DETAIL_ACTIVITY', 'LIST_MENU', 'ACTIVITY_TIMELINE_MENU', 'ROBOT_DESIGNER_TOOLBAR', 'DOCUMENTGENERATOR_BUTTON', 'DETAIL_MAIN_MENU'];
const GLOBAL_PLACEMENTS = ['REST_APP_URI', 'LEFT_MENU', 'PAGE_BACKGROUND_WORKER', 'REST_APP_WIZARD'];
const SCOPED_PLACEMENTS: Record<string, string[]> = {
  im: ['IM_NAVIGATION', 'IM_SIDEBAR', 'IM_TEXTAREA', 'IM_CONTEXT_MENU', 'IM_SMILES_SELECTOR', 'IM_CHAT_SIDEBAR'],
  sonet_group: ['SONET_GROUP_DETAIL_TAB', 'SONET_GROUP_TOOLBAR', 'SONET_GROUP_ROBOT_DESIGNER_TOOLBAR'],
  task: ['TASK_VIEW_TAB', 'TASK_VIEW_SIDEBAR', 'TASK_VIEW_TOP_PANEL', 'TASK_LIST_CONTEXT_MENU', 'TASK_USER_LIST_TOOLBAR', 'TASK_GROUP_LIST_TOOLBAR'],
  user: ['USER_PROFILE_MENU', 'USER_PROFILE_TOOLBAR'],
  calendar: ['CALENDAR_GRIDVIEW'],
  telephony: ['CALL_CARD', 'TELEPHONY_ANALYTICS_MENU'],
};
const SINGLE = new Set(['REST_APP_URI', 'PAGE_BACKGROUND_WORKER']);

/** Placement codes open to an app with `scope` (null = all). */
export function availablePlacements(store: SandboxStore, scope: string[] | null): string[] {
  const has = (s: string) => scope === null || scope.includes(s);
  const out = [...GLOBAL_PLACEMENTS];
  if (has('crm')) {
    const owners = [...CRM_OWNERS, ...store.types.all().map((t) => `DYNAMIC_${t.entityTypeId}`)];
    for (const o of owners) for (const s of CRM_SUFFIXES) out.push(`CRM_${o}_${s}`);
    out.push('CRM_ANALYTICS_MENU', 'CRM_FUNNELS_TOOLBAR');
  }
  for (const [s, codes] of Object.entries(SCOPED_PLACEMENTS)) if (has(s)) out.push(...codes);
  return out;
}

/** placement.bind argument errors answer HTTP 200 (placement-bind.md §Possible Error Codes). */
const argError = (argument: string, msg: string) => new RestError('ERROR_ARGUMENT', msg, 200, { argument });

function requireAdmin(call: MethodCall): void {
  if (!call.auth.user.IS_ADMIN) throw SystemErrors.accessDenied();
}

function checkHandler(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new RestError('ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported handler protocol', 400);
}

function langAll(v: unknown): SPlacement['langAll'] {
  if (!v || typeof v !== 'object') return {};
  const out: SPlacement['langAll'] = {};
  for (const [lang, raw] of Object.entries(v as Record<string, Record<string, unknown>>)) {
    out[lang] = { TITLE: String(raw?.TITLE ?? ''), DESCRIPTION: String(raw?.DESCRIPTION ?? ''), GROUP_NAME: String(raw?.GROUP_NAME ?? '') };
  }
  return out;
}

export const placementMethods: MethodDef[] = [
  {
    name: 'placement.bind',
    scope: 'placement',
    appOnly: 'WRONG_AUTH_TYPE',
    handler(call) {
      requireAdmin(call);
      const p = call.params;
      const code = typeof p.PLACEMENT === 'string' ? p.PLACEMENT.trim().toUpperCase() : '';
      if (!code) throw argError('PLACEMENT', "Argument 'PLACEMENT' is null or empty");
      const handler = typeof p.HANDLER === 'string' ? p.HANDLER.trim() : '';
      if (!handler) throw argError('HANDLER', "Argument 'HANDLER' is null or empty");
      if (!availablePlacements(call.rt.store, call.auth.scope).includes(code)) throw new RestError('ERROR_PLACEMENT_NOT_FOUND', 'Placement not found', 400);
      checkHandler(handler);
      const userId = toIntOrNull(p.USER_ID) ?? 0;
      if (userId > 0 && code !== 'PAGE_BACKGROUND_WORKER') throw new RestError('ERROR_PLACEMENT_USER_MODE', 'User mode is not available', 200);
      const clientId = call.auth.app!.clientId;
      const mine = call.rt.store.placements.filter((x) => x.clientId === clientId && x.placement === code);
      if (SINGLE.has(code) && mine.length > 0) throw new RestError('ERROR_PLACEMENT_MAX_COUNT', 'Placement max count reached', 200);
      if (mine.some((x) => x.handler === handler && x.userId === userId)) {
        throw new RestError('ERROR_CORE', 'Unable to set placement handler: Handler already binded', 400);
      }
      const options = p.OPTIONS && typeof p.OPTIONS === 'object' ? (p.OPTIONS as Record<string, unknown>) : {};
      call.rt.store.placements.insert({
        id: call.rt.store.nextId('placement'),
        clientId,
        placement: code,
        handler,
        title: typeof p.TITLE === 'string' ? p.TITLE : '',
        description: typeof p.DESCRIPTION === 'string' ? p.DESCRIPTION : '',
        groupName: typeof p.GROUP_NAME === 'string' ? p.GROUP_NAME : '',
        langAll: langAll(p.LANG_ALL),
        options,
        userId,
      });
      return true;
    },
  },
  {
    name: 'placement.unbind',
    scope: 'placement',
    appOnly: 'WRONG_AUTH_TYPE',
    handler(call) {
      requireAdmin(call);
      const p = call.params;
      if (p.PLACEMENT !== undefined && typeof p.PLACEMENT !== 'string') {
        throw new RestError('ERROR_ARGUMENT', "The value of an argument 'PLACEMENT' must be of type string", 400, { argument: 'PLACEMENT' });
      }
      const code = typeof p.PLACEMENT === 'string' ? p.PLACEMENT.trim().toUpperCase() : '';
      if (!code) throw new RestError('ERROR_ARGUMENT', "Argument 'PLACEMENT' is null or empty", 400, { argument: 'PLACEMENT' });
      const handler = typeof p.HANDLER === 'string' ? p.HANDLER.trim() : '';
      const userId = toIntOrNull(p.USER_ID);
      const clientId = call.auth.app!.clientId;
      const count = call.rt.store.placements.deleteWhere(
        (x) => x.clientId === clientId && x.placement === code && (!handler || x.handler === handler) && (userId === null || x.userId === userId),
      );
      return { count };
    },
  },
  {
    name: 'placement.get',
    scope: 'placement',
    appOnly: 'WRONG_AUTH_TYPE',
    handler(call) {
      requireAdmin(call);
      return call.rt.store.placements
        .filter((x) => x.clientId === call.auth.app!.clientId)
        .sort((a, b) => a.id - b.id)
        .map((x) => ({
          placement: x.placement,
          userId: x.userId,
          handler: x.handler,
          options: Object.keys(x.options).length ? x.options : [],
          title: x.title,
          description: x.description,
          langAll: x.langAll,
        }));
    },
  },
  {
    name: 'placement.list',
    scope: 'placement',
    appOnly: 'WRONG_AUTH_TYPE',
    handler(call) {
      const scope = typeof call.params.SCOPE === 'string' && call.params.SCOPE ? [call.params.SCOPE] : ['1', 'true', 'Y'].includes(String(call.params.FULL)) ? null : call.auth.scope;
      return availablePlacements(call.rt.store, scope);
    },
  },
];
