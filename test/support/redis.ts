import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';

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

export function uniqueNamespace(prefix = 'test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}
