import type { B24Call, B24Client, B24ClientStats } from '../../server/bitrix24/index.js';

/**
 * Reads are the methods whose last segment only reads (get/list/fields…) plus the few named ones; everything else the
 * installer sends (add/update/delete/bind/unbind) is a write. Counting writes proves a re-run changes nothing.
 */
const READS = new Set(['placement.get', 'event.get', 'bizproc.robot.list', 'user.current', 'app.info', 'profile', 'events', 'placement.list']);
export const isReadMethod = (method: string): boolean => {
  const m = method.toLowerCase();
  return READS.has(m) || /\.(get|list|fields|gettypes|getbyentitytypeid|entity\.items|entity\.types)$/.test(m) || /\.entity\.(items|types)$/.test(m);
};

export interface CallCounter {
  reads: number;
  writes: number;
  /** Every method sent, in order (inside batches too). */
  methods: string[];
  hits(): number;
}

/** Wraps a client and counts the commands that go out through it, including every command inside a batch. */
export function countingClient(inner: B24Client): { client: B24Client; counter: CallCounter } {
  const startHits = inner.stats().hits;
  const counter: CallCounter = { reads: 0, writes: 0, methods: [], hits: () => inner.stats().hits - startHits };
  const note = (method: string) => {
    counter.methods.push(method);
    if (isReadMethod(method)) counter.reads++;
    else counter.writes++;
  };
  const client: B24Client = {
    portalId: inner.portalId,
    call: (method, params) => (note(method), inner.call(method, params)),
    callRaw: (method, params) => (note(method), inner.callRaw(method, params)),
    batch: (calls, options) => {
      for (const c of Array.isArray(calls) ? calls : Object.values(calls)) note((c as B24Call).method);
      return inner.batch(calls, options);
    },
    callMany: (calls, options) => {
      for (const c of calls) note(c.method);
      return inner.callMany(calls, options);
    },
    callIdempotent: (method, params, lookup) => (note(method), inner.callIdempotent(method, params, lookup)),
    listAll: (method, params, options) => (note(method), inner.listAll(method, params, options)),
    listPages: (method, params, options) => (note(method), inner.listPages(method, params, options)),
    stats: (): B24ClientStats => inner.stats(),
  };
  return { client, counter };
}
