import type { Logger } from '../lib/logger.js';
import { B24Error, classifyB24Failure, toB24Error, type B24Failure } from './b24-error.js';
import type {
  B24BatchResult, B24Call, B24CallOutcome, B24Client, B24ClientStats, B24Envelope, B24Params, CallManyOptions, ListOptions,
} from './b24-client.js';
import { batchEntries, MAX_BATCH_COMMANDS, packIndexes, parseBatchResult } from './batch-packing.js';
import { cursorParams, extractItems, PAGE_SIZE, planList } from './list-paging.js';
import { isIdempotentBatch, isIdempotentMethod } from './method-safety.js';
import type { OperatingTracker } from './operating-tracker.js';
import type { RateLimiter } from './rate-limiter.js';
import type { B24Transport, WireOutcome } from './sdk-transport.js';

export interface RetryPolicy {
  /** Resends after QUERY_LIMIT_EXCEEDED (refused, so always safe). */
  rateLimitRetries: number;
  /** Resends after OPERATION_TIME_LIMIT, each after the method's reset. */
  operatingRetries: number;
  /** The longest wait for a method's operating reset before giving up with a retryable error. */
  maxOperatingWaitMs: number;
  /** Resends after 401 expired_token that survived the transport's own refresh-and-replay. */
  authRetries: number;
  /** Resends of idempotent calls after 5xx/timeouts, and of any call after a connection that never opened. */
  transientRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  rateLimitRetries: 10,
  operatingRetries: 3,
  maxOperatingWaitMs: 120_000,
  authRetries: 2,
  transientRetries: 4,
  baseDelayMs: 400,
  maxDelayMs: 15_000,
};

export interface ClientCoreDeps {
  transport: B24Transport;
  limiter: RateLimiter;
  operating: OperatingTracker;
  logger: Logger;
  portalId?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter in [½·d, d], so waiters spread out instead of retrying together. */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const d = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}

