import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';

const extensionOf: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/tiff': 'tiff',
  'image/avif': 'avif',
  'image/heif': 'heif',
};
const contentTypeOf = Object.fromEntries(Object.entries(extensionOf).map(([type, ext]) => [ext, type]));

/** The content type a kept image's key names (its extension), if it is one of ours. */
export function contentTypeOfKey(key: string): string | undefined {
  return contentTypeOf[key.slice(key.lastIndexOf('.') + 1)];
}

/**
 * A kept image's name: its SHA-256 and extension. Read back from job records, so it is checked
 * before it names a file: nothing else (no path, no dot-dot) can reach the folder.
 */
export const imageKeySchema = z.string().regex(/^[0-9a-f]{64}\.(png|jpg|webp|gif|bmp|tiff|avif|heif)$/);
/** Half-written files: `.<random>.tmp`, renamed into place once complete. */
const TEMP = /^\.[0-9a-f]{16}\.tmp$/;
/** A half-written file this old was left by a crash. */
const TEMP_STALE_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** How often the folder is swept after the sweep at start. */
export const IMAGE_SWEEP_EVERY_MS = 60 * 60_000;

export interface ImageKeeperOptions {
  /** The folder (created 0700); DATA_DIR/images in the bot. */
  dir: string;
  /** A kept image not used for this long is removed (IMAGE_RETENTION_DAYS). */
  retentionDays: number;
  /** Kept images past this total are removed oldest first (IMAGE_STORE_MAX_MB); 0 keeps nothing. */
  maxBytes: number;
  logger: Logger;
  now?: () => number;
}

export interface KeptImage {
  bytes: Buffer;
  contentType: string;
}

export interface SweepResult {
  removed: number;
  files: number;
  bytes: number;
}

/**
 * Keeps the images jobs were made from, so Remix, Again and Retry still work once Kie has
 * deleted its copy (after about a day). One file per distinct image (named by its hash, so
 * repeats share it), readable by the bot's user only. A file's age counts from the last job that
 * used it; files older than the retention, or past the disk cap (oldest first), are removed.
 */
export class ImageKeeper {
  readonly #dir: string;
  readonly #retentionMs: number;
  readonly #maxBytes: number;
  readonly #logger: Logger;
  readonly #now: () => number;
  /** What the folder holds, as far as this process knows (another shard may add to it). */
  #bytes = 0;
  #sweeping: Promise<SweepResult> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #dirReady = false;

  constructor(options: ImageKeeperOptions) {
    this.#dir = options.dir;
    this.#retentionMs = options.retentionDays * DAY_MS;
    this.#maxBytes = options.maxBytes;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  get retentionDays(): number {
    return this.#retentionMs / DAY_MS;
  }

  /**
   * Keeps `bytes` (an image of `contentType`) and returns its key; the same image kept again
   * only counts as used now. Null when keeping is switched off (a cap of 0).
   */
  async keep(bytes: Buffer, contentType: string): Promise<string | null> {
    if (this.#maxBytes === 0) return null;
    const extension = extensionOf[contentType];
    if (!extension) throw new Error(`cannot keep an image of type ${contentType}`);
    const key = `${createHash('sha256').update(bytes).digest('hex')}.${extension}`;
    await this.#ensureDir();
    const file = path.join(this.#dir, key);
    if (await this.#touch(file)) return key;
    const temp = path.join(this.#dir, `.${randomBytes(8).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes, { mode: 0o600, flag: 'wx' });
      await rename(temp, file);
      await this.#touch(file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    this.#bytes += bytes.length;
    if (this.#bytes > this.#maxBytes) void this.sweep();
    return key;
  }

  /** Whether the image is still kept (a file past the retention is removed, not counted). */
  async has(key: string): Promise<boolean> {
    const file = this.#fileOf(key);
    if (!file) return false;
    const stats = await stat(file).catch(() => undefined);
    if (!stats) return false;
    if (this.#now() - stats.mtimeMs <= this.#retentionMs) return true;
    await rm(file, { force: true });
    return false;
  }

  /** The kept image, now counted as used again; undefined once it is gone. */
  async read(key: string): Promise<KeptImage | undefined> {
    const file = this.#fileOf(key);
    if (!file || !(await this.has(key))) return undefined;
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return undefined;
    await this.#touch(file);
    return { bytes, contentType: contentTypeOf[key.split('.')[1] ?? ''] ?? 'application/octet-stream' };
  }

  /** Counts a kept image as used now (a new job refers to it); nothing happens if it is gone. */
  async touch(key: string): Promise<void> {
    const file = this.#fileOf(key);
    if (file) await this.#touch(file);
  }

  /**
   * Removes images past the retention, then the oldest until the folder fits the cap, and
   * half-written files a crash left. One sweep at a time; a missing folder holds nothing.
   */
  sweep(): Promise<SweepResult> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  /** Sweeps now, then every hour on a timer that does not keep the process alive. */
  async start(): Promise<void> {
    const swept = await this.#sweepLogged();
    if (swept && swept.removed > 0)
      this.#logger.info({ ...swept }, 'removed kept images past retention or cap');
    this.#timer ??= setInterval(() => void this.#sweepLogged(), IMAGE_SWEEP_EVERY_MS).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sweepLogged(): Promise<SweepResult | undefined> {
    try {
      return await this.sweep();
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not sweep the kept images');
      return undefined;
    }
  }

  async #sweep(): Promise<SweepResult> {
    const names = await readdir(this.#dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const now = this.#now();
    let removed = 0;
    const kept: Array<{ file: string; size: number; mtimeMs: number }> = [];
    for (const name of names) {
      const isKey = imageKeySchema.safeParse(name).success;
      if (!isKey && !TEMP.test(name)) continue;
      const file = path.join(this.#dir, name);
      const stats = await stat(file).catch(() => undefined);
      if (!stats?.isFile()) continue;
      const age = now - stats.mtimeMs;
      if (isKey ? age > this.#retentionMs : age > TEMP_STALE_MS) {
        await rm(file, { force: true });
        removed += 1;
      } else if (isKey) kept.push({ file, size: stats.size, mtimeMs: stats.mtimeMs });
    }
    kept.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let bytes = kept.reduce((sum, entry) => sum + entry.size, 0);
    let files = kept.length;
    for (const entry of kept) {
      if (bytes <= this.#maxBytes) break;
      await rm(entry.file, { force: true });
      bytes -= entry.size;
      files -= 1;
      removed += 1;
    }
    this.#bytes = bytes;
    return { removed, files, bytes };
  }

  #fileOf(key: string): string | undefined {
    return imageKeySchema.safeParse(key).success ? path.join(this.#dir, key) : undefined;
  }

  /** Marks the file used now; false when it is not there. */
  async #touch(file: string): Promise<boolean> {
    const when = new Date(this.#now());
    return utimes(file, when, when).then(
      () => true,
      () => false,
    );
  }

  async #ensureDir(): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    if (this.#dirReady) return;
    // A folder made earlier (by hand, or by an older version) may be readable by others.
    await chmod(this.#dir, 0o700);
    this.#dirReady = true;
  }
}
