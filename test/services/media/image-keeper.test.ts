import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IMAGE_SWEEP_EVERY_MS, ImageKeeper } from '../../../src/services/media/image-keeper.js';
import { makePng } from '../../support/images.js';

const DAY_MS = 24 * 60 * 60_000;
const logger = pino({ level: 'silent' });

describe('ImageKeeper', () => {
  let root: string;
  let dir: string;
  let clock: number;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'image-keeper-test-'));
    dir = path.join(root, 'images');
    clock = Date.now();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await rm(root, { recursive: true, force: true });
  });

  const keeper = (options: { retentionDays?: number; maxBytes?: number } = {}) =>
    new ImageKeeper({
      dir,
      retentionDays: options.retentionDays ?? 14,
      maxBytes: options.maxBytes ?? 1024 * 1024,
      logger,
      now: () => clock,
    });
  const mode = async (file: string) => (await stat(file)).mode & 0o777;

  it('keeps an image readable by the bot alone (folder 0700, file 0600), named by its hash', async () => {
    // A folder made earlier with looser rights is tightened.
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const png = makePng(64, 36);
    const key = await keeper().keep(png, 'image/png');
    expect(key).toBe(`${createHash('sha256').update(png).digest('hex')}.png`);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(path.join(dir, key ?? ''))).toBe(0o600);
    expect(await readdir(dir)).toEqual([key]);
  });

  it('stores one file for repeats of one image, and reads back its bytes and type', async () => {
    const images = keeper();
    const png = makePng(32, 32);
    const first = await images.keep(png, 'image/png');
    const second = await images.keep(Buffer.from(png), 'image/png');
    expect(second).toBe(first);
    expect(await readdir(dir)).toHaveLength(1);
    const jpeg = await images.keep(Buffer.from('not really a jpeg'), 'image/jpeg');
    expect(jpeg).toMatch(/^[0-9a-f]{64}\.jpg$/);

    const read = await images.read(first ?? '');
    expect(read?.bytes.equals(png)).toBe(true);
    expect(read?.contentType).toBe('image/png');
    expect((await images.read(jpeg ?? ''))?.contentType).toBe('image/jpeg');
  });

  it('reads nothing outside its folder, whatever key a record holds', async () => {
    const images = keeper();
    await images.keep(makePng(8, 8), 'image/png');
    await writeFile(path.join(root, 'secret.png'), 'not yours');
    for (const key of [
      '../secret.png',
      '/etc/passwd',
      'secret.png',
      `${'a'.repeat(64)}.png/../../secret.png`,
    ]) {
      expect(await images.has(key)).toBe(false);
      expect(await images.read(key)).toBeUndefined();
    }
  });

  it('forgets an image not used for the retention, and a use counts as new', async () => {
    const images = keeper({ retentionDays: 14 });
    const used = await images.keep(makePng(10, 10), 'image/png');
    const idle = await images.keep(makePng(20, 20), 'image/png');
    clock += 10 * DAY_MS;
    // Used again by a repeat on day 10: kept 14 days from then.
    expect(await images.read(used ?? '')).toBeDefined();
    clock += 5 * DAY_MS;
    expect(await images.has(idle ?? '')).toBe(false);
    expect(await images.read(idle ?? '')).toBeUndefined();
    expect(await images.has(used ?? '')).toBe(true);
    expect(await readdir(dir)).toEqual([used]);
    clock += 10 * DAY_MS;
    expect(await images.read(used ?? '')).toBeUndefined();
  });

  it('sweeps images past the retention and half-written files a crash left, and nothing else', async () => {
    const images = keeper({ retentionDays: 14 });
    const old = await images.keep(makePng(10, 10), 'image/png');
    clock += 15 * DAY_MS;
    const fresh = await images.keep(makePng(11, 11), 'image/png');
    const staleTemp = path.join(dir, '.0123456789abcdef.tmp');
    const newTemp = path.join(dir, '.fedcba9876543210.tmp');
    await writeFile(staleTemp, 'half');
    await writeFile(newTemp, 'half');
    const hourAgo = new Date(clock - 2 * 60 * 60_000);
    await utimes(staleTemp, hourAgo, hourAgo);
    await utimes(newTemp, new Date(clock), new Date(clock));
    await writeFile(path.join(dir, 'README.txt'), 'an operator’s note');

    const swept = await images.sweep();
    expect(swept).toMatchObject({ removed: 2, files: 1 });
    expect((await readdir(dir)).sort()).toEqual(['.fedcba9876543210.tmp', 'README.txt', fresh].sort());
    expect(old).not.toBe(fresh);
  });

  it('keeps the folder under its cap, removing the least recently used first', async () => {
    const images = keeper({ maxBytes: 2_500 });
    const bytes = (seed: number) => Buffer.alloc(1_000, seed);
    const a = await images.keep(bytes(1), 'image/png');
    clock += 1_000;
    const b = await images.keep(bytes(2), 'image/png');
    clock += 1_000;
    await images.touch(a ?? '');
    clock += 1_000;
    const c = await images.keep(bytes(3), 'image/png');
    // Over the cap after the third: a sweep runs, and b (least recently used) goes.
    const swept = await images.sweep();
    expect(swept).toMatchObject({ files: 2, bytes: 2_000 });
    expect((await readdir(dir)).sort()).toEqual([a, c].sort());
    expect(await images.has(b ?? '')).toBe(false);
  });

  it('keeps nothing with a cap of 0', async () => {
    const images = keeper({ maxBytes: 0 });
    expect(await images.keep(makePng(8, 8), 'image/png')).toBeNull();
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('sweeps at start and then every hour until stopped', async () => {
    const images = keeper({ retentionDays: 1 });
    await images.keep(makePng(8, 8), 'image/png');
    clock += 2 * DAY_MS;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await images.start();
    expect(await readdir(dir)).toEqual([]);

    await images.keep(makePng(9, 9), 'image/png');
    clock += 2 * DAY_MS;
    const sweep = vi.spyOn(images, 'sweep');
    await vi.advanceTimersByTimeAsync(IMAGE_SWEEP_EVERY_MS);
    expect(sweep).toHaveBeenCalledTimes(1);
    await sweep.mock.results[0]?.value;
    expect(await readdir(dir)).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    images.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
