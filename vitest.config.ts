import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temp folder and one Redis key prefix per run, removed when the run ends.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end files spawn the bot and stand-ins; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
