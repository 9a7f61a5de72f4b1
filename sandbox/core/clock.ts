/**
 * The portal's sense of time. Tests move it forward instead of sleeping: token expiry, authorization codes, the
 * leaky bucket and the operating-time buckets all read `now()`.
 */
export interface Clock {
  /** Milliseconds since the epoch, shifted by every `advance`. */
  now(): number;
  advance(ms: number): void;
  /** Total shift applied so far (ms). */
  readonly offsetMs: number;
}

export function createClock(base: () => number = Date.now): Clock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('clock.advance expects a non-negative number of ms');
      offset += ms;
    },
    get offsetMs() {
      return offset;
    },
  };
}
