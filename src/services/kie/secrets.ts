import { createHash } from 'node:crypto';

/** '••••' plus the last 4 characters, for setup replies; keys shorter than 8 show nothing. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  return trimmed.length < 8 ? '••••' : `••••${trimmed.slice(-4)}`;
}

/**
 * A stable, non-reversible id for a key (SHA-256 hex prefix): names its limiters, which may
 * later live in Redis, and tags log lines. Never the key itself.
 */
export function keyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Replaces every occurrence of the key in text from Kie, in case an answer echoes it. */
export function redactKey(text: string, key: string): string {
  return key.length === 0 ? text : text.split(key).join(maskKey(key));
}
