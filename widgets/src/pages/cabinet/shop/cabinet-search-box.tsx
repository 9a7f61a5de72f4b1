import SearchIcon from '@mui/icons-material/Search';
import { Autocomplete, Box, InputAdornment, TextField, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { useWidget } from '../../../shell/widget-context.js';
import { useCabinet } from '../cabinet-context.js';
import { useCabinetShell } from '../shell/cabinet-shell-context.js';
import { ProductPicture } from './product-picture.js';
import type { SuggestAnswer, SuggestItem } from './shop-types.js';
import { useShopParams } from './use-shop-api.js';

export const MIN_SUGGEST_CHARS = 2;

/** An order whose number (or ERP number, or a line's SKU) matches what was typed: the same box finds orders too. */
interface OrderHit {
  kind: 'order';
  id: number;
  number: string;
  stage: { name: string };
  total: string;
  currency: string;
}
type SearchOption = SuggestItem | OrderHit;
const DEBOUNCE_MS = 150;

/**
 * The cabinet's global search: suggestions from the second letter with picture, price and stock (the server fixes a
 * wrong keyboard layout or a typo and says so: shown above the list), arrows to move, Enter on a suggestion opens its
 * card, Enter on the text opens the catalog filtered by it. Orders of the viewer whose number matches come first.
 */
export function CabinetSearchBox() {
  const { t, money, number } = useI18n();
  const { api } = useWidget();
  const { go, params: screenParams, screen } = useCabinet();
  const shop = useShopParams();
  const { ordersScope } = useCabinetShell();
  const [orders, setOrders] = useState<OrderHit[]>([]);
  const searched = screen === 'catalog' && typeof screenParams.q === 'string' ? screenParams.q : '';
  const [text, setText] = useState(searched);
  // A search closed (its chip, "reset all") or a screen other than the catalog clears the box, so an old query does
  // not sit in the header over the cart or an order; a card opened from a suggestion keeps what was typed.
  const shownSearch = useRef(searched);
  useEffect(() => {
    if (screen !== 'catalog' || searched !== shownSearch.current) setText(searched);
    shownSearch.current = searched;
  }, [searched, screen]);
  const [answer, setAnswer] = useState<SuggestAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const query = text.trim();
    const mine = ++seq.current;
    if (query.length < MIN_SUGGEST_CHARS) {
      setAnswer(null);
      setOrders([]);
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .get<SuggestAnswer>('/search/suggest', { params: { ...shop.catalog, q: query, limit: 8 } })
        .then((res) => mine === seq.current && setAnswer(res.data))
        .catch(() => mine === seq.current && setAnswer(null))
        .finally(() => mine === seq.current && setLoading(false));
      // A role without orders (403) simply gets no order hits.
      api
        .get<{ items: Array<Omit<OrderHit, 'kind'>> }>('/orders', { params: { ...ordersScope, q: query, limit: 3 } })
        .then((res) => mine === seq.current && setOrders(res.data.items.map((o) => ({ kind: 'order' as const, id: o.id, number: o.number, stage: o.stage, total: o.total, currency: o.currency }))))
        .catch(() => mine === seq.current && setOrders([]));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, text, shop.catalog, ordersScope]);

  const options: SearchOption[] = text.trim().length >= MIN_SUGGEST_CHARS ? [...orders, ...(answer?.items ?? [])] : [];
  const corrected = answer?.correctedQuery ?? null;
  const searchAll = (value: string) => {
    const q = value.trim();
    if (q) go('catalog', { q });
  };

  return (
    <Autocomplete<SearchOption, false, false, true>
      freeSolo
      size="small"
      options={options}
      filterOptions={(x) => x}
      loading={loading}
      inputValue={text}
      onInputChange={(_e, value, reason) => reason !== 'reset' && setText(value)}
      onChange={(_e, value) => {
        if (typeof value === 'string') searchAll(value);
        else if (value?.kind === 'order') go('order', { orderId: value.id });
        else if (value) go('catalog', { productId: value.id, ...(text.trim() ? { q: text.trim() } : {}) });
      }}
      getOptionLabel={(o) => (typeof o === 'string' ? o : o.kind === 'order' ? o.number : o.name)}
      value={null}
      blurOnSelect
      clearOnBlur={false}
      groupBy={(o) => (o.kind === 'order' ? t('shop.search.orders') : corrected ? t('shop.search.correctedShort', { q: corrected }) : '')}
      renderGroup={(g) => (
        <li key={g.key}>
          {g.group && <Typography variant="caption" sx={{ display: 'block', px: 1.5, py: 0.5, bgcolor: 'info.50', color: 'info.dark' }} data-testid={g.group === t('shop.search.orders') ? 'search-orders-head' : 'search-corrected'}>{g.group}</Typography>}
          <ul style={{ padding: 0 }}>{g.children}</ul>
        </li>
      )}
      noOptionsText={text.trim().length < MIN_SUGGEST_CHARS ? t('shop.search.typeMore') : t('shop.search.nothing')}
      loadingText={t('common.loading')}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        if (o.kind === 'order') {
          return (
            <Box component="li" key={key} {...rest} sx={{ display: 'flex', gap: 1, alignItems: 'center', py: '4px !important' }} data-testid="search-order">
              <Typography variant="body2" sx={{ fontWeight: 600, flex: 1 }}>{t('shop.search.order', { number: o.number })}</Typography>
              <Typography variant="caption" color="text.secondary">{o.stage.name}</Typography>
              <Typography variant="body2" sx={{ fontWeight: 600, minWidth: 90, textAlign: 'right' }}>{money(o.total, o.currency)}</Typography>
            </Box>
          );
        }
        return (
          <Box component="li" key={key} {...rest} sx={{ display: 'flex', gap: 1, alignItems: 'center', py: '4px !important' }} data-testid="search-option">
            <ProductPicture src={o.picture} size={36} />
            <Box sx={{ flex: 1, minWidth: 0 }}>
              <Typography variant="body2" noWrap title={o.name}>{o.name}</Typography>
              <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>{o.sku}</Typography>
            </Box>
            <Box sx={{ textAlign: 'right', flexShrink: 0 }}>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>{o.price ? money(o.price.unitPrice, o.price.currency) : '—'}</Typography>
              <Typography variant="caption" sx={{ color: o.stock.inStock ? 'success.dark' : 'text.secondary' }}>{o.stock.inStock ? number(o.stock.available) : t('shop.stock.none')}</Typography>
            </Box>
          </Box>
        );
      }}
      renderInput={(p) => (
        <TextField
          {...p}
          placeholder={t('shop.search.placeholder')}
          slotProps={{
            ...p.slotProps,
            input: { ...p.slotProps.input, startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> },
            htmlInput: { ...p.slotProps.htmlInput, 'data-testid': 'search-input', 'aria-label': t('common.search') },
          }}
        />
      )}
      slotProps={{ paper: { sx: { minWidth: 420 } }, listbox: { sx: { maxHeight: 420 } } }}
      sx={{ minWidth: 280, flex: 1, maxWidth: 560 }}
      data-testid="search-box"
    />
  );
}
