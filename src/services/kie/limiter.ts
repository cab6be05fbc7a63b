import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Bottleneck from 'bottleneck';
import { Redis, type RedisOptions } from 'ioredis';
import pThrottle from 'p-throttle';
import { keyId } from './secrets.js';

/** Which per-key budget a route draws from. */
export type KieRouteClass = 'create' | 'poll' | 'other' | 'catalog';

/**
 * Kie's catalog routes share one budget of 1 request per second per account and ask for
 * at least 1.1 s between calls (kie-models-2026-09.md §6.3); spacingMs(1, 1000) gives 1.25 s.
 */
const CATALOG_WINDOW = { limit: 1, windowMs: 1000 } as const;

export interface KieLimits {
  /** createTask requests allowed per window and key. Default 20 (Kie: 20 per 10 s). */
  createPerWindow: number;
  /** Length of that window. Default 10_000 ms. */
  createWindowMs: number;
  /** recordInfo requests per second and key (also used for credits, uploads, download-url). Default 10. */
  recordInfoPerSecond: number;
}

export const defaultKieLimits: Readonly<KieLimits> = Object.freeze({
  createPerWindow: 20,
  createWindowMs: 10_000,
  recordInfoPerSecond: 10,
});

/** Limiters of keys idle this long are dropped (bottleneck Group `timeout`). */
export const LIMITER_IDLE_MS = 5 * 60_000;

/**
 * Gap between two request starts so that any window of `windowMs` (wherever Kie puts its
 * boundaries, fixed or sliding) sees at most `perWindow` of them. A reservoir refilled every
 * window would allow 2 × perWindow across a boundary; even spacing cannot. `perWindow` gaps
 * span the window plus a margin (5 %, at least 250 ms): Kie counts arrivals, so a 429 would
 * need one request to be that much slower in transit (cold TLS, say) than a later one.
 * Cost: no initial burst; sustained throughput about 5 % under the limit.
 */
export function spacingMs(perWindow: number, windowMs: number): number {
  return Math.ceil((windowMs + marginMs(windowMs)) / perWindow);
}

function marginMs(windowMs: number): number {
  return Math.max(windowMs * 0.05, 250);
}

/** ioredis options for a `redis://` or `rediss://` URL (user, password and `/db` included). */
export function redisClientOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Bottleneck options that keep the per-key limits in Redis, so every process on that Redis (the
 * shards of one bot, or several hosts) draws from one budget per key: bottleneck's clustering
 * decides each request's start time in Redis. Limiter ids are
 * `<namespace>-kie-<route class>-<key hash>`, the same in every process; existing state is kept
 * (`clearDatastore: false`) because other processes are using it (so a changed spacing applies
 * once the key has been idle for LIMITER_IDLE_MS). KieLimiters adds a start gate (StartGate).
 * Undefined for a SQLite store, where the bot is a single process and the in-process limiter is
 * enough.
 */
