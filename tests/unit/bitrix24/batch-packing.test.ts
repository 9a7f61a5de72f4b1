import { describe, expect, it } from 'vitest';
import { batchCommandError, batchEntries, packIndexes, parseBatchResult } from '../../../server/bitrix24/batch-packing.js';
import type { B24Call } from '../../../server/bitrix24/b24-client.js';

describe('packing calls into batches', () => {
  it('when 120 calls are packed, then they form 50 + 50 + 20 in their original order', () => {
    const chunks = packIndexes(120);
    expect(chunks.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(chunks.flat()).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('when there are exactly 50 or none, then one full chunk or none is made', () => {
    expect(packIndexes(50)).toHaveLength(1);
    expect(packIndexes(0)).toEqual([]);
  });

  it('when named or listed commands are given, then keys follow names or positions', () => {
    expect(batchEntries({ a: { method: 'x' }, b: { method: 'y' } }).map(([k]) => k)).toEqual(['a', 'b']);
    expect(batchEntries([{ method: 'x' }, { method: 'y' }]).map(([k]) => k)).toEqual(['0', '1']);
  });
});

describe('mapping a batch answer back to its commands', () => {
  const calls: Record<string, B24Call> = {
    get_user: { method: 'user.current' },
    list: { method: 'crm.item.list', params: { entityTypeId: 1030 } },
    bad: { method: 'crm.item.add', params: { entityTypeId: 1030, fields: {} } },
    after: { method: 'app.info' },
  };

  it('when the answer is keyed by name (halt=0, doc example shape), then each command gets its own result, error, total and next', () => {
    const envelope = {
      result: {
        result: { get_user: { ID: '1' }, list: { items: [{ id: 1 }] }, after: { ID: 7 } },
        result_error: { bad: { error: 'INVALID_ARG_VALUE', error_description: 'title is required' } },
        result_total: { list: 120 },
        result_next: { list: 50 },
        result_time: { get_user: { duration: 0.01, operating: 0.2, operating_reset_at: 1 } },
      },
      time: { duration: 0.1 },
    };
    const parsed = parseBatchResult(batchEntries(calls), envelope, { halt: false, portalId: 7 });
    expect(parsed.items.map((i) => [i.key, i.ok])).toEqual([['get_user', true], ['list', true], ['bad', false], ['after', true]]);
    expect(parsed.byKey.list).toMatchObject({ result: { items: [{ id: 1 }] }, total: 120, next: 50 });
    expect(parsed.byKey.get_user!.time).toMatchObject({ operating: 0.2 });
    expect(parsed.byKey.bad!.error).toMatchObject({ code: 'INVALID_ARG_VALUE', kind: 'invalid_request', method: 'crm.item.add', portalId: 7, description: 'title is required' });
    expect(parsed.time).toEqual({ duration: 0.1 });
  });

  it('when halt=1 stopped at an error, then the later commands are reported as not executed', () => {
    const envelope = {
      result: { result: { get_user: { ID: '1' }, list: { items: [] } }, result_error: { bad: { error: 'ACCESS_DENIED', error_description: '' } }, result_total: [], result_next: [], result_time: [] },
    };
    const parsed = parseBatchResult(batchEntries(calls), envelope, { halt: true });
    expect(parsed.byKey.bad!.error!.kind).toBe('access_denied');
    expect(parsed.byKey.after).toMatchObject({ ok: false });
    expect(parsed.byKey.after!.error).toMatchObject({ kind: 'skipped', code: 'BATCH_NOT_EXECUTED' });
  });

  it('when the commands were a list and PHP answered with a JSON list, then results map by position', () => {
    const list: B24Call[] = [{ method: 'a.get' }, { method: 'b.get' }, { method: 'c.get' }];
    const envelope = { result: { result: [{ n: 0 }, { n: 1 }, { n: 2 }], result_error: [], result_total: [], result_next: [], result_time: [] } };
    const parsed = parseBatchResult(batchEntries(list), envelope, { halt: false });
    expect(parsed.items.map((i) => (i.result as { n: number }).n)).toEqual([0, 1, 2]);
  });

  it('when one command of a list failed, then PHP answers with objects keyed "0","2" and positions still match', () => {
    const list: B24Call[] = [{ method: 'a.get' }, { method: 'b.get' }, { method: 'c.get' }];
    const envelope = { result: { result: { 0: { n: 0 }, 2: { n: 2 } }, result_error: { 1: { error: 'NOT_FOUND', error_description: 'gone' } }, result_total: [], result_next: [], result_time: [] } };
    const parsed = parseBatchResult(batchEntries(list), envelope, { halt: false });
    expect(parsed.items.map((i) => i.ok)).toEqual([true, false, true]);
    expect(parsed.items[1]!.error).toMatchObject({ kind: 'not_found', code: 'NOT_FOUND' });
    expect((parsed.items[2]!.result as { n: number }).n).toBe(2);
  });

  it('when a command returned an empty answer (delete returns []), then it still counts as a success', () => {
    const list: B24Call[] = [{ method: 'crm.item.delete', params: { entityTypeId: 1030, id: 5 } }];
    const parsed = parseBatchResult(batchEntries(list), { result: { result: [[]], result_error: [] } }, { halt: false });
    expect(parsed.items[0]).toMatchObject({ ok: true, result: [] });
  });
});

describe('errors of nested commands', () => {
  it('when a nested call hit the operating limit, then it is refused and retryable', () => {
    const e = batchCommandError({ error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' }, { method: 'crm.item.list' });
    expect(e).toMatchObject({ kind: 'operation_time_limit', isRetryable: true });
  });

  it('when a nested create failed inside the portal, then it is ambiguous and carries its params for a lookup', () => {
    const params = { entityTypeId: 1030, fields: { xmlId: 'ORD-1' } };
    const e = batchCommandError({ error: 'INTERNAL_SERVER_ERROR', error_description: '' }, { method: 'crm.item.add', params });
    expect(e.kind).toBe('ambiguous');
    expect(e.params).toEqual(params);
    expect(e.isRetryable).toBe(false);
  });

  it('when a nested update failed inside the portal, then it is a retryable server error (an update may be repeated)', () => {
    const e = batchCommandError({ error: 'INTERNAL_SERVER_ERROR' }, { method: 'crm.item.update' });
    expect(e).toMatchObject({ kind: 'server', isRetryable: true });
  });

  it('when userfieldconfig answers with an empty error code, then the error still surfaces with a code', () => {
    const e = batchCommandError({ error: '', error_description: 'Field name is not valid' }, { method: 'userfieldconfig.add' });
    expect(e).toMatchObject({ code: 'BATCH_COMMAND_FAILED', kind: 'invalid_request', description: 'Field name is not valid' });
  });
});
