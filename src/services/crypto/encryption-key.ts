import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { makePrivateDir, PRIVATE_FILE_MODE, tightenFile } from '../store/private-files.js';

const keyFileSchema = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must hold 32 bytes, base64-encoded');

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/**
 * The key that seals secrets at rest: ENCRYPTION_KEY when set, otherwise a key file in the data
 * folder, created (mode 0600) on first start. Losing that file makes stored Kie keys unreadable.
 * The data folder (key file, SQLite file, videos being delivered) is created 0700 first; an
 * existing one open to other users is reported, not changed (it may be a shared folder).
 */
export async function loadEncryptionKey(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
): Promise<Buffer> {
  const openMode = makePrivateDir(dataDir);
  if (openMode !== undefined) {
    logger.warn(
      { dir: dataDir, mode: openMode.toString(8) },
      'the data folder is open to other users of this machine; chmod 700 it',
    );
  }
  if (configured) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, ENCRYPTION_KEY_FILE);
  tightenFile(file);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    const parsed = keyFileSchema.safeParse(existing);
    if (!parsed.success)
      throw new Error(`${file} is not a valid encryption key: ${parsed.error.issues[0]?.message}`);
    logger.warn({ file }, 'ENCRYPTION_KEY is not set; using the key file. Set ENCRYPTION_KEY in production.');
    return Buffer.from(parsed.data, 'base64');
  }
  const key = randomBytes(32);
  // 'wx' refuses to overwrite a file another process created meanwhile.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  logger.warn(
    { file },
    'ENCRYPTION_KEY is not set; created a new key file. Back it up, and set ENCRYPTION_KEY in production.',
  );
  return key;
}
