import path from 'node:path';
import { createKeyv as createRedisKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import { SqliteStore } from './sqlite-store.js';

export interface OpenKeyvOptions {
  /** Prefix of every key this process writes; tests use one per test. Default 'animate'. */
  namespace?: string;
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
    return new Keyv({ store: new SqliteStore(sqliteFileOf(storeUrl)), namespace, throwOnErrors: true });
  }
  // No connectionTimeout: @keyv/redis 5.1 leaves its timer running, holding the process open 5 s on exit.
  const keyv = createRedisKeyv(storeUrl, { namespace, throwOnConnectError: true });
  keyv.throwOnErrors = true;
  return keyv;
}
