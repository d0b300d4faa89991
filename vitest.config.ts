import { defineConfig } from 'vitest/config';

/**
 * Unit (`*.test.ts`, next to the code) and integration (`test/*.int.test.ts`) tests.
 * They run on the embedded database; set TEST_DATABASE_URL to a PostgreSQL server to run
 * the same suite on PostgreSQL (see README, "Tests").
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
