import { describe, expect, it } from 'vitest';
import { computeBackoffMs, enqueueScheduled, scheduleDedupKey, slotOf, validateSchedule, type ScheduleDefinition } from '../../../server/jobs/index.js';
import type { Portal } from '../../../server/modules/portals/index.js';

const policy = { baseMs: 100, maxMs: 5_000, jitter: 0.5 };

describe('computeBackoffMs', () => {
  it('when attempts grow, then the delay doubles within equal-jitter bounds until the cap', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const full = Math.min(5_000, 100 * 2 ** (attempt - 1));
      expect(computeBackoffMs(attempt, policy, () => 0)).toBe(full / 2);
      expect(computeBackoffMs(attempt, policy, () => 0.999999)).toBeLessThanOrEqual(full);
      expect(computeBackoffMs(attempt, policy, () => 0.999999)).toBeGreaterThan(full * 0.99);
    }
  });

  it('when jitter is random, then successive delays for one attempt differ but never drop below half', () => {
    const delays = Array.from({ length: 50 }, () => computeBackoffMs(4, policy));
    expect(new Set(delays).size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('when the attempt number is huge, then the delay stays at the cap', () => {
    expect(computeBackoffMs(10_000, { ...policy, jitter: 0 })).toBe(5_000);
  });
});

describe('scheduled job slots', () => {
  const portal = (id: number, status: Portal['status'] = 'installed') => ({ id, status }) as Portal;
  const def: ScheduleDefinition = { name: 'erp.stock', cron: '*/5 * * * *', kind: 'erp.sync', payload: (p) => ({ entity: 'stock', portalId: p?.id }) };

  it('when two instances fire the same minute at different milliseconds, then both compute one slot and one dedup key', () => {
    const a = slotOf(def, new Date('2026-11-23T10:05:00.012Z'));
    const b = slotOf(def, new Date('2026-11-23T10:05:00.480Z'));
    expect(a).toBe('2026-11-23T10:05');
    expect(b).toBe(a);
    expect(scheduleDedupKey('erp.stock', 7, a)).toBe('erp.stock:7:2026-11-23T10:05');
    expect(slotOf({ cron: '*/10 * * * * *' }, new Date('2026-11-23T10:05:10.300Z'))).toBe('2026-11-23T10:05:10');
  });

  it('when a definition is enqueued, then each installed portal gets one job keyed by name, portal and slot; removed portals get none', async () => {
    const calls: Array<{ dedupKey?: string | null; portalId?: number | null; payload: unknown }> = [];
    const queue = { enqueue: async (input: (typeof calls)[number]) => (calls.push(input), { id: calls.length, created: true }) };
    await enqueueScheduled(queue as never, def, [portal(1), portal(2, 'uninstalled'), portal(3)], new Date('2026-11-23T10:05:00Z'));
    expect(calls.map((c) => c.dedupKey)).toEqual(['erp.stock:1:2026-11-23T10:05', 'erp.stock:3:2026-11-23T10:05']);
    expect(calls.map((c) => c.portalId)).toEqual([1, 3]);
    expect(calls[0]!.payload).toEqual({ entity: 'stock', portalId: 1 });
  });

  it('when a definition is global or a payload opts a portal out, then it enqueues once or skips that portal', async () => {
    const keys: Array<string | null | undefined> = [];
    const queue = { enqueue: async (input: { dedupKey?: string | null }) => (keys.push(input.dedupKey), { id: 1, created: true }) };
    await enqueueScheduled(queue as never, { ...def, name: 'jobs.cleanup', perPortal: false }, [portal(1)], new Date('2026-11-23T03:00:00Z'));
    await enqueueScheduled(queue as never, { ...def, payload: (p) => (p?.id === 1 ? null : {}) }, [portal(1), portal(2)], new Date('2026-11-23T03:00:00Z'));
    expect(keys).toEqual(['jobs.cleanup:-:2026-11-23T03:00', 'erp.stock:2:2026-11-23T03:00']);
  });

  it('when definitions repeat a name or carry a bad cron, then validation names the culprit', () => {
    expect(() => validateSchedule([def, def])).toThrow(/"erp.stock" is defined twice/);
    expect(() => validateSchedule([{ ...def, cron: 'every five minutes' }])).toThrow(/invalid cron expression/);
  });
});
