import { formatAtom } from '../../core/dates.js';
import { SystemErrors } from '../../rest/rest-error.js';
import type { MethodDef } from '../../rest/registry.js';

/** Global methods (api-reference/common/system/*, common/users/profile.md). */
export const systemMethods: MethodDef[] = [
  {
    name: 'server.time',
    scope: 'basic',
    handler: (call) => formatAtom(call.rt.clock.now()),
  },
  {
    name: 'scope',
    scope: 'basic',
    handler(call) {
      const full = ['1', 'Y', 'true', true].includes(call.params.full as string) || ['1', 'Y', 'true', true].includes(call.params.FULL as string);
      if (full || call.auth.scope === null) return call.rt.registry.scopes();
      return [...call.auth.scope];
    },
  },
  {
    name: 'methods',
    scope: 'basic',
    handler(call) {
      const scopeParam = (call.params.scope ?? call.params.SCOPE) as string | undefined;
      const full = ['1', 'Y', 'true', true].includes((call.params.full ?? call.params.FULL) as string);
      const wanted = (s: string | string[]) => {
        const list = [s].flat();
        if (scopeParam !== undefined && scopeParam !== '') return list.includes(scopeParam);
        if (full || call.auth.scope === null) return true;
        return list.includes('basic') || list.some((x) => call.auth.scope!.includes(x));
      };
      return call.rt.registry.all().filter((m) => wanted(m.scope)).map((m) => m.name);
    },
  },
  {
    name: 'profile',
    scope: 'basic',
    handler(call) {
      const u = call.auth.user;
      return { ID: String(u.ID), ADMIN: u.IS_ADMIN, NAME: u.NAME, LAST_NAME: u.LAST_NAME, PERSONAL_GENDER: u.PERSONAL_GENDER, TIME_ZONE: u.TIME_ZONE };
    },
  },
  {
    name: 'app.info',
    scope: 'basic',
    handler(call) {
      const license = `${call.rt.languageId}_${call.rt.plan === 'enterprise' ? 'ent250' : 'pro100'}`;
      if (call.auth.type === 'webhook') return { SCOPE: call.auth.scope ?? call.rt.registry.scopes(), LICENSE: license };
      const app = call.auth.app;
      if (!app) throw SystemErrors.accessDenied('Application context required');
      return {
        ID: app.id,
        CODE: app.code,
        VERSION: app.version,
        STATUS: app.status,
        INSTALLED: app.installed,
        PAYMENT_EXPIRED: 'N',
        DAYS: null,
        LANGUAGE_ID: app.languageId,
        LICENSE: license,
        LICENSE_TYPE: call.rt.plan === 'enterprise' ? 'ent250' : 'pro100',
        LICENSE_FAMILY: call.rt.plan === 'enterprise' ? 'ent' : 'pro',
      };
    },
  },
  {
    name: 'app.option.get',
    scope: 'basic',
    appOnly: 'ACCESS_DENIED',
    handler(call) {
      const options = call.rt.store.getSetting<Record<string, unknown>>(`appOptions:${call.auth.app!.clientId}`) ?? {};
      const name = call.params.option;
      return typeof name === 'string' ? (options[name] ?? null) : options;
    },
  },
  {
    name: 'app.option.set',
    scope: 'basic',
    appOnly: 'ACCESS_DENIED',
    handler(call) {
      if (!call.auth.user.IS_ADMIN) throw SystemErrors.accessDenied('Administrator authorization required');
      const key = `appOptions:${call.auth.app!.clientId}`;
      const given = (call.params.options ?? call.params) as Record<string, unknown>;
      call.rt.store.setSetting(key, { ...(call.rt.store.getSetting<Record<string, unknown>>(key) ?? {}), ...given });
      return true;
    },
  },
];
