import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far Kie's `X-Webhook-Timestamp` may be from our clock. */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60 * 1000;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; problem: 'missing' | 'stale-timestamp' | 'mismatch' };

/**
 * Checks Kie's callback headers: the timestamp is Unix seconds within `maxSkewMs` of `nowMs`,
 * and the signature matches, compared in constant time.
 */
export function verifyWebhookSignature(input: {
  hmacKey: string;
  taskId: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
  maxSkewMs?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, problem: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, problem: 'stale-timestamp' };
  const skew = Math.abs(input.nowMs - Number(timestamp) * 1000);
  if (skew > (input.maxSkewMs ?? MAX_TIMESTAMP_SKEW_MS)) return { ok: false, problem: 'stale-timestamp' };
  const expected = createHmac('sha256', input.hmacKey).update(`${input.taskId}.${timestamp}`).digest();
  const given = Buffer.from(signature, 'base64');
  // The length of an HMAC-SHA256 digest is public; only the bytes must be compared in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: 'mismatch' };
  }
  return { ok: true };
}
