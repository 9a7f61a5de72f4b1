import { Alert, AlertTitle, Box, Button, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { ErrorState } from '../../components/error-state.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';
import { useWidget } from '../../shell/widget-context.js';
import { installText } from './messages.js';
import { StepList } from './StepList.js';
import { useInstallProgress } from './use-install-progress.js';

type Finish = { state: 'idle' | 'finishing' | 'finished' | 'outside' } | { state: 'failed'; message: string };

/**
 * The install slider (settings/app-installation/installation-finish.md): shows the installer's steps as they run, its
 * errors with a retry, and once the portal is set up calls installFinish() through the official SDK frame; the backend
 * then confirms it with app.info. Widgets and events stay inactive until then.
 */
export function InstallPage() {
  const { boot, api } = useWidget();
  const { lang } = useI18n();
  const t = installText(lang);
  const { frame } = useFrame();
  const { progress, error, retry, retrying } = useInstallProgress();
  const [finish, setFinish] = useState<Finish>({ state: 'idle' });
  const started = useRef(false);

  const done = progress?.state === 'done';
  useEffect(() => {
    if (!done || started.current) return;
    if (progress?.installFinished) {
      setFinish({ state: 'finished' });
      return;
    }
    if (!frame) {
      // The frame may still be connecting; say how to finish if it never does.
      const wait = setTimeout(() => setFinish((f) => (f.state === 'idle' ? { state: 'outside' } : f)), 3000);
      return () => clearTimeout(wait);
    }
    started.current = true;
    setFinish({ state: 'finishing' });
    // The portal reloads this frame right after installFinish: ask the backend to confirm it first (it checks
    // app.info in the background), then finish, then confirm directly if the page is still here.
    api
      .post('/install/finished')
      .then(() => frame.installFinish())
      .then(() => api.post('/install/finished'))
      .then(() => setFinish({ state: 'finished' }))
      .catch((err: unknown) => setFinish({ state: 'failed', message: err instanceof Error ? err.message : String(err) }));
    return undefined;
  }, [done, frame, api, progress?.installFinished]);

  if (!progress && error) return <ErrorState error={error} />;
  const total = progress?.steps.reduce((n, s) => n + s.total, 0) ?? 0;
  const settled = progress?.steps.reduce((n, s) => n + s.done + s.failed, 0) ?? 0;
  const percent = done ? 100 : total ? Math.round((settled / total) * 100) : 0;
  const state = progress?.state ?? 'idle';

  return (
    <Box sx={{ p: 3, maxWidth: 720 }} data-install-state={state} data-finish={finish.state}>
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Stack spacing={2}>
          <Box>
            <Typography variant="h5" component="h1">
              {t('title')}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {t('subtitle', { domain: boot.portal.domain })}
            </Typography>
          </Box>
          <Box>
            <Typography variant="body1" sx={{ mb: 1 }} role="status">
              {state === 'retrying' ? t('state.retrying', { attempt: (progress?.job?.attempts ?? 0) + 1, max: progress?.job?.maxAttempts ?? 1 }) : t(`state.${state}`)}
            </Typography>
            <LinearProgress
              variant={state === 'queued' || state === 'idle' ? 'indeterminate' : 'determinate'}
              value={percent}
              color={state === 'failed' ? 'error' : done ? 'success' : 'primary'}
            />
          </Box>
          {progress && <StepList steps={progress.steps} t={t} />}
          {progress && progress.errors.length > 0 && state !== 'done' && (
            <Alert
              severity={state === 'failed' ? 'error' : 'warning'}
              action={
                state === 'failed' ? (
                  <Button color="inherit" size="small" onClick={() => void retry()} disabled={retrying}>
                    {retrying ? t('retrying') : t('retry')}
                  </Button>
                ) : undefined
              }
            >
              <AlertTitle>{t('errors')}</AlertTitle>
              {progress.errors.slice(0, 5).map((e, i) => (
                <Typography key={i} variant="body2">
                  {e.message} <Typography component="span" variant="caption" color="text.secondary">({e.code})</Typography>
                </Typography>
              ))}
            </Alert>
          )}
          {done && finish.state === 'finishing' && <Alert severity="info">{t('finishing')}</Alert>}
          {done && finish.state === 'finished' && <Alert severity="success">{t('finished')}</Alert>}
          {done && finish.state === 'outside' && <Alert severity="info">{t('finishOutside')}</Alert>}
          {done && finish.state === 'failed' && <Alert severity="warning">{t('finishFailed', { message: finish.message })}</Alert>}
          {progress && progress.notices.length > 0 && (
            <Alert severity="info" variant="outlined">
              <AlertTitle>{t('notices')}</AlertTitle>
              {progress.notices.slice(0, 10).map((n, i) => (
                <Typography key={i} variant="body2">
                  {n}
                </Typography>
              ))}
            </Alert>
          )}
        </Stack>
      </Paper>
    </Box>
  );
}
