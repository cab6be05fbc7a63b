import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';

const RETIRED_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Parses a stored value; one that no longer fits its schema (written by an older version, or
 * damaged) is moved aside under `retired:<key>` for 30 days and reported, never thrown.
 */
export async function parseOrRetire<T>(
  keyv: Keyv,
  key: string,
  raw: unknown,
  schema: ZodType<T>,
  logger: Logger,
): Promise<T | undefined> {
  if (raw === undefined || raw === null) return undefined;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  logger.warn({ key, problems }, 'stored record does not parse; retired it');
  await keyv.set(`retired:${key}`, raw, RETIRED_TTL_MS);
  await keyv.delete(key);
  return undefined;
}
