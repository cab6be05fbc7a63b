import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (issue 8): `npm run test:reliability`; RELIABILITY_SIZE=ci for the
 * reduced size, RELIABILITY_SEED to replay a crash schedule. Not part of `npm test`.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.rel.ts'],
    globalSetup: ['test/reliability/global-setup.ts'],
    // Sections spawn bots, stand-ins and a Redis of their own; one at a time on a shared machine.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
  },
});
