import { createHash } from 'node:crypto';
import path from 'node:path';
import type KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { isRedisStore, redisDriver } from './redis-driver.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

export interface OpenKeyvOptions {
  /** Prefix of every key this process writes; tests use one per test. Default 'animate'. */
  namespace?: string;
  /** The SQLite store's purge of expired rows (Redis expires keys by itself). */
  sqlite?: SqliteStoreOptions;
}

/** Where a `sqlite://` STORE_URL points, relative paths taken from the working directory. */
export function sqliteFileOf(storeUrl: string): string {
  const rest = storeUrl.slice('sqlite://'.length);
  return rest === ':memory:' ? rest : path.resolve(rest);
}

/**
 * Opens the Keyv named by STORE_URL: `sqlite://path/file.sqlite` (embedded, the default) or
 * `redis://…`. Errors are thrown, never swallowed: a store outage must not read as "no data".
 */
export function openKeyv(storeUrl: string, options: OpenKeyvOptions = {}): Keyv {
  const namespace = options.namespace ?? 'animate';
  if (storeUrl.startsWith('sqlite://')) {
    return new Keyv({
      store: new SqliteStore(sqliteFileOf(storeUrl), options.sqlite),
      namespace,
      throwOnErrors: true,
    });
  }
  // No connectionTimeout: @keyv/redis 5.1 leaves its timer running, holding the process open 5 s on exit.
  const keyv = redisDriver().createKeyv(storeUrl, { namespace, throwOnConnectError: true });
  keyv.throwOnErrors = true;
  return keyv;
}

/**
 * The keys (without the namespace) under `prefix` in a Keyv that {@link openKeyv} opened: a
 * prefix read of the SQLite index, or a SCAN of each Redis primary (one pass over the keyspace).
 */
export async function keysUnder(keyv: Keyv, prefix: string): Promise<string[]> {
  const store: unknown = keyv.store;
  if (store instanceof SqliteStore) return store.keysUnder(prefix);
  if (isRedisStore(store)) return redisKeysUnder(store, prefix);
  throw new Error('keysUnder: only the SQLite and Redis stores can list keys');
}

async function redisKeysUnder(store: KeyvRedis<unknown>, prefix: string): Promise<string[]> {
  const match = `${store.createKeyPrefix(prefix, store.namespace).replace(/[*?[\]\\]/g, '\\$&')}*`;
  const keys = new Set<string>();
  for (const client of await store.getMasterNodes()) {
    let cursor = '0';
    do {
      const result = await client.scan(cursor, { MATCH: match, COUNT: 1000 });
      cursor = String(result.cursor);
      for (const key of result.keys) keys.add(store.getKeyWithoutPrefix(key, store.namespace));
    } while (cursor !== '0');
  }
  return [...keys];
}

/** Runs a Lua script on a Redis store and resolves to its reply. */
export type RedisEval = (script: string, keys: string[], args: string[]) => Promise<unknown>;

/**
 * Lua on the Redis client a Keyv from {@link openKeyv} already holds (no second connection):
 * EVALSHA, with the script's source sent once more whenever Redis does not have it (NOSCRIPT,
 * after a restart or SCRIPT FLUSH). Undefined for the SQLite store.
 */
export function redisEvalOf(keyv: Keyv): RedisEval | undefined {
  const store: unknown = keyv.store;
  if (!isRedisStore(store)) return undefined;
  const redis: KeyvRedis<unknown> = store;
  const shas = new Map<string, string>();
  return async (script, keys, args) => {
    let sha = shas.get(script);
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex');
      shas.set(script, sha);
    }
    const client = await redis.getClient();
    const options = { keys, arguments: args };
    try {
      return await client.evalSha(sha, options);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return client.eval(script, options);
    }
  };
}
