import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '../../../server/bitrix24/rate-limiter.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Fires `n` acquires at once and returns when each one was let through (ms after the start). */
async function releaseTimes(limiter: RateLimiter, key: string, n: number): Promise<number[]> {
  const t0 = performance.now();
  return Promise.all(Array.from({ length: n }, async () => {
    await limiter.acquire(key);
    return performance.now() - t0;
  }));
}

/** The portal's bucket replayed over the release times: how many requests would it have refused? */
function refusedByPortal(times: number[], burst: number, drainPerSecond: number): number {
  let level = 0;
  let at = 0;
  let refused = 0;
  for (const t of [...times].sort((a, b) => a - b)) {
    level = Math.max(0, level - ((t - at) * drainPerSecond) / 1000);
    at = t;
    if (level + 1 > burst) refused++;
    else level += 1;
  }
  return refused;
}

describe('in-process limiter', () => {
  it('when 30 calls arrive at once on a 10/20-per-second bucket, then 8 pass at once (2 kept for arrival jitter) and the rest are paced so the portal refuses none', async () => {
    const limiter = createMemoryRateLimiter({ burst: 10, drainPerSecond: 20 });
    const times = (await releaseTimes(limiter, 'portal-a', 30)).sort((a, b) => a - b);
    expect(times.filter((t) => t < 20).length).toBe(8);
    expect(refusedByPortal(times, 10, 20)).toBe(0);
    // 22 requests beyond the capacity at ~19.4/s take about 1.1 s — paced, not stalled.
    expect(times.at(-1)!).toBeGreaterThan(900);
    expect(times.at(-1)!).toBeLessThan(1_600);
  });

  it('when two portals are busy, then each has its own bucket', async () => {
    const limiter = createMemoryRateLimiter({ burst: 5, drainPerSecond: 2 });
    await releaseTimes(limiter, 'portal-a', 4);
    const t0 = performance.now();
    await limiter.acquire('portal-b');
    expect(performance.now() - t0).toBeLessThan(20);
  });
});

describe('Redis limiter', () => {
  const connections: Redis[] = [];
  const connect = () => {
    const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(r);
    return r;
  };
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('when two app instances (two connections) share one portal bucket, then together they stay under the portal limit', async () => {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    const [ra, rb] = [connect(), connect()];
    const a = createRedisRateLimiter({ redis: ra, keyPrefix, burst: 10, drainPerSecond: 20 });
    const b = createRedisRateLimiter({ redis: rb, keyPrefix, burst: 10, drainPerSecond: 20 });
    // Connected and the script loaded before the clock starts, so connection setup does not count as pacing.
    await Promise.all([a.acquire('warm-up'), b.acquire('warm-up')]);
    const [ta, tb] = await Promise.all([releaseTimes(a, 'member-1', 20), releaseTimes(b, 'member-1', 20)]);
    const first = Math.min(...ta, ...tb);
    const all = [...ta, ...tb].map((x) => x - first).sort((x, y) => x - y);
    expect(all.filter((t) => t < 30).length).toBe(8);
    expect(refusedByPortal(all, 10, 20)).toBe(0);
    expect(all.at(-1)!).toBeGreaterThan(1_300); // 32 beyond the capacity at ~19.4/s
    expect(all.at(-1)!).toBeLessThan(2_300);
  });

  it('when the bucket state is read back, then the level and the Redis time are stored under the prefixed key with an expiry', async () => {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    const redis = connect();
    const limiter = createRedisRateLimiter({ redis, keyPrefix, burst: 50, drainPerSecond: 2 });
    await limiter.acquire('member-2', 1);
    await limiter.acquire('member-2', 1);
    const stored = await redis.hgetall(`${keyPrefix}b24:bucket:member-2`);
    expect(Number(stored.l)).toBeGreaterThan(1.99);
    expect(Number(stored.l)).toBeLessThanOrEqual(2);
    expect(Math.abs(Number(stored.t) - Date.now())).toBeLessThan(5_000);
    expect(await redis.pttl(`${keyPrefix}b24:bucket:member-2`)).toBeGreaterThan(0);
  });

  it('when the portal refused a request anyway, then penalize makes the next acquire wait for a drain interval', async () => {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    const limiter = createRedisRateLimiter({ redis: connect(), keyPrefix, burst: 50, drainPerSecond: 10 });
    await limiter.penalize!('member-3');
    const t0 = performance.now();
    await limiter.acquire('member-3');
    expect(performance.now() - t0).toBeGreaterThan(150);
  });
});
