import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENCRYPTION_KEY_FILE } from '../../services/crypto/encryption-key.js';

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
const EXAMPLE_FILE = fileURLToPath(new URL('../../../.env.example', import.meta.url));
const GENERATED_HEADER =
  '# Written by the first-start setup from .env.example. A commented line shows a default; uncomment to change it.\n';

async function readIfPresent(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/**
 * A new ENCRYPTION_KEY for `.env` (32 random bytes), or none: when one is set already, or when an
 * earlier start left a key file in the data folder (the bot keeps reading it, so the keys it
 * sealed stay readable).
 */
export async function createEncryptionKey(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.ENCRYPTION_KEY) return undefined;
  const existing = await readIfPresent(path.join(env.DATA_DIR || 'data', ENCRYPTION_KEY_FILE));
  if (existing !== undefined) return undefined;
  return randomBytes(32).toString('base64');
}

/**
 * The text of a new `.env`: `.env.example` with `values` filled in and every other assignment
 * commented out, so the schema's defaults stay the only copy of them. Nothing else is written:
 * what the environment holds (a test's or a shell's DISCORD_API_URL) stays in the environment.
 * Values never seen in the example are appended.
 */
export function renderFromExample(example: string, values: Readonly<Record<string, string>>): string {
  const written = new Set<string>();
  // The example's opening comment speaks to someone copying it by hand; this file has its own.
  const body = example.replace(/^(#[^\n]*\n)+\n/, '');
  const lines = [GENERATED_HEADER, ...body.split('\n')].map((line) => {
    const name = ASSIGNMENT.exec(line)?.[1];
    if (!name) return line;
    const value = values[name];
    if (value === undefined || written.has(name)) return `# ${line.trim()}`;
    written.add(name);
    return assignment(name, value);
  });
  return appendMissing(lines.join('\n'), values, written);
}

/** An existing `.env` with each of `values` set in place (or appended); every other line kept. */
export function updateExisting(existing: string, values: Readonly<Record<string, string>>): string {
  const written = new Set<string>();
  const lines = existing.split('\n').flatMap((line) => {
    const name = ASSIGNMENT.exec(line)?.[1];
    if (!name || values[name] === undefined) return [line];
    if (written.has(name)) return [];
    written.add(name);
    return [assignment(name, values[name])];
  });
  return appendMissing(lines.join('\n'), values, written);
}

/** `NAME=value`, quoted when dotenv would otherwise read part of the value as a comment or trim it. */
function assignment(name: string, value: string): string {
  if (/^[\w.,:/@+=-]*$/.test(value)) return `${name}=${value}`;
  return value.includes("'") ? `${name}=${JSON.stringify(value)}` : `${name}='${value}'`;
}

function appendMissing(text: string, values: Readonly<Record<string, string>>, written: Set<string>): string {
  const missing = Object.entries(values).filter(([name]) => !written.has(name));
  if (missing.length === 0) return text.endsWith('\n') ? text : `${text}\n`;
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${base}${missing.map(([name, value]) => assignment(name, value)).join('\n')}\n`;
}

/**
 * Writes `values` into `file` (mode 0600, set before any secret is written): into the existing file
 * when there is one (every other line kept), otherwise into a copy of `.env.example`.
 */
export async function writeEnvFile(file: string, values: Readonly<Record<string, string>>): Promise<void> {
  const existing = await readIfPresent(file);
  const text =
    existing !== undefined
      ? updateExisting(existing, values)
      : renderFromExample((await readIfPresent(EXAMPLE_FILE)) ?? '', values);
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
