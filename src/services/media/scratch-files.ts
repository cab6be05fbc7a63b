import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Names of our scratch files: `animate-video-<pid>-<uuid>.mp4`, so a later start knows whose they were. */
const PREFIX = 'animate-video-';
const OURS = /^animate-video-(\d+)-[0-9a-f-]{36}\.mp4$/;

/** A file left longer than this is removed even if its process id is in use again. */
const STALE_AFTER_MS = 24 * 60 * 60_000;

/** A fresh path in `dir` for one video; nothing is created. */
export function scratchVideoPath(dir: string): string {
  return path.join(dir, `${PREFIX}${process.pid}-${randomUUID()}.mp4`);
}

/**
 * Removes the scratch videos a crash left in `dir`: those of this process id (a previous life
 * of this process, as in a container) and of processes that are gone, or older than a day.
 * A live process's files (another shard's) are left alone. Call once at start-up, before any
 * delivery. Returns the names removed; a missing `dir` has none.
 */
export async function removeStaleScratchFiles(dir: string, now = Date.now()): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(OURS.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid)) continue;
    const file = path.join(dir, name);
    const stale = pid === process.pid || !processAlive(pid) || (await ageMs(file, now)) > STALE_AFTER_MS;
    if (!stale) continue;
    await rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}

/** 0 for a file already gone (another shard starting at the same time may have removed it). */
async function ageMs(file: string, now: number): Promise<number> {
  const stats = await stat(file).catch(() => undefined);
  return stats ? now - stats.mtimeMs : 0;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
