import 'dotenv/config';
import { buildBot } from './app/build-bot.js';
import { type Config, ConfigError, parseConfig } from './app/config.js';
import { StartupError } from './app/connect-discord.js';
import { createProcessLogger, type Logger } from './app/logger.js';
import { leaveManager, shardOfProcess, watchManager } from './app/shard-process.js';
import { ensureDiscordToken } from './cli/wizard/index.js';
import { commands } from './commands/index.js';

/** How long a stopped process may take to exit by itself before it is ended. */
const SHUTDOWN_EXIT_GRACE_MS = 1_500;

let logger: Logger | undefined;

/** Start-up: the token (asked for on a first run), the configuration, then the bot. */
async function main(): Promise<void> {
  // No token yet: guided setup in a terminal, one clear line otherwise.
  const token = await ensureDiscordToken(process.env, { commands });
  if (token !== 'ready') {
    // Stopped with Ctrl-C during the setup: the same as stopping the bot, not a failure.
    process.exitCode = token === 'stopped' ? 0 : 1;
    return;
  }
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const shard = shardOfProcess(process.env); // set under npm run start:sharded
  const base = createProcessLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  const log = shard ? base.child({ shard: shard.id }) : base;
  logger = log;
  // SHARD_COUNT is for npm run start:sharded; a lone process must not let discord.js read it.
  if (!shard) delete process.env.SHARD_COUNT;
  const bot = await buildBot(config, log);

  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  const shutdown = async (reason: string) => {
    await bot.stop(reason);
    exitSoon();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  if (shard) watchManager(() => void shutdown('manager gone'));
  try {
    await bot.start();
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    // Discord unreachable or the token refused: one line, no stack (start closed what it opened).
    log.error(error.message);
    process.exitCode = 1;
    exitSoon();
  }
}

/**
 * Whatever still holds the event loop (a Discord request being retried) must not keep a stopped
 * bot alive; nothing is left to save.
 */
function exitSoon(): void {
  logger?.flush();
  leaveManager();
  setTimeout(() => process.exit(), SHUTDOWN_EXIT_GRACE_MS).unref();
}

// Caught here, so that a bug at start-up is reported once, with its stack, and never escapes as
// an uncaught rejection (Node's own dump of the error and its internals).
await main().catch((error: unknown) => {
  if (logger) logger.fatal({ err: error }, 'start-up failed');
  else console.error('Start-up failed:', error);
  process.exitCode = 1;
  exitSoon();
});
