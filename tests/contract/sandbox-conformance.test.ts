import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { restCall, resultOf, type RestAnswer } from '../../sandbox/testing/rest-call.js';

/**
 * Replays every example of ../shared/fixtures/bitrix24/doc-examples.json against the sandbox and compares SHAPES —
 * keys, value types, envelope, error codes and HTTP statuses — never values (ids and dates are the docs' own).
 * Each example needs a case below: how to set the portal up so the documented request means the same thing here,
 * how to provoke each documented error, and any documented deviation, stated with its reason.
 */
interface DocExample {
  method: string;
  source: string;
  request?: Record<string, unknown>;
  request_raw?: string;
  response: Record<string, unknown> | null;
  error_example?: Record<string, unknown>;
  error_codes?: { status: number; code: string }[];
}

const FIXTURE = resolve(import.meta.dirname, '../../../shared/fixtures/bitrix24/doc-examples.json');
const examples = JSON.parse(readFileSync(FIXTURE, 'utf8')) as DocExample[];

let portal: SandboxPortal;
let app: Awaited<ReturnType<typeof installTestApp>>;

/** Who sends a request: the admin webhook, the app as admin/manager/extranet user. */
type Caller = 'webhook' | 'app' | 'manager' | 'extranet';
interface Sent {
  caller?: Caller;
  params: Record<string, unknown>;
}

function send(method: string, sent: Sent): Promise<RestAnswer> {
  const caller = sent.caller ?? 'webhook';
  if (caller === 'webhook') return restCall(portal.webhookUrl, method, sent.params);
  const userId = caller === 'app' ? 1 : caller === 'manager' ? (portal.users.managers[0] as number) : (portal.users.extranet[0] as number);
  return restCall(portal.clientEndpoint, method, { ...sent.params, auth: portal.issueTokens(userId, app.clientId).accessToken });
}

const hook = <T>(method: string, params: Record<string, unknown> = {}) => resultOf<T>(portal.webhookUrl, method, params);

// ---- shape comparison ----

const TIME_KEYS = ['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating_reset_at', 'operating'];

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Differences between the documented value and ours, as readable paths. `extra` lists paths of keys we may add. */
export function shapeDiff(doc: unknown, ours: unknown, path = '$', extra: string[] = []): string[] {
  if (doc === null) return [];
  const emptyPhpArray = (v: unknown) => (Array.isArray(v) && v.length === 0) || (kind(v) === 'object' && Object.keys(v as object).length === 0);
  if (emptyPhpArray(doc) && emptyPhpArray(ours)) return [];
  if (kind(doc) !== kind(ours)) return [`${path}: documented ${kind(doc)}, sandbox ${kind(ours)}`];
  if (Array.isArray(doc)) {
    const a = ours as unknown[];
    if (doc.length > 0 && a.length === 0) return [`${path}: documented a non-empty list, sandbox an empty one`];
    const n = Math.min(doc.length, a.length);
    return Array.from({ length: n }, (_, i) => shapeDiff(doc[i], a[i], `${path}[${i}]`, extra)).flat();
  }
  if (kind(doc) === 'object') {
    const d = doc as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    const out: string[] = [];
    for (const key of Object.keys(d)) {
      if (!(key in o)) out.push(`${path}.${key}: missing`);
      else out.push(...shapeDiff(d[key], o[key], `${path}.${key}`, extra));
    }
    for (const key of Object.keys(o)) {
      if (key in d) continue;
      const p = `${path}.${key}`;
      const isTime = path.endsWith('.time') && TIME_KEYS.includes(key);
      if (!isTime && !extra.some((e) => p === e || (e.endsWith('*') && p.startsWith(e.slice(0, -1))))) out.push(`${p}: not documented`);
    }
    return out;
  }
  return [];
}

// ---- per-example cases ----

interface Case {
  /** Sets the portal up and returns the request to replay (the documented one with our ids where they must exist). */
  success?: () => Promise<Sent>;
  /** Why the success example is not replayed. */
  noSuccess?: string;
  /** Keys we answer that the example does not show, with the reason. */
  extra?: { paths: string[]; reason: string };
  /** Provokes the documented `error_example`. */
  errorExample?: () => Promise<Sent>;
  /** HTTP status of the error example when the fixture's table does not give it (from the doc page). */
  errorExampleStatus?: number;
  /** Provokes each code of the documented error table. */
  codes?: Record<string, () => Promise<Sent>>;
  /** Codes of the table the sandbox does not model, with the reason. */
  notModelled?: Record<string, string>;
}

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

