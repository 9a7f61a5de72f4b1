import GridViewIcon from '@mui/icons-material/GridView';
import TableRowsIcon from '@mui/icons-material/TableRows';
import FilterListIcon from '@mui/icons-material/FilterList';
import { Alert, Badge, Box, Button, Chip, Drawer, FormControlLabel, MenuItem, Paper, Switch, TextField, ToggleButton, ToggleButtonGroup, Typography, useMediaQuery, type Theme } from '@mui/material';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../../../api/use-api.js';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorState } from '../../../components/error-state.js';
import { Loading } from '../../../components/loading.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { FacetFilters } from './facet-filters.js';
import { GroupTree } from './group-tree.js';
import { ProductCardDialog } from './product-card-dialog.js';
import { ProductTiles } from './product-tiles.js';
import { catalogQueryParams, SORTS, type CatalogState } from './catalog-query.js';

// The data grid is most of the cabinet's weight: it loads with the first table view, not with the cabinet.
const ProductTable = lazy(() => import('./product-table.js').then((m) => ({ default: m.ProductTable })));
import type { GroupNode, ProductPage, Warehouses } from './shop-types.js';
import { useShopParams } from './use-shop-api.js';

const VIEW_KEY = 'dealerhub.catalog.view';

/**
 * The catalog: groups on the left with their counts, facets under them, the toolbar (sort, in stock, stock scope,
 * view), then the goods as a dense table or as tiles, one server page at a time. A product's card opens over it from
 * the `productId` screen parameter, so the search box and analog links open it the same way.
 */
