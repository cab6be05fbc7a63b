import { DiscordAPIError, HTTPError } from '@discordjs/rest';
import { z } from 'zod';

/** Where a bot token is made, for every message that asks for a new one. */
export const DEVELOPER_PORTAL_URL = 'https://discord.com/developers/applications';

/**
 * Why a call to Discord failed, as an operator should read it: the expected cases of start-up and
 * the first-start setup. Anything else is a bug and keeps its stack.
 */
export type DiscordFailure =
  /** 401: a wrong, reset or pasted-with-a-typo token. Trying again cannot help. */
  | { kind: 'token' }
  /** No connection: DNS, refused, reset, unreachable network, TLS. The error's code says which. */
  | { kind: 'network'; code: string }
  /** Connected (or trying to), but no answer within the timeout. */
  | { kind: 'timeout' }
  /** Discord answered 5xx (after @discordjs/rest's own retries). */
  | { kind: 'server'; status: number }
  /** An answer that is not Discord's API (a 404 from another server, a proxy's HTML page). */
  | { kind: 'answer'; status?: number };

/** Codes Node and undici give a request that never got an answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ABORT_ERR',
  'UND_ERR_ABORTED',
]);

/** The error's code, or its cause's, or that of the first of several (a connection tried per address). */
function codeOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && own !== '') return own;
  const nested = (error as { errors?: unknown }).errors;
  return (
    codeOf((error as { cause?: unknown }).cause, depth + 1) ??
    codeOf(Array.isArray(nested) ? nested[0] : undefined, depth + 1)
  );
}

/**
 * Sorts a failed Discord call (@discordjs/rest, discord.js login, zod on Discord's answer) into
 * the expected cases; undefined for anything else, which the caller treats as a bug. An abort is
 * read as a timeout: callers abort only when their time runs out (a stop is checked first).
 */
export function classifyDiscordFailure(error: unknown): DiscordFailure | undefined {
  if (error instanceof DiscordAPIError) {
    return error.status === 401 ? { kind: 'token' } : { kind: 'answer', status: error.status };
  }
  if (error instanceof HTTPError) {
    return error.status >= 500
      ? { kind: 'server', status: error.status }
      : { kind: 'answer', status: error.status };
  }
  if (error instanceof z.ZodError) return { kind: 'answer' };
  if (!(error instanceof Error)) return undefined;
  const code = codeOf(error);
  // discord.js's login says TokenInvalid for a 401 on GET /gateway/bot; the gateway closes 4004.
  if (code === 'TokenInvalid' || error.message === 'Authentication failed') return { kind: 'token' };
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || (code && TIMEOUT_CODES.has(code)))
    return { kind: 'timeout' };
  if (code && NETWORK_CODES.has(code)) return { kind: 'network', code };
  return undefined;
}

/** Worth another try: the network, a silence or Discord's own trouble may pass; a refused token will not. */
export function isPassing(failure: DiscordFailure): boolean {
  return failure.kind === 'network' || failure.kind === 'timeout' || failure.kind === 'server';
}

/** "30 s", "1.5 s", "250 ms": a wait or a timeout as a person reads it. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** A URL as it may be shown: no user name or password (a proxy's credentials), no query. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * What failed, in a few words: "Discord refused the bot token (401)", "cannot reach Discord at
 * https://discord.com/api (ECONNREFUSED)", "no answer from Discord in 30 s". Never the request,
 * which carries the token.
 */
export function describeDiscordFailure(failure: DiscordFailure, apiUrl: string, timeoutMs: number): string {
  const at = displayUrl(apiUrl);
  switch (failure.kind) {
    case 'token':
      return 'Discord refused the bot token (401)';
    case 'network':
      return `cannot reach Discord at ${at} (${failure.code})`;
    case 'timeout':
      return `no answer from Discord in ${formatDuration(timeoutMs)} (${at})`;
    case 'server':
      return `Discord answered ${failure.status} (trouble on Discord's side, see https://discordstatus.com)`;
    case 'answer':
      return `${at} did not answer like Discord's API${failure.status ? ` (HTTP ${failure.status})` : ''}`;
  }
}