/** A deal pipeline with the stages the doc examples name (C9:UC_KN8KFI, C9:UC_NYL06U) and the UF/parent they use. */
async function dealWorld(): Promise<{ categoryId: number; parentId: number }> {
  const cat = (await hook<{ category: { id: number } }>('crm.category.add', { entityTypeId: 2, fields: { name: `Воронка ${uniq()}` } })).category;
  for (const [statusId, sort] of [['UC_KN8KFI', 15], ['UC_NYL06U', 16]] as const) {
    await hook('crm.status.add', { fields: { ENTITY_ID: `DEAL_STAGE_${cat.id}`, STATUS_ID: statusId, NAME: statusId, SORT: sort } });
  }
  if (!portal.store.userFields.find((u) => u.fieldName === 'UF_CRM_1721244707107')) {
    await hook('userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_DEAL', fieldName: 'UF_CRM_1721244707107', userTypeId: 'double' } });
  }
  if (!portal.store.types.find((t) => t.entityTypeId === 1220)) {
    await hook('crm.type.add', { fields: { title: 'Родитель сделок', entityTypeId: 1220, relations: { child: [{ entityTypeId: 2 }] } } });
  }
  const parent = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 1220, fields: {} })).item;
  return { categoryId: cat.id, parentId: parent.id };
}

/** The docs write some dates as `formatDate(monthAgo)`-style placeholders; any real date means the same. */
function realDates(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' && /^formatDate\(/.test(v) ? '2026-01-15' : v]));
}

function dealRequest(doc: Record<string, unknown>, w: { categoryId: number; parentId: number }): Record<string, unknown> {
  const fields = realDates({ ...(doc.fields as Record<string, unknown>) });
  if ('categoryId' in fields) fields.categoryId = w.categoryId;
  fields.stageId = String(fields.stageId).replace(/^C9:/, `C${w.categoryId}:`);
  fields.parentId1220 = w.parentId;
  return { ...doc, fields };
}

/** Lead parents and the UF of the crm-item-get.md example. */
async function leadWorld(): Promise<void> {
  for (const eti of [1222, 1226, 1228, 1236, 1238, 1240, 1244, 1246, 1254, 1256]) {
    if (!portal.store.types.find((t) => t.entityTypeId === eti)) {
      await hook('crm.type.add', { fields: { title: `Родитель лидов ${eti}`, entityTypeId: eti, relations: { child: [{ entityTypeId: 1 }] } } });
    }
  }
  if (!portal.store.userFields.find((u) => u.fieldName === 'UF_CRM_1720019876534')) {
    await hook('userfieldconfig.add', { moduleId: 'crm', field: { entityId: 'CRM_LEAD', fieldName: 'UF_CRM_1720019876534', userTypeId: 'string' } });
  }
}

async function waitingRobotToken(): Promise<string> {
  const code = `conf_${uniq()}`;
  const t = portal.issueTokens(1, app.clientId).accessToken;
  await restCall(portal.clientEndpoint, 'bizproc.robot.add', { auth: t, CODE: code, HANDLER: `${app.receiver.url}/robot/${code}`, NAME: code });
  const type = (await hook<{ type: { entityTypeId: number } }>('crm.type.add', { fields: { title: `Роботы ${code}`, isStagesEnabled: 'Y' } })).type;
  const cat = (await hook<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId: type.entityTypeId })).categories[0]!;
  portal.automation.attach({ entityTypeId: type.entityTypeId, stageId: `DT${type.entityTypeId}_${cat.id}:NEW`, robot: code });
  await hook('crm.item.add', { entityTypeId: type.entityTypeId, fields: {} });
  const post = await app.receiver.waitFor((r) => r.path === `/robot/${code}`);
  return post.body.event_token as string;
}

