import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A short exclusive lock around a token refresh. Refresh tokens rotate (settings/oauth/auto-renewal.md): when two app
 * instances refresh with the same refresh token, the second one uses a token the first has just spent and fails (or,
 * worse, the portal ends up holding a pair nobody stored). With REDIS_URL the lock spans instances; without it only
 * this process is covered, which is right for a single instance.
 */
export interface RefreshLock {
  /** Tries once; returns a release function when the lock was taken, null when someone else holds it. */
  tryAcquire(key: string, ttlMs: number): Promise<(() => Promise<void>) | null>;
}

export function createMemoryRefreshLock(): RefreshLock {
  const held = new Map<string, number>();
  return {
    async tryAcquire(key, ttlMs) {
      const until = held.get(key);
      if (until !== undefined && until > Date.now()) return null;
      const mine = Date.now() + ttlMs;
      held.set(key, mine);
      return async () => {
        if (held.get(key) === mine) held.delete(key);
      };
    },
  };
}

/** Deletes the key only if we still own it, so a lock that expired and was re-taken is never released by us. */
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function createRedisRefreshLock(redis: Redis, keyPrefix = 'dealerhub:'): RefreshLock {
  return {
    async tryAcquire(key, ttlMs) {
      const fullKey = `${keyPrefix}b24:lock:${key}`;
      const owner = randomBytes(12).toString('hex');
      const ok = await redis.set(fullKey, owner, 'PX', ttlMs, 'NX');
      if (ok !== 'OK') return null;
      return async () => {
        await redis.eval(RELEASE_LUA, 1, fullKey, owner).catch(() => undefined);
      };
    },
  };
}
