import { CssBaseline, ThemeProvider } from '@mui/material';
import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from '../api/client.js';
import { I18nProvider, normalizeLang } from '../i18n/i18n.js';
import { theme } from '../theme/theme.js';
import { readBootstrap } from './bootstrap.js';
import { ErrorBoundary } from './error-boundary.js';
import { FrameProvider } from './frame.js';
import { WidgetContext } from './widget-context.js';

/**
 * Every widget entry calls this with its page component: one place for providers, session and frame set-up.
 * `minHeight`: the least frame height the page asks the portal for (a cabinet with dialogs and suggestion lists
 * needs room even over a short screen; a card tab fits its content).
 */
export function bootWidget(Page: ComponentType, options: { minHeight?: number } = {}): void {
  const boot = readBootstrap();
  const api = createApiClient(boot.session);
  const root = createRoot(document.getElementById('root')!);
  root.render(
    <StrictMode>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <I18nProvider lang={normalizeLang(boot.lang)}>
          <WidgetContext.Provider value={{ boot, api }}>
            <FrameProvider minHeight={options.minHeight ?? 0}>
              <ErrorBoundary>
                <Page />
              </ErrorBoundary>
            </FrameProvider>
          </WidgetContext.Provider>
        </I18nProvider>
      </ThemeProvider>
    </StrictMode>,
  );
}
