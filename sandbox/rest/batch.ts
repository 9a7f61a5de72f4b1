import { runMethod } from './execute.js';
import { parseStr, type PhpArray, type PhpValue } from './php-query.js';
import { SystemErrors } from './rest-error.js';
import type { MethodCall, MethodDef } from './registry.js';

/**
 * `batch` (settings/how-to-call-rest-api/batch.md): up to 50 `method?query` commands, run in order with the caller's
 * auth; later commands may reference earlier answers as `$result[cmd][field]…` (also `$next`, `$total`, `$time`,
 * `$error`). Commands past the 50th answer ERROR_BATCH_LENGTH_EXCEEDED, a nested batch ERROR_BATCH_METHOD_NOT_ALLOWED;
 * the batch itself always answers 200 with `result_error` per command.
 */
export const BATCH_MAX_LENGTH = 50;
const NOT_IN_BATCH = new Set(['batch', 'download', 'upload']);

type Buckets = Record<'result' | 'next' | 'total' | 'time' | 'error', Map<string, unknown>>;

function lookup(container: unknown, key: string): { found: boolean; value: unknown } {
  if (container === null || container === undefined || typeof container !== 'object') return { found: false, value: undefined };
  if (container instanceof Map) return container.has(key) ? { found: true, value: container.get(key) } : { found: false, value: undefined };
  const obj = container as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== null && obj[key] !== undefined
    ? { found: true, value: obj[key] }
    : { found: false, value: undefined };
}

/** PHP's string cast of a substituted value: arrays become "Array", booleans 1/"" and null "". */
function phpString(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return '1';
  if (typeof v === 'object') return 'Array';
  return String(v);
}

/** The rest module's processBatchElement: resolves `$result[a][b]` in one value. */
export function substituteReferences(value: string, buckets: Buckets): unknown {
  const re = /\$(result|next|total|time|error)([^\s]*)/gi;
  let out: unknown = value;
  for (const match of value.matchAll(re)) {
    const bucket = buckets[(match[1] as string).toLowerCase() as keyof Buckets];
    const keys = [...(match[2] as string).matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] as string);
    if (keys.length === 0) continue;
    let r: unknown = bucket;
    for (const key of keys) {
      const step = lookup(r, key);
      if (!step.found) break;
      r = step.value;
    }
    if (r instanceof Map) r = Object.fromEntries(r);
    if (match[0] === value) out = r;
    else if (typeof out === 'string') out = out.split(match[0]).join(phpString(r));
  }
  return out;
}

function substituteTree(node: PhpValue, buckets: Buckets): unknown {
  if (typeof node === 'string') return substituteReferences(node, buckets);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = substituteTree(v, buckets);
  return out;
}

/** PHP arrays to JS: keys 0..n-1 in order become a list, as a JSON body would carry them. */
function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, x]) => toPlain(x));
  return Object.fromEntries(entries.map(([k, x]) => [k, toPlain(x)]));
}

/** json_encode of a PHP array keyed by command: a list when keys are 0..n-1, `[]` when empty, else an object. */
function phpJson(map: Map<string, unknown>): unknown {
  const keys = [...map.keys()];
  if (keys.length === 0) return [];
  if (keys.every((k, i) => k === String(i))) return [...map.values()];
  return Object.fromEntries(map);
}

function commandsOf(cmd: unknown): [string, string][] {
  if (Array.isArray(cmd)) return cmd.map((c, i) => [String(i), String(c ?? '')]);
  if (cmd && typeof cmd === 'object') return Object.entries(cmd as Record<string, unknown>).map(([k, c]) => [k, String(c ?? '')]);
  return [];
}

async function runBatch(call: MethodCall): Promise<unknown> {
  const { rt, auth } = call;
  const halt = ['1', 'true', 'y'].includes(String(call.params.halt ?? '0').toLowerCase());
  const buckets: Buckets = { result: new Map(), next: new Map(), total: new Map(), time: new Map(), error: new Map() };
  let count = 0;
  for (const [key, command] of commandsOf(call.params.cmd)) {
    const startMs = rt.clock.now();
    let outcome;
    if (count++ >= BATCH_MAX_LENGTH) {
      const e = SystemErrors.batchLength();
      outcome = { ok: false as const, error: e };
    } else {
      const q = command.indexOf('?');
      const method = (q === -1 ? command : command.slice(0, q)).trim().toLowerCase();
      const query: PhpArray = q === -1 ? {} : parseStr(command.slice(q + 1));
      const def = rt.registry.get(method);
      if (NOT_IN_BATCH.has(method) || def?.notInBatch) outcome = { ok: false as const, error: SystemErrors.batchMethodNotAllowed() };
      else if (!def) outcome = { ok: false as const, error: SystemErrors.methodNotFound() };
      else {
        const params = toPlain(substituteTree(query, buckets)) as Record<string, unknown>;
        outcome = await runMethod(rt, def, auth, params, { inBatch: true, startMs });
      }
    }
    if (outcome.ok) {
      buckets.result.set(key, outcome.result);
      if (outcome.next !== undefined) buckets.next.set(key, outcome.next);
      if (outcome.total !== undefined) buckets.total.set(key, outcome.total);
      buckets.time.set(key, outcome.time);
    } else {
      buckets.error.set(key, { error: outcome.error.code, error_description: outcome.error.description, ...outcome.error.extra });
      if (halt) break;
    }
  }
  return {
    result: phpJson(buckets.result),
    result_error: phpJson(buckets.error),
    result_total: phpJson(buckets.total),
    result_next: phpJson(buckets.next),
    result_time: phpJson(buckets.time),
  };
}

export const batchMethod: MethodDef = { name: 'batch', scope: 'basic', handler: runBatch };
