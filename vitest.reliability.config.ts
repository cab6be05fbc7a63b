import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (issue 8): `npm run test:reliability`; RELIABILITY_SIZE=ci for the
 * reduced size, RELIABILITY_SEED to replay a crash schedule. Not part of `npm test`.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.rel.ts'],
    // The report folder first, in the real temp directory (it is kept and printed); then the run's
    // own temp folder and Redis key prefix, removed at the end like npm test's.
    globalSetup: ['test/reliability/global-setup.ts', 'test/support/global-setup.ts'],
    // Sections spawn bots, stand-ins and a Redis of their own; one at a time on a shared machine.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
  },
});