export function sharedLimiterOptions(
  storeUrl: string,
  namespace: string,
): Bottleneck.ConstructorOptions | undefined {
  if (!/^rediss?:\/\//.test(storeUrl)) return undefined;
  return {
    id: `${namespace}-kie`,
    datastore: 'ioredis',
    Redis,
    clientOptions: redisClientOptions(storeUrl),
    clearDatastore: false,
  };
}

/** Per-key spacing for one route class: schedule a task under a key's id, list ids, stop. */
interface KeyedLimiter {
  schedule<T>(id: string, task: () => Promise<T>): Promise<T>;
  keys(): string[];
  close(): Promise<void>;
}

/**
 * One limiter per API key and route class, named by a hash of the key (ids may end up in Redis
 * when `extra` clusters them, see sharedLimiterOptions). Retries are scheduled again, so they
 * are limited too. In one process the limiters are p-throttle's (≈ 20 µs of CPU per request);
 * clustered over Redis they are bottleneck's, whose in-process cost is ≈ 15× that — it showed as
 * a third of the bot's CPU with 10,000 jobs polling.
 */
export class KieLimiters {
  private readonly limiters: Record<KieRouteClass, KeyedLimiter>;
  /** The one Redis connection (a client and a subscriber) of all clustered limiters, when ours. */
  private readonly connection: Bottleneck.IORedisConnection | undefined;
  private readonly gate: StartGate | undefined;
  private readonly windows: Record<KieRouteClass, { limit: number; windowMs: number }>;

  constructor(limits: KieLimits, extra: Bottleneck.ConstructorOptions = {}, idleMs = LIMITER_IDLE_MS) {
    const prefix = extra.id ?? 'kie';
    // Without a shared connection each Group would open its own pair of Redis sockets.
    if (extra.datastore === 'ioredis' && !extra.connection) {
      this.connection = new Bottleneck.IORedisConnection({
        Redis: extra.Redis ?? Redis,
        clientOptions: extra.clientOptions,
      });
    }
    const connection = extra.connection ?? this.connection;
    if (connection instanceof Bottleneck.IORedisConnection) this.gate = new StartGate(connection, prefix);
    const second = { limit: limits.recordInfoPerSecond, windowMs: 1000 };
    this.windows = {
      create: { limit: limits.createPerWindow, windowMs: limits.createWindowMs },
      poll: second,
      other: second,
      catalog: CATALOG_WINDOW,
    };
    const clustered = extra.datastore !== undefined && extra.datastore !== 'local';
    const shared = this.connection ? { connection: this.connection } : {};
    const limiter = (routeClass: KieRouteClass, minTime: number): KeyedLimiter =>
      clustered
        ? new BottleneckLimiter(
            new Bottleneck.Group({
              timeout: idleMs,
              ...extra,
              ...shared,
              id: `${prefix}-${routeClass}`,
              minTime,
            }),
          )
        : new ThrottleLimiter(minTime, idleMs);
    const pollSpacing = spacingMs(limits.recordInfoPerSecond, 1000);
    this.limiters = {
      create: limiter('create', spacingMs(limits.createPerWindow, limits.createWindowMs)),
      poll: limiter('poll', pollSpacing),
      other: limiter('other', pollSpacing),
      catalog: limiter('catalog', spacingMs(CATALOG_WINDOW.limit, CATALOG_WINDOW.windowMs)),
    };
  }

  schedule<T>(routeClass: KieRouteClass, apiKey: string, task: () => Promise<T>): Promise<T> {
    const id = keyId(apiKey);
    const gate = this.gate;
    if (!gate) return this.limiters[routeClass].schedule(id, task);
    const { limit, windowMs } = this.windows[routeClass];
    return this.limiters[routeClass].schedule(id, async () => {
      await gate.pass(`${routeClass}-${id}`, limit, windowMs + 2 * marginMs(windowMs));
      return task();
    });
  }

  /** Keys that currently hold a limiter in this process (hashed ids), for tests and metrics. */
  activeKeys(routeClass: KieRouteClass): string[] {
    return this.limiters[routeClass].keys();
  }

  /** Drops queued calls (they reject) and releases any Redis connection; running calls finish. */
  async close(): Promise<void> {
    this.gate?.close();
    await Promise.all(Object.values(this.limiters).map((limiter) => limiter.close()));
    // QUIT, so the sockets close and the process can exit; the limits' state stays in Redis.
    await this.connection?.disconnect(true);
  }
}

/** A bottleneck Group: one limiter per id, its state in Redis when clustered. */
class BottleneckLimiter implements KeyedLimiter {
  constructor(private readonly group: Bottleneck.Group) {}

  schedule<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this.group.key(id).schedule(task);
  }

  keys(): string[] {
    return this.group.keys();
  }

  async close(): Promise<void> {
    await Promise.all(this.group.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true })));
    await this.group.disconnect();
  }
}

