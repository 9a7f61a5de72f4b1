import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** List paging, batch and the two limits of the sandbox portal. */
let portal: SandboxPortal;
let eti: number;
const call = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => resultOf<T>(portal.webhookUrl, method, params);
const raw = (method: string, params: Record<string, unknown> = {}) => restCall(portal.webhookUrl, method, params);

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null, seedDemo: false });
  portal.faults.setRateLimit(null);
  eti = (await call<{ type: { entityTypeId: number } }>('crm.type.add', { fields: { title: 'Список', isStagesEnabled: 'Y' } })).type.entityTypeId;
  const cmd: Record<string, string> = {};
  for (let i = 1; i <= 120; i++) cmd[`c${i}`] = `crm.item.add?entityTypeId=${eti}&fields[title]=${encodeURIComponent(`Позиция ${String(i).padStart(3, '0')}`)}`;
  const keys = Object.keys(cmd);
  for (let i = 0; i < keys.length; i += 50) await call('batch', { cmd: Object.fromEntries(keys.slice(i, i + 50).map((k) => [k, cmd[k]])) });
});
afterAll(() => portal.close());

describe('list paging (list-methods-pecularities.md, performance/huge-data.md)', () => {
  it('when start walks 0, 50, 100, then pages of 50 come with total and next until the last page', async () => {
    const pages: { n: number; total: unknown; next: unknown }[] = [];
    for (const start of [0, 50, 100]) {
      const r = await raw('crm.item.list', { entityTypeId: eti, start, select: ['id'] });
      pages.push({ n: (r.body.result as { items: unknown[] }).items.length, total: r.body.total, next: r.body.next });
    }
    expect(pages).toEqual([
      { n: 50, total: 120, next: 50 },
      { n: 50, total: 120, next: 100 },
      { n: 20, total: 120, next: undefined },
    ]);
  });

  it('when start=-1 with an ID cursor, then no total/next are computed and the cursor walks every row once', async () => {
    const seen: number[] = [];
    let last = 0;
    for (;;) {
      const r = await raw('crm.item.list', { entityTypeId: eti, start: -1, order: { id: 'ASC' }, filter: { '>id': last }, select: ['id'] });
      expect(Object.keys(r.body)).toEqual(['result', 'time']);
      const items = (r.body.result as { items: { id: number }[] }).items;
      seen.push(...items.map((i) => i.id));
      if (items.length < 50) break;
      last = items.at(-1)!.id;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it('when start is given in a GET query string, then paging works the same', async () => {
    const r = await restCall(portal.webhookUrl, 'crm.item.list', { entityTypeId: eti, start: 100, 'select[]': 'id' }, 'get');
    expect((r.body.result as { items: unknown[] }).items).toHaveLength(20);
  });

  it('when order is DESC on title and the filter uses a prefix, then rows come filtered and sorted', async () => {
    const r = await raw('crm.item.list', { entityTypeId: eti, order: { title: 'DESC' }, filter: { '%title': 'Позиция 11' }, select: ['title'] });
    expect((r.body.result as { items: { title: string }[] }).items.map((i) => i.title)).toEqual(
      ['119', '118', '117', '116', '115', '114', '113', '112', '111', '110'].map((n) => `Позиция ${n}`),
    );
  });

  it('when the filter or order names an unknown field, then 400 INVALID_ARG_VALUE', async () => {
    expect((await raw('crm.item.list', { entityTypeId: eti, filter: { FIELD: 1 } })).body).toEqual({ error: 'INVALID_ARG_VALUE', error_description: "Invalid filter: field 'FIELD' is not allowed in filter" });
    expect((await raw('crm.item.list', { entityTypeId: eti, order: { nope: 'ASC' } })).body.error).toBe('INVALID_ARG_VALUE');
    expect((await raw('crm.item.list', { entityTypeId: eti, order: { id: 'UP' } })).body.error_description).toMatch(/allowed sort directions are ASC, DESC/);
  });
});

describe('batch (how-to-call-rest-api/batch.md)', () => {
  it('when commands reference earlier answers, then $result[cmd][field] and $result[cmd][0][ID] are substituted', async () => {
    const r = await raw('batch', {
      halt: 0,
      cmd: {
        me: 'user.current',
        add: `crm.item.add?entityTypeId=${eti}&fields[title]=Ссылка&fields[assignedById]=$result[me][ID]`,
        get: `crm.item.get?entityTypeId=${eti}&id=$result[add][item][id]`,
        list: 'user.get?FILTER[ID]=$result[me][ID]',
        first: 'user.get?FILTER[ID]=$result[list][0][ID]',
        text: `crm.item.update?entityTypeId=${eti}&id=$result[add][item][id]&fields[title]=Заказ №$result[add][item][id] от $result[me][NAME]`,
      },
    });
    expect(r.status).toBe(200);
    const result = (r.body.result as { result: Record<string, Record<string, Record<string, unknown>>> }).result;
    expect(result.add!.item!.assignedById).toBe(1);
    expect(result.get!.item!.id).toBe(result.add!.item!.id);
    expect((result.first as unknown as { ID: string }[])[0]!.ID).toBe('1');
    expect(result.text!.item!.title).toBe(`Заказ №${result.add!.item!.id} от Иван`);
    const body = r.body.result as Record<string, unknown>;
    expect(body.result_error).toEqual([]);
    expect(body.result_total).toEqual({ list: 1, first: 1 });
    expect(body.result_next).toEqual([]);
    expect(Object.keys(body.result_time as object)).toEqual(['me', 'add', 'get', 'list', 'first', 'text']);
  });

  it('when cmd is an array of method?query strings, then answers are arrays by position', async () => {
    const r = await call<{ result: unknown[]; result_error: unknown[] }>('batch', { cmd: ['server.time', 'profile'] });
    expect(r.result).toHaveLength(2);
    expect(r.result_error).toEqual([]);
  });

  it('when halt=1 and a command fails, then later commands do not run; with halt=0 they do', async () => {
    const cmd = { a: `crm.item.get?entityTypeId=${eti}&id=0`, b: 'server.time' };
    const halted = await call<{ result: unknown; result_error: Record<string, unknown> }>('batch', { halt: 1, cmd });
    expect(halted.result).toEqual([]);
    expect(halted.result_error).toEqual({ a: { error: 'NOT_FOUND', error_description: 'Element not found' } });
    const goOn = await call<{ result: Record<string, unknown> }>('batch', { halt: 0, cmd });
    expect(Object.keys(goOn.result)).toEqual(['b']);
  });

  it('when more than 50 commands are sent, then the extra ones answer ERROR_BATCH_LENGTH_EXCEEDED and the batch is 200', async () => {
    const cmd = Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`k${i}`, 'server.time']));
    const r = await raw('batch', { cmd });
    expect(r.status).toBe(200);
    const body = r.body.result as { result: Record<string, unknown>; result_error: Record<string, { error: string }> };
    expect(Object.keys(body.result)).toHaveLength(50);
    expect(body.result_error).toEqual({ k50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' }, k51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' } });
  });

  it('when a batch is nested or names an unknown method, then that command answers its error inside result_error', async () => {
    const r = await call<{ result_error: Record<string, { error: string }> }>('batch', { cmd: { n: 'batch?cmd[0]=server.time', u: 'no.such' } });
    expect(r.result_error.n?.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
    expect(r.result_error.u?.error).toBe('ERROR_METHOD_NOT_FOUND');
  });

  it('when a batch is sent as a double-encoded GET query, then the inner value decodes to the original', async () => {
    const res = await fetch(`${portal.webhookUrl}batch?cmd[0]=crm.company.add%3Ffields%5BTITLE%5D%3DJohn%2526Martin`);
    const body = (await res.json()) as { result: { result: number[] } };
    const company = await call<{ TITLE: string }>('crm.company.get', { id: body.result.result[0] });
    expect(company.TITLE).toBe('John&Martin');
  });

  it('when a list answers inside batch, then its total and next go to result_total and result_next', async () => {
    const direct = await raw('crm.item.list', { entityTypeId: eti, select: ['id'] });
    const r = await call<{ result_total: Record<string, number>; result_next: Record<string, number> }>('batch', { cmd: { l: `crm.item.list?entityTypeId=${eti}&select[]=id` } });
    expect(r.result_total.l).toBe(direct.body.total);
    expect(r.result_next.l).toBe(50);
  });
});

