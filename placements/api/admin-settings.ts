import { readRecord } from '../../installer/index.js';
import { SMART_PROCESSES, MANIFEST } from '../../installer/manifest.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/http/app-error.js';
import { portalRolesOf, type RequestScope } from '../../server/modules/access/index.js';
import { installedSmartProcess } from '../../server/modules/dealers/index.js';
import type { Lang } from './card-fields.js';
import { peopleByIds, type PersonRef } from './read-dealer-card.js';

export interface InstallerStatus {
  /** The manifest version this code ships and the one the portal was last reconciled to. */
  manifestVersion: number;
  installedVersion: number | null;
  upToDate: boolean;
  smartProcesses: Array<{ key: string; title: string; installed: boolean; entityTypeId: number | null; fields: number; fieldsExpected: number; stages: number; stagesExpected: number; listPath: string | null }>;
  /** The installer's last run (installer/installer-record.ts journal): status, when, the first errors. */
  lastRun: { status: 'running' | 'done' | 'failed'; startedAt: string; finishedAt: string | null; errors: Array<{ step: string; message: string }> } | null;
}

export interface AdminSettings {
  portal: { domain: string; memberId: string; appVersion: number | null; installedAt: string | null; installFinished: boolean };
  roles: { serviceUserIds: number[]; serviceUsers: PersonRef[] };
  installer: InstallerStatus;
}

function installerStatus(settings: Record<string, unknown>, manifestVersion: number | null, lang: Lang): InstallerStatus {
  const record = readRecord(settings);
  const recordedVersion = record.manifestVersion ?? manifestVersion;
  const run = record.lastRun;
  return {
    manifestVersion: MANIFEST.version,
    installedVersion: recordedVersion ?? null,
    upToDate: recordedVersion === MANIFEST.version,
    smartProcesses: SMART_PROCESSES.map((spec) => {
      const sp = installedSmartProcess(settings, spec.key);
      return {
        key: spec.key,
        title: spec.title[lang],
        installed: Boolean(sp),
        entityTypeId: sp?.entityTypeId ?? null,
        fields: sp ? spec.fields.filter((f) => sp.fields[f.key]).length : 0,
        fieldsExpected: spec.fields.length,
        stages: sp ? spec.stages.filter((s) => sp.stages[s.key]).length : 0,
        stagesExpected: spec.stages.length,
        listPath: sp ? `/crm/type/${sp.entityTypeId}/list/category/0/` : null,
      };
    }),
    lastRun: run ? { status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, errors: run.errors.slice(0, 5).map((e) => ({ step: e.step, message: e.message })) } : null,
  };
}

export async function readAdminSettings(ctx: AppContext, scope: RequestScope): Promise<AdminSettings> {
  const portal = (await ctx.portals.findById(scope.portal.id)) ?? scope.portal;
  const lang: Lang = scope.session.lang === 'en' ? 'en' : 'ru';
  const roles = portalRolesOf(portal.settings);
  const names = await peopleByIds(ctx, portal.id, roles.serviceUserIds);
  return {
    portal: { domain: portal.domain, memberId: portal.memberId, appVersion: portal.appVersion, installedAt: portal.installedAt?.toISOString() ?? null, installFinished: portal.installFinished },
    roles: { serviceUserIds: roles.serviceUserIds, serviceUsers: roles.serviceUserIds.map((id) => ({ id, name: names.get(id) ?? `#${id}` })) },
    installer: installerStatus(portal.settings, portal.manifestVersion, lang),
  };
}

/**
 * Employees for the service-engineer picker (user.get with the app token, USER_TYPE employee, active). A search looks
 * in last and first names with the documented `%` substring filter (user-get.md), both in one batch request.
 */
export async function listEmployees(ctx: AppContext, scope: RequestScope, q: string, start: number): Promise<{ items: Array<PersonRef & { position: string | null; email: string | null }>; next: number | null; total: number | null }> {
  const base = { USER_TYPE: 'employee', ACTIVE: true };
  const client = ctx.b24.forPortal(scope.portal.id);
  const toPerson = (u: Record<string, unknown>) => ({
    id: Number(u.ID),
    name: [u.NAME, u.LAST_NAME].filter(Boolean).join(' ').trim() || String(u.EMAIL ?? `#${String(u.ID)}`),
    position: typeof u.WORK_POSITION === 'string' && u.WORK_POSITION ? u.WORK_POSITION : null,
    email: typeof u.EMAIL === 'string' && u.EMAIL ? u.EMAIL : null,
    lastName: String(u.LAST_NAME ?? ''),
  });
  const text = q.trim();
  if (!text) {
    const env = await client.callRaw<Array<Record<string, unknown>>>('user.get', { FILTER: base, ADMIN_MODE: true, sort: 'LAST_NAME', order: 'ASC', start });
    return { items: (env.result ?? []).map((u) => { const { lastName: _l, ...p } = toPerson(u); return p; }), next: env.next ?? null, total: env.total ?? null };
  }
  const found = await client.batch<Array<Record<string, unknown>>>({
    last: { method: 'user.get', params: { FILTER: { ...base, '%LAST_NAME': text }, ADMIN_MODE: true } },
    first: { method: 'user.get', params: { FILTER: { ...base, '%NAME': text }, ADMIN_MODE: true } },
  });
  const failed = found.items.find((i) => !i.ok);
  if (failed?.error) throw failed.error;
  const byId = new Map<number, ReturnType<typeof toPerson>>();
  for (const item of found.items) for (const u of item.result ?? []) byId.set(Number(u.ID), toPerson(u));
  const items = [...byId.values()].sort((a, b) => a.lastName.localeCompare(b.lastName, 'ru')).map(({ lastName: _l, ...p }) => p);
  return { items, next: null, total: items.length };
}

/** Saves who the service engineers are; each id must be an active employee of the portal. */
export async function saveServiceUsers(ctx: AppContext, scope: RequestScope, ids: number[]): Promise<AdminSettings['roles']> {
  const unique = [...new Set(ids)];
  if (unique.length > 0) {
    const found = await ctx.b24.forPortal(scope.portal.id).call<Array<Record<string, unknown>>>('user.get', { FILTER: { ID: unique, USER_TYPE: 'employee' }, ADMIN_MODE: true });
    const ok = new Set((found ?? []).map((u) => Number(u.ID)));
    const missing = unique.filter((id) => !ok.has(id));
    if (missing.length) {
      throw new AppError('VALIDATION_FAILED', 'Only employees of the portal can be service engineers', { details: [{ field: 'serviceUserIds', message: `not employees of this portal: ${missing.join(', ')}` }] });
    }
  }
  await ctx.portals.updateSettings(scope.portal.id, (current) => ({ ...current, roles: { ...((current.roles as Record<string, unknown>) ?? {}), serviceUserIds: unique } }));
  await ctx.audit.record({ portalId: scope.portal.id, actor: `user:${scope.session.userId}`, action: 'settings.roles.changed', details: { serviceUserIds: unique } });
  const names = await peopleByIds(ctx, scope.portal.id, unique);
  return { serviceUserIds: unique, serviceUsers: unique.map((id) => ({ id, name: names.get(id) ?? `#${id}` })) };
}
