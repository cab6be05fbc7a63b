import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

const rowSchemaSql = `CREATE TABLE IF NOT EXISTS keyv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires INTEGER
)`;

/** The stored value and expiry time of a row. */
function rowOf(value: unknown, ttl: number | undefined, now: number): [string, number | null] {
  return [
    typeof value === 'string' ? value : JSON.stringify(value),
    typeof ttl === 'number' && ttl > 0 ? now + ttl : null,
  ];
}

/**
 * A Keyv store on an embedded SQLite file (better-sqlite3: synchronous, no server, WAL).
 * @keyv/sqlite needs the sqlite3 package, whose install downloads a prebuilt binary.
 */
export class SqliteStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { file: string };
  namespace?: string;
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string, number], { value: string }>;
  readonly #set: Database.Statement<[string, string, number | null]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #clear: Database.Statement<[string]>;
  readonly #keysUnder: Database.Statement<[string, number], { key: string }>;
  readonly #setAll: (entries: Array<{ key: string; value: unknown; ttl?: number }>) => void;
  readonly #swap: (key: string, expected: string | undefined, value: string, ttl?: number) => boolean;

  constructor(file: string) {
    super();
    this.opts = { file };
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(rowSchemaSql);
    this.#get = this.#db.prepare('SELECT value FROM keyv WHERE key = ? AND (expires IS NULL OR expires > ?)');
    this.#set = this.#db.prepare(
      'INSERT INTO keyv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
    );
    this.#delete = this.#db.prepare('DELETE FROM keyv WHERE key = ?');
    this.#clear = this.#db.prepare("DELETE FROM keyv WHERE key LIKE ? ESCAPE '\\'");
    this.#setAll = this.#db.transaction((entries: Array<{ key: string; value: unknown; ttl?: number }>) => {
      const now = Date.now();
      for (const { key, value, ttl } of entries) this.#set.run(key, ...rowOf(value, ttl, now));
    });
    // IMMEDIATE: the write lock is taken before the read, so another process cannot slip in between.
    const swap = this.#db.transaction(
      (key: string, expected: string | undefined, value: string, ttl?: number) => {
        const now = Date.now();
        if (this.#get.get(key, now)?.value !== expected) return false;
        this.#set.run(key, ...rowOf(value, ttl, now));
        return true;
      },
    );
    this.#swap = (key, expected, value, ttl) => swap.immediate(key, expected, value, ttl);
    // GLOB, unlike LIKE, is case-sensitive and lets SQLite read a prefix off the primary key index.
    this.#keysUnder = this.#db.prepare(
      'SELECT key FROM keyv WHERE key GLOB ? AND (expires IS NULL OR expires > ?) ORDER BY key',
    );
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.#get.get(key, Date.now())?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const now = Date.now();
    return keys.map((key) => this.#get.get(key, now)?.value as StoredData<Value | undefined>);
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    this.#set.run(key, ...rowOf(value, ttl, Date.now()));
    return true;
  }

  /** All in one transaction: one commit instead of one per row. */
  async setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void> {
    this.#setAll(entries);
  }

  /**
   * Writes `value` when the row still holds `expected` (an expired row counts as absent), or is
   * absent when `expected` is undefined; answers whether it wrote. One transaction.
   */
  async compareAndSwap(
    key: string,
    expected: string | undefined,
    value: string,
    ttl?: number,
  ): Promise<boolean> {
    return this.#swap(key, expected, value, ttl);
  }

  async delete(key: string): Promise<boolean> {
    return this.#delete.run(key).changes > 0;
  }

  async has(key: string): Promise<boolean> {
    return this.#get.get(key, Date.now()) !== undefined;
  }

  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace}:` : '';
    this.#clear.run(`${prefix.replace(/[\\%_]/g, '\\$&')}%`);
  }

  /** The keys (without this store's namespace) that start with `prefix` and have not expired. */
  async keysUnder(prefix: string): Promise<string[]> {
    const namespace = this.namespace ? `${this.namespace}:` : '';
    const pattern = `${`${namespace}${prefix}`.replace(/[*?[]/g, '[$&]')}*`;
    return this.#keysUnder.all(pattern, Date.now()).map((row) => row.key.slice(namespace.length));
  }

  async disconnect(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
