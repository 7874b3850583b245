import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // web/src tests are the web app's pure logic: they run in Node, no browser.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Starts a throwaway PostgreSQL (or uses DATABASE_URL) so every dialect test runs on both databases.
    globalSetup: ['test/setup/postgres.global.ts'],
    pool: 'forks',
    // Two test files at a time on this 2-core machine: much of a CLI or browser test is spent waiting on
    // another process (the spawned `vigil`, PostgreSQL, Chromium). Every file has its own databases and
    // data directory, so files never share state.
    maxWorkers: 2,
    // A guard against a hung test, not a speed target: a CLI test spawns `vigil` a dozen times, and a
    // shared machine may be slow.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