/** p-throttle per id: starts at least `spacingMs` apart; ids idle for `idleMs` are dropped. */
class ThrottleLimiter implements KeyedLimiter {
  private readonly throttles = new Map<string, { run: ReturnType<typeof throttle>; lastUsed: number }>();
  private readonly stopped = new AbortController();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly spacingMs: number,
    private readonly idleMs: number,
  ) {
    this.sweeper = setInterval(() => this.dropIdle(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  schedule<T>(id: string, task: () => Promise<T>): Promise<T> {
    let entry = this.throttles.get(id);
    if (!entry) {
      entry = { run: throttle(this.spacingMs, this.stopped.signal), lastUsed: 0 };
      this.throttles.set(id, entry);
    }
    entry.lastUsed = Date.now();
    return entry.run(task) as Promise<T>;
  }

  keys(): string[] {
    return [...this.throttles.keys()];
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.stopped.abort(new Error('KieClient is closed'));
    this.throttles.clear();
  }

  private dropIdle(): void {
    const now = Date.now();
    for (const [id, { run, lastUsed }] of this.throttles) {
      if (run.queueSize === 0 && now - lastUsed >= this.idleMs) this.throttles.delete(id);
    }
  }
}

/** One call at a time per `spacingMs`, whatever the call (strict: spacing between each pair). */
function throttle(spacingMs: number, signal: AbortSignal) {
  return pThrottle({ limit: 1, interval: spacingMs, strict: true, signal })((task: () => Promise<unknown>) =>
    task(),
  );
}

/** Sliding-window log in Redis: admits a start when fewer than ARGV[1] started in the last ARGV[2] ms. */
const GATE_SCRIPT = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
if redis.call('zcard', KEYS[1]) < limit then
  redis.call('zadd', KEYS[1], now, ARGV[3])
  redis.call('pexpire', KEYS[1], window)
  return 0
end
local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
`;

type GateClient = Redis & {
  kieStartGate(key: string, limit: number, windowMs: number, member: string): Promise<number>;
};

/**
 * The last check before a clustered request goes out. Bottleneck fixes each start time in
 * Redis when the job is queued; a process that stalls (CPU starved, a long GC) then fires its
 * overdue jobs together, and two shards can meet in one window with more than the limit
 * (measured on a starved two-core machine: 21–22 arrivals in Kie's 10 s window). The gate
 * counts starts in Redis at the moment they happen (Redis clock) over the window plus twice the
 * spacing's margin (10 s → 11 s), and holds a request until that window has room; a process
 * stalled after the check can then be up to one margin late without a 429. With steady
 * spacing it never waits.
 */
class StartGate {
  private readonly stopped = new AbortController();
  private readonly prefix: string;
  private client: Promise<GateClient> | undefined;
  private serial = 0;
  private readonly process = randomBytes(6).toString('hex');

  constructor(
    private readonly connection: Bottleneck.IORedisConnection,
    prefix: string,
  ) {
    this.prefix = `b_${prefix}-gate-`;
  }

  async pass(name: string, limit: number, windowMs: number): Promise<void> {
    const client = await this.ready();
    for (;;) {
      this.stopped.signal.throwIfAborted();
      this.serial += 1;
      const member = `${this.process}-${this.serial}`;
      const waitMs = await client.kieStartGate(`${this.prefix}${name}`, limit, windowMs, member);
      if (waitMs <= 0) return;
      await sleep(waitMs, undefined, { signal: this.stopped.signal });
    }
  }

  /** Requests waiting at the gate reject, so a shutdown does not wait out a window. */
  close(): void {
    this.stopped.abort(new Error('Kie limiter closed'));
  }

  private ready(): Promise<GateClient> {
    // bottleneck 2.19's typings call `ready` a method; the object has a promise there.
    const ready = (this.connection as unknown as { ready: Promise<{ client: Redis }> }).ready;
    this.client ??= ready.then(({ client }) => {
      const redis = client as GateClient;
      if (typeof redis.kieStartGate !== 'function') {
        redis.defineCommand('kieStartGate', { numberOfKeys: 1, lua: GATE_SCRIPT });
      }
      return redis;
    });
    return this.client;
  }
}
