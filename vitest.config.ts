import { defineConfig } from 'vitest/config';

// Tests are split by cost (STYLE.md §9). `npm test` runs every project; `vitest --project unit` runs one.
const project = (name: string, extra: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, include: [`tests/${name}/**/*.test.ts`], ...extra },
});

export default defineConfig({
  test: {
    environment: 'node',
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-artifacts/vitest.json' },
    projects: [
      project('unit'),
      project('http'),
      project('db', { fileParallelism: false }),
      project('contract'),
      project('fault', { fileParallelism: false }),
      project('e2e', { fileParallelism: false, testTimeout: 120_000 }),
    ],
  },
});
