import { Box, Link, Typography, useMediaQuery, type Theme } from '@mui/material';
import { DataGrid, type GridColDef, type GridPaginationModel } from '@mui/x-data-grid';
import { ruRU } from '@mui/x-data-grid/locales';
import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { AddToCart } from './add-to-cart.js';
import { PriceWithBreakdown } from './price-breakdown.js';
import { ProductPicture } from './product-picture.js';
import type { ProductListItem } from './shop-types.js';
import { StockLabel } from './stock-label.js';

export const PAGE_SIZES = [25, 50, 100, 200];

/**
 * The dense price-list view: one page from the server at a time (server paging; the grid virtualizes the rows of a
 * page), sorting chosen in the toolbar because it is done on the server with the dealer's own prices.
 */
export function ProductTable({ items, total, page, pageSize, loading, onPage, onOpen }: {
  items: ProductListItem[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPage(page: number, pageSize: number): void;
  onOpen(id: number): void;
}) {
  const { t, lang, number } = useI18n();
  // A narrow frame (the messenger's app panel at a laptop's width) has no room for an article column: the article
  // goes under the name, and the other columns shrink, so every column stays in view without scrolling sideways.
  const compact = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const columns = useMemo<GridColDef<ProductListItem>[]>(
    () => [
      { field: 'picture', headerName: '', width: 44, sortable: false, renderCell: (p) => <ProductPicture src={p.row.picture} size={32} /> },
      ...(compact ? [] : [{ field: 'sku', headerName: t('shop.col.sku'), width: 120, sortable: false, renderCell: (p) => <Sku row={p.row} /> } satisfies GridColDef<ProductListItem>]),
      {
        field: 'name',
        headerName: t('shop.col.name'),
        flex: 1,
        minWidth: compact ? 170 : 220,
        sortable: false,
        renderCell: (p) => (
          <Box sx={{ minWidth: 0 }}>
          <Link component="button" type="button" underline="hover" onClick={() => onOpen(p.row.id)} sx={{ textAlign: 'left', fontSize: 13, lineHeight: 1.3, whiteSpace: 'normal', overflow: 'hidden', display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', maxWidth: '100%' }} title={p.row.name} data-testid="product-name">
            {p.row.name}
          </Link>
          {compact && <Sku row={p.row} />}
          </Box>
        ),
      },
      { field: 'brand', headerName: t('shop.col.brand'), width: compact ? 96 : 110, sortable: false, valueGetter: (_v, row) => row.brand ?? '' },
      { field: 'price', headerName: t('shop.col.price'), width: 130, align: 'right', headerAlign: 'right', sortable: false, renderCell: (p) => <PriceWithBreakdown productId={p.row.id} price={p.row.price} /> },
      { field: 'stock', headerName: t('shop.col.stock'), width: compact ? 96 : 110, align: 'right', headerAlign: 'right', sortable: false, renderCell: (p) => <StockLabel stock={p.row.stock} unit={p.row.unit.name} /> },
      { field: 'add', headerName: t('shop.col.qty'), width: compact ? 150 : 170, sortable: false, renderCell: (p) => <AddToCart product={p.row} /> },
    ],
    [t, onOpen, compact],
  );
  const localeText = useMemo(
    () => ({
      ...(lang === 'ru' ? ruRU.components.MuiDataGrid.defaultProps.localeText : {}),
      paginationDisplayedRows: ({ from, to, count }: { from: number; to: number; count: number }) => t('shop.catalog.rowsOf', { from: number(from), to: number(to), count: number(count) }),
    }),
    [lang, t, number],
  );
  const model: GridPaginationModel = { page: page - 1, pageSize };
  return (
    <Box data-testid="product-table">
    <DataGrid
      rows={items}
      columns={columns}
      getRowId={(r) => r.id}
      rowCount={total}
      paginationMode="server"
      paginationModel={model}
      onPaginationModelChange={(m) => onPage(m.page + 1, m.pageSize)}
      pageSizeOptions={PAGE_SIZES}
      loading={loading}
      rowHeight={compact ? 60 : 48}
      columnHeaderHeight={36}
      disableColumnMenu
      disableColumnSorting
      disableRowSelectionOnClick
      localeText={localeText}
      sx={{ bgcolor: 'background.paper', height: 640, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' }, '& .MuiDataGrid-cell:focus, & .MuiDataGrid-cell:focus-within': { outline: 'none' } }}
    />
    </Box>
  );
}

/** The article (or the 1C code when there is none), in a column of its own or under the name in a narrow frame. */
function Sku({ row }: { row: ProductListItem }) {
  return <Typography variant="body2" sx={{ fontFamily: 'monospace', fontSize: 12, color: 'text.secondary' }} data-testid="product-sku">{row.sku ?? row.code ?? '—'}</Typography>;
}
