import { equalityHint, evaluate, filterMembers, parseFilter, type EvalOptions, type FilterNode } from './odata-filter.js';

/**
 * Query execution for emulated OData collections that may be large (100 000 products, 700 000 price rows) without
 * holding them in memory: a source produces row #i on demand; the engine evaluates $filter, sorts by $orderby and keeps
 * only the matching row numbers (a plan) in a small cache keyed by (filter, orderby, source version), so paging through
 * a big result with $top/$skip costs one scan, not one per page — what a database index would give a real ERP.
 */

export type Row = Record<string, unknown>;

export interface RowSource {
  readonly name: string;
  size(): number;
  row(i: number): Row;
  /** Bumped whenever rows change; invalidates cached plans. */
  version(): number;
  /** Cheap rows carrying only `lightFields`, used when the filter and order need nothing else. */
  light?(i: number): Row;
  lightFields?: ReadonlySet<string>;
  /** Row numbers that may have `field` equal to one of `values` (lower-case); undefined when there is no index. */
  lookup?(field: string, values: string[]): number[] | undefined;
  /** Fields with an index for lookup(). */
  indexedFields?: readonly string[];
}

export interface QueryOptions {
  filter?: string | null;
  orderby?: string | null;
  top?: number | null;
  skip?: number | null;
  select?: string | null;
  count?: boolean;
  /** Hard cap per answer (D365 pages at 10 000); the caller adds a next link when the page is full. */
  maxPageSize?: number;
  evalOptions?: EvalOptions;
}

export interface QueryResult {
  rows: Row[];
  /** Total matching rows (for $inlinecount / $count and next links). */
  total: number;
  /** Index in the matching rows after the last returned one. */
  end: number;
}

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

interface Plan {
  indexes: Int32Array;
}

interface OrderKey {
  field: string;
  desc: boolean;
}

export function parseOrderby(text: string | null | undefined): OrderKey[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [field, dir] = part.trim().split(/\s+/);
    if (!field) throw new QueryError(`bad $orderby "${text}"`);
    if (dir && !/^(asc|desc)$/i.test(dir)) throw new QueryError(`bad $orderby direction "${dir}"`);
    return { field, desc: /^desc$/i.test(dir ?? '') };
  });
}

function get(row: Row, path: string): unknown {
  let cur: unknown = row;
  for (const seg of path.split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Row)[seg];
  }
  return cur;
}

function cmpSortValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Applies $select: top-level fields, and `Section/Field` inside inline tabular sections (1C). */
export function applySelect(row: Row, select: string | null | undefined): Row {
  if (!select || select.trim() === '*') return row;
  const out: Row = {};
  const nested = new Map<string, string[]>();
  for (const raw of select.split(',')) {
    const field = raw.trim();
    if (!field) continue;
    const slash = field.indexOf('/');
    if (slash > 0) {
      const head = field.slice(0, slash);
      nested.set(head, [...(nested.get(head) ?? []), field.slice(slash + 1)]);
    } else if (field in row) {
      out[field] = row[field];
    } else {
      throw new QueryError(`unknown property "${field}" in $select`);
    }
  }
  for (const [head, fields] of nested) {
    const section = row[head];
    if (!Array.isArray(section)) throw new QueryError(`"${head}" in $select is not a tabular section`);
    out[head] = section.map((r: Row) => Object.fromEntries(fields.map((f) => [f, r[f]])));
  }
  return out;
}

