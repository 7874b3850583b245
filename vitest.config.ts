import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // web/src tests are the web app's pure logic: they run in Node, no browser.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Starts a throwaway PostgreSQL (or uses DATABASE_URL) so every dialect test runs on both databases.
    globalSetup: ['test/setup/postgres.global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
