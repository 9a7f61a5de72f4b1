import { Redis } from 'ioredis';
import { bucketConfigFor, penalizeBucket, reserveBucket, type LeakyBucketConfig, type LeakyBucketState } from './leaky-bucket.js';

/**
 * Paces requests to one portal (key = member_id) so the portal's QUERY_LIMIT_EXCEEDED never reaches callers.
 *
 * Why not the SDK's RateLimiter (core/http/limiters/rate-limiter.ts): it lives in one process and one B24OAuth object,
 * while the portal counts every request from our IP (limits.md) — N app instances with their own buckets would send N
 * times the allowed rate. So the SDK's limiter is switched off (see sdk-transport.ts) and this one is shared through
 * Redis when REDIS_URL is set.
 */
export interface RateLimiter {
  /** Resolves when a request costing `cost` hits (a batch costs 1) may be sent to the portal of `key`. */
  acquire(key: string, cost?: number): Promise<void>;
  /** The portal refused a request anyway: treat its bucket as full so every waiter backs off. */
  penalize?(key: string): Promise<void>;
  close?(): Promise<void>;
  /** Present on the Redis limiter: its connection, reused for the cross-instance refresh lock. */
  readonly redis?: Redis;
  readonly keyPrefix?: string;
}

export interface RateLimitSettings {
  burst: number;
  drainPerSecond: number;
  safety?: { burstMargin?: number; drainFactor?: number };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** In-process limiter: correct for one app instance; use the Redis one when several instances share a portal. */
export function createMemoryRateLimiter(settings: RateLimitSettings, clock: () => number = Date.now): RateLimiter {
  const cfg = bucketConfigFor(settings, settings.safety);
  const buckets = new Map<string, LeakyBucketState>();
  return {
    async acquire(key, cost = 1) {
      // JS runs this synchronously, so reservations are atomic without a lock.
      const r = reserveBucket(buckets.get(key), clock(), cost, cfg);
      buckets.set(key, r.state);
      if (r.waitMs > 0) await sleep(r.waitMs);
    },
    async penalize(key) {
      buckets.set(key, penalizeBucket(buckets.get(key), clock(), cfg));
    },
  };
}

/**
 * The same leaky-bucket reservation as leaky-bucket.ts, done atomically in Redis. Time comes from Redis (`TIME`), so
 * instances with skewed clocks still agree. Returns the wait in ms. ARGV: cost, capacity, drainPerMs, penalize(0/1).
 */
export const LEAKY_BUCKET_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local drain = tonumber(ARGV[3])
local penalize = ARGV[4] == '1'
local v = redis.call('HMGET', KEYS[1], 'l', 't')
local level = tonumber(v[1]) or 0
local at = tonumber(v[2]) or now
if now > at then
  level = math.max(0, level - (now - at) * drain)
  at = now
end
local wait = 0
if penalize then
  level = math.max(level, capacity + 1)
else
  level = level + cost
  if level > capacity then wait = math.ceil((level - capacity) / drain) end
end
redis.call('HSET', KEYS[1], 'l', tostring(level), 't', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(level / drain) + 60000)
return wait
`;

export interface RedisRateLimiterOptions extends RateLimitSettings {
  redis: Redis;
  /** Namespaces the keys (tests use a unique prefix each). */
  keyPrefix?: string;
  /** Close the connection in close() (true when the limiter created it). */
  ownsConnection?: boolean;
}

type RedisWithBucket = Redis & { b24LeakyBucket(key: string, cost: number, capacity: number, drain: number, penalize: number): Promise<number> };

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const cfg: LeakyBucketConfig = bucketConfigFor(options, options.safety);
  const prefix = options.keyPrefix ?? 'dealerhub:';
  const redis = options.redis as RedisWithBucket;
  if (typeof redis.b24LeakyBucket !== 'function') redis.defineCommand('b24LeakyBucket', { numberOfKeys: 1, lua: LEAKY_BUCKET_LUA });
  const bucketKey = (key: string) => `${prefix}b24:bucket:${key}`;
  return {
    redis: options.redis,
    keyPrefix: prefix,
    async acquire(key, cost = 1) {
      const waitMs = Number(await redis.b24LeakyBucket(bucketKey(key), cost, cfg.capacity, cfg.drainPerMs, 0));
      if (waitMs > 0) await sleep(waitMs);
    },
    async penalize(key) {
      await redis.b24LeakyBucket(bucketKey(key), 0, cfg.capacity, cfg.drainPerMs, 1);
    },
    async close() {
      if (options.ownsConnection) await options.redis.quit().catch(() => undefined);
    },
  };
}

/** Redis-shared when a Redis URL is configured (config.redisUrl), in process otherwise. */
export function createRateLimiter(options: RateLimitSettings & { redisUrl?: string; redis?: Redis; keyPrefix?: string }): RateLimiter {
  if (options.redis) return createRedisRateLimiter({ ...options, redis: options.redis });
  if (options.redisUrl) {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
    return createRedisRateLimiter({ ...options, redis, ownsConnection: true });
  }
  return createMemoryRateLimiter(options);
}