export function createQueryEngine(cacheSize = 24) {
  const cache = new Map<string, Plan>();

  function plan(source: RowSource, filter: FilterNode | null, filterText: string, order: OrderKey[], opt: EvalOptions): Plan {
    const key = `${source.name}\u0001${source.version()}\u0001${filterText}\u0001${order.map((o) => `${o.field} ${o.desc}`).join(',')}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const members = filter ? filterMembers(filter) : new Set<string>();
    for (const o of order) members.add(o.field);
    const useLight = !!source.light && !!source.lightFields && [...members].every((m) => source.lightFields?.has(m));
    const read = useLight ? (i: number) => (source.light as (i: number) => Row)(i) : (i: number) => source.row(i);

    let candidates: Iterable<number> | null = null;
    if (filter && source.lookup && source.indexedFields) {
      for (const field of source.indexedFields) {
        const values = equalityHint(filter, field);
        // A D365 wildcard (eq '*x*') is a pattern, not a key: no index for it.
        if (values && !(opt.wildcardEq && values.some((v) => v.includes('*')))) {
          const found = source.lookup(field, values);
          if (found) {
            candidates = [...new Set(found)].sort((a, b) => a - b);
            break;
          }
        }
      }
    }
    const matched: number[] = [];
    const keys: unknown[][] = [];
    const visit = (i: number) => {
      const row = read(i);
      if (filter && !evaluate(filter, row, opt)) return;
      matched.push(i);
      if (order.length) keys.push(order.map((o) => get(row, o.field)));
    };
    if (candidates) for (const i of candidates) visit(i);
    else for (let i = 0, n = source.size(); i < n; i++) visit(i);

    let indexes = Int32Array.from(matched);
    if (order.length) {
      const pos = Array.from(matched.keys());
      pos.sort((a, b) => {
        for (let k = 0; k < order.length; k++) {
          const c = cmpSortValue((keys[a] as unknown[])[k], (keys[b] as unknown[])[k]);
          if (c !== 0) return (order[k] as OrderKey).desc ? -c : c;
        }
        return (matched[a] as number) - (matched[b] as number);
      });
      indexes = Int32Array.from(pos.map((p) => matched[p] as number));
    }
    const result = { indexes };
    // Lookups by key lists are one-offs (chunks of 20 ids); caching them would only evict useful plans.
    if (!candidates) {
      cache.set(key, result);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    }
    return result;
  }

  return {
    run(source: RowSource, q: QueryOptions): QueryResult {
      let filter: FilterNode | null = null;
      if (q.filter && q.filter.trim()) {
        try {
          filter = parseFilter(q.filter);
        } catch (err) {
          throw new QueryError((err as Error).message);
        }
      }
      const order = parseOrderby(q.orderby);
      const p = plan(source, filter, q.filter ?? '', order, q.evalOptions ?? {});
      const total = p.indexes.length;
      const skip = Math.max(0, q.skip ?? 0);
      let take = q.top === null || q.top === undefined ? total - skip : Math.max(0, q.top);
      if (q.maxPageSize !== undefined) take = Math.min(take, q.maxPageSize);
      const end = Math.min(total, skip + take);
      const rows: Row[] = [];
      for (let k = skip; k < end; k++) rows.push(applySelect(source.row(p.indexes[k] as number), q.select));
      return { rows, total, end };
    },
    clear() {
      cache.clear();
    },
  };
}

export type QueryEngine = ReturnType<typeof createQueryEngine>;

/** A source over a plain array (small sets: warehouses, price types, dealers, orders). */
export function arraySource(name: string, rows: () => Row[], version: () => number, indexed: readonly string[] = ['Ref_Key']): RowSource {
  let builtFor = -1;
  let index = new Map<string, Map<string, number[]>>();
  const ensure = () => {
    if (builtFor === version()) return;
    index = new Map();
    const list = rows();
    for (const field of indexed) {
      const m = new Map<string, number[]>();
      list.forEach((r, i) => {
        const v = r[field];
        if (v === undefined || v === null) return;
        const k = String(v).toLowerCase();
        m.set(k, [...(m.get(k) ?? []), i]);
      });
      index.set(field, m);
    }
    builtFor = version();
  };
  return {
    name,
    size: () => rows().length,
    row: (i) => rows()[i] as Row,
    version,
    indexedFields: indexed,
    lookup(field, values) {
      ensure();
      const m = index.get(field);
      if (!m) return undefined;
      return values.flatMap((v) => m.get(v) ?? []);
    },
  };
}
