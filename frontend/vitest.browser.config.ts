import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's chromium through playwright-core against the real backend and the built app;
// vitest only orchestrates them, so they run in node, one file at a time.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