/** The retry loop, batching and paging shared by the portal (OAuth) and webhook clients. */
export function createB24ClientCore(deps: ClientCoreDeps): B24Client {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  const sleep = deps.sleep ?? defaultSleep;
  const { transport, operating, logger, portalId } = deps;
  const counters = { calls: 0, hits: 0, retries: 0, limitErrors: 0, operatingBlocks: 0, ambiguous: 0 };

  /**
   * Sends until the answer is final. What is resent: everything the portal certainly refused (rate limit, operating
   * limit, expired token, connection never opened) and, for idempotent calls only, 5xx/timeouts/lost connections.
   * A non-idempotent call whose answer was lost ends as an `ambiguous` B24Error carrying its params.
   */
  async function execute(label: string, opMethods: string[], idempotent: boolean, params: B24Params, send: () => Promise<WireOutcome>): Promise<B24Envelope> {
    const started = performance.now();
    let attempts = 0;
    let rate = 0;
    let op = 0;
    let auth = 0;
    let transient = 0;
    let hits = 0;
    const finish = (ok: boolean, code?: string) => {
      logger.debug({ portalId, client: transport.identity, method: label, durationMs: Math.round(performance.now() - started), attempts, hits, ok, code }, 'b24 call');
    };
    counters.calls += 1;
    for (;;) {
      const hold = operating.delayFor(opMethods);
      if (hold > retry.maxOperatingWaitMs) {
        // Sending now would earn a 429 (limits.md); the method frees up only at its next bucket reset. Let the caller
        // (usually a job queue) come back then instead of holding this call for minutes.
        finish(false, 'OPERATION_TIME_LIMIT');
        throw new B24Error({
          code: 'OPERATION_TIME_LIMIT',
          kind: 'operation_time_limit',
          method: label,
          portalId,
          isRetryable: true,
          retryAt: Date.now() + hold,
          description: `paused before the portal's operating-time limit; callable again in ${Math.ceil(hold / 1000)} s`,
        });
      }
      if (hold > 0) await sleep(hold);
      attempts += 1;
      if (attempts > 1) counters.retries += 1;
      let outcome: WireOutcome;
      try {
        outcome = await send();
      } catch (err) {
        finish(false, err instanceof B24Error ? err.code : 'CLIENT_ERROR');
        throw err;
      }
      hits += outcome.hits;
      counters.hits += outcome.hits;
      if (outcome.ok) {
        if (label !== 'batch') operating.record(label, outcome.envelope.time);
        finish(true);
        return outcome.envelope;
      }
      const failure: B24Failure = outcome.failure;
      const cls = classifyB24Failure(failure);
      let waitMs: number | null = null;
      if (cls.kind === 'rate_limit') {
        counters.limitErrors += 1;
        await deps.limiter.penalize?.(transport.limiterKey);
        if (++rate <= retry.rateLimitRetries) waitMs = backoffDelay(rate, retry.baseDelayMs, retry.maxDelayMs);
      } else if (cls.kind === 'operation_time_limit') {
        counters.operatingBlocks += 1;
        const resetAt = (outcome.body as { time?: { operating_reset_at?: number } } | undefined)?.time?.operating_reset_at;
        let until = 0;
        for (const m of opMethods) until = Math.max(until, operating.onBlocked(m, resetAt));
        const wait = Math.max(0, until - Date.now());
        if (++op <= retry.operatingRetries && wait <= retry.maxOperatingWaitMs) waitMs = 0; // the tracker holds the next attempt
        else {
          finish(false, failure.code);
          throw toB24Error(failure, cls, { method: label, portalId, retryAt: until });
        }
      } else if (cls.kind === 'token_expired') {
        if (++auth <= retry.authRetries) waitMs = 0;
      } else if (cls.transient) {
        if (cls.rejected || idempotent) {
          if (++transient <= retry.transientRetries) waitMs = backoffDelay(transient, retry.baseDelayMs, retry.maxDelayMs);
        } else {
          counters.ambiguous += 1;
          finish(false, 'ambiguous');
          logger.warn({ portalId, method: label, code: failure.code, httpStatus: failure.httpStatus }, 'b24 write outcome unknown; not resent');
          throw toB24Error(failure, cls, { method: label, portalId, params, ambiguous: true });
        }
      }
      if (waitMs === null) {
        finish(false, failure.code);
        throw toB24Error(failure, cls, { method: label, portalId });
      }
      if (waitMs > 0) await sleep(waitMs);
    }
  }

  async function callRaw<T>(method: string, params: B24Params = {}): Promise<B24Envelope<T>> {
    if (method === 'batch') throw new B24Error({ code: 'USE_BATCH', kind: 'invalid_request', method, description: 'use client.batch() for batch requests' });
    return (await execute(method, [method], isIdempotentMethod(method, params), params, () => transport.send(method, params))) as B24Envelope<T>;
  }

  async function batch<T>(calls: Record<string, B24Call> | B24Call[], options: { halt?: boolean } = {}): Promise<B24BatchResult<T>> {
    const entries = batchEntries(calls);
    if (entries.length === 0) return { items: [], byKey: {} };
    if (entries.length > MAX_BATCH_COMMANDS) {
      throw new B24Error({ code: 'ERROR_BATCH_LENGTH_EXCEEDED', kind: 'invalid_request', method: 'batch', description: `at most ${MAX_BATCH_COMMANDS} commands per batch; use callMany()` });
    }
    const halt = options.halt ?? false;
    const methods = [...new Set(entries.map(([, c]) => c.method))];
    const envelope = await execute('batch', methods, isIdempotentBatch(entries.map(([, c]) => c)), { cmd: Object.fromEntries(entries) }, () => transport.sendBatch(calls, halt));
    const parsed = parseBatchResult<T>(entries, envelope, { halt, portalId });
    // The outer batch is not counted in `operating`; each nested call is (limits.md), so record them one by one.
    for (const item of parsed.items) if (item.ok) operating.record(item.method, item.time);
    return parsed;
  }

  async function callMany<T>(calls: B24Call[], options: CallManyOptions<T> = {}): Promise<Array<B24CallOutcome<T>>> {
    const outcomes: Array<B24CallOutcome<T> | undefined> = new Array(calls.length);
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const maxRounds = Math.max(1, options.maxRounds ?? 5);
    let pending = calls.map((_, i) => i);

    const asAmbiguous = (index: number, cause: B24Error) => {
      const call = calls[index]!;
      return new B24Error({ code: cause.code, kind: 'ambiguous', method: call.method, description: cause.description, httpStatus: cause.httpStatus, portalId, params: call.params, cause });
    };

    /** Decides what happens to calls that failed in one batch; ambiguous writes are looked up together. */
    const settle = async (failed: Array<[number, B24Error]>, retryLater: number[], lastRound: boolean) => {
      const unknown: Array<[number, B24Error]> = [];
      for (const [index, error] of failed) {
        const call = calls[index]!;
        if (error.kind === 'ambiguous' && isIdempotentMethod(call.method, call.params) && !lastRound) {
          retryLater.push(index); // ambiguous because of other calls of its batch; this one may simply be sent again
        } else if (error.kind === 'ambiguous') {
          unknown.push([index, error]);
        } else if (error.isRetryable && !lastRound) {
          retryLater.push(index);
        } else {
          outcomes[index] = { ok: false, error };
        }
      }
      if (unknown.length === 0) return;
      if (!options.lookup) {
        for (const [index, error] of unknown) outcomes[index] = { ok: false, error: asAmbiguous(index, error) };
        return;
      }
      // Look before resending: each of these may have been applied although the answer was lost.
      const found = await options.lookup(unknown.map(([index]) => ({ call: calls[index]!, index })));
      unknown.forEach(([index, error], k) => {
        const hit = found[k];
        if (hit !== null && hit !== undefined) outcomes[index] = { ok: true, result: hit, recovered: true };
        else if (!lastRound) retryLater.push(index);
        else outcomes[index] = { ok: false, error: asAmbiguous(index, error) };
      });
    };

    for (let round = 1; pending.length > 0 && round <= maxRounds; round++) {
      const lastRound = round === maxRounds;
      const retryLater: number[] = [];
      const chunks = packIndexes(pending.length).map((chunk) => chunk.map((k) => pending[k]!));
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          let result: B24BatchResult<T>;
          try {
            result = await batch<T>(chunk.map((i) => calls[i]!));
          } catch (err) {
            const error = err instanceof B24Error ? err : new B24Error({ code: 'CLIENT_ERROR', kind: 'invalid_request', method: 'batch', cause: err });
            await settle(chunk.map((i) => [i, error]), retryLater, lastRound);
            continue;
          }
          const failed: Array<[number, B24Error]> = [];
          result.items.forEach((item, k) => {
            if (item.ok) outcomes[chunk[k]!] = { ok: true, result: item.result as T, total: item.total, next: item.next };
            else failed.push([chunk[k]!, item.error!]);
          });
          await settle(failed, retryLater, lastRound);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
      pending = retryLater.sort((a, b) => a - b);
    }
    return outcomes.map((o, i) => o ?? { ok: false, error: new B24Error({ code: 'NOT_SENT', kind: 'skipped', method: calls[i]!.method, portalId }) });
  }

  async function callIdempotent<T>(method: string, params: B24Params, lookup: () => Promise<T | null>): Promise<T> {
    let last: B24Error | undefined;
    for (let attempt = 1; attempt <= retry.transientRetries + 1; attempt++) {
      try {
        return await callRaw<T>(method, params).then((e) => e.result);
      } catch (err) {
        if (!(err instanceof B24Error) || err.kind !== 'ambiguous') throw err;
        last = err;
        // Look before resending: the first attempt may have been applied even though its answer was lost.
        const found = await lookup();
        if (found !== null && found !== undefined) return found;
        await sleep(backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs));
      }
    }
    throw last!;
  }

  async function* listPages<T>(method: string, params: B24Params = {}, options: ListOptions = {}): AsyncGenerator<T[], void, undefined> {
    const plan = planList(method, params, options);
    if (plan.mode === 'cursor') {
      let lastId: string | number | undefined;
      for (;;) {
        const env = await callRaw(method, cursorParams(params, plan, lastId));
        const rows = extractItems<T>(method, env.result, options.itemsKey);
        if (rows.length > 0) yield rows;
        if (rows.length < PAGE_SIZE) return;
        const id = (rows[rows.length - 1] as Record<string, unknown>)[plan.idKey];
        if (id === undefined || id === null || id === lastId) {
          throw new B24Error({ code: 'LIST_CURSOR_BROKEN', kind: 'invalid_request', method, description: `rows carry no usable "${plan.idKey}"; pass idKey or mode: 'paged'` });
        }
        lastId = id as string | number;
      }
    }
    // Ordinary paging: the first page tells `total`, so the remaining pages are fetched 50 per batch request.
    const first = await callRaw(method, { ...params, start: params.start ?? 0 });
    yield extractItems<T>(method, first.result, options.itemsKey);
    if (first.next === undefined) return;
    if (first.total === undefined) {
      let next: number | undefined = first.next;
      while (next !== undefined) {
        const env: B24Envelope = await callRaw(method, { ...params, start: next });
        yield extractItems<T>(method, env.result, options.itemsKey);
        next = env.next;
      }
      return;
    }
    const starts: number[] = [];
    for (let s = first.next; s < first.total; s += PAGE_SIZE) starts.push(s);
    for (const chunk of packIndexes(starts.length)) {
      const res = await batch(chunk.map((k) => ({ method, params: { ...params, start: starts[k] } })));
      for (const item of res.items) {
        if (!item.ok) throw item.error!;
        yield extractItems<T>(method, item.result, options.itemsKey);
      }
    }
  }

  async function listAll<T>(method: string, params: B24Params = {}, options: ListOptions = {}): Promise<T[]> {
    const all: T[] = [];
    for await (const page of listPages<T>(method, params, options)) all.push(...page);
    return all;
  }

  return {
    portalId,
    async call<T>(method: string, params?: B24Params): Promise<T> {
      return (await callRaw<T>(method, params)).result;
    },
    callRaw,
    batch,
    callMany,
    callIdempotent,
    listAll,
    listPages,
    stats(): B24ClientStats {
      return { ...counters, refreshes: transport.tokens?.refreshCount ?? 0 };
    },
  };
}
