import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ENCRYPTION_KEY_FILE, loadEncryptionKey } from '../../../src/services/crypto/encryption-key.js';
import { SealedBox, SealedBoxError } from '../../../src/services/crypto/sealed-box.js';

const silent = pino({ level: 'silent' });

describe('SealedBox', () => {
  const box = new SealedBox(randomBytes(32));

  it('round-trips a secret without it appearing in the sealed form', () => {
    const sealed = box.seal('kie-secret-key-1234', 'kie-key:1');
    expect(sealed).not.toContain('kie-secret-key-1234');
    expect(box.open(sealed, 'kie-key:1')).toBe('kie-secret-key-1234');
  });

  it('refuses a value sealed for another guild', () => {
    const sealed = box.seal('kie-secret-key-1234', 'kie-key:1');
    expect(() => box.open(sealed, 'kie-key:2')).toThrow(SealedBoxError);
  });

  it('refuses a value sealed under another encryption key, without echoing it', () => {
    const sealed = new SealedBox(randomBytes(32)).seal('kie-secret-key-1234', 'c');
    expect(() => box.open(sealed, 'c')).toThrowError(/cannot be opened/);
  });
});

describe('loadEncryptionKey', () => {
  it('creates a 0600 key file on first start and reuses it after', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'animate-key-'));
    const first = await loadEncryptionKey(undefined, dir, silent);
    const file = path.join(dir, ENCRYPTION_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(await loadEncryptionKey(undefined, dir, silent)).toEqual(first);
  });

  it('prefers ENCRYPTION_KEY and writes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'animate-key-'));
    const key = randomBytes(32);
    expect(await loadEncryptionKey(key.toString('base64'), dir, silent)).toEqual(key);
    await expect(readFile(path.join(dir, ENCRYPTION_KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('stops with a clear error on a damaged key file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'animate-key-'));
    await writeFile(path.join(dir, ENCRYPTION_KEY_FILE), 'not a key');
    await expect(loadEncryptionKey(undefined, dir, silent)).rejects.toThrow(/is not a valid encryption key/);
  });
});
