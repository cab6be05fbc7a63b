import { createRequire } from 'node:module';
import type KeyvRedis from '@keyv/redis';

type RedisDriver = typeof import('@keyv/redis');
let driver: RedisDriver | undefined;

/**
 * @keyv/redis, loaded on first use: a bot on the SQLite store never reads it (≈ 65 ms of start-up,
 * with node-redis). Loaded synchronously (its CommonJS build) because `openKeyv` is synchronous;
 * every store-side `instanceof` goes through {@link isRedisStore}, so one copy of the class counts.
 */
export function redisDriver(): RedisDriver {
  driver ??= createRequire(import.meta.url)('@keyv/redis') as RedisDriver;
  return driver;
}

/** Whether `store` is a Redis adapter that {@link redisDriver} made (false while it was never loaded). */
export function isRedisStore(store: unknown): store is KeyvRedis<unknown> {
  return driver !== undefined && store instanceof driver.default;
}
