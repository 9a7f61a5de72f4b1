import { createContext, useContext } from 'react';
import type { AxiosInstance } from 'axios';
import type { WidgetBootstrap } from './bootstrap.js';

export interface WidgetContextValue {
  boot: WidgetBootstrap;
  api: AxiosInstance;
}

export const WidgetContext = createContext<WidgetContextValue | null>(null);

export function useWidget(): WidgetContextValue {
  const value = useContext(WidgetContext);
  if (!value) throw new Error('useWidget outside of a booted widget');
  return value;
}
