import type { Clock } from '../core/clock.js';

/**
 * The request-intensity limit (limits.md §Request Rate Limits): every request adds 1 to a counter that drains by
 * `drainPerSecond`; once the counter has reached `burst` the request is refused with 503 QUERY_LIMIT_EXCEEDED and
 * does not count. Defaults 50 / 2, Enterprise 250 / 5.
 */
export class LeakyBucket {
  private level = 0;
  private last: number;

  constructor(
    public burst: number,
    public drainPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.last = clock.now();
  }

  private drain(): void {
    const now = this.clock.now();
    this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.drainPerSecond);
    this.last = now;
  }

  /** True when the request may pass (and is counted). */
  take(): boolean {
    this.drain();
    if (this.level + 1 > this.burst) return false;
    this.level += 1;
    return true;
  }

  get current(): number {
    this.drain();
    return this.level;
  }

  reset(): void {
    this.level = 0;
    this.last = this.clock.now();
  }
}

interface Basket {
  minute: number;
  firstCallMs: number;
  seconds: number;
}

export interface OperatingState {
  /** Accumulated execution time of the method in the live baskets, seconds. */
  operating: number;
  /** When the oldest basket drops out (ms). */
  resetAt: number;
}

/**
 * Resource-intensity accounting (limits.md §Resource Intensity Limits): execution time per method and per app or
 * webhook, in one-minute baskets that each live ten minutes from their first call. A call is refused with 429
 * OPERATION_TIME_LIMIT when the sum already exceeds the limit before it runs.
 */
export class OperatingTracker {
  private readonly baskets = new Map<string, Basket[]>();

  constructor(
    private readonly clock: Clock,
    public limitSeconds: number | null = 480,
    public windowMs = 600_000,
  ) {}

  private live(key: string): Basket[] {
    const now = this.clock.now();
    const list = (this.baskets.get(key) ?? []).filter((b) => b.firstCallMs + this.windowMs > now);
    this.baskets.set(key, list);
    return list;
  }

  state(key: string): OperatingState {
    const list = this.live(key);
    const operating = list.reduce((s, b) => s + b.seconds, 0);
    const oldest = list.reduce((m, b) => Math.min(m, b.firstCallMs), Number.POSITIVE_INFINITY);
    return { operating, resetAt: Number.isFinite(oldest) ? oldest + this.windowMs : this.clock.now() + this.windowMs };
  }

  isBlocked(key: string): boolean {
    if (this.limitSeconds === null) return false;
    return this.state(key).operating > this.limitSeconds;
  }

  add(key: string, seconds: number): OperatingState {
    const now = this.clock.now();
    const minute = Math.floor(now / 60_000);
    const list = this.live(key);
    let basket = list.find((b) => b.minute === minute);
    if (!basket) {
      basket = { minute, firstCallMs: now, seconds: 0 };
      list.push(basket);
    }
    basket.seconds += seconds;
    return this.state(key);
  }

  reset(): void {
    this.baskets.clear();
  }
}
