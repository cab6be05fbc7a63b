/** This process's place in a ShardingManager, from the environment the manager gives its shards. */
export interface ShardOfProcess {
  id: number;
  count: number;
}

/**
 * Undefined unless this process was started by npm run start:sharded (discord.js's
 * ShardingManager sets SHARDING_MANAGER, SHARDS and SHARD_COUNT; the Client reads them itself).
 */
export function shardOfProcess(env: NodeJS.ProcessEnv): ShardOfProcess | undefined {
  if (env.SHARDING_MANAGER !== 'true') return undefined;
  const id = Number(env.SHARDS);
  const count = Number(env.SHARD_COUNT);
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  return { id, count };
}

/**
 * A shard must not outlive its manager (a second copy of the shard would fight over the same
 * gateway session): when the IPC channel to the manager closes, `onGone` runs.
 */
export function watchManager(onGone: () => void): void {
  if (process.send) process.once('disconnect', onGone);
}

/** Closes the IPC channel to the manager, the last thing keeping a stopped shard's process alive. */
export function leaveManager(): void {
  if (process.connected) process.disconnect();
}
