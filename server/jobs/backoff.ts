/**
 * Capped exponential backoff with jitter (AWS Builders' Library, "Timeouts, retries and backoff with jitter", summarised
 * in ../shared/reference/erp-integration.md §4.3). Equal jitter: half the delay is fixed, half random, so retries
 * spread out without ever collapsing to zero.
 */
export interface BackoffPolicy {
  /** Delay before the 2nd attempt. */
  baseMs: number;
  /** Cap for any single delay. */
  maxMs: number;
  /** Share of the delay that is random, 0..1 (0.5 = equal jitter). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 10 * 60_000, jitter: 0.5 };

/** Delay after the given failed attempt (1 = the first attempt failed). */
export function computeBackoffMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}
