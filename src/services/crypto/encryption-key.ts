import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.js';

const keyFileSchema = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must hold 32 bytes, base64-encoded');

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/**
 * The key that seals secrets at rest: ENCRYPTION_KEY when set, otherwise a key file in the data
 * folder, created (mode 0600) on first start. Losing that file makes stored Kie keys unreadable.
 */
export async function loadEncryptionKey(
  configured: string | undefined,
  dataDir: string,
  logger: Logger,
): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, ENCRYPTION_KEY_FILE);
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
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx' refuses to overwrite a file another process created meanwhile.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn(
    { file },
    'ENCRYPTION_KEY is not set; created a new key file. Back it up, and set ENCRYPTION_KEY in production.',
  );
  return key;
}