export function CatalogScreen() {
  const { t } = useI18n();
  const { params, go } = useCabinet();
  const shop = useShopParams();
  const q = typeof params.q === 'string' ? params.q : '';
  const [state, setState] = useState<CatalogState>({ group: null, filters: {}, inStock: false, scope: '', sort: '', page: 1, pageSize: 50 });
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [view, setView] = useState<'table' | 'tiles'>(() => (localStorage.getItem(VIEW_KEY) === 'tiles' ? 'tiles' : 'table'));
  // A new search starts from the first page with no facets chosen (the old ones may not exist in the new match).
  useEffect(() => setState((s) => ({ ...s, filters: {}, page: 1, sort: '' })), [q]);
  const groups = useApi<{ groups: GroupNode[] }>('/catalog/groups');
  const warehouses = useApi<Warehouses>('/catalog/warehouses');
  const query = useMemo(() => ({ ...shop.catalog, ...catalogQueryParams(state, q) }), [shop.catalog, state, q]);
  const products = useApi<ProductPage>('/catalog/products', query);
  const update = (patch: Partial<CatalogState>) => setState((s) => ({ ...s, page: 1, ...patch }));
  const productId = params.productId ? Number(params.productId) : null;
  const openCard = useCallback((id: number) => go('catalog', { ...(q ? { q } : {}), productId: id }), [go, q]);
  const closeCard = () => go('catalog', q ? { q } : {});
  const total = (groups.data?.groups ?? []).reduce((n, g) => n + g.productCount, 0);
  const page = products.data;
  const cardScope = { ...(query.city ? { city: String(query.city) } : {}), ...(query.warehouse ? { warehouse: Number(query.warehouse) } : {}) };

  const chosen = Object.values(state.filters).reduce((n, values) => n + values.length, 0) + (state.group ? 1 : 0);
  const sidebar = (
    <>
      <Typography variant="caption" sx={{ display: 'block', px: 1, pt: 1, textTransform: 'uppercase', color: 'text.secondary', fontWeight: 600 }}>{t('shop.catalog.groups')}</Typography>
      {groups.error ? <ErrorState error={groups.error} onRetry={groups.reload} /> : groups.data ? <GroupTree groups={groups.data.groups} selected={state.group} total={total} onSelect={(group) => update({ group, filters: {} })} /> : <Loading />}
      {page && <FacetFilters facets={page.facets} filters={state.filters} onChange={(filters) => update({ filters })} />}
    </>
  );

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '260px 1fr' }, gap: 1.5, alignItems: 'start' }} data-testid="catalog-screen">
      {/* Groups and facets scroll on their own: a whole catalog's facets would otherwise stretch the frame. A narrow
          frame (the messenger's app panel on a laptop) keeps the whole width for the goods and opens them in a drawer. */}
      {narrow ? (
        <Drawer open={filtersOpen} onClose={() => setFiltersOpen(false)} slotProps={{ paper: { sx: { width: 300, maxWidth: '85vw' } } }}>
          <Box data-testid="catalog-sidebar">
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1, py: 0.5, borderBottom: 1, borderColor: 'divider', position: 'sticky', top: 0, bgcolor: 'background.paper', zIndex: 1 }}>
              <Typography variant="body2" sx={{ flex: 1, fontWeight: 600 }}>{page ? t('shop.catalog.found', { n: page.total }) : t('shop.catalog.groupsAndFilters')}</Typography>
              <Button size="small" variant="contained" onClick={() => setFiltersOpen(false)} data-testid="catalog-filters-close">{t('shop.catalog.showGoods')}</Button>
            </Box>
            {sidebar}
          </Box>
        </Drawer>
      ) : (
        <Paper sx={{ overflowY: 'auto', maxHeight: 740 }} data-testid="catalog-sidebar">{sidebar}</Paper>
      )}
      <Box sx={{ minWidth: 0 }}>
        <Paper sx={{ p: 1, mb: 1, display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center' }} data-testid="catalog-toolbar">
          {narrow && (
            <Badge badgeContent={chosen} color="primary">
              <Button size="small" variant="outlined" startIcon={<FilterListIcon />} onClick={() => setFiltersOpen(true)} data-testid="catalog-filters-open">{t('shop.catalog.groupsAndFilters')}</Button>
            </Badge>
          )}
          {q && <Chip label={t('shop.catalog.searchChip', { q })} onDelete={() => go('catalog', {})} size="small" color="primary" variant="outlined" data-testid="search-chip" />}
          <TextField select size="small" label={t('shop.catalog.sort')} value={state.sort || (q ? 'relevance' : 'name:asc')} onChange={(e) => update({ sort: e.target.value })} sx={{ minWidth: 190 }} slotProps={{ select: { inputProps: { 'data-testid': 'sort-select' } } }}>
            {SORTS.filter((s) => q || s !== 'relevance').map((s) => <MenuItem key={s} value={s}>{t(`shop.sort.${s.replace(':', '_')}` as 'shop.sort.name_asc')}</MenuItem>)}
          </TextField>
          <TextField select size="small" label={t('shop.catalog.stockScope')} value={state.scope} onChange={(e) => update({ scope: e.target.value })} sx={{ minWidth: 200 }} data-testid="scope-select" slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}>
            <MenuItem value="">{t('shop.catalog.allWarehouses')}</MenuItem>
            {(warehouses.data?.cities ?? []).map((c) => <MenuItem key={`c-${c}`} value={`city:${c}`}>{t('shop.catalog.city', { city: c })}</MenuItem>)}
            {(warehouses.data?.warehouses ?? []).map((w) => <MenuItem key={`w-${w.id}`} value={`wh:${w.id}`} sx={{ pl: 3 }}>{w.name}{w.city ? ` (${w.city})` : ''}</MenuItem>)}
          </TextField>
          <FormControlLabel control={<Switch size="small" checked={state.inStock} onChange={(e) => update({ inStock: e.target.checked })} data-testid="in-stock" />} label={<Typography variant="body2">{t('shop.catalog.inStockOnly')}</Typography>} />
          <Box sx={{ flex: 1 }} />
          {page && <Typography variant="body2" color="text.secondary" data-testid="catalog-total">{t('shop.catalog.found', { n: page.total })}</Typography>}
          <ToggleButtonGroup size="small" exclusive value={view} onChange={(_e, v: 'table' | 'tiles' | null) => { if (v) { setView(v); localStorage.setItem(VIEW_KEY, v); } }}>
            <ToggleButton value="table" aria-label={t('shop.catalog.viewTable')} title={t('shop.catalog.viewTable')} data-testid="view-table"><TableRowsIcon fontSize="small" /></ToggleButton>
            <ToggleButton value="tiles" aria-label={t('shop.catalog.viewTiles')} title={t('shop.catalog.viewTiles')} data-testid="view-tiles"><GridViewIcon fontSize="small" /></ToggleButton>
          </ToggleButtonGroup>
        </Paper>
        {page?.correctedQuery && (
          <Alert severity="info" sx={{ mb: 1, py: 0 }} data-testid="corrected-query">{t('shop.search.corrected', { q: page.correctedQuery, typed: q })}</Alert>
        )}
        {products.error ? <ErrorState error={products.error} onRetry={products.reload} /> : null}
        {!page && !products.error && <Paper><Loading /></Paper>}
        {page && page.total === 0 && (
          <Paper data-testid="catalog-empty">
            <EmptyState
              title={q ? t('shop.catalog.nothingFoundFor', { q }) : t('shop.catalog.nothingFound')}
              action={<Button variant="outlined" size="small" onClick={() => { setState((s) => ({ ...s, filters: {}, inStock: false, group: null, page: 1 })); if (q) go('catalog', {}); }}>{t('shop.catalog.resetAll')}</Button>}
            />
          </Paper>
        )}
        {page && page.total > 0 && (view === 'table' ? (
          <Suspense fallback={<Loading />}>
            <ProductTable items={page.items} total={page.total} page={state.page} pageSize={state.pageSize} loading={products.loading} onPage={(p, size) => setState((s) => ({ ...s, page: size === s.pageSize ? p : 1, pageSize: size }))} onOpen={openCard} />
          </Suspense>
        ) : (
          <ProductTiles items={page.items} total={page.total} page={state.page} pageSize={state.pageSize} onPage={(p) => setState((s) => ({ ...s, page: p }))} onOpen={openCard} />
        ))}
      </Box>
      {productId && <ProductCardDialog productId={productId} scope={cardScope} onClose={closeCard} onOpen={openCard} />}
    </Box>
  );
}
