import type { Keyv } from 'keyv';
import { isRedisStore } from './redis-driver.js';
import { SqliteStore } from './sqlite-store.js';

/** A stored value with the exact text the store holds, which a later swap compares against. */
export interface StoredValue {
  value: unknown;
  raw: string;
}

/**
 * Compare-and-swap on single Keyv keys, written in Keyv's own format (plain `keyv.get` reads
 * them). The basis of `JobStore.transition`: a write lands only if nobody wrote the key since it
 * was read, whichever process did (shards, hosts) — SQLite checks and writes in one transaction,
 * Redis in one Lua script.
 */
export interface AtomicKeyv {
  read(key: string): Promise<StoredValue | undefined>;
  /**
   * Writes `value` (with `ttlMs`, none when undefined) when the key still holds `expected`, or
   * is absent when `expected` is undefined; answers whether it wrote.
   */
  swap(key: string, expected: string | undefined, value: unknown, ttlMs?: number): Promise<boolean>;
}

const SWAP_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'absent' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`;

/** Compare-and-swap over a Keyv that `openKeyv` opened (SQLite or Redis). */
export function atomicKeyv(keyv: Keyv): AtomicKeyv {
  const store: unknown = keyv.store;
  const serialize = async (value: unknown, ttlMs: number | undefined) => {
    const data = { value, expires: ttlMs === undefined ? undefined : Date.now() + ttlMs };
    return keyv.serialize ? await keyv.serialize(data) : JSON.stringify(data);
  };
  const read = async (raw: unknown): Promise<StoredValue | undefined> => {
    if (typeof raw !== 'string') return undefined;
    const data = keyv.deserialize ? await keyv.deserialize<unknown>(raw) : JSON.parse(raw);
    if (!data || (typeof data.expires === 'number' && data.expires <= Date.now())) return undefined;
    return { value: data.value, raw };
  };

  if (store instanceof SqliteStore) {
    // Keyv prefixes keys with its namespace before they reach this store.
    const storeKey = (key: string) => (keyv.namespace ? `${keyv.namespace}:${key}` : key);
    return {
      read: async (key) => read(await store.get(storeKey(key))),
      swap: async (key, expected, value, ttlMs) =>
        store.compareAndSwap(storeKey(key), expected, await serialize(value, ttlMs), ttlMs),
    };
  }
  if (isRedisStore(store)) {
    // The Redis adapter prefixes keys itself (Keyv's own prefixing is off for it).
    const redisKey = (key: string) => store.createKeyPrefix(key, store.namespace);
    return {
      read: async (key) => read(await store.get(key)),
      swap: async (key, expected, value, ttlMs) => {
        const client = await store.getClient();
        const raw = await serialize(value, ttlMs);
        const ttl = ttlMs === undefined ? '0' : String(Math.max(1, Math.ceil(ttlMs)));
        const args = [expected === undefined ? 'absent' : 'present', expected ?? '', raw, ttl];
        return (await client.eval(SWAP_SCRIPT, { keys: [redisKey(key)], arguments: args })) === 1;
      },
    };
  }
  throw new Error('atomicKeyv: only the SQLite and Redis stores support compare-and-swap');
}
