import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { afterEach, describe, expect, it } from 'vitest';
import { createEncryptionKey, renderFromExample, writeEnvFile } from '../../../src/cli/wizard/env-file.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function newFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'animate-env-file-'));
  folders.push(folder);
  return folder;
}

describe('the .env the first-start setup writes', () => {
  it('from .env.example: only the values given are set, every other line stays a commented default', () => {
    const example =
      '# Copy to .env.\n\n# The token.\nDISCORD_TOKEN=\n# Where Discord is.\nDISCORD_API_URL=https://discord.com/api\n';
    const text = renderFromExample(example, { DISCORD_TOKEN: 'tok' });
    expect(parse(text)).toEqual({ DISCORD_TOKEN: 'tok' });
    expect(text).toContain('# DISCORD_API_URL=https://discord.com/api');
  });

  it('into an existing file: every line kept, the token set in place, the key appended, mode 0600', async () => {
    const file = path.join(await newFolder(), '.env');
    await writeFile(file, '# mine\nLOG_LEVEL=debug\nDISCORD_TOKEN=\nKIE_TIMEOUT_MS=45000', { mode: 0o644 });
    await writeEnvFile(file, { DISCORD_TOKEN: 'tok', ENCRYPTION_KEY: 'a2V5' });
    expect(await readFile(file, 'utf8')).toBe(
      '# mine\nLOG_LEVEL=debug\nDISCORD_TOKEN=tok\nKIE_TIMEOUT_MS=45000\nENCRYPTION_KEY=a2V5\n',
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('creates an ENCRYPTION_KEY only when there is none: not over a set one, not over a key file', async () => {
    const folder = await newFolder();
    const created = await createEncryptionKey({ DATA_DIR: folder });
    expect(Buffer.from(created ?? '', 'base64')).toHaveLength(32);
    expect(await createEncryptionKey({ DATA_DIR: folder, ENCRYPTION_KEY: created })).toBeUndefined();
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'encryption.key'), `${created}\n`);
    expect(await createEncryptionKey({ DATA_DIR: folder })).toBeUndefined();
  });
});
