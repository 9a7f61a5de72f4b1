import { B24Error, classifyB24Failure, type B24Failure } from './b24-error.js';
import type { B24BatchItem, B24BatchResult, B24Call, B24Time } from './b24-client.js';
import { isIdempotentMethod } from './method-safety.js';

/** settings/how-to-call-rest-api/batch.md: a 51st command fails with ERROR_BATCH_LENGTH_EXCEEDED. */
export const MAX_BATCH_COMMANDS = 50;

/** Splits indexes 0..n-1 into consecutive chunks of at most `size`, keeping order. */
export function packIndexes(count: number, size = MAX_BATCH_COMMANDS): number[][] {
  const chunks: number[][] = [];
  for (let i = 0; i < count; i += size) chunks.push(Array.from({ length: Math.min(size, count - i) }, (_, k) => i + k));
  return chunks;
}

/** Normalises the two shapes batch() accepts into ordered [key, call] pairs. */
export function batchEntries(calls: Record<string, B24Call> | B24Call[]): Array<[string, B24Call]> {
  return Array.isArray(calls) ? calls.map((c, i) => [String(i), c]) : Object.entries(calls);
}

/**
 * PHP serialises an associative array with keys 0..n-1 as a JSON list and anything else (or an empty map) as an
 * object or `[]`, so every part of the batch answer may be either; read both.
 */
function at<T>(container: unknown, key: string): T | undefined {
  if (container === null || typeof container !== 'object') return undefined;
  if (Array.isArray(container)) {
    if (!/^\d+$/.test(key)) return undefined;
    return container[Number(key)] as T | undefined;
  }
  return Object.prototype.hasOwnProperty.call(container, key) ? ((container as Record<string, T>)[key]) : undefined;
}

const toNumber = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

interface BatchBody {
  result?: unknown;
  result_error?: unknown;
  result_total?: unknown;
  result_next?: unknown;
  result_time?: unknown;
}

/**
 * Maps a batch answer (`result:{result, result_error, result_total, result_next, result_time}`) back onto the commands
 * that were sent. A command with neither result nor error was not run (halt=1 stopped at an earlier error).
 */
export function parseBatchResult<T = unknown>(
  entries: Array<[string, B24Call]>,
  envelope: { result?: unknown; time?: B24Time },
  context: { halt: boolean; portalId?: number },
): B24BatchResult<T> {
  const body = (envelope.result ?? {}) as BatchBody;
  const items: Array<B24BatchItem<T>> = [];
  const byKey: Record<string, B24BatchItem<T>> = {};
  for (const [key, call] of entries) {
    const rawError = at<unknown>(body.result_error, key);
    const value = at<T>(body.result, key);
    const time = at<B24Time>(body.result_time, key);
    let item: B24BatchItem<T>;
    if (rawError !== undefined && rawError !== null && rawError !== '') {
      item = { key, method: call.method, ok: false, error: batchCommandError(rawError, call, context.portalId), time };
    } else if (value !== undefined) {
      item = { key, method: call.method, ok: true, result: value, total: toNumber(at(body.result_total, key)), next: toNumber(at(body.result_next, key)), time };
    } else {
      item = {
        key,
        method: call.method,
        ok: false,
        error: new B24Error({
          code: 'BATCH_NOT_EXECUTED',
          kind: 'skipped',
          method: call.method,
          portalId: context.portalId,
          description: context.halt ? 'not run: an earlier command of the batch failed (halt=1)' : 'the batch answer has no result for this command',
        }),
      };
    }
    items.push(item);
    byKey[key] = item;
  }
  return { items, byKey, time: envelope.time };
}

/**
 * Errors of nested commands carry no HTTP status of their own (the batch answers 200); the code alone classifies them.
 * A nested INTERNAL_SERVER_ERROR of a write may have half-applied it, so it is ambiguous like an outer 5xx.
 */
export function batchCommandError(raw: unknown, call: B24Call, portalId?: number): B24Error {
  const failure: B24Failure =
    typeof raw === 'string'
      ? { code: raw, httpStatus: 200 }
      : {
          code: String((raw as { error?: unknown }).error ?? ''),
          description: String((raw as { error_description?: unknown }).error_description ?? ''),
          httpStatus: 200,
        };
  const isServerError = failure.code === 'INTERNAL_SERVER_ERROR' || failure.code === 'ERROR_UNEXPECTED_ANSWER';
  const cls = isServerError ? { kind: 'server' as const, rejected: false, transient: true } : classifyB24Failure(failure);
  const ambiguous = cls.kind === 'server' && !isIdempotentMethod(call.method, call.params);
  return new B24Error({
    code: failure.code || 'BATCH_COMMAND_FAILED',
    description: failure.description,
    method: call.method,
    kind: ambiguous ? 'ambiguous' : cls.kind,
    isRetryable: !ambiguous && cls.transient && (cls.rejected || isIdempotentMethod(call.method, call.params)),
    portalId,
    params: ambiguous ? call.params : undefined,
  });
}
