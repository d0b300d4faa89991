import { defineConfig } from 'vitest/config';

/** Browser tests (e2e/*.spec.ts): the built app in Debian's Chromium through playwright-core. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
