import { createClient } from '@keyv/redis';
import { displayUrl, formatDuration } from '../services/discord/connection-failure.js';
import { settledWithin } from '../services/settled-within.js';
import { StartupError } from './connect-discord.js';

/**
 * Connects once to the Redis that STORE_URL names and PINGs it; a StartupError says in one line
 * why not (refused, no such host, a wrong password, no answer in `timeoutMs`). Nothing to do for
 * the SQLite store. The store's own client retries forever, which suits an outage while the bot
 * runs, but at start-up it would only repeat the same error without saying what to fix.
 */
export async function reachRedis(storeUrl: string, timeoutMs: number): Promise<void> {
  if (!/^rediss?:\/\//.test(storeUrl)) return;
  const client = createClient({
    url: storeUrl,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: false },
  });
  let failure: unknown;
  client.on('error', (error: unknown) => {
    failure ??= error;
  });
  const where = `Redis at ${displayUrl(storeUrl)}`;
  const check = (async () => {
    await client.connect();
    await client.ping();
  })();
  try {
    if (!(await settledWithin(check, timeoutMs))) {
      throw new StartupError(
        `no answer from ${where} in ${formatDuration(timeoutMs)}: check STORE_URL and that Redis runs`,
      );
    }
    await check.catch((error: unknown) => {
      throw new StartupError(
        `cannot reach ${where} (${reasonOf(failure ?? error)}): ${adviceFor(failure ?? error)}`,
      );
    });
  } finally {
    // Open, or still connecting (a silent server): closed either way. A refused one closed itself.
    if (client.isOpen) client.destroy();
  }
}

/**
 * The error's code (ECONNREFUSED, ENOTFOUND) or the first word of Redis's reply (WRONGPASS,
 * NOAUTH, ERR AUTH); never the rest of the message, which may echo what was sent.
 */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const word = error instanceof Error ? /^[A-Z_]{3,}(?: AUTH\b)?/.exec(error.message)?.[0] : undefined;
  return word ?? (error instanceof Error ? error.name : 'unknown error');
}

function adviceFor(error: unknown): string {
  const reason = reasonOf(error);
  if (reason === 'WRONGPASS' || reason === 'NOAUTH' || reason === 'ERR AUTH')
    return 'check the user name and password in STORE_URL';
  return 'start Redis, or check STORE_URL';
}
