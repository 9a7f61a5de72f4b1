/**
 * The portal's sense of time. Tests move it forward instead of sleeping, or freeze it to make rate arithmetic exact:
 * token expiry, authorization codes, the leaky bucket and the operating-time baskets all read `now()`.
 */
export interface Clock {
  /** Milliseconds since the epoch, shifted by every `advance`. */
  now(): number;
  advance(ms: number): void;
  /** Stops the clock at the current moment (until `unfreeze`); `advance` still moves it. */
  freeze(): void;
  unfreeze(): void;
  /** Total shift applied so far (ms). */
  readonly offsetMs: number;
}

export function createClock(base: () => number = Date.now): Clock {
  let offset = 0;
  let frozenAt: number | null = null;
  return {
    now: () => (frozenAt ?? base()) + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('clock.advance expects a non-negative number of ms');
      offset += ms;
    },
    freeze() {
      frozenAt = base();
    },
    unfreeze() {
      if (frozenAt !== null) offset -= base() - frozenAt;
      frozenAt = null;
    },
    get offsetMs() {
      return offset;
    },
  };
}
