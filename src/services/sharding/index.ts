export {
  assertSharedStore,
  fetchRecommendedShards,
  planShards,
  ShardingError,
  type ShardPlan,
  SQLITE_REFUSAL,
} from './shard-plan.js';
export { leaveManager, type ShardOfProcess, shardOfProcess, watchManager } from './shard-process.js';
