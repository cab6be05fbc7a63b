// Where a benchmark keeps its data: a temp SQLite file, or the shared Redis under a namespace of
// its own that is removed afterwards (key by key; the shared Redis is never flushed).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import type { BotEnv } from '../../../test/support/bot-process.js';
import { REDIS_URL, uniqueNamespace } from '../../../test/support/redis.js';

export type StoreKind = 'sqlite' | 'redis';

export interface BenchStore {
  kind: StoreKind;
  url: string;
  namespace: string;
  dataDir: string;
  /** Removes the temp folder, and every Redis key that carries the namespace. */
  dispose(): Promise<void>;
}

export function storeKind(value: unknown): StoreKind {
  if (value === undefined || value === 'sqlite') return 'sqlite';
  if (value === 'redis') return 'redis';
  throw new Error(`--store must be sqlite or redis, not ${String(value)}`);
}

export async function benchStore(kind: StoreKind): Promise<BenchStore> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'animate-bench-'));
  const namespace = uniqueNamespace('bench');
  return {
    kind,
    url: kind === 'sqlite' ? `sqlite://${dataDir}/animate.sqlite` : REDIS_URL,
    namespace,
    dataDir,
    async dispose() {
      await rm(dataDir, { recursive: true, force: true });
      if (kind === 'redis') await deleteRedisKeys(`*${namespace}*`);
    },
  };
}

/** SCAN + UNLINK of the keys matching `pattern` (always a pattern naming one benchmark's namespace). */
export async function deleteRedisKeys(pattern: string): Promise<number> {
  if (!/bench-[0-9a-f]{12}/.test(pattern)) throw new Error(`refusing to delete ${pattern}`);
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  let cursor = '0';
  let deleted = 0;
  do {
    const { cursor: next, keys } = await redis.scan(cursor, { MATCH: pattern, COUNT: 1000 });
    cursor = String(next);
    if (keys.length > 0) deleted += await redis.unlink(keys);
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}

/** The bot's environment on this store (as makeBotEnv, without another temp folder), logs at info. */
export function botEnv(store: BenchStore, urls: { discord: string; kie: string; token: string }): BotEnv {
  return {
    DISCORD_TOKEN: urls.token,
    DISCORD_API_URL: urls.discord,
    KIE_API_URL: urls.kie,
    KIE_UPLOAD_URL: urls.kie,
    STORE_URL: store.url,
    STORE_NAMESPACE: store.namespace,
    DATA_DIR: store.dataDir,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    DISCORD_REST_RETRIES: '0',
  };
}
