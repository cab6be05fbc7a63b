import Bottleneck from 'bottleneck';
import { keyId } from './secrets.js';

/** Which per-key budget a route draws from. */
export type KieRouteClass = 'create' | 'poll' | 'other';

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
  const margin = Math.max(windowMs * 0.05, 250);
  return Math.ceil((windowMs + margin) / perWindow);
}

/**
 * One bottleneck limiter per API key and route class, named by a hash of the key (ids may end
 * up in Redis when `extra` clusters them). Retries are scheduled again, so they are limited too.
 */
export class KieLimiters {
  private readonly groups: Record<KieRouteClass, Bottleneck.Group>;

  constructor(limits: KieLimits, extra: Bottleneck.ConstructorOptions = {}, idleMs = LIMITER_IDLE_MS) {
    const prefix = extra.id ?? 'kie';
    const group = (routeClass: KieRouteClass, minTime: number) =>
      new Bottleneck.Group({ timeout: idleMs, ...extra, id: `${prefix}-${routeClass}`, minTime });
    const pollSpacing = spacingMs(limits.recordInfoPerSecond, 1000);
    this.groups = {
      create: group('create', spacingMs(limits.createPerWindow, limits.createWindowMs)),
      poll: group('poll', pollSpacing),
      other: group('other', pollSpacing),
    };
  }

  schedule<T>(routeClass: KieRouteClass, apiKey: string, task: () => Promise<T>): Promise<T> {
    return this.groups[routeClass].key(keyId(apiKey)).schedule(task);
  }

  /** Keys that currently hold a limiter in this process (hashed ids), for tests and metrics. */
  activeKeys(routeClass: KieRouteClass): string[] {
    return this.groups[routeClass].keys();
  }

  /** Drops queued jobs (they reject), waits for running ones, releases any Redis connection. */
  async close(): Promise<void> {
    const groups = Object.values(this.groups);
    await Promise.all(
      groups.flatMap((g) => g.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true }))),
    );
    await Promise.all(groups.map((g) => g.disconnect()));
  }
}
