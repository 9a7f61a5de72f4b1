import { Box, Button, Checkbox, FormControlLabel, Typography } from '@mui/material';
import { useState } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import type { Facet } from './shop-types.js';

const SHOWN = 6;

/**
 * Facets of the current match: OR inside a property, AND across properties; the counts come from the server and
 * narrow as values are chosen (a value's count is what the list would hold with it added).
 */
export function FacetFilters({ facets, filters, onChange }: { facets: Facet[]; filters: Record<string, string[]>; onChange(next: Record<string, string[]>): void }) {
  const { t } = useI18n();
  const chosen = Object.values(filters).some((v) => v.length);
  const toggle = (id: string, value: string) => {
    const cur = filters[id] ?? [];
    const next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
    const out = { ...filters, [id]: next };
    if (!next.length) delete out[id];
    onChange(out);
  };
  if (!facets.length) return null;
  return (
    <Box data-testid="facets">
      <Box sx={{ display: 'flex', alignItems: 'center', px: 1, pt: 1 }}>
        <Typography variant="caption" sx={{ flex: 1, textTransform: 'uppercase', color: 'text.secondary', fontWeight: 600 }}>{t('shop.catalog.filters')}</Typography>
        {chosen && <Button size="small" onClick={() => onChange({})} data-testid="facets-reset">{t('shop.catalog.resetFilters')}</Button>}
      </Box>
      {facets.map((f) => <FacetBlock key={f.id} facet={f} selected={filters[f.id] ?? []} onToggle={(v) => toggle(f.id, v)} />)}
    </Box>
  );
}

function FacetBlock({ facet, selected, onToggle }: { facet: Facet; selected: string[]; onToggle(value: string): void }) {
  const { t, number } = useI18n();
  const [all, setAll] = useState(false);
  // Chosen values stay visible even when they are past the first few.
  const values = all ? facet.values : facet.values.filter((v, i) => i < SHOWN || selected.includes(v.value));
  return (
    <Box sx={{ px: 1, py: 0.5, borderTop: 1, borderColor: 'divider' }} data-testid="facet" data-facet={facet.id}>
      <Typography variant="body2" sx={{ fontWeight: 600, my: 0.5 }}>{facet.name}</Typography>
      {values.map((v) => (
        <FormControlLabel
          key={v.value}
          sx={{ display: 'flex', mr: 0, ml: -0.5, '& .MuiFormControlLabel-label': { flex: 1, display: 'flex', minWidth: 0 } }}
          control={<Checkbox size="small" checked={selected.includes(v.value)} onChange={() => onToggle(v.value)} sx={{ p: 0.25 }} />}
          disabled={v.count === 0 && !selected.includes(v.value)}
          label={
            <>
              <Typography variant="body2" noWrap sx={{ flex: 1 }} title={v.value}>{v.value}</Typography>
              <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }} data-testid="facet-count">{number(v.count)}</Typography>
            </>
          }
          data-testid="facet-value"
          data-value={v.value}
        />
      ))}
      {facet.values.length > SHOWN && (
        <Button size="small" sx={{ px: 0.5, minWidth: 0 }} onClick={() => setAll((a) => !a)}>
          {all ? t('shop.catalog.fewer') : t('shop.catalog.moreValues', { n: facet.values.length - SHOWN })}
        </Button>
      )}
    </Box>
  );
}
