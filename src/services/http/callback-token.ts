import { randomBytes } from 'node:crypto';

/** The callback route's path prefix; the job's token follows it. */
export const CALLBACK_PATH = '/kie/callback/';

/** 32 random bytes, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new unguessable per-job token for the callback URL (256 bits, base64url). */
export function newCallbackToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isCallbackToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** The URL Kie posts to for one job: `PUBLIC_URL` (any trailing slash dropped) + `/kie/callback/<token>`. */
export function callbackUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}${token}`;
}
