import SearchIcon from '@mui/icons-material/Search';
import { Autocomplete, Box, InputAdornment, TextField, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { useWidget } from '../../../shell/widget-context.js';
import { useCabinet } from '../cabinet-context.js';
import { ProductPicture } from './product-picture.js';
import type { SuggestAnswer, SuggestItem } from './shop-types.js';
import { useShopParams } from './use-shop-api.js';

export const MIN_SUGGEST_CHARS = 2;
const DEBOUNCE_MS = 150;

/**
 * The cabinet's global search: suggestions from the second letter with picture, price and stock (the server fixes a
 * wrong keyboard layout or a typo and says so: shown above the list), arrows to move, Enter on a suggestion opens its
 * card, Enter on the text opens the catalog filtered by it.
 */
export function CabinetSearchBox() {
  const { t, money, number } = useI18n();
  const { api } = useWidget();
  const { go, params: screenParams, screen } = useCabinet();
  const shop = useShopParams();
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
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, text, shop.catalog]);

  const options: SuggestItem[] = text.trim().length >= MIN_SUGGEST_CHARS ? (answer?.items ?? []) : [];
  const corrected = answer?.correctedQuery ?? null;
  const searchAll = (value: string) => {
    const q = value.trim();
    if (q) go('catalog', { q });
  };

  return (
    <Autocomplete<SuggestItem, false, false, true>
      freeSolo
      size="small"
      options={options}
      filterOptions={(x) => x}
      loading={loading}
      inputValue={text}
      onInputChange={(_e, value, reason) => reason !== 'reset' && setText(value)}
      onChange={(_e, value) => {
        if (typeof value === 'string') searchAll(value);
        else if (value) go('catalog', { productId: value.id, ...(text.trim() ? { q: text.trim() } : {}) });
      }}
      getOptionLabel={(o) => (typeof o === 'string' ? o : o.name)}
      value={null}
      blurOnSelect
      clearOnBlur={false}
      groupBy={() => (corrected ? t('shop.search.correctedShort', { q: corrected }) : '')}
      renderGroup={(g) => (
        <li key={g.key}>
          {g.group && <Typography variant="caption" sx={{ display: 'block', px: 1.5, py: 0.5, bgcolor: 'info.50', color: 'info.dark' }} data-testid="search-corrected">{g.group}</Typography>}
          <ul style={{ padding: 0 }}>{g.children}</ul>
        </li>
      )}
      noOptionsText={text.trim().length < MIN_SUGGEST_CHARS ? t('shop.search.typeMore') : t('shop.search.nothing')}
      loadingText={t('common.loading')}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
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
