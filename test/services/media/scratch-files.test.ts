import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleScratchFiles, scratchVideoPath } from '../../../src/services/media/scratch-files.js';

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
}

const nameFor = (pid: number) => `animate-video-${pid}-${randomUUID()}.mp4`;

describe('scratch video files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scratch-test-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function touch(name: string, ageMs = 0): Promise<void> {
    const file = path.join(dir, name);
    await writeFile(file, 'video');
    const at = new Date(Date.now() - ageMs);
    await utimes(file, at, at);
  }

  it('gives each delivery a path of its own in the directory', () => {
    const first = scratchVideoPath(dir);
    expect(path.dirname(first)).toBe(dir);
    expect(first).not.toBe(scratchVideoPath(dir));
  });

  it("removes at start what a crashed process left, and spares a live shard's files and others'", async () => {
    const crashed = nameFor(await deadPid());
    const previousLife = path.basename(scratchVideoPath(dir));
    const liveShard = nameFor(process.ppid);
    const reusedLongAgo = nameFor(process.ppid);
    const foreign = ['animate-video-notes.txt', 'other.mp4', 'animate-video-12.mp4'];
    await touch(crashed);
    await touch(previousLife);
    await touch(liveShard);
    await touch(reusedLongAgo, 25 * 60 * 60_000);
    for (const name of foreign) await touch(name);

    const removed = await removeStaleScratchFiles(dir);

    expect(removed.sort()).toEqual([crashed, previousLife, reusedLongAgo].sort());
    expect((await readdir(dir)).sort()).toEqual([liveShard, ...foreign].sort());
  });

  it('finds nothing to remove in a directory that does not exist yet', async () => {
    expect(await removeStaleScratchFiles(path.join(dir, 'missing'))).toEqual([]);
  });
});
