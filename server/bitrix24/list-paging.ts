import { B24Error } from './b24-error.js';
import type { B24Params, ListOptions } from './b24-client.js';

/** A list page holds at most 50 rows (settings/how-to-call-rest-api/list-methods-pecularities.md). */
export const PAGE_SIZE = 50;

interface CursorShape {
  idKey: string;
  filterKey: string;
  /** Sets "order by id ascending" in the method's own parameter names. */
  orderBy(idKey: string): B24Params;
  /** The caller's own order, if any (to decide whether cursor paging keeps it). */
  requestedOrder(params: B24Params): Record<string, unknown> | undefined;
}

const classic = (idKey: string): CursorShape => ({
  idKey,
  filterKey: 'filter',
  orderBy: (k) => ({ order: { [k]: 'ASC' } }),
  requestedOrder: (p) => (p.order && typeof p.order === 'object' ? (p.order as Record<string, unknown>) : undefined),
});

/**
 * Methods whose filter and order by id work with start=-1 like ordinary paging (the condition huge-data.md puts on the
 * recipe). Others fall back to start/next paging unless the caller asks for `mode: 'cursor'`.
 */
const CURSOR_METHODS: Record<string, CursorShape> = {
  'crm.item.list': classic('id'),
  'crm.company.list': classic('ID'),
  'crm.contact.list': classic('ID'),
  'crm.deal.list': classic('ID'),
  'crm.lead.list': classic('ID'),
  'crm.quote.list': classic('ID'),
  'crm.requisite.list': classic('ID'),
  'crm.product.list': classic('ID'),
  'crm.activity.list': classic('ID'),
  'crm.timeline.comment.list': classic('ID'),
  // user.get names its parameters differently (api-reference/user/user-get.md): sort/order strings and FILTER.
  'user.get': {
    idKey: 'ID',
    filterKey: 'FILTER',
    orderBy: (k) => ({ sort: k, order: 'ASC' }),
    requestedOrder: (p) => (typeof p.sort === 'string' ? { [p.sort]: typeof p.order === 'string' ? p.order : 'ASC' } : undefined),
  },
};

/** Methods whose rows use a lower-case `id` (the crm.item.* family and its companions). */
const LOWER_ID = /^(crm\.item\.|crm\.type\.|crm\.category\.|userfieldconfig\.)/;

export function guessIdKey(method: string): string {
  return CURSOR_METHODS[method]?.idKey ?? (LOWER_ID.test(method) ? 'id' : 'ID');
}

export interface ListPlan {
  mode: 'cursor' | 'paged';
  idKey: string;
  shape: CursorShape;
}

export function planList(method: string, params: B24Params, options: ListOptions = {}): ListPlan {
  const known = CURSOR_METHODS[method];
  const idKey = options.idKey ?? guessIdKey(method);
  const shape = known ?? classic(idKey);
  if (options.mode === 'paged') return { mode: 'paged', idKey, shape };
  if (options.mode === 'cursor') return { mode: 'cursor', idKey, shape };
  if (!known) return { mode: 'paged', idKey, shape };
  const order = shape.requestedOrder(params);
  const orderKeys = order ? Object.keys(order) : [];
  // Another order than "id ascending" cannot be kept by an id cursor: page normally.
  const keepsIdOrder = orderKeys.length === 0 || (orderKeys.length === 1 && orderKeys[0]!.toLowerCase() === idKey.toLowerCase() && String(order![orderKeys[0]!]).toUpperCase() === 'ASC');
  if (!keepsIdOrder) return { mode: 'paged', idKey, shape };
  // An explicit offset means the caller pages by hand.
  if (params.start !== undefined && Number(params.start) !== -1 && Number(params.start) !== 0) return { mode: 'paged', idKey, shape };
  return { mode: 'cursor', idKey, shape };
}

/** The next cursor request: order by id ASC, filter `>id` = last id seen, start = -1 (no total counted). */
export function cursorParams(params: B24Params, plan: ListPlan, lastId: string | number | undefined): B24Params {
  const { shape, idKey } = plan;
  const userFilter = (params[shape.filterKey] && typeof params[shape.filterKey] === 'object' ? params[shape.filterKey] : {}) as Record<string, unknown>;
  const filter: Record<string, unknown> = { ...userFilter };
  const gtKey = `>${idKey}`;
  const userFloor = userFilter[gtKey];
  if (lastId !== undefined) {
    filter[gtKey] = userFloor !== undefined && Number(userFloor) > Number(lastId) ? userFloor : lastId;
  }
  const next: B24Params = { ...params, [shape.filterKey]: filter, start: -1 };
  if (shape.filterKey === 'FILTER') delete next.sort;
  delete next.order;
  return { ...next, ...shape.orderBy(idKey) };
}

/** The rows of a list answer: the array itself, result[itemsKey], or the one array-valued property of result. */
export function extractItems<T>(method: string, result: unknown, itemsKey?: string): T[] {
  if (itemsKey !== undefined) {
    const v = (result as Record<string, unknown> | null)?.[itemsKey];
    return Array.isArray(v) ? (v as T[]) : [];
  }
  if (Array.isArray(result)) return result as T[];
  if (result && typeof result === 'object') {
    const arrays = Object.values(result).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0] as T[];
    if (Object.keys(result).length === 0) return [];
  }
  throw new B24Error({ code: 'LIST_SHAPE_UNKNOWN', kind: 'invalid_request', method, description: 'cannot find the rows in the answer; pass itemsKey' });
}
