import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/services/store/sqlite-store.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.disconnect();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'animate-store-'));
  dirs.push(dir);
  return dir;
}

function open(file: string, options?: ConstructorParameters<typeof SqliteStore>[1]): SqliteStore {
  const store = new SqliteStore(file, options);
  stores.push(store);
  return store;
}

/** Pages and rows of the file, read by a second connection as an operator would. */
function sizeOf(file: string): { pages: number; rows: number } {
  const db = new Database(file, { readonly: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const { rows } = db.prepare('SELECT count(*) AS rows FROM keyv').get() as { rows: number };
    return { pages, rows };
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A job-sized value: short-lived keys in the bot carry a few hundred bytes of JSON. */
const VALUE = JSON.stringify({ value: { status: 'running', prompt: 'x'.repeat(300) }, expires: null });

/** `rounds` times: write `perRound` new keys that expire within 5 ms, wait, then maybe purge. */
async function steadyLoad(store: SqliteStore, file: string, rounds: number, purge: boolean) {
  const sizes: Array<{ pages: number; rows: number }> = [];
  for (let round = 0; round < rounds; round += 1) {
    await store.setMany(
      Array.from({ length: 2000 }, (_, i) => ({ key: `animate:dedupe:${round}-${i}`, value: VALUE, ttl: 5 })),
    );
    await sleep(10);
    if (purge) await store.purgeExpired();
    sizes.push(sizeOf(file));
  }
  return sizes;
}

describe('SqliteStore: expired rows', () => {
  it('stops growing under a steady load of short-lived keys once expired rows are purged', async () => {
    const dir = await tempDir();
    const purged = path.join(dir, 'purged.sqlite');
    const kept = path.join(dir, 'kept.sqlite');
    const withPurge = await steadyLoad(open(purged, { purgeIntervalMs: 0 }), purged, 6, true);
    const without = await steadyLoad(open(kept, { purgeIntervalMs: 0 }), kept, 6, false);
    console.info('pages per round, with purge:', withPurge.map((s) => s.pages).join(' '));
    console.info('pages per round, without:', without.map((s) => s.pages).join(' '));
    // With the purge every round ends with no rows, and the freed pages take the next round.
    expect(withPurge.map((s) => s.rows)).toEqual([0, 0, 0, 0, 0, 0]);
    const first = withPurge[0]?.pages ?? 0;
    for (const { pages } of withPurge) expect(pages).toBeLessThanOrEqual(first * 1.1);
    // Without it (the old store) the file holds every round's rows and keeps growing.
    expect(without.at(-1)?.rows).toBe(12_000);
    expect(without.at(-1)?.pages ?? 0).toBeGreaterThan(first * 4);
  });

  it('deletes only expired rows, in batches that leave the event loop turns between them', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'animate.sqlite');
    const store = open(file, { purgeIntervalMs: 0, purgeBatchRows: 500 });
    await store.set('animate:settings:1', '{"value":1}');
    await store.set('animate:job:live', '{"value":2}', 60_000);
    await store.setMany(
      Array.from({ length: 1200 }, (_, i) => ({ key: `animate:job:${i}`, value: VALUE, ttl: 1 })),
    );
    await sleep(5);
    // Counts turns of the event loop while the purge runs: none if it deleted everything at once.
    let turns = 0;
    let purging = true;
    const spin = () => {
      if (!purging) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const deleted = await store.purgeExpired();
    purging = false;
    expect(deleted).toBe(1200);
    expect(sizeOf(file).rows).toBe(2);
    expect(await store.get('animate:settings:1')).toBe('{"value":1}');
    expect(await store.get('animate:job:live')).toBe('{"value":2}');
    // 1,200 rows are three statements of 500; the loop turned between them.
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('reads expired rows off an index on expires, not a scan of the table', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'animate.sqlite');
    open(file, { purgeIntervalMs: 0 });
    const db = new Database(file, { readonly: true });
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT rowid FROM keyv WHERE expires <= ? LIMIT ?')
      .all(Date.now(), 500) as Array<{ detail: string }>;
    db.close();
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING COVERING INDEX keyv_expires/);
  });

  it('purges on its own timer, which stops at disconnect', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'animate.sqlite');
    const store = open(file, { purgeIntervalMs: 50 });
    await store.setMany(
      Array.from({ length: 100 }, (_, i) => ({ key: `animate:draft:${i}`, value: VALUE, ttl: 1 })),
    );
    await sleep(300);
    expect(sizeOf(file).rows).toBe(0);
    await store.disconnect();
    // Rows written behind a disconnected store's back stay: its timer no longer runs.
    const db = new Database(file);
    db.prepare('INSERT INTO keyv (key, value, expires) VALUES (?, ?, ?)').run(
      'animate:x',
      VALUE,
      Date.now() - 1,
    );
    db.close();
    await sleep(200);
    expect(sizeOf(file).rows).toBe(1);
  });
});

describe('SqliteStore: file modes', () => {
  it('creates its folder 0700 and the database, WAL and shared-memory files 0600', async () => {
    const dir = path.join(await tempDir(), 'data');
    const file = path.join(dir, 'animate.sqlite');
    const store = open(file, { purgeIntervalMs: 0 });
    await store.set('animate:k', 'v');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const name of [file, `${file}-wal`, `${file}-shm`]) {
      expect({ name: path.basename(name), mode: ((await stat(name)).mode & 0o777).toString(8) }).toEqual({
        name: path.basename(name),
        mode: '600',
      });
    }
  });

  it('tightens a database file an older version left readable by others', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'animate.sqlite');
    const first = new SqliteStore(file, { purgeIntervalMs: 0 });
    await first.set('animate:k', 'v');
    await first.disconnect();
    await chmod(file, 0o644);
    await writeFile(`${file}-wal`, '', { mode: 0o644 });
    await chmod(`${file}-wal`, 0o644);
    const store = open(file, { purgeIntervalMs: 0 });
    expect(await store.get('animate:k')).toBe('v');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(`${file}-wal`)).mode & 0o777).toBe(0o600);
  });
});
