import type { Config } from './config.js';
import { discordTargetOf, type GatewayBot, reachDiscord } from './connect-discord.js';
import type { Logger } from './logger.js';
import { reachRedis } from './reach-redis.js';

/** How long the shard manager waits for Redis to answer once. */
const REDIS_CHECK_MS = 10_000;

/**
 * What `npm run start:sharded` checks before it spawns a shard: the shared Redis answers, and
 * Discord answers and accepts the token (tried again like `npm start` does). Checked once here,
 * so a wrong STORE_URL or an unreachable Discord is one line, not one per shard and respawn.
 * Resolves Discord's gateway answer (its recommended shard count serves SHARD_COUNT=auto);
 * throws a StartupError with the line to show.
 */
export async function checkBeforeShards(config: Config, logger: Logger): Promise<GatewayBot> {
  await reachRedis(config.STORE_URL, REDIS_CHECK_MS);
  return reachDiscord(discordTargetOf(config), logger);
}
