import { Alert, Button } from '@mui/material';
import { roleLabelKey } from '../../../components/dealer-users-table.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinetShell } from './cabinet-shell-context.js';

/** Staff acting as a dealer user see it on every screen, with the way out; the server records them as the actor. */
export function ActAsBanner() {
  const { t } = useI18n();
  const { acting, stopActing } = useCabinetShell();
  if (!acting) return null;
  return (
    <Alert
      severity="warning"
      variant="filled"
      sx={{ mb: 1.5, alignItems: 'center' }}
      data-testid="act-as-banner"
      action={
        <Button color="inherit" size="small" variant="outlined" onClick={stopActing} data-testid="act-as-exit" sx={{ whiteSpace: 'nowrap' }}>
          {t('cab.actAs.exit')}
        </Button>
      }
    >
      {t('cab.actAs.banner', { user: acting.user.name, role: t(roleLabelKey(acting.user.role)), dealer: acting.dealer.title })}
    </Alert>
  );
}
