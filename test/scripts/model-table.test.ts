import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderModelTable, TABLE_END, TABLE_START, withTable } from '../../scripts/model-table.js';
import { createModelRegistry } from '../../src/services/models/registry.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const registry = createModelRegistry();

let dir: string;
let readmeCopy: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-table-'));
  readmeCopy = join(dir, 'README.md');
  await writeFile(readmeCopy, await readFile(join(ROOT, 'README.md'), 'utf8'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `npm run models:check` as CI runs it, against a copy of the README; answers the exit code and stderr. */
async function check(readme: string): Promise<{ code: number; stderr: string }> {
  try {
    await run(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/model-table.ts', '--check', '--readme', readme],
      {
        cwd: ROOT,
      },
    );
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('the README model table', () => {
  it('is the one the registry generates (what CI checks)', async () => {
    const readme = await readFile(readmeCopy, 'utf8');
    expect(withTable(readme, renderModelTable(registry.list()))).toBe(readme);
  });

  it('has one row per registry entry, in registry order, withdrawn ones marked', () => {
    const rows = renderModelTable(registry.list()).split('\n').slice(2);
    expect(rows.map((row) => /`([^`]+)`/.exec(row)?.[1])).toEqual(registry.list().map((entry) => entry.id));
    expect(rows[0]).toMatch(/^\| Sora 2 \(withdrawn 2026-09-24\) +\| `sora-2-image-to-video`/);
    const grok = rows.find((row) => row.includes('`grok-imagine/image-to-video`'));
    expect(grok?.split('|').map((cell) => cell.trim())).toEqual([
      '',
      'Grok Imagine',
      '`grok-imagine/image-to-video`',
      '6–30 s',
      'follows the image',
      'no',
      'resolution: **480p** / 720p / 1080p; mode: **normal** / fun',
      '—',
      '`grok-imagine/extend`',
      '14–240',
      '',
    ]);
  });

  it('fails the check, naming the line and the fix, when a price in the README differs; passes once rewritten', async () => {
    const readme = await readFile(readmeCopy, 'utf8');
    const edited = readme.replace(/(\| `grok-imagine\/image-to-video` .*\| )14–240( +\|)/, '$110–30 $2');
    expect(edited).not.toBe(readme);
    await writeFile(readmeCopy, edited);
    const failed = await check(readmeCopy);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('the model table differs from the registry');
    expect(failed.stderr).toContain('Run `npm run models:table`');
    expect(failed.stderr).toMatch(/README: +\| Grok Imagine .*10–30/);

    await run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/model-table.ts', '--readme', readmeCopy], {
      cwd: ROOT,
    });
    expect(await readFile(readmeCopy, 'utf8')).toBe(readme);
    expect((await check(readmeCopy)).code).toBe(0);
    // Three tsx processes: slow on a loaded machine.
  }, 60_000);

  it('fails the check when a registry entry has no row', async () => {
    const readme = await readFile(readmeCopy, 'utf8');
    await writeFile(readmeCopy, readme.replace(/^\| Runway .*\n/m, ''));
    expect((await check(readmeCopy)).code).toBe(1);
  });

  it('fails the check when the markers are gone, rather than passing on a README without a table', async () => {
    const readme = await readFile(readmeCopy, 'utf8');
    await writeFile(readmeCopy, readme.replace(TABLE_START, '').replace(TABLE_END, ''));
    const failed = await check(readmeCopy);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('markers');
  });
});
