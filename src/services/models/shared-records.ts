import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { parseOrRetire } from '../store/retire.js';

/** Entries kept before the cache starts over (a bound, not an LRU: entries are cheap to read again). */
const MAX_CACHED = 50_000;

/**
 * Small records in the shared Keyv (every shard reads and writes them), zod-parsed on every read
 * (one that does not parse is retired), with reads trusted for `cacheMs` so hot paths do not ask
 * the store each time. Writes and deletes update the cache at once.
 */
export class SharedRecords {
  readonly #keyv: Keyv;
  readonly #logger: Logger;
  readonly #cacheMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { value: unknown; readAt: number }>();

  constructor(keyv: Keyv, logger: Logger, cacheMs: number, now: () => number) {
    this.#keyv = keyv;
    this.#logger = logger;
    this.#cacheMs = cacheMs;
    this.#now = now;
  }

  async read<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const [value] = await this.readMany([key], () => schema);
    return value as T | undefined;
  }

  /** Values in the order of `keys`, each parsed with `schemaOf(its index)`; one store round trip. */
  async readMany(keys: string[], schemaOf: (index: number) => z.ZodType): Promise<unknown[]> {
    const now = this.#now();
    const values: unknown[] = [];
    const stale: number[] = [];
    for (const [index, key] of keys.entries()) {
      const cached = this.#cache.get(key);
      if (cached && now - cached.readAt < this.#cacheMs) values.push(cached.value);
      else {
        values.push(undefined);
        stale.push(index);
      }
    }
    if (stale.length === 0) return values;
    const raw = await this.#keyv.getMany(stale.map((index) => keys[index] ?? ''));
    for (const [n, index] of stale.entries()) {
      const key = keys[index] ?? '';
      values[index] = await parseOrRetire(this.#keyv, key, raw[n], schemaOf(index), this.#logger);
      this.#remember(key, values[index], now);
    }
    return values;
  }

  /** Reads past the cache: for read-modify-write, where another shard may have just written. */
  async readFresh<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const value = await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), schema, this.#logger);
    this.#remember(key, value, this.#now());
    return value;
  }

  async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.#keyv.set(key, value, ttlMs);
    this.#remember(key, value, this.#now());
  }

  async forget(key: string): Promise<void> {
    await this.#keyv.delete(key);
    this.#remember(key, undefined, this.#now());
  }

  #remember(key: string, value: unknown, readAt: number): void {
    if (this.#cache.size > MAX_CACHED) this.#cache.clear();
    this.#cache.set(key, { value, readAt });
  }
}
