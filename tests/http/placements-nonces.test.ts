import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceStore, createSqlNonceStore, nonceStoreFor, type NonceStore } from '../../placements/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The replay guard of placement POSTs on both of its stores: the placement_nonces table (any instance on the shared
 * database) and Redis (REDIS_URL). A nonce is accepted once, per portal, until it expires.
 */
describe('placement nonce stores', () => {
  let t: TestContext;
  let redis: Redis;
  const prefix = `test:${randomBytes(4).toString('hex')}:`;
  let clock = Date.UTC(2026, 10, 23, 12, 0, 0);

  beforeAll(async () => {
    t = await createTestContext();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await t.close();
  });

  const battery = (name: string, make: () => NonceStore, advance: (ms: number) => Promise<void>) => {
    it(`when ${name} sees an APP_SID twice, then the second is a replay; another portal's is separate; after expiry it is new again`, async () => {
      const store = make();
      const sid = `sid-${randomBytes(6).toString('hex')}`;
      expect(await store.claim(1, sid, 1000)).toBe(true);
      expect(await store.claim(1, sid, 1000)).toBe(false);
      expect(await store.claim(2, sid, 1000)).toBe(true);
      await advance(1500);
      expect(await store.claim(1, sid, 1000)).toBe(true);
    });
  };

  battery('the SQL store', () => createSqlNonceStore(t.ctx.db.sequelize, () => new Date(clock)), async (ms) => {
    // The purge runs at most once a minute; move past that too.
    clock += ms + 60_000;
  });
  battery('the Redis store', () => createRedisNonceStore(redis, prefix), (ms) => new Promise((r) => setTimeout(r, ms)));

  it('when the app runs without REDIS_URL, then placements use the SQL store; the table keeps hashes, not APP_SIDs', async () => {
    const store = nonceStoreFor(t.ctx);
    expect(await store.claim(7, 'plain-app-sid-value', 60_000)).toBe(true);
    const rows = await t.ctx.db.sequelize.query<{ nonce_hash: string }>('SELECT nonce_hash FROM placement_nonces WHERE portal_id = 7', { type: 'SELECT' as never });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.nonce_hash).not.toContain('plain');
  });
});
