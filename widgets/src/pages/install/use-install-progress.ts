import { useCallback, useEffect, useRef, useState } from 'react';
import { useWidget } from '../../shell/widget-context.js';
import type { InstallProgress } from './install-progress.types.js';

const POLL_MS = 1500;
const isSettled = (p: InstallProgress | undefined) => p?.state === 'done' || p?.state === 'failed';

/** Polls the install progress until the run is done or failed; `retry` starts another run and resumes polling. */
export function useInstallProgress() {
  const { api } = useWidget();
  const [progress, setProgress] = useState<InstallProgress>();
  const [error, setError] = useState<unknown>(null);
  const [retrying, setRetrying] = useState(false);
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    const poll = async () => {
      try {
        const res = await api.get<InstallProgress>('/install/progress');
        if (cancelled) return;
        setProgress(res.data);
        setError(null);
        if (!isSettled(res.data)) timer.current = setTimeout(poll, POLL_MS);
      } catch (err) {
        if (cancelled) return;
        setError(err);
        timer.current = setTimeout(poll, POLL_MS * 2);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer.current);
    };
  }, [api, tick]);

  const retry = useCallback(async () => {
    setRetrying(true);
    try {
      await api.post('/install/retry');
      setProgress((p) => (p ? { ...p, state: 'queued', errors: [] } : p));
      setTick((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setRetrying(false);
    }
  }, [api]);

  return { progress, error, retry, retrying };
}
