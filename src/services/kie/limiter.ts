import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pThrottle from 'p-throttle';
import { keyId } from './secrets.js';

/** Which per-key budget a route draws from. */
export type KieRouteClass = 'create' | 'poll' | 'other' | 'catalog';

/**
 * Kie's catalog routes share one budget of 1 request per second per account and ask for at
 * least 1.1 s between calls (kie-models-2026-09.md §6.3); spacingMs(1, 1000) gives 1.25 s.
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

/** Limiters of keys idle this long are dropped. */
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

/**
 * Runs a Lua script on the Redis the store already holds and resolves to its reply
 * (`redisEvalOf` in services/store gives one for a Redis-backed Keyv).
 */
export type RedisEval = (script: string, keys: string[], args: string[]) => Promise<unknown>;

/** The one limiter the Kie client schedules every attempt through. */
export interface KieLimiter {
  /** Runs `task` when the key's budget for `routeClass` has room; rejects once closed. */
  schedule<T>(routeClass: KieRouteClass, apiKey: string, task: () => Promise<T>): Promise<T>;
  /** Keys that currently hold a limiter in this process (hashed ids), for tests and metrics. */
  activeKeys(routeClass: KieRouteClass): string[];
  /** Calls still waiting reject; running calls finish. The Redis client is not ours to close. */
  close(): Promise<void>;
}

export interface KieLimitersOptions {
  /** Default {@link defaultKieLimits}. */
  limits?: KieLimits | undefined;
  /**
   * The store's Redis, when the store is Redis: every process on it (the shards of one bot, or
   * several hosts) then draws from one budget per key and route class. Undefined: this process
   * alone uses its keys (the SQLite store, a single process).
   */
  redis?: RedisEval | undefined;
  /** Prefix of the shared windows' Redis keys (the store namespace). Default 'animate'. */
  namespace?: string | undefined;
  /** Limiters of keys idle this long are dropped. Default {@link LIMITER_IDLE_MS}. */
  idleMs?: number | undefined;
}

/**
 * One limiter per API key and route class, named by a hash of the key (the name may end up in
 * Redis). Within a process, p-throttle starts one key's calls `spacingMs` apart (≈ 20 µs of
 * CPU per call). With `redis`, each start is also counted in a sliding window in Redis shared
 * by every process (SharedWindow), and waits until that window has room. Retries are
 * scheduled again, so they are limited too.
 */
export class KieLimiters implements KieLimiter {
  readonly #limiters: Record<KieRouteClass, KeyedThrottle>;
  readonly #window: StartWindow;

