import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropKeysContaining, redisAnswers } from './redis.js';

/**
 * `npm test` leaves nothing behind. Every temp folder a test makes (os.tmpdir() reads TMPDIR,
 * which the test workers and the processes they spawn with it inherit) lands in one folder for
 * the run, and every Redis namespace carries the run's id (uniqueNamespace); both go at the end,
 * whether the tests passed or not.
 */
export default function setup(): () => Promise<void> {
  const run = `run${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'animate-test-'));
  process.env.TMPDIR = dir;
  process.env.ANIMATE_TEST_RUN = run;
  return async () => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    if (await redisAnswers()) await dropKeysContaining(run);
  };
}
