import { Alert, AlertTitle, Button } from '@mui/material';
import { ApiError } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';

function messageKey(error: unknown): MessageKey | null {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'error.session';
    if (error.status === 403) return 'error.forbidden';
    if (error.code === 'NETWORK') return 'error.network';
    return null;
  }
  return 'error.unexpected';
}

/** A failure a person can act on: what happened (the server's own message when it has one) and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const key = messageKey(error);
  const text = key ? t(key) : (error as ApiError).message;
  return (
    <Alert severity="error" action={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined} sx={{ m: 2 }}>
      <AlertTitle>{t('error.title')}</AlertTitle>
      {text}
    </Alert>
  );
}
