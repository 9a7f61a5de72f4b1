/**
 * The portal's request limit is a leaky bucket (limits.md): every HTTP request adds 1 to a counter, the counter drains
 * by Y per second, and a request arriving while the counter is above X gets 503 QUERY_LIMIT_EXCEEDED.
 *
 * We mirror that bucket on our side and *reserve* a slot before each request: the reservation raises the level at once
 * (it may go above capacity — the excess is the queue) and returns how long to wait until the portal's bucket has
 * drained enough to take the request. Callers therefore queue in arrival order without polling, and the portal's
 * counter never passes our capacity. The Redis limiter runs this same math in a Lua script.
 */
export interface LeakyBucketConfig {
  /** Hits the bucket holds before the portal refuses (X), already reduced by our safety margin. */
  capacity: number;
  /** Hits drained per millisecond (Y / 1000), already reduced by our safety factor. */
  drainPerMs: number;
}

export interface LeakyBucketState {
  level: number;
  /** ms timestamp of the last update. */
  at: number;
}

export interface Reservation {
  state: LeakyBucketState;
  /** How long the caller must wait before sending. */
  waitMs: number;
}

export function drainBucket(state: LeakyBucketState | undefined, now: number, cfg: LeakyBucketConfig): LeakyBucketState {
  if (!state) return { level: 0, at: now };
  // A clock that went backwards (another instance's clock is not used here, but NTP steps are) must not refill.
  const elapsed = Math.max(0, now - state.at);
  return { level: Math.max(0, state.level - elapsed * cfg.drainPerMs), at: Math.max(now, state.at) };
}

export function reserveBucket(state: LeakyBucketState | undefined, now: number, cost: number, cfg: LeakyBucketConfig): Reservation {
  const drained = drainBucket(state, now, cfg);
  const level = drained.level + cost;
  const waitMs = level > cfg.capacity ? Math.ceil((level - cfg.capacity) / cfg.drainPerMs) : 0;
  return { state: { level, at: drained.at }, waitMs };
}

/**
 * After the portal refused a request anyway (another app on our IP shares the limit, limits.md), treat the bucket as
 * full so every waiter backs off instead of hammering it.
 */
export function penalizeBucket(state: LeakyBucketState | undefined, now: number, cfg: LeakyBucketConfig): LeakyBucketState {
  const drained = drainBucket(state, now, cfg);
  return { level: Math.max(drained.level, cfg.capacity + 1), at: drained.at };
}

/**
 * The safety margin between the portal's limit and ours. Requests we release on time can still arrive bunched (a GC
 * pause or a busy event loop delays several, then they leave together), so we keep room for ~100 ms of bunching at the
 * drain rate, at least 4 % of the burst, and never less than 2 slots (one second of bunching at the default 2/s).
 */
export function bucketConfigFor(limit: { burst: number; drainPerSecond: number }, safety?: { burstMargin?: number; drainFactor?: number }): LeakyBucketConfig {
  const margin = safety?.burstMargin ?? Math.max(Math.min(2, limit.burst - 1), Math.ceil(limit.burst * 0.04), Math.ceil(limit.drainPerSecond * 0.1));
  const factor = safety?.drainFactor ?? 0.97;
  return { capacity: Math.max(1, limit.burst - margin), drainPerMs: (limit.drainPerSecond * factor) / 1000 };
}
