import 'dotenv/config';
import { buildBot } from './app/build-bot.js';
import { commands } from './commands/index.js';
import { type Config, ConfigError, parseConfig } from './services/config.js';
import { createProcessLogger } from './services/logger.js';
import { leaveManager, shardOfProcess, watchManager } from './services/sharding/index.js';
import { ensureDiscordToken } from './services/wizard/index.js';

/** How long a stopped process may take to exit by itself before it is ended. */
const SHUTDOWN_EXIT_GRACE_MS = 1_500;

/** Start-up: the token (asked for on a first run), the configuration, then the bot. */
async function main(): Promise<void> {
  // No token yet: guided setup in a terminal, one clear line otherwise.
  if (!(await ensureDiscordToken(process.env, { commands }))) {
    process.exitCode = 1;
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
  const logger = shard ? base.child({ shard: shard.id }) : base;
  // SHARD_COUNT is for npm run start:sharded; a lone process must not let discord.js read it.
  if (!shard) delete process.env.SHARD_COUNT;
  const bot = await buildBot(config, logger);

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const shutdown = async (reason: string) => {
    await bot.stop(reason);
    logger.flush();
    leaveManager();
    // Whatever still holds the event loop (a Discord request being retried) must not keep a
    // stopped bot alive; nothing is left to save.
    setTimeout(() => process.exit(), SHUTDOWN_EXIT_GRACE_MS).unref();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  if (shard) watchManager(() => void shutdown('manager gone'));
  await bot.start();
}

await main();
