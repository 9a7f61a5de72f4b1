import type { Clock } from '../core/clock.js';
import type { LeakyBucket, OperatingTracker } from '../rest/limits.js';
import type { SandboxStore } from '../store/store.js';

export interface FailureRule {
  remaining: number;
  status: number;
  code: string;
  description: string;
  method: string | null;
}

export interface SlowRule {
  delayMs: number;
  method: string | null;
  remaining: number | null;
}

/**
 * Per-test fault injection. Every switch answers the way the cloud does when that fault happens for real
 * (limits.md, _includes/system-errors.md), so client code meets the same bytes in tests as in production.
 */
export class FaultController {
  private stormCalls = 0;
  private stormUntil = 0;
  private failures: FailureRule[] = [];
  private slows: SlowRule[] = [];
  private dropNext = 0;
  private readonly costs = new Map<string, number>();
  tokenLifetimeSec = 3600;
  rateLimitEnabled = true;
  /** The cloud refuses plain HTTP (400 INVALID_REQUEST "Https required"); off by default so tests can use HTTP. */
  httpsRequired = false;
  /** Tariff restrictions the cloud applies to smart processes (CREATE_/UPDATE_DYNAMIC_*_RESTRICTED). */
  planRestrictions = { createDynamicType: false, createDynamicItem: false, updateDynamicItem: false };

  constructor(
    private readonly deps: {
      clock: Clock;
      store: SandboxStore;
      bucket: LeakyBucket;
      operating: OperatingTracker;
      defaults: { burst: number; drainPerSecond: number; operatingLimitSec: number | null };
    },
  ) {}

  /** Answer 503 QUERY_LIMIT_EXCEEDED to the next `calls` requests and/or for `forMs` from now. */
  rateLimitStorm(opts: { calls?: number; forMs?: number }): void {
    this.stormCalls += opts.calls ?? 0;
    if (opts.forMs) this.stormUntil = Math.max(this.stormUntil, this.deps.clock.now() + opts.forMs);
  }

  /** Tighten, loosen or (null) switch off the leaky bucket. */
  setRateLimit(limit: { burst: number; drainPerSecond: number } | null): void {
    if (limit === null) {
      this.rateLimitEnabled = false;
      return;
    }
    this.rateLimitEnabled = true;
    this.deps.bucket.burst = limit.burst;
    this.deps.bucket.drainPerSecond = limit.drainPerSecond;
    this.deps.bucket.reset();
  }

  /** Operating-time limit in seconds per method and app/webhook; null switches the limit off. */
  setOperatingLimit(seconds: number | null): void {
    this.deps.operating.limitSeconds = seconds;
  }

  /** Makes calls of `method` (or '*') cost `seconds` of operating time each, on top of their real duration. */
  setOperatingCost(method: string, seconds: number): void {
    this.costs.set(method.toLowerCase(), seconds);
  }

  operatingCost(method: string): number {
    return this.costs.get(method.toLowerCase()) ?? this.costs.get('*') ?? 0;
  }

  /** Every access token issued so far expires now (refresh tokens stay valid). */
  expireAllTokens(): void {
    const now = this.deps.clock.now();
    for (const t of this.deps.store.accessTokens.all()) t.expiresAt = Math.min(t.expiresAt, now - 1);
    this.deps.store.accessTokens.touch();
  }

  /** Lifetime of access tokens issued from now on (default 3600 s). */
  setTokenLifetime(seconds: number): void {
    this.tokenLifetimeSec = seconds;
  }

  /** The next `calls` requests (of `method`, if given) answer `status` with `code`. */
  failNext(calls: number, opts: { status?: number; code?: string; description?: string; method?: string } = {}): void {
    this.failures.push({
      remaining: calls,
      status: opts.status ?? 500,
      code: opts.code ?? 'INTERNAL_SERVER_ERROR',
      description: opts.description ?? 'Internal server error',
      method: opts.method?.toLowerCase() ?? null,
    });
  }

  /** Delay answers by `delayMs` (for `calls` requests, or until reset; only `method` if given). */
  slow(delayMs: number, opts: { method?: string; calls?: number } = {}): void {
    this.slows.push({ delayMs, method: opts.method?.toLowerCase() ?? null, remaining: opts.calls ?? null });
  }

  /** Makes the HTTP face answer every REST call 400 INVALID_REQUEST "Https required", as the cloud does. */
  requireHttps(on: boolean): void {
    this.httpsRequired = on;
  }

  /** Simulates a plan that forbids creating smart processes or creating/changing their items. */
  restrictPlan(restrictions: Partial<FaultController['planRestrictions']>): void {
    Object.assign(this.planRestrictions, restrictions);
  }

  /** The next `n` event/robot deliveries are silently dropped (the portal does not retry: api-reference/events). */
  dropEvents(n: number): void {
    this.dropNext += n;
  }

  reset(): void {
    this.stormCalls = 0;
    this.stormUntil = 0;
    this.failures = [];
    this.slows = [];
    this.dropNext = 0;
    this.costs.clear();
    this.planRestrictions = { createDynamicType: false, createDynamicItem: false, updateDynamicItem: false };
    this.httpsRequired = false;
    this.tokenLifetimeSec = 3600;
    this.rateLimitEnabled = true;
    this.deps.bucket.burst = this.deps.defaults.burst;
    this.deps.bucket.drainPerSecond = this.deps.defaults.drainPerSecond;
    this.deps.bucket.reset();
    this.deps.operating.limitSeconds = this.deps.defaults.operatingLimitSec;
    this.deps.operating.reset();
  }

  // ---- consumed by the request pipeline ----

  takeStorm(): boolean {
    if (this.stormCalls > 0) {
      this.stormCalls--;
      return true;
    }
    return this.stormUntil > this.deps.clock.now();
  }

  takeFailure(method: string): FailureRule | null {
    const m = method.toLowerCase();
    const rule = this.failures.find((f) => f.remaining > 0 && (f.method === null || f.method === m));
    if (!rule) return null;
    rule.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return rule;
  }

  takeDelay(method: string): number {
    const m = method.toLowerCase();
    let delay = 0;
    for (const s of this.slows) {
      if ((s.method === null || s.method === m) && (s.remaining === null || s.remaining > 0)) {
        delay = Math.max(delay, s.delayMs);
        if (s.remaining !== null) s.remaining--;
      }
    }
    this.slows = this.slows.filter((s) => s.remaining === null || s.remaining > 0);
    return delay;
  }

  takeDrop(): boolean {
    if (this.dropNext > 0) {
      this.dropNext--;
      return true;
    }
    return false;
  }
}
