import { EventEmitter } from 'node:events';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { makePrivateDir, makePrivateFile, tightenFile } from './private-files.js';

const rowSchemaSql = `CREATE TABLE IF NOT EXISTS keyv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires INTEGER
)`;

// Partial: rows without expiry (settings) never need it. The purge reads expired rows off it.
const expiresIndexSql = 'CREATE INDEX IF NOT EXISTS keyv_expires ON keyv (expires) WHERE expires IS NOT NULL';

export interface SqliteStoreOptions {
  /** How often expired rows are deleted. Default 5 minutes; 0 turns the timer off. */
  purgeIntervalMs?: number;
  /** Rows deleted per statement, so no purge holds the (synchronous) database for long. Default 500. */
  purgeBatchRows?: number;
}

export const DEFAULT_PURGE_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_PURGE_BATCH_ROWS = 500;

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
 * Reads ignore expired rows; a timer deletes them in batches (jobs, dedupe marks, usage
 * counters, drafts and callback tokens all expire), so the file stops growing under a steady
 * load. The file, its WAL and shared-memory files are the owner's only (0600), in a folder
 * created 0700.
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
  readonly #purgeBatch: Database.Statement<[number, number]>;
  readonly #purgeBatchRows: number;
  readonly #purgeTimer: NodeJS.Timeout | undefined;
  #purging: Promise<number> | undefined;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    super();
    this.opts = { file };
    if (file !== ':memory:') {
      makePrivateDir(path.dirname(file));
      // SQLite gives the -wal and -shm files the database file's mode; older ones are tightened.
      makePrivateFile(file);
      tightenFile(`${file}-wal`);
      tightenFile(`${file}-shm`);
    }
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(rowSchemaSql);
    this.#db.exec(expiresIndexSql);
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
    // DELETE … LIMIT needs a compile option better-sqlite3 does not set; a rowid subquery does not.
    this.#purgeBatch = this.#db.prepare(
      'DELETE FROM keyv WHERE rowid IN (SELECT rowid FROM keyv WHERE expires <= ? LIMIT ?)',
    );
    this.#purgeBatchRows = options.purgeBatchRows ?? DEFAULT_PURGE_BATCH_ROWS;
    const every = options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
    if (every > 0) {
      this.#purgeTimer = setInterval(() => {
        // Keyv relays a store's errors to its own listeners (the bot logs them).
        this.purgeExpired().catch((error: unknown) => {
          if (this.listenerCount('error') > 0) this.emit('error', error);
        });
      }, every);
      this.#purgeTimer.unref();
    }
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

  /**
   * Deletes the rows that have expired, `purgeBatchRows` per statement with a turn of the event
   * loop between statements, and resolves to how many went. One purge at a time; a call while one
   * runs joins it. Freed pages are reused by later writes (the file does not shrink).
   */
  purgeExpired(): Promise<number> {
    this.#purging ??= this.#purge().finally(() => {
      this.#purging = undefined;
    });
    return this.#purging;
  }

  async #purge(): Promise<number> {
    const now = Date.now();
    let deleted = 0;
    for (;;) {
      if (!this.#db.open) return deleted;
      const { changes } = this.#purgeBatch.run(now, this.#purgeBatchRows);
      deleted += changes;
      if (changes < this.#purgeBatchRows) return deleted;
      await nextTurn();
    }
  }

  async disconnect(): Promise<void> {
    clearInterval(this.#purgeTimer);
    await this.#purging?.catch(() => undefined);
    if (this.#db.open) this.#db.close();
  }
}
