import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeEngines,
  satisfiesEngines,
  staleBuildReason,
  unsupportedNodeMessage,
} from '../../scripts/preflight.js';
import { findNodeOlderThan } from '../support/old-node.js';

const ENGINES: string = JSON.parse(readFileSync('package.json', 'utf8')).engines.node;

describe('the Node.js version check before npm start', () => {
  it('takes the maintained LTS lines of package.json engines and refuses the rest', () => {
    const accepted = ['22.12.0', '22.23.5', '24.0.0', '24.22.3', '26.0.0', '26.12.1', '27.1.0'];
    const refused = ['18.20.8', '20.20.2', '22.11.0', '23.11.1', '25.9.0'];
    for (const version of accepted) expect(satisfiesEngines(version, ENGINES), version).toBe(true);
    for (const version of refused) expect(satisfiesEngines(version, ENGINES), version).toBe(false);
  });

  it('says in one line which Node runs, which are supported and how to get one', () => {
    expect(describeEngines(ENGINES)).toBe('22 (22.12 or later), 24 or 26 and newer');
    const message = unsupportedNodeMessage('v20.20.2', ENGINES) ?? '';
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('this is Node.js 20.20.2');
    expect(message).toContain('22 (22.12 or later), 24 or 26 and newer');
    expect(message).toContain('https://nodejs.org/en/download');
    expect(unsupportedNodeMessage(process.versions.node, ENGINES)).toBeUndefined();
  });

  // The machines here have Node 20 as their system node; elsewhere the test says why it skips.
  const oldNode = findNodeOlderThan(22);
  it.skipIf(!oldNode)(
    `npm start on an old Node (${oldNode?.version}) is refused before anything loads`,
    () => {
      const dir = path.dirname(oldNode?.path ?? '');
      const result = spawnSync('npm', ['start'], {
        env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        unsupportedNodeMessage(oldNode?.version ?? '', ENGINES),
      ]);
      // The check ran first in npm start's own process: the bot itself never started.
      expect(result.stdout).toContain('node scripts/start.js');
      expect(result.stdout).not.toContain('connecting to Discord');
    },
  );
});

describe('building before a start', () => {
  let root: string;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function project(): Promise<string> {
    root = await mkdtemp(path.join(tmpdir(), 'animate-preflight-'));
    await mkdir(path.join(root, 'src/app'), { recursive: true });
    await writeFile(path.join(root, 'src/index.ts'), '');
    await writeFile(path.join(root, 'src/app/config.ts'), '');
    return root;
  }

  async function setTime(file: string, secondsAgo: number): Promise<void> {
    const time = new Date(Date.now() - secondsAgo * 1000);
    await utimes(file, time, time);
  }

  it('builds when there is no build yet, or when a source file is newer than it', async () => {
    const root = await project();
    expect(staleBuildReason(root)).toBe('no build yet');
    await mkdir(path.join(root, 'dist'));
    await writeFile(path.join(root, 'dist/index.js'), '');
    for (const file of ['src/index.ts', 'src/app/config.ts']) await setTime(path.join(root, file), 60);
    expect(staleBuildReason(root)).toBeUndefined();
    // A `git pull` that changes one nested file is enough.
    await setTime(path.join(root, 'src/app/config.ts'), 0);
    await setTime(path.join(root, 'dist/index.js'), 30);
    expect(staleBuildReason(root)).toBe(
      `${path.join('src', 'app', 'config.ts')} changed since the last build`,
    );
  });

  it('without src/ (the Docker image) only asks for dist/index.js', async () => {
    const root = await project();
    await rm(path.join(root, 'src'), { recursive: true });
    expect(staleBuildReason(root)).toBe('no build yet');
    await mkdir(path.join(root, 'dist'));
    await writeFile(path.join(root, 'dist/index.js'), '');
    expect(staleBuildReason(root)).toBeUndefined();
  });
});
