import { MenuItem, TextField } from '@mui/material';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { useCabinetShell } from './cabinet-shell-context.js';

/**
 * The legal entity of a holding the cart and checkout are for. One entity: shown as text, nothing to choose; the
 * choice is kept for the browser tab (cabinet-page.tsx).
 */
export function LegalEntitySwitcher() {
  const { t } = useI18n();
  const { companyId, setCompanyId } = useCabinet();
  const { legalEntities } = useCabinetShell();
  if (legalEntities.length === 0) return null;
  const main = legalEntities.find((e) => e.isMain) ?? legalEntities[0]!;
  const value = companyId ?? main.companyId;
  return (
    <TextField
      select
      size="small"
      label={t('cab.legalEntity')}
      value={value}
      disabled={legalEntities.length < 2}
      onChange={(e) => setCompanyId(Number(e.target.value) === main.companyId ? null : Number(e.target.value))}
      sx={{ minWidth: 220, maxWidth: 320 }}
      slotProps={{ htmlInput: { 'data-testid': 'legal-entity-switcher' } }}
    >
      {legalEntities.map((e) => (
        <MenuItem key={e.companyId} value={e.companyId}>
          {e.name}
          {e.inn ? ` · ${t('cab.inn')} ${e.inn}` : ''}
        </MenuItem>
      ))}
    </TextField>
  );
}
