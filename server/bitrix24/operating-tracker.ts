/**
 * Resource-intensity pacing (limits.md §Resource Intensity Limits). Every answer's `time.operating` is the method's
 * accumulated execution time for this app over ten one-minute buckets, and `time.operating_reset_at` is when the oldest
 * bucket drops out. Once the sum passes the portal's limit (480 s in the docs' example), the next call of that method
 * gets 429 OPERATION_TIME_LIMIT. We slow a method down as it nears the limit and pause it until the reset when it is
 * about to cross, so the 429 stays rare; after a 429 we wait at least until the reset (the docs' "What to do").
 *
 * The SDK has the same idea (core/http/limiters/operating-limiter.ts + adaptive-delayer.ts); ours replaces it because
 * it also has to read nested `result_time` of our own batch parsing and to drive our retry loop, and the SDK's copy is
 * switched off so the two do not add their delays together.
 */
export interface B24TimeInfo {
  operating?: number;
  operating_reset_at?: number;
}

export interface OperatingOptions {
  /** The portal's per-method limit in seconds (docs: 480 in the cloud example, 420 on-premise when enabled). */
  limitSeconds?: number;
  /** From this share of the limit on, calls of the method are spread out. */
  slowDownAt?: number;
  /** From this share on, the method waits for the next bucket reset. */
  pauseAt?: number;
  /** The longest spreading delay. */
  maxSlowDelayMs?: number;
}

interface MethodStat {
  operating: number;
  resetAt: number;
  blockedUntil: number;
  blocks: number;
}

export interface OperatingTracker {
  /** How long to hold a call of these methods (a batch passes its nested methods) before sending it. */
  delayFor(methods: string[], now?: number): number;
  /** Records a successful answer's `time` for the method. */
  record(method: string, time: B24TimeInfo | undefined, now?: number): void;
  /** A 429 came back: returns the time (ms) before which the method must not be called again. */
  onBlocked(method: string, resetAtSeconds?: number, now?: number): number;
  snapshot(): Record<string, { operating: number; resetAt: number }>;
}

export function createOperatingTracker(options: OperatingOptions = {}): OperatingTracker {
  const limit = options.limitSeconds ?? 480;
  const slowAt = options.slowDownAt ?? 0.8;
  const pauseAt = options.pauseAt ?? 0.95;
  const maxSlow = options.maxSlowDelayMs ?? 5_000;
  const stats = new Map<string, MethodStat>();

  function delayOne(method: string, now: number): number {
    const s = stats.get(method);
    if (!s) return 0;
    if (s.blockedUntil > now) return s.blockedUntil - now;
    // After the oldest bucket dropped out the sum is lower, but we do not know by how much: let the next answer tell.
    if (s.resetAt <= now) return 0;
    const ratio = s.operating / limit;
    if (ratio >= pauseAt) return s.resetAt - now + 1_000;
    if (ratio >= slowAt) return Math.round(((ratio - slowAt) / (pauseAt - slowAt)) * maxSlow);
    return 0;
  }

  return {
    delayFor(methods, now = Date.now()) {
      let wait = 0;
      for (const m of methods) wait = Math.max(wait, delayOne(m, now));
      return wait;
    },
    record(method, time, now = Date.now()) {
      if (!time || typeof time.operating !== 'number') return;
      const prev = stats.get(method);
      stats.set(method, {
        operating: time.operating,
        resetAt: typeof time.operating_reset_at === 'number' ? time.operating_reset_at * 1000 : now + 60_000,
        blockedUntil: prev && prev.blockedUntil > now ? prev.blockedUntil : 0,
        blocks: 0,
      });
    },
    onBlocked(method, resetAtSeconds, now = Date.now()) {
      const s = stats.get(method) ?? { operating: limit, resetAt: 0, blockedUntil: 0, blocks: 0 };
      s.blocks += 1;
      const knownReset = resetAtSeconds ? resetAtSeconds * 1000 : s.resetAt;
      // The docs: first retry at operating_reset_at of the last answer; if still blocked, wait for the next reset.
      // Without a known reset, back off 10 s, 20 s, 40 s… (one bucket is a minute, so this never spins).
      const fallback = now + Math.min(60_000, 10_000 * 2 ** (s.blocks - 1));
      s.blockedUntil = knownReset > now ? knownReset + 1_000 : fallback;
      s.operating = Math.max(s.operating, limit);
      stats.set(method, s);
      return s.blockedUntil;
    },
    snapshot() {
      return Object.fromEntries([...stats].map(([m, s]) => [m, { operating: s.operating, resetAt: s.resetAt }]));
    },
  };
}
