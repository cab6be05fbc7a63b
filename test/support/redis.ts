import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { createClient } from '@keyv/redis';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** True when something answers PING at 127.0.0.1:6379. */
export function redisAnswers(timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Whether Redis-backed tests should run. Without Redis they are skipped with a message, except
 * where REQUIRE_REDIS is set (CI), where a missing Redis is a failure.
 */
export async function useRedis(): Promise<boolean> {
  if (await redisAnswers()) return true;
  if (process.env.REQUIRE_REDIS)
    throw new Error('REQUIRE_REDIS is set but no Redis answers at 127.0.0.1:6379');
  console.warn('Skipping Redis-backed tests: no Redis answers at 127.0.0.1:6379');
  return false;
}

/**
 * A store namespace of its own for one test. Under `npm test` it carries the run's id (set by
 * test/support/global-setup.ts), so the run's teardown finds and deletes every key it left.
 */
export function uniqueNamespace(prefix = 'test'): string {
  const run = process.env.ANIMATE_TEST_RUN;
  return `${prefix}-${run ? `${run}-` : ''}${randomBytes(6).toString('hex')}`;
}

/**
 * Deletes every key whose name contains `fragment` (a namespace or a run id): the store's
 * `<namespace>::…` records and the limiters' `b_<namespace>-…` state alike. Returns how many.
 */
export async function dropKeysContaining(fragment: string): Promise<number> {
  // Glob characters in a namespace (one test uses them on purpose) must match literally.
  const pattern = `*${fragment.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  let dropped = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
      if (keys.length === 0) continue;
      dropped += await client.unlink(keys);
    }
  } finally {
    await client.close();
  }
  return dropped;
}

/** Deletes one test's keys from the shared Redis: its store namespace and its limiters' state. */
export async function dropNamespace(namespace: string): Promise<void> {
  await dropKeysContaining(namespace);
}
