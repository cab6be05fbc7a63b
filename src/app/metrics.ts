import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CallbackOutcome } from '../services/http/callback-handler.js';
import type { JobStatus } from '../services/jobs/job-record.js';
import { kieErrorKinds } from '../services/kie/index.js';

const JOB_STATUSES: readonly JobStatus[] = [
  'pending',
  'submitted',
  'running',
  'delivering',
  'delivered',
  'failed',
  'expired',
];

/**
 * The values the `code` label of the Kie metrics may take: Kie's documented codes (403 too,
 * its IP allow-list answer), the error kinds (no code came back) and 'internal'. Anything else,
 * a code Kie or a proxy made up, counts as 'other': an upstream must not be able to create a
 * time series per request.
 */
const KIE_CODE_LABELS: ReadonlySet<string> = new Set([
  ...['200', '401', '402', '403', '404', '422', '429', '433', '455', '500', '501', '505'],
  ...Object.keys(kieErrorKinds),
  'internal',
]);

/** `code` as a label of the Kie metrics: itself when it is in the fixed set, else 'other'. */
export function kieCodeLabel(code: number | string): string {
  const label = String(code);
  return KIE_CODE_LABELS.has(label) ? label : 'other';
}

export interface MetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

/**
 * The bot's Prometheus metrics, on a registry of its own (never prom-client's global one), so
 * tests and several instances in one process do not share counters.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly #jobsByState = new Gauge({
    name: 'jobs_by_state',
    help: 'Jobs in each state, as last counted',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly #kieCalls = new Counter({
    name: 'kie_calls_total',
    help: 'Kie API calls by route and answer code (Kie body code, else the error kind; unlisted codes: "other")',
    labelNames: ['route', 'code'] as const,
    registers: [this.registry],
  });
  readonly #kieErrors = new Counter({
    name: 'kie_errors_total',
    help: 'Kie API calls that failed, by route and code',
    labelNames: ['route', 'code'] as const,
    registers: [this.registry],
  });
  readonly #ackLatency = new Histogram({
    name: 'ack_latency_seconds',
    help: 'From an interaction arriving to its first answer (Discord allows 3 s)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5],
    registers: [this.registry],
  });
  readonly #deliveryLatency = new Histogram({
    name: 'delivery_latency_seconds',
    help: 'From the Kie task ending to the video being posted in Discord',
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly #pollLag = new Histogram({
    name: 'poll_lag_seconds',
    help: 'How late a scheduled job step ran compared with when it was due',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60],
    registers: [this.registry],
  });
  readonly #delivered = new Counter({
    name: 'jobs_delivered_total',
    help: 'Jobs whose video was delivered',
    registers: [this.registry],
  });
  readonly #failed = new Counter({
    name: 'jobs_failed_total',
    help: 'Jobs that ended without a video, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly #callbacks = new Counter({
    name: 'kie_callbacks_total',
    help: 'Requests to the Kie callback route, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Sets the job gauge for every known state; states missing from `counts` read 0. */
  setJobsByState(counts: Partial<Record<JobStatus, number>>): void {
    for (const state of JOB_STATUSES) this.#jobsByState.set({ state }, counts[state] ?? 0);
  }

  /** `code` outside Kie's documented codes and the error kinds is counted as 'other'. */
  countKieCall(route: string, code: number | string): void {
    this.#kieCalls.inc({ route, code: kieCodeLabel(code) });
  }

  /** `code` outside Kie's documented codes and the error kinds is counted as 'other'. */
  countKieError(route: string, code: number | string): void {
    this.#kieErrors.inc({ route, code: kieCodeLabel(code) });
  }

  observeAck(ms: number): void {
    this.#ackLatency.observe(ms / 1000);
  }

  observeDelivery(ms: number): void {
    this.#deliveryLatency.observe(ms / 1000);
  }

  observePollLag(ms: number): void {
    this.#pollLag.observe(Math.max(0, ms) / 1000);
  }

  countDelivered(): void {
    this.#delivered.inc();
  }

  /** `reason` should be a small fixed set (e.g. the failure's message key), never free text. */
  countFailed(reason: string): void {
    this.#failed.inc({ reason });
  }

  countCallback(outcome: CallbackOutcome): void {
    this.#callbacks.inc({ outcome });
  }

  /** The Prometheus text exposition of every metric, with its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