  constructor(options: KieLimitersOptions = {}) {
    const limits = options.limits ?? defaultKieLimits;
    const idleMs = options.idleMs ?? LIMITER_IDLE_MS;
    // In one process the window is local; over Redis it is shared by every process on it.
    const window: StartWindow = options.redis
      ? new SharedWindow(options.redis, options.namespace ?? 'animate')
      : new LocalWindow();
    this.#window = window;
    const limiter = (routeClass: KieRouteClass, limit: number, windowMs: number) => {
      // The window is widened by twice the margin (10 s → 11 s): a process stalled between the
      // check and its request can then be up to one margin late without a 429.
      const checkedMs = windowMs + 2 * marginMs(windowMs);
      const admit = (id: string) => window.pass(`${routeClass}:${id}`, limit, checkedMs);
      return new KeyedThrottle(spacingMs(limit, windowMs), idleMs, admit);
    };
    this.#limiters = {
      create: limiter('create', limits.createPerWindow, limits.createWindowMs),
      poll: limiter('poll', limits.recordInfoPerSecond, 1000),
      other: limiter('other', limits.recordInfoPerSecond, 1000),
      catalog: limiter('catalog', CATALOG_WINDOW.limit, CATALOG_WINDOW.windowMs),
    };
  }

  schedule<T>(routeClass: KieRouteClass, apiKey: string, task: () => Promise<T>): Promise<T> {
    return this.#limiters[routeClass].schedule(keyId(apiKey), task);
  }

  activeKeys(routeClass: KieRouteClass): string[] {
    return this.#limiters[routeClass].keys();
  }

  async close(): Promise<void> {
    this.#window.close();
    for (const limiter of Object.values(this.#limiters)) limiter.close();
  }
}

interface ThrottleEntry {
  run: ReturnType<typeof throttle>;
  lastUsed: number;
  /** The previous call's turn at the shared window: one call per key and process asks at a time. */
  turn: Promise<void>;
  /** Calls past the throttle still waiting for the shared window. */
  admitting: number;
}

/**
 * p-throttle per id: starts at least `spacingMs` apart, then (when `admit` is given) one at a
 * time through `admit`, in order; ids idle for `idleMs` are dropped.
 */
class KeyedThrottle {
  readonly #entries = new Map<string, ThrottleEntry>();
  readonly #stopped = new AbortController();
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    private readonly spacingMs: number,
    private readonly idleMs: number,
    private readonly admit: ((id: string) => Promise<void>) | undefined,
  ) {
    this.#sweeper = setInterval(() => this.#dropIdle(), Math.min(idleMs, 60_000));
    this.#sweeper.unref();
  }

  schedule<T>(id: string, task: () => Promise<T>): Promise<T> {
    let entry = this.#entries.get(id);
    if (!entry) {
      entry = {
        run: throttle(this.spacingMs, this.#stopped.signal),
        lastUsed: 0,
        turn: Promise.resolve(),
        admitting: 0,
      };
      this.#entries.set(id, entry);
    }
    entry.lastUsed = Date.now();
    const admit = this.admit;
    if (!admit) return entry.run(task) as Promise<T>;
    const held = entry;
    // Without the queue every waiting call would ask Redis again each time the window opens.
    return held.run(async () => {
      held.admitting += 1;
      const turn = held.turn.then(() => admit(id));
      held.turn = turn.catch(() => undefined);
      try {
        await turn;
      } finally {
        held.admitting -= 1;
        held.lastUsed = Date.now();
      }
      return task();
    }) as Promise<T>;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#stopped.abort(new Error('KieClient is closed'));
    this.#entries.clear();
  }

  #dropIdle(): void {
    const now = Date.now();
    for (const [id, { run, lastUsed, admitting }] of this.#entries) {
      if (run.queueSize === 0 && admitting === 0 && now - lastUsed >= this.idleMs) this.#entries.delete(id);
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
const WINDOW_SCRIPT = `
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

/**
 * Starts of every process, counted in Redis (on Redis's clock) at the moment they happen: one
 * script call per start while the window has room; when it is full the reply says how long
 * until the oldest start leaves it, and the call asks again then. Keys:
 * `<namespace>:kie-window:<route class>:<key hash>`, expiring with their window.
 */
/** Counts the calls that really start, per name, and holds one back until its window has room. */
interface StartWindow {
  pass(name: string, limit: number, windowMs: number): Promise<void>;
  close(): void;
}

/**
 * The in-process window. p-throttle plans each start `spacingMs` after the previous one's plan,
 * so after an event-loop stall every overdue call starts at once and a window can see more than
 * its limit; this counts the starts that really happen (measured under load: 15 where 10 were
 * allowed) and holds the rest back. A few timestamps per key: microseconds per call.
 */
class LocalWindow implements StartWindow {
  readonly #starts = new Map<string, number[]>();
  readonly #stopped = new AbortController();

  constructor() {
    setMaxListeners(0, this.#stopped.signal);
  }

  async pass(name: string, limit: number, windowMs: number): Promise<void> {
    for (;;) {
      this.#stopped.signal.throwIfAborted();
      const now = Date.now();
      const starts = (this.#starts.get(name) ?? []).filter((at) => at > now - windowMs);
      if (starts.length < limit) {
        starts.push(now);
        this.#starts.set(name, starts);
        return;
      }
      this.#starts.set(name, starts);
      await sleep((starts[0] ?? now) + windowMs - now + 1, undefined, { signal: this.#stopped.signal });
    }
  }

  close(): void {
    this.#stopped.abort(new Error('Kie limiter closed'));
    this.#starts.clear();
  }
}

class SharedWindow implements StartWindow {
  readonly #stopped = new AbortController();
  readonly #process = randomBytes(6).toString('hex');
  #serial = 0;

  constructor(
    private readonly redis: RedisEval,
    private readonly namespace: string,
  ) {
    // Every call waiting on Redis or on the window listens for close (and stops listening after).
    setMaxListeners(0, this.#stopped.signal);
  }

  async pass(name: string, limit: number, windowMs: number): Promise<void> {
    const signal = this.#stopped.signal;
    const key = `${this.namespace}:kie-window:${name}`;
    for (;;) {
      signal.throwIfAborted();
      this.#serial += 1;
      const member = `${this.#process}-${this.#serial}`;
      const reply = await untilAborted(
        this.redis(WINDOW_SCRIPT, [key], [`${limit}`, `${windowMs}`, member]),
        signal,
      );
      if (typeof reply !== 'number') throw new Error(`Kie limiter: unexpected Redis reply ${typeof reply}`);
      if (reply <= 0) return;
      await sleep(reply, undefined, { signal });
    }
  }

  /** Calls waiting at the window reject, so a shutdown does not wait one out. */
  close(): void {
    this.#stopped.abort(new Error('Kie limiter closed'));
  }
}

/** `promise`, or the abort reason as soon as `signal` aborts (a Redis call cannot be cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
