import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * One HTML entry per placement widget plus the dealer cabinet (widgets/pages/*.html). The placement handler serves
 * the built HTML with a signed session injected, so entries must not inline anything user-specific at build time.
 */
const pagesDir = resolve(import.meta.dirname, 'widgets/pages');
const input = Object.fromEntries(
  readdirSync(pagesDir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), resolve(pagesDir, f)]),
);

export default defineConfig({
  root: resolve(import.meta.dirname, 'widgets'),
  base: '/widgets/',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/widgets'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      input,
      output: {
        // Shared vendor chunks so each placement downloads React/MUI once and caches them across widgets.
        manualChunks(id) {
          if (id.includes('node_modules/@mui/x-data-grid')) return 'vendor-grid';
          if (id.includes('node_modules/@mui') || id.includes('node_modules/@emotion')) return 'vendor-mui';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'vendor-react';
          if (id.includes('node_modules/@bitrix24')) return 'vendor-b24';
          return undefined;
        },
      },
    },
  },
});
