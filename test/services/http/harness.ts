import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/app/logger.js';
import { Metrics } from '../../../src/app/metrics.js';
import {
  type CallbackHandlerOptions,
  type CallbackJob,
  createCallbackHandler,
  type HealthChecks,
  type RunningHttpServer,
  startHttpServer,
} from '../../../src/services/http/index.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines land in `lines`, parsed. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

export interface TestServer extends RunningHttpServer {
  metrics: Metrics;
  lines: LogLine[];
  /** Token → job, read by the callback route's `resolve`. */
  jobs: Map<string, CallbackJob>;
  /** Every onCallback call, in order. */
  woken: Array<{ guildId: string; jobId: string }>;
}

/** Starts the real server on 127.0.0.1:0 with an in-memory token map. */
export async function startTestServer(
  overrides: {
    health?: Partial<HealthChecks>;
    callbacks?: false | Partial<Omit<CallbackHandlerOptions, 'logger' | 'jobs'>>;
    /** METRICS_PORT: 0 for any free port. */
    metricsPort?: number;
  } = {},
): Promise<TestServer> {
  const { logger, lines } = captureLogger();
  const metrics = new Metrics({ defaultMetrics: false });
  const jobs = new Map<string, CallbackJob>();
  const woken: TestServer['woken'] = [];
  const callbacks =
    overrides.callbacks === false
      ? undefined
      : createCallbackHandler({
          jobs: { resolve: async (token) => jobs.get(token) },
          onCallback: (job) => void woken.push(job),
          logger,
          metrics,
          ...overrides.callbacks,
        });
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    metrics,
    health: {
      discordReady: () => true,
      storeReachable: async () => true,
      ...overrides.health,
    },
    ...(callbacks ? { callbacks } : {}),
    ...(overrides.metricsPort !== undefined ? { metricsPort: overrides.metricsPort } : {}),
  });
  return { ...server, metrics, lines, jobs, woken };
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
