import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defaultKieLimits, KieClient } from '../../../src/services/kie/index.js';
import { redisClientOptions, sharedLimiterOptions } from '../../../src/services/kie/limiter.js';
import { createLogger } from '../../../src/services/logger.js';
import { startKieStandIn } from '../../support/kie/stand-in.js';
import { REDIS_URL, uniqueNamespace, useRedis } from '../../support/redis.js';
import { busiestWindow } from '../../support/windows.js';

const KEY = 'kie-shared-limit-key-5d1e9a7c';
const WARM_KEY = 'kie-warm-up-key-0b6f2e81';
/**
 * Kie's own limit, 20 createTask per 10 s, on both sides. Not scaled down: the limiter's safety
 * margins are absolute (≥ 250 ms), and on a loaded two-core machine a process stalls for up to
 * ~0.7 s, which a one-second window cannot absorb but a ten-second one can.
 */
const WINDOW = { max: defaultKieLimits.createPerWindow, windowMs: defaultKieLimits.createWindowMs };

const redis = await useRedis();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A shard's client: its own limiters, kept in Redis under `namespace` when one is given. */
function shardClient(kieUrl: string, namespace: string | undefined): KieClient {
  const shared = namespace ? sharedLimiterOptions(REDIS_URL, namespace) : undefined;
  const client = new KieClient({
    apiUrl: kieUrl,
    uploadUrl: kieUrl,
    timeoutMs: 5000,
    logger: createLogger('silent'),
    // No retries: every 429 the stand-in sends is one the limiters let through.
    retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 },
    limits: defaultKieLimits,
    ...(shared ? { bottleneck: shared } : {}),
  });
  cleanups.push(() => client.close());
  return client;
}

/** Two clients (two shards) each fire `perClient` createTask at once, with one key, at one Kie stand-in. */
async function burst(namespaces: [string | undefined, string | undefined], perClient: number) {
  const kie = await startKieStandIn({
    keys: { [KEY]: 1_000_000, [WARM_KEY]: 1_000 },
    fetchImages: false,
    createLimit: WINDOW,
  });
  cleanups.push(() => kie.close());
  const clients = namespaces.map((namespace) => shardClient(kie.url, namespace));
  const input = {
    prompt: 'the cat waves',
    image_urls: ['https://images.example/cat.png'],
    aspect_ratio: 'landscape',
    n_frames: '10',
  };
  // Warm up both sides first (fetch loaded, connections open, the stand-in's handlers run once,
  // on another key): on a starved machine a cold first request can take over a second, which
  // would be measured as a request that arrived late.
  for (const client of clients) {
    await client.getCredits(KEY);
    await client.createTask(WARM_KEY, { model: 'sora-2-image-to-video', input });
  }
  const started = Date.now();
  const results = await Promise.allSettled(
    clients.flatMap((client) =>
      Array.from({ length: perClient }, () =>
        client.createTask(KEY, { model: 'sora-2-image-to-video', input }),
      ),
    ),
  );
  const arrivals = kie.requests.filter((r) => r.route === 'createTask' && r.apiKey === KEY).map((r) => r.at);
  const created = [...kie.tasks.values()].filter((task) => task.apiKey === KEY).length;
  return {
    requests: arrivals.length,
    created: results.filter((r) => r.status === 'fulfilled').length,
    tooMany: arrivals.length - created,
    busiest: busiestWindow(arrivals, WINDOW.windowMs),
    elapsedMs: Date.now() - started,
  };
}

describe.runIf(redis)('Kie limits shared through Redis', () => {
  const namespace = uniqueNamespace('limiter');
  afterAll(async () => {
    // This test's keys only (they would expire by themselves).
    const client = new Redis(redisClientOptions(REDIS_URL));
    const keys = await client.keys(`b_${namespace}-*`);
    if (keys.length) await client.del(...keys);
    await client.quit();
  });

  it('keeps two shards on one key under 20 createTask per 10 s together: no 429', async () => {
    const outcome = await burst([namespace, namespace], 15);
    console.info('shared limiters:', JSON.stringify(outcome));
    expect(outcome).toMatchObject({ requests: 30, created: 30, tooMany: 0 });
    expect(outcome.busiest).toBeLessThanOrEqual(WINDOW.max);
  }, 40_000);

  it('control: two shards with in-process limiters only get 429s', async () => {
    const outcome = await burst([undefined, undefined], 12);
    console.info('unshared limiters:', JSON.stringify(outcome));
    expect(outcome.tooMany).toBeGreaterThan(0);
    expect(outcome.busiest).toBeGreaterThan(WINDOW.max);
  }, 40_000);

  it('parses a Redis URL into ioredis options', () => {
    expect(redisClientOptions('rediss://user:p%40ss@[::1]:6380/2')).toEqual({
      host: '::1',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisClientOptions('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
    expect(sharedLimiterOptions('sqlite://data/x.sqlite', 'animate')).toBeUndefined();
    expect(sharedLimiterOptions('redis://127.0.0.1:6379', 'animate')).toMatchObject({
      id: 'animate-kie',
      datastore: 'ioredis',
      clearDatastore: false,
    });
  });
});
