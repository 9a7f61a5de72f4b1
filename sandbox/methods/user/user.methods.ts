import { formatAtom } from '../../core/dates.js';
import { compileFilter, compileOrder, type FilterField } from '../../crm/filter.js';
import { asList } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SUser } from '../../store/types.js';

/** user.current / user.get (api-reference/user/user-current.md, user-get.md). */

const USER_SCOPES = ['user', 'user_brief', 'user_basic'];

export function renderUser(u: SUser, now: number): Record<string, unknown> {
  return {
    ID: String(u.ID),
    ACTIVE: u.ACTIVE,
    NAME: u.NAME,
    LAST_NAME: u.LAST_NAME,
    SECOND_NAME: u.SECOND_NAME,
    EMAIL: u.EMAIL,
    LAST_LOGIN: u.LAST_LOGIN ? formatAtom(u.LAST_LOGIN) : '',
    DATE_REGISTER: formatAtom(u.DATE_REGISTER),
    TIME_ZONE: u.TIME_ZONE,
    IS_ONLINE: u.LAST_LOGIN && now - u.LAST_LOGIN < 15 * 60_000 ? 'Y' : 'N',
    // The docs show this one as "YYYY-MM-DD HH:MM:SS", not ISO (user-current.md).
    LAST_ACTIVITY_DATE: u.LAST_LOGIN ? new Date(u.LAST_LOGIN).toISOString().slice(0, 19).replace('T', ' ') : '',
    PERSONAL_GENDER: u.PERSONAL_GENDER,
    PERSONAL_BIRTHDAY: u.PERSONAL_BIRTHDAY,
    PERSONAL_MOBILE: u.PERSONAL_MOBILE,
    WORK_PHONE: u.WORK_PHONE,
    WORK_POSITION: u.WORK_POSITION,
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: [...u.UF_DEPARTMENT],
    USER_TYPE: u.USER_TYPE,
  };
}

const KNOWN_FIELDS = new Set([
  'ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'SECOND_NAME', 'EMAIL', 'LOGIN', 'USER_TYPE', 'UF_DEPARTMENT', 'WORK_POSITION',
  'WORK_PHONE', 'PERSONAL_MOBILE', 'PERSONAL_GENDER', 'DATE_REGISTER', 'LAST_LOGIN', 'TIME_ZONE',
]);

const FIELD_TYPES: Record<string, FilterField['type']> = { ID: 'int', ACTIVE: 'boolean', DATE_REGISTER: 'datetime', LAST_LOGIN: 'datetime', UF_DEPARTMENT: 'int' };

function userField(name: string): FilterField | null {
  const key = name.toUpperCase();
  if (key === 'NAME_SEARCH') {
    return { type: 'string', get: ((u: SUser) => `${u.NAME} ${u.LAST_NAME} ${u.SECOND_NAME} ${u.EMAIL}`) as FilterField['get'] };
  }
  if (key === 'IS_ONLINE') return { type: 'boolean', get: (() => 'N') as FilterField['get'] };
  if (!KNOWN_FIELDS.has(key)) return null;
  return {
    type: FIELD_TYPES[key] ?? 'string',
    isMultiple: key === 'UF_DEPARTMENT',
    get: ((u: SUser) => (u as unknown as Record<string, unknown>)[key]) as FilterField['get'],
  };
}


/** An extranet user only sees people they share a group with: their own dealer company and the employees. */
function visibleTo(caller: SUser): (u: SUser) => boolean {
  if (caller.USER_TYPE === 'employee') return () => true;
  return (u) => u.ID === caller.ID || u.USER_TYPE === 'employee' || (u.companyId != null && u.companyId === caller.companyId);
}

function userGet(call: MethodCall) {
  const params = call.params;
  const filterRaw = (params.FILTER ?? params.filter ?? {}) as Record<string, unknown>;
  // user.get also accepts filter keys at the top level (ID=1, USER_TYPE=employee…).
  const topLevel = Object.fromEntries(Object.entries(params).filter(([k]) => /^[!%=<>@]*[A-Z_]+$/.test(k) && userField(k.replace(/^[!%=<>@]+/, '')) !== null));
  const filter = { ...topLevel, ...filterRaw };
  if ('ACTIVE' in filter && ['true', true, '1', 'Y'].includes(filter.ACTIVE as string)) filter.ACTIVE = 'Y';
  const pred = compileFilter<SUser>(filter, userField, { allowLogic: false, unknownField: (n) => new RestError('INVALID_FILTER', `Unknown filter field ${n}`, 400) });
  const sortField = typeof params.sort === 'string' ? params.sort : typeof params.SORT === 'string' ? params.SORT : 'ID';
  const dir = String(params.order ?? params.ORDER ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
  const order = compileOrder<SUser>({ [sortField]: dir }, (n) => userField(n) ?? userField('ID'), { unknownField: (n) => new RestError('INVALID_ORDER', `Unknown sort field ${n}`, 400), badDirection: (n) => new RestError('INVALID_ORDER', `Bad sort direction for ${n}`, 400) }, (a, b) => a.ID - b.ID);
  const rows = call.rt.store.users.filter((u) => u.USER_TYPE !== 'email' && visibleTo(call.auth.user)(u) && pred(u)).sort(order);
  const select = asList(params.select ?? params.SELECT).map(String);
  const pick = (u: SUser) => {
    const full = renderUser(u, call.rt.clock.now());
    if (select.length === 0 || select.includes('*')) return full;
    return Object.fromEntries(Object.entries(full).filter(([k]) => k === 'ID' || select.includes(k) || (select.includes('UF_*') && k.startsWith('UF_'))));
  };
  return pageOf(rows, call.start, (page) => page.map(pick));
}

export const userMethods: MethodDef[] = [
  {
    name: 'user.current',
    scope: USER_SCOPES,
    handler: (call) => renderUser(call.auth.user, call.rt.clock.now()),
  },
  { name: 'user.get', scope: USER_SCOPES, handler: userGet },
  { name: 'user.search', scope: USER_SCOPES, handler: userGet },
  {
    name: 'user.admin',
    scope: 'basic',
    handler: (call) => call.auth.user.IS_ADMIN,
  },
];
