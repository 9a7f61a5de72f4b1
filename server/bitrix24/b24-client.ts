import type { B24Error } from './b24-error.js';

/**
 * The port the rest of DealerHub talks to Bitrix24 through (DESIGN.md §3). Adapters: createPortalClient (an installed
 * app's OAuth tokens) and createWebhookClient (an incoming webhook). Both are built on @bitrix24/b24jssdk.
 */

/** The `time` block of an answer (api-reference/data-types.md#time). */
export interface B24Time {
  start?: number;
  finish?: number;
  duration?: number;
  processing?: number;
  date_start?: string;
  date_finish?: string;
  operating_reset_at?: number;
  operating?: number;
}

/** A successful answer (settings/how-to-call-rest-api/list-methods-pecularities.md): list methods add total/next. */
export interface B24Envelope<T = unknown> {
  result: T;
  total?: number;
  next?: number;
  time?: B24Time;
}

export type B24Params = Record<string, unknown>;

export interface B24Call {
  method: string;
  params?: B24Params;
}

/** One command of a batch: result or error, plus total/next for list methods (settings/how-to-call-rest-api/batch.md). */
export interface B24BatchItem<T = unknown> {
  key: string;
  method: string;
  ok: boolean;
  result?: T;
  error?: B24Error;
  total?: number;
  next?: number;
  time?: B24Time;
}

export interface B24BatchResult<T = unknown> {
  /** In the order the commands were given. */
  items: Array<B24BatchItem<T>>;
  byKey: Record<string, B24BatchItem<T>>;
  time?: B24Time;
}

export type B24CallOutcome<T = unknown> =
  | { ok: true; result: T; total?: number; next?: number; /** Found by the lookup after an ambiguous failure. */ recovered?: boolean }
  | { ok: false; error: B24Error };

export interface CallManyOptions<T = unknown> {
  /** Batches in flight at once (the limiter still paces them). Default 4. */
  concurrency?: number;
  /**
   * For writes that are not idempotent: when a batch's answer is lost, its calls are looked up here in one go (e.g. one
   * list request filtered by their external ids) and only those answered with null are sent again. The answer is
   * positional: one entry per item. Without a lookup such calls end as `ambiguous`.
   */
  lookup?: (items: Array<{ call: B24Call; index: number }>) => Promise<Array<T | null | undefined>>;
  /** Rounds of resubmission for calls that were refused or not found by the lookup. Default 5. */
  maxRounds?: number;
}

export interface ListOptions {
  /** Where the rows are in `result` (crm.item.list: 'items'); found automatically when `result` has one array. */
  itemsKey?: string;
  /** The numeric id field used for the cursor ('id' for crm.item.*, 'ID' for classic methods). */
  idKey?: string;
  /**
   * 'cursor': order by id ASC, filter `>id` = last id, start = -1 (settings/performance/huge-data.md);
   * 'paged': start/next paging (needed for another order or a method without id filtering);
   * 'auto' (default): cursor for methods known to support it when no other order is asked for.
   */
  mode?: 'auto' | 'cursor' | 'paged';
}

export interface B24ClientStats {
  /** Logical calls made through the client (call/callRaw/batch each count 1). */
  calls: number;
  /** HTTP requests sent to the portal, retries and replays included (what the portal's rate limit counts). */
  hits: number;
  retries: number;
  /** QUERY_LIMIT_EXCEEDED answers the portal sent us (each was retried, none is surfaced). */
  limitErrors: number;
  operatingBlocks: number;
  ambiguous: number;
  /** Refresh requests this process sent to the OAuth server for this portal. */
  refreshes: number;
}

export interface B24Client {
  /** The tenant this client works for (undefined for webhook clients). */
  readonly portalId: number | undefined;
  /** Calls a method and returns `result`. Throws B24Error. */
  call<T = unknown>(method: string, params?: B24Params): Promise<T>;
  /** Calls a method and returns the whole envelope {result, total, next, time}. */
  callRaw<T = unknown>(method: string, params?: B24Params): Promise<B24Envelope<T>>;
  /** One `batch` request of at most 50 commands; `$result[key][field]` references work. halt defaults to false. */
  batch<T = unknown>(calls: Record<string, B24Call> | B24Call[], options?: { halt?: boolean }): Promise<B24BatchResult<T>>;
  /** Any number of independent calls, packed into batches of 50; outcomes in the order of `calls`, errors per call. */
  callMany<T = unknown>(calls: B24Call[], options?: CallManyOptions<T>): Promise<Array<B24CallOutcome<T>>>;
  /**
   * A non-idempotent write that must happen exactly once: on an ambiguous failure, `lookup` decides whether it was
   * applied (returns the object) or must be sent again (returns null).
   */
  callIdempotent<T = unknown>(method: string, params: B24Params, lookup: () => Promise<T | null>): Promise<T>;
  /** Every row of a list method. */
  listAll<T = Record<string, unknown>>(method: string, params?: B24Params, options?: ListOptions): Promise<T[]>;
  /** The rows of a list method page by page. */
  listPages<T = Record<string, unknown>>(method: string, params?: B24Params, options?: ListOptions): AsyncGenerator<T[], void, undefined>;
  stats(): B24ClientStats;
}
