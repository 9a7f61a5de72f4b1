import { describe, expect, it } from 'vitest';
import { cursorParams, extractItems, guessIdKey, planList } from '../../../server/bitrix24/list-paging.js';
import { createOperatingTracker } from '../../../server/bitrix24/operating-tracker.js';
import { backoffDelay } from '../../../server/bitrix24/create-b24-client.js';

describe('choosing how to page a list (settings/performance/huge-data.md)', () => {
  it('when crm.item.list is asked without an order, then the id cursor is used with lower-case id', () => {
    expect(planList('crm.item.list', { entityTypeId: 1030 })).toMatchObject({ mode: 'cursor', idKey: 'id' });
  });

  it('when another order is required, then ordinary paging keeps it', () => {
    expect(planList('crm.item.list', { entityTypeId: 1030, order: { title: 'ASC' } }).mode).toBe('paged');
    expect(planList('crm.item.list', { entityTypeId: 1030, order: { id: 'DESC' } }).mode).toBe('paged');
    expect(planList('crm.item.list', { entityTypeId: 1030, order: { id: 'asc' } }).mode).toBe('cursor');
  });

  it('when the method is not known to support the cursor, then ordinary paging is used unless asked otherwise', () => {
    expect(planList('crm.status.list', {}).mode).toBe('paged');
    expect(planList('crm.status.list', {}, { mode: 'cursor' }).mode).toBe('cursor');
    expect(planList('crm.item.list', {}, { mode: 'paged' }).mode).toBe('paged');
  });

  it('when the id key is not given, then crm.item-like methods use id and classic ones ID', () => {
    expect(guessIdKey('crm.item.list')).toBe('id');
    expect(guessIdKey('crm.category.list')).toBe('id');
    expect(guessIdKey('crm.company.list')).toBe('ID');
    expect(guessIdKey('user.get')).toBe('ID');
  });

  it('when the next cursor page is built, then it orders by id, filters >id on the last id, keeps the caller filter and sets start=-1', () => {
    const params = { entityTypeId: 1030, filter: { '=stageId': 'DT1030_1:NEW' }, select: ['id', 'title'] };
    const plan = planList('crm.item.list', params);
    expect(cursorParams(params, plan, undefined)).toEqual({ entityTypeId: 1030, filter: { '=stageId': 'DT1030_1:NEW' }, select: ['id', 'title'], order: { id: 'ASC' }, start: -1 });
    expect(cursorParams(params, plan, 150)).toMatchObject({ filter: { '=stageId': 'DT1030_1:NEW', '>id': 150 }, start: -1 });
  });

  it('when the caller already filters >id higher than the cursor, then the higher floor wins', () => {
    const params = { filter: { '>ID': 1000 } };
    const plan = planList('crm.company.list', params);
    expect(cursorParams(params, plan, 10)).toMatchObject({ filter: { '>ID': 1000 }, order: { ID: 'ASC' } });
    expect(cursorParams(params, plan, 2000)).toMatchObject({ filter: { '>ID': 2000 } });
  });

  it('when user.get is paged by cursor, then its own parameter names are used (FILTER, sort/order)', () => {
    const plan = planList('user.get', { FILTER: { USER_TYPE: 'extranet' } });
    expect(cursorParams({ FILTER: { USER_TYPE: 'extranet' } }, plan, '42')).toEqual({ FILTER: { USER_TYPE: 'extranet', '>ID': '42' }, sort: 'ID', order: 'ASC', start: -1 });
  });

  it('when rows are wrapped (items, types, categories) or bare, then they are found', () => {
    expect(extractItems('crm.item.list', { items: [{ id: 1 }] })).toEqual([{ id: 1 }]);
    expect(extractItems('crm.type.list', { types: [{ id: 2 }] })).toEqual([{ id: 2 }]);
    expect(extractItems('crm.status.list', [{ ID: 3 }])).toEqual([{ ID: 3 }]);
    expect(extractItems('x.list', { rows: [1], other: [2] }, 'rows')).toEqual([1]);
    expect(() => extractItems('x.list', { rows: [1], other: [2] })).toThrow(/itemsKey/);
  });
});

describe('operating-time pacing (limits.md)', () => {
  const now = 1_000_000;

  it('when a method is far from the limit, then it is not held', () => {
    const t = createOperatingTracker({ limitSeconds: 480 });
    t.record('crm.item.list', { operating: 100, operating_reset_at: now / 1000 + 300 }, now);
    expect(t.delayFor(['crm.item.list'], now)).toBe(0);
  });

  it('when a method passes 80 % of the limit, then calls are spread out, more the closer it gets', () => {
    const t = createOperatingTracker({ limitSeconds: 480, maxSlowDelayMs: 5_000 });
    t.record('a', { operating: 400, operating_reset_at: now / 1000 + 300 }, now);
    t.record('b', { operating: 440, operating_reset_at: now / 1000 + 300 }, now);
    const da = t.delayFor(['a'], now);
    const db = t.delayFor(['b'], now);
    expect(da).toBeGreaterThan(0);
    expect(db).toBeGreaterThan(da);
    expect(db).toBeLessThanOrEqual(5_000);
  });

  it('when a method is about to cross the limit, then it waits for the oldest bucket to reset', () => {
    const t = createOperatingTracker({ limitSeconds: 480 });
    t.record('crm.item.list', { operating: 470, operating_reset_at: now / 1000 + 30 }, now);
    expect(t.delayFor(['crm.item.list', 'user.current'], now)).toBe(31_000);
    expect(t.delayFor(['user.current'], now)).toBe(0);
  });

  it('when the portal answered 429, then the method waits at least until its reset; unknown reset backs off from 10 s', () => {
    const t = createOperatingTracker();
    t.record('m', { operating: 300, operating_reset_at: now / 1000 + 45 }, now);
    expect(t.onBlocked('m', undefined, now)).toBe(now + 46_000);
    const u = createOperatingTracker();
    expect(u.onBlocked('n', undefined, now)).toBe(now + 10_000);
    expect(u.onBlocked('n', undefined, now + 10_000)).toBe(now + 30_000);
  });
});

describe('backoff', () => {
  it('when attempts grow, then the delay doubles within [½d, d] and is capped', () => {
    expect(backoffDelay(1, 400, 15_000, () => 0)).toBe(200);
    expect(backoffDelay(1, 400, 15_000, () => 1)).toBe(400);
    expect(backoffDelay(3, 400, 15_000, () => 1)).toBe(1600);
    expect(backoffDelay(20, 400, 15_000, () => 1)).toBe(15_000);
  });
});
