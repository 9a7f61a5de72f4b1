/** The catalog screen's choices and how they become the query of GET /api/catalog/products. */
export interface CatalogState {
  group: number | null;
  /** Property id → chosen values. */
  filters: Record<string, string[]>;
  inStock: boolean;
  /** '' = all warehouses, `city:<name>` or `wh:<id>`. */
  scope: string;
  /** '' = the default (relevance when searching, else name), or `<sort>:<dir>`, or 'relevance'. */
  sort: string;
  page: number;
  pageSize: number;
}

export const SORTS = ['relevance', 'name:asc', 'name:desc', 'price:asc', 'price:desc', 'popularity:desc', 'availability:desc'] as const;

export function catalogQueryParams(s: CatalogState, q: string): Record<string, string | number | Record<string, string[]>> {
  const out: Record<string, string | number | Record<string, string[]>> = { page: s.page, pageSize: s.pageSize };
  if (q.trim()) out.q = q.trim();
  if (s.group) out.group = s.group;
  const filters = Object.fromEntries(Object.entries(s.filters).filter(([, v]) => v.length));
  if (Object.keys(filters).length) out.filters = filters;
  if (s.inStock) out.inStock = 1;
  if (s.scope.startsWith('city:')) out.city = s.scope.slice(5);
  else if (s.scope.startsWith('wh:')) out.warehouse = Number(s.scope.slice(3));
  if (s.sort && s.sort !== 'relevance') {
    const [sort, dir] = s.sort.split(':');
    out.sort = sort!;
    out.dir = dir ?? 'asc';
  } else if (s.sort === 'relevance' && q.trim()) out.sort = 'relevance';
  return out;
}
