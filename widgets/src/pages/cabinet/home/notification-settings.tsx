import { Alert, Box, FormControlLabel, Switch, Typography } from '@mui/material';
import { useState } from 'react';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { Section } from '../../../components/section.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useWidget } from '../../../shell/widget-context.js';
import type { NotificationSettings } from '../cabinet-types.js';

/** The dealer user's own notices: each kind on or off, and the e-mail copy (PUT /notifications/settings). */
export function NotificationSettingsSection() {
  const { t } = useI18n();
  const { api } = useWidget();
  const state = useApi<NotificationSettings>('/notifications/settings');
  const [saved, setSaved] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The switch moves at once (a switch that waits for the server feels broken); a refused save puts it back.
  const save = async (current: NotificationSettings, patch: { kinds?: Record<string, boolean>; email?: boolean }) => {
    setError(null);
    setSaved({
      ...current,
      kinds: current.kinds.map((k) => (patch.kinds && k.kind in patch.kinds ? { ...k, enabled: patch.kinds[k.kind]! } : k)),
      email: patch.email === undefined ? current.email : { ...current.email, enabled: patch.email },
    });
    try {
      setSaved((await api.put<NotificationSettings>('/notifications/settings', patch)).data);
    } catch (err) {
      setSaved(current);
      setError((err as Error).message);
    }
  };
  return (
    <Section title={t('cab.notify.title')} testId="notification-settings">
      <AsyncView state={state}>
        {(loaded) => {
          const s = saved ?? loaded;
          return (
            <Box>
              {s.kinds.map((k) => (
                <FormControlLabel
                  key={k.kind}
                  sx={{ display: 'flex', m: 0, justifyContent: 'space-between' }}
                  labelPlacement="start"
                  label={<Typography variant="body2">{k.label}</Typography>}
                  control={<Switch size="small" checked={k.enabled} onChange={(e) => void save(s, { kinds: { [k.kind]: e.target.checked } })} slotProps={{ input: { 'aria-label': k.label, 'data-kind': k.kind } as never }} />}
                />
              ))}
              <FormControlLabel
                sx={{ display: 'flex', m: 0, justifyContent: 'space-between', borderTop: 1, borderColor: 'divider', mt: 0.5, pt: 0.5 }}
                labelPlacement="start"
                label={
                  <Box>
                    <Typography variant="body2">{t('cab.notify.email')}</Typography>
                    <Typography variant="caption" color="text.secondary">
                      {!s.email.configured ? t('cab.notify.emailOff') : (s.email.address ?? t('cab.notify.noAddress'))}
                    </Typography>
                  </Box>
                }
                control={<Switch size="small" checked={s.email.enabled} disabled={!s.email.configured} onChange={(e) => void save(s, { email: e.target.checked })} />}
              />
              {error && (
                <Alert severity="error" sx={{ mt: 1 }}>
                  {error}
                </Alert>
              )}
            </Box>
          );
        }}
      </AsyncView>
    </Section>
  );
}
