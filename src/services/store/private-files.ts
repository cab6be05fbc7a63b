import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

/** Owner only: read, write and (folders) enter. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) readable by its owner only. A folder that already exists
 * keeps its mode: it may be shared (`/tmp`, a volume root), and tightening it could break
 * others. Returns the mode of an existing folder open to group or others, for a warning.
 */
export function makePrivateDir(dir: string): number | undefined {
  const created = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined) return undefined;
  const mode = statSync(dir).mode & 0o777;
  return (mode & 0o077) === 0 ? undefined : mode;
}

/**
 * Makes `file` readable by its owner only: created empty with mode 0600 when missing, tightened
 * when it exists with a looser mode (these are the bot's own files: database, keys).
 */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenFile(file);
}

/** Tightens `file` to 0600 when it exists with a looser mode; a missing file is left missing. */
export function tightenFile(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE_MODE);
}
