import type { ReactNode } from 'react';
import type { ApiState } from '../api/use-api.js';
import { ErrorState } from './error-state.js';
import { Loading } from './loading.js';

/** Loading, error (with retry) or the content of one API read: every widget screen goes through the same three states. */
export function AsyncView<T>({ state, children }: { state: ApiState<T>; children: (data: T) => ReactNode }) {
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}
