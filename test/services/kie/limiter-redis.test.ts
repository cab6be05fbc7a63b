import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { defaultKieLimits, KieClient, KieLimiters, type RedisEval } from '../../../src/services/kie/index.js';
import { openKeyv, redisEvalOf } from '../../../src/services/store/open-keyv.js';
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

/** Script calls to Redis, all shards together (one round trip each). */
let scriptCalls = 0;

/** The store's Redis client of one shard (a Keyv as the bot opens it), counting script calls. */
function shardRedis(namespace: string): RedisEval {
  const keyv = openKeyv(REDIS_URL, { namespace });
  cleanups.push(() => keyv.disconnect());
  const run = redisEvalOf(keyv);
  if (!run) throw new Error('a Redis Keyv has a Redis client');
  return (script, keys, args) => {
    scriptCalls += 1;
    return run(script, keys, args);
  };
}

/** A shard's client: its own limiter, counting its starts in Redis under `namespace` when one is given. */
function shardClient(kieUrl: string, namespace: string | undefined): KieClient {
  const client = new KieClient({
    apiUrl: kieUrl,
    uploadUrl: kieUrl,
    timeoutMs: 5000,
    logger: createLogger('silent'),
    // No retries: every 429 the stand-in sends is one the limiters let through.
    retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 },
    limiter: new KieLimiters({ redis: namespace ? shardRedis(namespace) : undefined, namespace }),
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
  scriptCalls = 0;
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
    redisRoundTrips: scriptCalls,
  };
}

describe.runIf(redis)('Kie limits shared through Redis', () => {
  const namespace = uniqueNamespace('limiter');
  afterAll(async () => {
    // This test's keys only (they would expire by themselves).
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const keys = await client.keys(`${namespace}*`);
    if (keys.length) await client.del(keys);
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

  it('asks Redis once per call while the shared window has room', async () => {
    const limiter = new KieLimiters({
      limits: { createPerWindow: 20, createWindowMs: 10_000, recordInfoPerSecond: 1000 },
      redis: shardRedis(namespace),
      namespace,
    });
    cleanups.push(() => limiter.close());
    await limiter.schedule('poll', 'kie-warm-key-1', async () => 0); // loads the script
    scriptCalls = 0;
    const keys = Array.from({ length: 50 }, (_, i) => `kie-round-trip-key-${i}`);
    await Promise.all(keys.map((key) => limiter.schedule('poll', key, async () => key)));
    expect(scriptCalls).toBe(keys.length);
  });

  it('holds the calls over the shared window until its oldest start leaves it, whichever process asks', async () => {
    // Two limiters (two processes) on one key: 3 per s together; the window is 1 s + 2 × 250 ms.
    const limits = { createPerWindow: 3, createWindowMs: 1000, recordInfoPerSecond: 10 };
    const ns = `${namespace}-held`;
    const shards = [0, 1].map(() => new KieLimiters({ limits, redis: shardRedis(ns), namespace: ns }));
    for (const shard of shards) cleanups.push(() => shard.close());
    const starts: number[] = [];
    const started = performance.now();
    await Promise.all(
      shards.flatMap((shard) =>
        Array.from({ length: 3 }, () =>
          shard.schedule('create', KEY, async () => {
            starts.push(performance.now() - started);
          }),
        ),
      ),
    );
    starts.sort((a, b) => a - b);
    expect(starts).toHaveLength(6);
    // The first three fit; the fourth waits until the first is 1.5 s old.
    expect(starts[3] as number).toBeGreaterThanOrEqual((starts[0] as number) + 1400);
    // Counted on Redis's clock; here, a little later: allow 100 ms of difference.
    expect(busiestWindow(starts, 1400)).toBeLessThanOrEqual(3);
  }, 20_000);

  it('runs a script Redis has never seen (NOSCRIPT → the source is sent) and then by its hash', async () => {
    const run = shardRedis(namespace);
    const script = `-- ${randomBytes(8).toString('hex')}\nreturn tonumber(ARGV[1]) + 1`;
    expect(await run(script, [], ['41'])).toBe(42);
    expect(await run(script, [], ['1'])).toBe(2);
  });

  it('is in-process only on SQLite', async () => {
    const keyv = openKeyv('sqlite://:memory:');
    cleanups.push(() => keyv.disconnect());
    expect(redisEvalOf(keyv)).toBeUndefined();
  });
});
