import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A `node` on PATH older than `major` (the machines here have Node 20 as their system node), if any. */
export function findNodeOlderThan(major: number): { path: string; version: string } | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'node');
    if (!dir || !existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (Number(version.split('.')[0]) < major) return { path: candidate, version };
    } catch {
      // not runnable
    }
  }
  return undefined;
}
