import { useCallback, useMemo, useState } from 'react';
import { ApiError } from '../../../api/client.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useWidget } from '../../../shell/widget-context.js';
import { useCabinet } from '../cabinet-context.js';

/**
 * The query parameters every shop call carries: the act-as scope (catalog: dealerId; cart: actAs) and, for the cart,
 * the legal entity the cart is for.
 */
export function useShopParams() {
  const { scope, companyId } = useCabinet();
  return useMemo(
    () => ({
      catalog: { ...scope.catalog } as Record<string, string | number>,
      cart: { ...scope.cart, ...(companyId ? { companyId } : {}) } as Record<string, string | number>,
    }),
    [scope, companyId],
  );
}

/** The server's own message for a failed change (it names the field and what to do), else a generic one. */
export function useErrorText() {
  const { t } = useI18n();
  return useCallback(
    (error: unknown): string => {
      if (error instanceof ApiError) {
        if (error.status === 401) return t('error.session');
        if (error.status === 403) return t('error.forbidden');
        if (error.code === 'NETWORK') return t('error.network');
        const details = Array.isArray(error.details) ? (error.details as Array<{ field?: string; message?: string }>).map((d) => d.message).filter(Boolean) : [];
        return details.length ? `${error.message}: ${details.join('; ')}` : error.message;
      }
      return t('error.unexpected');
    },
    [t],
  );
}

/**
 * One cart change at a time: runs it, tells the shell the cart changed (the badge and other screens reload) and keeps
 * the error text for the screen to show.
 */
export function useCartAction() {
  const { api } = useWidget();
  const { cartChanged } = useCabinet();
  const params = useShopParams();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <T,>(call: (api: ReturnType<typeof useWidget>['api'], cartParams: Record<string, string | number>) => Promise<{ data: T }>): Promise<T | null> => {
      setBusy(true);
      setError(null);
      try {
        const res = await call(api, params.cart);
        cartChanged();
        return res.data;
      } catch (err) {
        setError(errorText(err));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [api, params.cart, cartChanged, errorText],
  );
  return { run, busy, error, setError };
}