describe('limits (limits.md)', () => {
  it('when more than 50 requests arrive at once, then 503 QUERY_LIMIT_EXCEEDED; a batch counts once', async () => {
    portal.faults.reset();
    portal.clock.freeze();
    const batch = await raw('batch', { cmd: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'server.time'])) });
    expect(batch.status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 55 }, () => raw('server.time')));
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBe(6);
    expect(refused[0]!.body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
    portal.clock.advance(5000);
    expect((await raw('server.time')).status).toBe(200);
    portal.clock.unfreeze();
    portal.faults.setRateLimit(null);
  });

  it('when a method costs more than the operating budget, then the next call of that method answers 429 OPERATION_TIME_LIMIT until a basket expires', async () => {
    portal.faults.setOperatingCost('crm.item.list', 100);
    const first = await raw('crm.item.list', { entityTypeId: eti, select: ['id'] });
    const time = first.body.time as { operating: number; operating_reset_at: number };
    expect(time.operating).toBeGreaterThanOrEqual(100);
    expect(time.operating_reset_at).toBeGreaterThan(Math.floor(portal.clock.now() / 1000));
    for (let i = 0; i < 4; i++) expect((await raw('crm.item.list', { entityTypeId: eti, select: ['id'] })).status).toBe(200);
    const blocked = await raw('crm.item.list', { entityTypeId: eti, select: ['id'] });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('OPERATION_TIME_LIMIT');
    expect((await raw('crm.item.get', { entityTypeId: eti, id: 1 })).status).toBe(200);
    const inBatch = await call<{ result_error: Record<string, { error: string }> }>('batch', { cmd: { l: `crm.item.list?entityTypeId=${eti}` } });
    expect(inBatch.result_error.l?.error).toBe('OPERATION_TIME_LIMIT');
    portal.clock.advance(600_001);
    expect((await raw('crm.item.list', { entityTypeId: eti, select: ['id'] })).status).toBe(200);
    portal.faults.reset();
    portal.faults.setRateLimit(null);
  });

  it('when the plan is enterprise, then the bucket holds 250', async () => {
    const ent = await startSandboxPortal({ httpsPort: null, seedDemo: false, plan: 'enterprise' });
    try {
      ent.clock.freeze();
      const answers = await Promise.all(Array.from({ length: 260 }, () => restCall(ent.webhookUrl, 'server.time')));
      expect(answers.filter((a) => a.status === 503)).toHaveLength(10);
    } finally {
      await ent.close();
    }
  });
});
