// npm run start:sharded (node dist/cli/start-sharded.js): runs the bot as several discord.js shards
// (one process each) with a ShardingManager. SHARD_COUNT shards in all ('auto': Discord's
// recommendation), of which this host runs SHARD_IDS (default: all). Shards share the store and the
// Kie limits, so Redis is required.
import 'dotenv/config';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Shard, ShardingManager } from 'discord.js';
import { checkBeforeShards } from '../app/check-before-shards.js';
import { ConfigError, parseConfig } from '../app/config.js';
import { StartupError } from '../app/connect-discord.js';
import { createProcessLogger } from '../app/logger.js';
import { assertSharedStore, planShards, ShardingError } from './shard-plan.js';

/** Run from the build (`npm run start:sharded`) or, in tests and development, from source through tsx. */
const fromSource = import.meta.url.endsWith('.ts');
/** The bot's entry point beside this file: dist/index.js, or src/index.ts from source. */
const SHARD_FILE = fileURLToPath(new URL(fromSource ? '../index.ts' : '../index.js', import.meta.url));
/**
 * How long one shard may take from spawn to ready. The build reaches Discord in 1.5 s (median on a
 * busy 2-core host, 2.6 s at worst), and discord.js then waits up to 15 s for the shard's guilds.
 * From source every shard compiles through tsx first, which on a busy host takes much longer.
 */
const SHARD_READY_TIMEOUT_MS = fromSource ? 90_000 : 30_000;
/** Time a shard gets to stop after SIGTERM before it is killed. */
const SHARD_STOP_TIMEOUT_MS = 20_000;

async function main(): Promise<number> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
    assertSharedStore(config);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ShardingError)) throw error;
    console.error(error.message);
    return 1;
  }
  const logger = createProcessLogger(config.LOG_LEVEL, config.LOG_FORMAT).child({
    component: 'shard-manager',
  });
  let plan: Awaited<ReturnType<typeof planShards>>;
  try {
    const gateway = await checkBeforeShards(config, logger);
    plan = await planShards(config, async () => gateway.shards);
  } catch (error) {
    // Redis or Discord unreachable, a refused token: one line, no stack.
    if (error instanceof StartupError) logger.error(error.message);
    else if (error instanceof ShardingError) console.error(error.message);
    else throw error;
    return 1;
  }

  const manager = new ShardingManager(SHARD_FILE, {
    mode: 'process',
    totalShards: plan.totalShards,
    shardList: plan.shardList,
    token: config.DISCORD_TOKEN,
    // From source each shard needs tsx's loader as well; the build is plain JavaScript.
    execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
    respawn: true,
  });
  let stopping = false;
  manager.on('shardCreate', (shard: Shard) => {
    // Every shard inherits this environment (DISCORD_API_URL, STORE_URL, …); ports must differ.
    const env = shard.env as NodeJS.ProcessEnv;
    if (config.HTTP_PORT) env.HTTP_PORT = String(config.HTTP_PORT + shard.id);
    if (config.METRICS_PORT) env.METRICS_PORT = String(config.METRICS_PORT + shard.id);
    shard.on('death', () => {
      if (!stopping) logger.warn({ shard: shard.id }, 'shard process ended; it is started again');
    });
    // The manager spawns one shard after another: one created while stopping is stopped at once.
    if (stopping) shard.once('spawn', () => void stopShard(shard));
    logger.info({ shard: shard.id, of: plan.totalShards }, 'starting shard');
  });
  if (config.PUBLIC_URL && plan.shardList.length > 1) {
    logger.warn('PUBLIC_URL with several shards: Kie callbacks reach one shard; the others rely on polling');
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    logger.info({ signal }, 'stopping the shards');
    await Promise.all(
      manager.shards.map(async (shard) => {
        logger.info({ shard: shard.id, ...(await stopShard(shard)) }, 'shard stopped');
      }),
    );
    logger.flush();
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  logger.info(
    { shards: plan.shardList, totalShards: plan.totalShards, api: config.DISCORD_API_URL },
    'sharding manager starting',
  );
  try {
    await manager.spawn({ amount: plan.totalShards, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    if (stopping) return 0;
    logger.error({ err: error }, 'a shard did not start; stopping all of them');
    await stop('startup failure');
    return 1;
  }
  if (!stopping) logger.info({ shards: plan.shardList }, 'all shards ready');
  return 0;
}

/** SIGTERM (the shard shuts down cleanly, as npm start does), SIGKILL if it takes too long. */
async function stopShard(shard: Shard): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
  }
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), SHARD_STOP_TIMEOUT_MS);
  const [code, signal] = await exited;
  clearTimeout(timer);
  return { code, signal };
}

process.exitCode = await main();
