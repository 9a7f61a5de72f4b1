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
      // No manual vendor chunks: Rolldown's manual groups also capture their dependencies (the SDK group took
      // axios, so every widget loaded the whole SDK before rendering). Automatic chunks share what entries share,
      // and the lazy imports (the SDK frame, the catalog's data grid) stay out of the first load.
    },
  },
});
