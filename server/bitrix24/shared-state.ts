import { createOperatingTracker, type OperatingOptions, type OperatingTracker } from './operating-tracker.js';
import type { RateLimiter } from './rate-limiter.js';
import { createMemoryRefreshLock, createRedisRefreshLock, type RefreshLock } from './refresh-lock.js';

/*
 * State that every client of one app instance shares. "One app instance" is identified by its limiter object: clients
 * built with the same limiter share operating-time stats per portal and the refresh lock.
 */

/** Operating-time stats per app or webhook, shared by every client made with the same limiter in this process. */
const trackers = new WeakMap<RateLimiter, Map<string, OperatingTracker>>();
export function operatingTrackerFor(limiter: RateLimiter, identity: () => string, options?: OperatingOptions): OperatingTracker {
  let perLimiter = trackers.get(limiter);
  if (!perLimiter) trackers.set(limiter, (perLimiter = new Map()));
  const map = perLimiter;
  // The identity (member_id) is known only after the first token load, so resolve the tracker lazily.
  const resolve = () => {
    const id = identity();
    let t = map.get(id);
    if (!t) map.set(id, (t = createOperatingTracker(options)));
    return t;
  };
  return {
    delayFor: (methods, now) => resolve().delayFor(methods, now),
    record: (method, time, now) => resolve().record(method, time, now),
    onBlocked: (method, resetAt, now) => resolve().onBlocked(method, resetAt, now),
    snapshot: () => resolve().snapshot(),
  };
}

const processLocks = new WeakMap<RateLimiter, RefreshLock>();
export function defaultRefreshLock(limiter: RateLimiter): RefreshLock {
  let lock = processLocks.get(limiter);
  if (!lock) processLocks.set(limiter, (lock = limiter.redis ? createRedisRefreshLock(limiter.redis, limiter.keyPrefix) : createMemoryRefreshLock()));
  return lock;
}

