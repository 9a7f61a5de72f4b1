import { formatAtom } from '../core/dates.js';

/** The `time` object of every answer (api-reference/data-types.md#time, limits.md). Seconds as floats. */
export interface RestTime {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at?: number;
  operating?: number;
}

export function buildTime(args: {
  startMs: number;
  processStartMs: number;
  finishMs: number;
  operating?: { operating: number; resetAt: number } | null;
}): RestTime {
  const time: RestTime = {
    start: args.startMs / 1000,
    finish: args.finishMs / 1000,
    duration: (args.finishMs - args.startMs) / 1000,
    processing: Math.max(0, args.finishMs - args.processStartMs) / 1000,
    date_start: formatAtom(args.startMs),
    date_finish: formatAtom(args.finishMs),
  };
  if (args.operating) {
    time.operating_reset_at = Math.floor(args.operating.resetAt / 1000);
    time.operating = args.operating.operating;
  }
  return time;
}

/**
 * A list method's answer: the server lifts `next` and `total` from the method result to the top level of the
 * envelope (settings/how-to-call-rest-api/list-methods-pecularities.md). `total`/`next` are omitted when undefined,
 * e.g. for `start=-1` (settings/performance/huge-data.md).
 */
export class ListAnswer {
  constructor(
    readonly result: unknown,
    readonly total?: number,
    readonly next?: number,
  ) {}
}

/**
 * Answers the page of `rows` that `start` asks for, 50 per page. `start = -1` skips the count, so neither `total`
 * nor `next` is given and the caller pages by an ID cursor (settings/performance/huge-data.md).
 */
export function pageOf<T>(rows: T[], start: number, wrap: (page: T[]) => unknown = (p) => p, pageSize = 50): ListAnswer {
  if (start === -1) return new ListAnswer(wrap(rows.slice(0, pageSize)));
  const from = Math.max(0, start);
  const page = rows.slice(from, from + pageSize);
  const next = from + pageSize < rows.length ? from + pageSize : undefined;
  return new ListAnswer(wrap(page), rows.length, next);
}
