import { useCallback, useEffect, useRef, useState } from 'react';
import { useWidget } from '../shell/widget-context.js';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** GET a JSON resource from /api with loading / error / reload; a newer request wins over an older one. */
export function useApi<T>(path: string | null, params?: Record<string, unknown>): ApiState<T> {
  const { api } = useWidget();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: Boolean(path) });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const key = JSON.stringify(params ?? {});
  useEffect(() => {
    if (!path) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api
      .get<T>(path, { params: JSON.parse(key) as Record<string, unknown> })
      .then((res) => mine === seq.current && setState({ data: res.data, error: null, loading: false }))
      .catch((error: unknown) => mine === seq.current && setState((s) => ({ ...s, error, loading: false })));
  }, [api, path, key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
