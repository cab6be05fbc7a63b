import type { Config } from '../app/config.js';

/** Which shards this host runs, out of how many the bot has. */
export interface ShardPlan {
  totalShards: number;
  shardList: number[];
}

export class ShardingError extends Error {
  override readonly name = 'ShardingError';
}

/** Shards share jobs, settings and the Kie limits: an embedded SQLite file cannot be shared. */
export const SQLITE_REFUSAL =
  'Sharding needs shared storage, and STORE_URL points at the embedded SQLite store (one file, one ' +
  'process). Set STORE_URL=redis://host:6379 (the same Redis for every shard and every host), then ' +
  'run npm run start:sharded again; or run a single process with npm start.';

/** Refuses the embedded store with one clear message (ShardingError). */
export function assertSharedStore(config: Pick<Config, 'STORE_URL'>): void {
  if (config.STORE_URL.startsWith('sqlite://')) throw new ShardingError(SQLITE_REFUSAL);
}

/**
 * SHARD_COUNT and SHARD_IDS as the manager needs them. 'auto' asks Discord (through
 * DISCORD_API_URL, so a REST proxy or the tests' stand-in answers), which only makes sense when
 * this host runs every shard: hosts that split the shards must agree on one fixed count.
 */
export async function planShards(
  config: Pick<Config, 'SHARD_COUNT' | 'SHARD_IDS' | 'DISCORD_API_URL' | 'DISCORD_TOKEN'>,
  recommend: () => Promise<number> = () =>
    fetchRecommendedShards(config.DISCORD_API_URL, config.DISCORD_TOKEN),
): Promise<ShardPlan> {
  if (config.SHARD_COUNT === 'auto' && config.SHARD_IDS) {
    throw new ShardingError(
      `SHARD_IDS=${config.SHARD_IDS.join(',')} needs a fixed SHARD_COUNT: every host that runs a ` +
        'part of the shards must use the same count (e.g. SHARD_COUNT=4).',
    );
  }
  const totalShards = config.SHARD_COUNT === 'auto' ? await recommend() : config.SHARD_COUNT;
  const shardList = config.SHARD_IDS ?? Array.from({ length: totalShards }, (_, id) => id);
  const outside = shardList.filter((id) => id >= totalShards);
  if (outside.length > 0) {
    throw new ShardingError(
      `SHARD_IDS has ${outside.join(',')}, but shard ids run from 0 to ${totalShards - 1} ` +
        `(SHARD_COUNT=${totalShards}).`,
    );
  }
  return { totalShards, shardList };
}

/** GET /gateway/bot on the configured REST base: Discord's recommended shard count. */
export async function fetchRecommendedShards(apiUrl: string, token: string): Promise<number> {
  const url = `${apiUrl.replace(/\/+$/, '')}/v10/gateway/bot`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bot ${token.replace(/^Bot\s+/i, '')}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ShardingError(`Could not ask Discord for the shard count (${(error as Error).message}).`);
  }
  if (response.status === 401) {
    throw new ShardingError('Discord refused DISCORD_TOKEN (401) when asked for the shard count.');
  }
  const body = (await response.json().catch(() => undefined)) as { shards?: unknown } | undefined;
  const shards = body?.shards;
  if (!response.ok || typeof shards !== 'number' || !Number.isInteger(shards) || shards < 1) {
    throw new ShardingError(
      `Discord did not say how many shards to run (GET /gateway/bot answered ${response.status}); ` +
        'set SHARD_COUNT to a number.',
    );
  }
  return shards;
}
