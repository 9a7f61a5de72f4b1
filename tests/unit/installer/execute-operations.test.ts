import { describe, expect, it } from 'vitest';
import type { B24BatchResult, B24Call, B24CallOutcome, B24Client } from '../../../server/bitrix24/index.js';
import { B24Error } from '../../../server/bitrix24/index.js';
import { emptyRecord } from '../../../installer/installer-record.js';
import { executeIndependent, executeSequential } from '../../../installer/reconcile/execute-operations.js';
import { formatPlan } from '../../../installer/reconcile/format-plan.js';
import type { Model, Operation } from '../../../installer/reconcile/operation.types.js';

/**
 * Batch packing of the executor, against a recording client that answers like the portal's batch does (every command
 * its own result or error). The portal-side behaviour is covered by tests/contract/installer.test.ts.
 */
function recordingClient(fail: (key: string, call: B24Call) => boolean = () => false) {
  const batches: Array<Array<[string, B24Call]>> = [];
  const client = {
    portalId: 1,
    async batch(calls: Record<string, B24Call> | B24Call[]): Promise<B24BatchResult> {
      const entries = Array.isArray(calls) ? calls.map((c, i) => [String(i), c] as [string, B24Call]) : Object.entries(calls);
      batches.push(entries);
      const items = entries.map(([key, call]) =>
        fail(key, call)
          ? { key, method: call.method, ok: false, error: new B24Error({ code: 'ERROR_CORE', kind: 'invalid_request', method: call.method }) }
          : { key, method: call.method, ok: true, result: { echo: key } },
      );
      return { items, byKey: Object.fromEntries(items.map((i) => [i.key, i])) };
    },
    async callMany(calls: B24Call[]): Promise<B24CallOutcome[]> {
      const res = await client.batch(calls);
      return res.items.map((i) => (i.ok ? { ok: true as const, result: i.result } : { ok: false as const, error: i.error! }));
    },
  };
  return { client: client as unknown as B24Client, batches };
}

const model = (): Model => ({ state: { types: [], details: new Map(), placements: [], robots: [], events: [], adminUserId: 1 }, record: emptyRecord() });
const op = (id: string, kind: Operation['kind'], extra: Partial<Operation> = {}): Operation => ({
  id, kind, step: 'fields', phase: 2, pending: false, call: { method: kind === 'createType' ? 'crm.type.add' : 'x.add', params: { id } }, text: { ru: id, en: id }, apply: () => undefined, ...extra,
});

describe('operation executor', () => {
  it('when 120 independent operations run, then they go out in 3 batches of at most 50 and each result reaches its operation', async () => {
    const { client, batches } = recordingClient((_k, call) => (call.params as { id: string }).id === 'f-77');
    const seen: string[] = [];
    const ops = Array.from({ length: 120 }, (_, i) => op(`f-${i}`, 'addField', { apply: (_m, o) => void seen.push(`${i}:${(o.result as { echo: string }).echo}`) }));
    const result = await executeIndependent(client, ops, model());
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(result.applied).toHaveLength(119);
    expect(result.failed.map((f) => f.op.id)).toEqual(['f-77']);
    expect(seen[0]).toBe('0:0');
  });

  it('when phase 1 runs, then new types and their reads share the first batch, unbinds come before binds, and follow-up answers reach the type', async () => {
    const { client, batches } = recordingClient();
    let followUps: Record<string, unknown> = {};
    const ops = [
      op('bind', 'bindEvent', { phase: 1 }),
      op('unbind', 'unbindEvent', { phase: 1 }),
      op('t1', 'createType', { phase: 1, batchKey: 't_dealers', followUps: [{ key: 'c_dealers', call: { method: 'crm.category.list', params: { entityTypeId: '$result[t_dealers][type][entityTypeId]' } } }], apply: (_m, o) => void (followUps = o.followUps) }),
      op('t2', 'createType', { phase: 1, batchKey: 't_orders' }),
    ];
    await executeSequential(client, ops, model());
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map(([k]) => k)).toEqual(['t_dealers', 'c_dealers', 't_orders', 'o1', 'o0']);
    expect(followUps).toEqual({ c_dealers: { echo: 'c_dealers' } });
  });

  it('when a plan is printed, then it is grouped by step with +/~/- and notes', () => {
    const text = formatPlan(
      [op('a', 'addField', { text: { ru: 'Добавить поле X', en: 'Add field X' } }), op('b', 'unbindPlacement', { step: 'placements', text: { ru: 'Снять виджет', en: 'Unbind widget' } }), op('c', 'updateStage', { step: 'stages', text: { ru: 'Изменить стадию', en: 'Update stage' }, changes: ['name: «A» → «B»'] })],
      ['a note'],
      'en',
    );
    expect(text).toBe(['Fields (1)', '  + Add field X', 'Stages (1)', '  ~ Update stage', '      name: «A» → «B»', 'Widgets (1)', '  - Unbind widget', 'Notes', '  ! a note'].join('\n'));
    expect(formatPlan([], [], 'ru')).toBe('Изменений нет: портал соответствует манифесту.');
  });
});
