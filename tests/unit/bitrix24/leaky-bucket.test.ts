import { describe, expect, it } from 'vitest';
import { bucketConfigFor, drainBucket, penalizeBucket, reserveBucket, type LeakyBucketState } from '../../../server/bitrix24/leaky-bucket.js';

/** Replays the portal's bucket (limits.md) for a series of arrival times and returns the highest level reached. */
function portalPeak(arrivals: number[], burst: number, drainPerSecond: number): { peak: number; refused: number } {
  let level = 0;
  let at = 0;
  let peak = 0;
  let refused = 0;
  for (const t of [...arrivals].sort((a, b) => a - b)) {
    level = Math.max(0, level - ((t - at) * drainPerSecond) / 1000);
    at = t;
    if (level > burst - 1) {
      refused++; // the portal blocks a request arriving while the counter is at the threshold
      continue;
    }
    level += 1;
    peak = Math.max(peak, level);
  }
  return { peak, refused };
}

describe('leaky bucket math', () => {
  const cfg = { capacity: 10, drainPerMs: 2 / 1000 };

  it('when the bucket is empty, then requests up to the capacity go at once', () => {
    let state: LeakyBucketState | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = reserveBucket(state, 1_000, 1, cfg);
      state = r.state;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual(Array(10).fill(0));
    expect(state!.level).toBe(10);
  });

  it('when the bucket is full, then each further request waits one drain interval more than the previous', () => {
    let state: LeakyBucketState | undefined = { level: 10, at: 0 };
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = reserveBucket(state, 0, 1, cfg);
      state = r.state;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual([500, 1000, 1500, 2000]);
  });

  it('when time passes, then the level drains at the configured rate and never below zero', () => {
    expect(drainBucket({ level: 10, at: 0 }, 2_000, cfg).level).toBeCloseTo(6);
    expect(drainBucket({ level: 3, at: 0 }, 60_000, cfg).level).toBe(0);
  });

  it('when the clock steps backwards, then the bucket does not refill', () => {
    const s = drainBucket({ level: 5, at: 10_000 }, 9_000, cfg);
    expect(s.level).toBe(5);
    expect(s.at).toBe(10_000);
  });

  it('when a batch costs one hit, then it reserves exactly one slot', () => {
    const r = reserveBucket(undefined, 0, 1, cfg);
    expect(r.state.level).toBe(1);
  });

  it('when the portal refused anyway, then penalize fills the bucket so the next request waits', () => {
    const s = penalizeBucket({ level: 2, at: 0 }, 0, cfg);
    expect(reserveBucket(s, 0, 1, cfg).waitMs).toBeGreaterThan(0);
  });

  it('when 200 requests are sent at the reserved times, then the portal bucket (50 burst, 2/s) never refuses one', () => {
    const limit = { burst: 50, drainPerSecond: 2 };
    const c = bucketConfigFor(limit);
    let state: LeakyBucketState | undefined;
    const sendTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const now = i * 5; // callers arrive every 5 ms
      const r = reserveBucket(state, now, 1, c);
      state = r.state;
      sendTimes.push(now + r.waitMs);
    }
    const { refused, peak } = portalPeak(sendTimes, limit.burst, limit.drainPerSecond);
    expect(refused).toBe(0);
    expect(peak).toBeLessThanOrEqual(limit.burst - 1);
    // …and it is not wastefully slow: 150 requests beyond the burst at ~2/s take about 75 s.
    expect(Math.max(...sendTimes)).toBeLessThan(82_000);
  });

  it('when the limit is 50/2, then the default safety margin keeps 2 slots and drains 3 % slower; fast drains keep more', () => {
    const c = bucketConfigFor({ burst: 50, drainPerSecond: 2 });
    expect(c.capacity).toBe(48);
    expect(c.drainPerMs * 1000).toBeCloseTo(1.94);
    expect(bucketConfigFor({ burst: 250, drainPerSecond: 5 }).capacity).toBe(240);
    // A fast drain keeps room for ~100 ms of bunched arrivals: 40/s → 4 slots.
    expect(bucketConfigFor({ burst: 10, drainPerSecond: 40 }).capacity).toBe(6);
  });
});
