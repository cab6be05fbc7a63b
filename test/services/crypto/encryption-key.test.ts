import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCRYPTION_KEY_FILE, loadEncryptionKey } from '../../../src/services/crypto/encryption-key.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'animate-key-modes-'));
  dirs.push(dir);
  return dir;
}

/** A pino logger whose lines are kept, to read what an operator would see. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const modeOf = async (file: string) => ((await stat(file)).mode & 0o777).toString(8);

describe('the data folder and the key file are the owner’s only', () => {
  it('creates DATA_DIR 0700 and the key file 0600, even when ENCRYPTION_KEY is set', async () => {
    const base = await tempDir();
    const generated = path.join(base, 'generated', 'data');
    await loadEncryptionKey(undefined, generated, recordingLogger().logger);
    expect(await modeOf(generated)).toBe('700');
    expect(await modeOf(path.join(generated, ENCRYPTION_KEY_FILE))).toBe('600');

    const configured = path.join(base, 'configured');
    await loadEncryptionKey(randomBytes(32).toString('base64'), configured, recordingLogger().logger);
    expect(await modeOf(configured)).toBe('700');
  });

  it('tightens a key file readable by others, and warns about (without changing) an open data folder', async () => {
    const dir = path.join(await tempDir(), 'data');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const file = path.join(dir, ENCRYPTION_KEY_FILE);
    const key = randomBytes(32);
    await writeFile(file, key.toString('base64'), { mode: 0o644 });
    await chmod(file, 0o644);
    const { logger, lines } = recordingLogger();
    expect(await loadEncryptionKey(undefined, dir, logger)).toEqual(key);
    expect(await modeOf(file)).toBe('600');
    expect(await modeOf(dir)).toBe('755');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, dir, mode: '755', msg: expect.stringMatching(/chmod 700/) }),
    );
  });
});