const CASES: Record<string, Case> = {
  'crm.type.add': {
    success: async () => ({ params: examples.find((e) => e.method === 'crm.type.add')!.request! }),
    extra: { paths: ['$.result.type.code'], reason: 'crm.type.get/list examples show `code` on the same object; the add example omits it' },
    errorExample: async () => ({ params: { fields: { title: 'x', entityTypeId: 1031 } } }),
    codes: {
      allowed_only_intranet_user: async () => ({ caller: 'extranet', params: { fields: { title: 'x' } } }),
      ACCESS_DENIED: async () => ({ caller: 'manager', params: { fields: { title: 'x' } } }),
      INVALID_ARG_VALUE: async () => ({ params: { fields: { title: 'x', entityTypeId: 1031 } } }),
      '100': async () => ({ params: {} }),
      '0': async () => ({ params: { fields: { title: 'x', isExternal: 'Y' } } }),
      CREATE_DYNAMIC_TYPE_RESTRICTED: async () => {
        portal.faults.restrictPlan({ createDynamicType: true });
        return { params: { fields: { title: 'x' } } };
      },
    },
  },
  'crm.type.list': {
    success: async () => {
      for (const n of [5, 10, 15, 20]) await hook('crm.type.add', { fields: { title: `Smart Process #${n}` } });
      // request_raw is not valid JSON ({"logic":"OR",{…},{…}}); this is the structure it means.
      return { params: { filter: { 0: { logic: 'OR', 0: { '%title': 'Process #5' }, 1: { '%title': 'Process #10' }, 2: { '%title': 'Process #15' }, 3: { '%title': 'Process #20' } } }, order: { id: 'DESC' } } };
    },
    errorExample: async () => ({ caller: 'manager', params: {} }),
    codes: {
      allowed_only_intranet_user: async () => ({ caller: 'extranet', params: {} }),
      ACCESS_DENIED: async () => ({ caller: 'manager', params: {} }),
      INVALID_ARG_VALUE: async () => ({ params: { filter: { nope: 1 } } }),
    },
  },
  'crm.item.add': {
    success: async () => ({ params: dealRequest(examples.find((e) => e.method === 'crm.item.add')!.request!, await dealWorld()) }),
    errorExample: async () => ({ params: { entityTypeId: 1998, fields: {} } }),
    codes: {
      allowed_only_intranet_user: async () => ({ caller: 'extranet', params: { entityTypeId: 2, fields: {} } }),
      NOT_FOUND: async () => ({ params: { entityTypeId: 1998, fields: {} } }),
      ACCESS_DENIED: async () => {
        portal.setCrmAccess(portal.users.managers[0] as number, 'read');
        return { caller: 'manager', params: { entityTypeId: 2, fields: {} } };
      },
      CRM_FIELD_ERROR_VALUE_NOT_VALID: async () => ({ params: { entityTypeId: 2, fields: { stageId: 'C424242:NEW' } } }),
      '100': async () => ({ params: { entityTypeId: 2, fields: { observers: 'not-a-list' } } }),
      CREATE_DYNAMIC_ITEM_RESTRICTED: async () => {
        portal.faults.restrictPlan({ createDynamicItem: true });
        return { params: { entityTypeId: 1220, fields: {} } };
      },
    },
  },
  'crm.item.list': {
    success: async () => {
      const doc = examples.find((e) => e.method === 'crm.item.list')!.request!;
      for (const [name, lastName, stageId, sourceId, assignedById, opportunity] of [
        ['Admin', null, 'NEW', 'WEB', 6, 19000], ['Klaus', 'Weber', 'NEW', 'WEB', 1, 19600], ['Klaus', 'Schmidt', 'NEW', 'ADVERTISING', 1, 12000], ['Schmidt', 'Schmidt', 'IN_PROCESS', 'ADVERTISING', 6, 19000],
      ] as const) {
        await hook('crm.item.add', { entityTypeId: 1, fields: { name, lastName, stageId, sourceId, assignedById, opportunity, isManualOpportunity: 'Y' } });
      }
      return { params: doc };
    },
    errorExample: async () => ({ params: { entityTypeId: 1, filter: { FIELD: 1 } } }),
    codes: {
      allowed_only_intranet_user: async () => ({ caller: 'extranet', params: { entityTypeId: 1 } }),
      NOT_FOUND: async () => ({ params: { entityTypeId: 1998 } }),
      INVALID_ARG_VALUE: async () => ({ params: { entityTypeId: 1, order: { id: 'SIDEWAYS' } } }),
    },
  },
  'crm.item.get': {
    success: async () => {
      await leadWorld();
      const lead = (
        await hook<{ item: { id: number } }>('crm.item.add', {
          entityTypeId: 1,
          fields: {
            title: 'Lead #250', name: 'Admin', lastName: 'Admins', secondName: 'Admin', companyTitle: 'Administrative Company', post: 'Admin', stageId: 'IN_PROCESS',
            opportunity: 999.9, currencyId: 'USD', sourceId: 'TRADE_SHOW', sourceDescription: 'Exhibition about admins', comments: '[B]Comment about admin[/B]',
            birthdate: '2000-01-01', honorific: 'HNR_RU_1', isManualOpportunity: 'Y', ufCrm_1720019876534: '321', webformId: 0, companyId: 0, contactId: 0,
            fm: [{ valueType: 'WORK', value: '+6111111111', typeId: 'PHONE' }, { valueType: 'WORK', value: 'admin@example.com', typeId: 'EMAIL' }],
          },
        })
      ).item;
      return { params: { ...examples.find((e) => e.method === 'crm.item.get')!.request!, id: lead.id } };
    },
    errorExample: async () => ({ params: { entityTypeId: 1, id: 424242 } }),
    codes: {
      allowed_only_intranet_user: async () => ({ caller: 'extranet', params: { entityTypeId: 1, id: 1 } }),
      NOT_FOUND: async () => ({ params: { entityTypeId: 1, id: 424242 } }),
      ACCESS_DENIED: async () => {
        portal.setCrmAccess(portal.users.managers[0] as number, 'none');
        const lead = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 1, fields: {} })).item;
        return { caller: 'manager', params: { entityTypeId: 1, id: lead.id } };
      },
    },
  },
  'crm.item.update': {
    success: async () => {
      const w = await dealWorld();
      const deal = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { categoryId: w.categoryId, title: 'Deal #351' } })).item;
      return { params: { ...dealRequest(examples.find((e) => e.method === 'crm.item.update')!.request!, w), id: deal.id } };
    },
    errorExample: async () => ({ params: { entityTypeId: 1998, id: 1, fields: {} } }),
    codes: {
      allowed_only_intranet_user: async () => ({ caller: 'extranet', params: { entityTypeId: 2, id: 1, fields: {} } }),
      NOT_FOUND: async () => ({ params: { entityTypeId: 1998, id: 1, fields: {} } }),
      ACCESS_DENIED: async () => {
        portal.setCrmAccess(portal.users.managers[0] as number, 'read');
        const deal = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: {} })).item;
        return { caller: 'manager', params: { entityTypeId: 2, id: deal.id, fields: { title: 'x' } } };
      },
      CRM_FIELD_ERROR_VALUE_NOT_VALID: async () => {
        const deal = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: {} })).item;
        return { params: { entityTypeId: 2, id: deal.id, fields: { stageId: 'C424242:NEW' } } };
      },
      '100': async () => {
        const deal = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: {} })).item;
        return { params: { entityTypeId: 2, id: deal.id, fields: { contactIds: 5 } } };
      },
      UPDATE_DYNAMIC_ITEM_RESTRICTED: async () => {
        const parent = (await hook<{ item: { id: number } }>('crm.item.add', { entityTypeId: 1220, fields: {} })).item;
        portal.faults.restrictPlan({ updateDynamicItem: true });
        return { params: { entityTypeId: 1220, id: parent.id, fields: { title: 'x' } } };
      },
    },
    notModelled: { '-': 'stage-level permissions ("Insufficient permissions to change the stage") are not modelled; item permissions are full/read/none' },
  },
  'placement.bind': {
    success: async () => ({ caller: 'app', params: { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${app.receiver.url}/deal-tab`, TITLE: 'DealerHub' } }),
    errorExample: async () => ({ caller: 'app', params: { HANDLER: `${app.receiver.url}/x` } }),
    errorExampleStatus: 200,
  },
  'bizproc.robot.add': {
    success: async () => ({ caller: 'app', params: { CODE: `robot_${uniq()}`, HANDLER: `${app.receiver.url}/robot`, AUTH_USER_ID: 1, NAME: { ru: 'Робот' }, PROPERTIES: { x: { Name: 'X', Type: 'string' } } } }),
    errorExample: async () => ({ caller: 'app', params: { HANDLER: `${app.receiver.url}/robot`, NAME: 'x' } }),
    errorExampleStatus: 400,
  },
  'bizproc.event.send': {
    success: async () => ({ caller: 'app', params: { EVENT_TOKEN: await waitingRobotToken(), RETURN_VALUES: {}, LOG_MESSAGE: 'ok' } }),
    errorExample: async () => ({ caller: 'app', params: { EVENT_TOKEN: 'not-a-token' } }),
    errorExampleStatus: 403,
  },
  'event.bind': {
    success: async () => ({ caller: 'app', params: { event: 'ONCRMDEALADD', handler: `${app.receiver.url}/deal-add-${uniq()}` } }),
    errorExample: async () => ({ caller: 'app', params: { event: 'ONNOTHINGHAPPENED', handler: `${app.receiver.url}/x` } }),
    codes: {
      ERROR_EVENT_NOT_FOUND: async () => ({ caller: 'app', params: { event: 'ONNOTHINGHAPPENED', handler: `${app.receiver.url}/x` } }),
      ACCESS_DENIED: async () => ({ caller: 'manager', params: { event: 'ONCRMDEALADD', event_type: 'offline' } }),
    },
  },
  'crm.item.productrow.set': {
    noSuccess: 'the fixture holds no success example for this method (the page titles it "Response on Success"); covered by sandbox-crm.test.ts',
    errorExample: async () => ({ params: { ownerType: 'D', ownerId: 424242, productRows: [] } }),
    errorExampleStatus: 400,
  },
  'user.current': {
    success: async () => ({ params: {} }),
    extra: {
      paths: ['$.result.SECOND_NAME', '$.result.TIME_ZONE', '$.result.PERSONAL_MOBILE', '$.result.WORK_PHONE', '$.result.USER_TYPE'],
      reason: 'user.get (user-get.md) shows these keys for the same user record; the product needs USER_TYPE to tell extranet users',
    },
  },
  'crm.status.add': {
    success: async () => {
      const cat = (await hook<{ category: { id: number } }>('crm.category.add', { entityTypeId: 2, fields: { name: `Статусы ${uniq()}` } })).category;
      const doc = examples.find((e) => e.method === 'crm.status.add')!.request!;
      return { params: { fields: { ...(doc.fields as object), ENTITY_ID: `DEAL_STAGE_${cat.id}` } } };
    },
    errorExample: async () => ({ params: { fields: { ENTITY_ID: 'SOURCE', NAME: 'x' } } }),
    codes: { ERROR_CORE: async () => ({ params: { fields: { ENTITY_ID: 'SOURCE', STATUS_ID: 'CALL', NAME: 'dup' } } }) },
  },
};

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
  app = await installTestApp(portal);
});
afterAll(async () => {
  await app.receiver.close();
  await portal.close();
});

const restore = () => {
  portal.faults.reset();
  portal.faults.setRateLimit(null);
  for (const id of portal.users.managers) portal.setCrmAccess(id, 'full');
};

describe('doc examples', () => {
  it('when the fixture is read, then every example has a case here', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.map((e) => e.method).filter((m) => !CASES[m])).toEqual([]);
  });

  for (const example of examples) {
    const c = CASES[example.method] ?? {};
    describe(`${example.method} (${example.source.split(':')[1]})`, () => {
      if (example.response && c.success) {
        it('when the documented request is replayed, then the answer has the documented shape', async () => {
          restore();
          const answer = await send(example.method, await c.success!());
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
          expect(shapeDiff(example.response, answer.body, '$', c.extra?.paths ?? [])).toEqual([]);
        });
      } else {
        it.skip(`success example not replayed: ${c.noSuccess ?? 'no documented success answer'}`, () => undefined);
      }

      if (example.error_example) {
        it(`when the documented error is provoked, then ${String(example.error_example.error) || '(empty code)'} comes back in the documented shape`, async () => {
          restore();
          expect(c.errorExample, 'a case must provoke the documented error example').toBeDefined();
          const answer = await send(example.method, await c.errorExample!());
          const code = String(example.error_example!.error);
          const status = example.error_codes?.find((e) => e.code === code || (code === '' && e.code === 'ERROR_CORE'))?.status ?? c.errorExampleStatus;
          if (code !== '' || !example.error_codes?.some((e) => e.code === 'ERROR_CORE')) expect(answer.body.error).toBe(code);
          expect(shapeDiff(example.error_example, answer.body)).toEqual([]);
          if (status !== undefined && code !== '') expect(answer.status).toBe(status);
          restore();
        });
      }

      const codes = [...new Set((example.error_codes ?? []).map((e) => e.code))];
      for (const code of codes) {
        const trigger = c.codes?.[code];
        if (!trigger) {
          it.skip(`code ${code}: ${c.notModelled?.[code] ?? 'NO TRIGGER'}`, () => undefined);
          if (!c.notModelled?.[code]) it(`code ${code} has a trigger or a stated reason`, () => expect(c.notModelled?.[code]).toBeDefined());
          continue;
        }
        it(`when ${code} is provoked, then the documented status and code answer`, async () => {
          restore();
          const answer = await send(example.method, await trigger());
          const statuses = (example.error_codes ?? []).filter((e) => e.code === code).map((e) => e.status);
          expect(answer.body.error, JSON.stringify(answer.body)).toBe(code);
          expect(statuses).toContain(answer.status);
          expect(Object.keys(answer.body)).toEqual(expect.arrayContaining(['error', 'error_description']));
          restore();
        });
      }
    });
  }
});
