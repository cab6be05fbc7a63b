import type { ServerResponse } from 'node:http';
import { FaultBook } from './faults.js';
import { sendJson } from './http.js';
import { padMp4 } from './media.js';
import type {
  CallbackRecord,
  CatalogSetting,
  KieStandInOptions,
  RecordedRequest,
  StandInTask,
  StoredFile,
  TaskScript,
} from './types.js';

export const DEFAULT_SCRIPT: TaskScript = {
  steps: [
    { state: 'waiting', ms: 20 },
    { state: 'queuing', ms: 20 },
    { state: 'generating', ms: 60 },
  ],
  outcome: { kind: 'success' },
};

type Resolved = Required<Omit<KieStandInOptions, 'keys' | 'script'>>;

const DAY_MS = 24 * 60 * 60_000;

/** Everything one stand-in knows; shared by its route handlers. */
export class StandInContext {
  url = '';
  readonly options: Resolved;
  readonly keys: Map<string, number>;
  script: TaskScript;
  readonly nextScripts: TaskScript[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly tasks = new Map<string, StandInTask>();
  readonly files = new Map<string, StoredFile>();
  readonly callbacks: CallbackRecord[] = [];
  readonly faults = new FaultBook();
  readonly withdrawn = new Map<string, { code: number; msg: string; httpStatus?: number }>();
  readonly hmacKeys = new Map<string, string>();
  /** Accepted createTask times per key, for the sliding window. */
  readonly createTimes = new Map<string, number[]>();
  /** Catalog request times per key, for its 1-per-second window. */
  readonly catalogTimes = new Map<string, number[]>();
  /** Catalogs set for one key (setCatalog with a key); others get `options.catalog`. */
  readonly catalogs = new Map<string, CatalogSetting>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborter = new AbortController();
  private readonly padded = new Map<number, Buffer>();
  private counter = 0;

  constructor(
    options: KieStandInOptions,
    readonly video: Buffer,
  ) {
    this.keys = new Map(Object.entries(options.keys ?? { 'test-key': 10_000 }));
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.options = {
      createLimit: options.createLimit ?? { max: 20, windowMs: 10_000 },
      costPerTask: options.costPerTask ?? 30,
      refundFailed: options.refundFailed ?? false,
      fetchImages: options.fetchImages ?? true,
      uploadAnswerField: options.uploadAnswerField ?? 'downloadUrl',
      errorsInBody: options.errorsInBody ?? false,
      blankFields: options.blankFields === undefined ? '' : options.blankFields,
      requireUserAgent: options.requireUserAgent ?? false,
      callbackAttempts: options.callbackAttempts ?? 3,
      callbackRetryDelayMs: options.callbackRetryDelayMs ?? 200,
      callbackTimeoutMs: options.callbackTimeoutMs ?? 15_000,
      catalog: options.catalog ?? 'absent',
      catalogEnvelope: options.catalogEnvelope ?? true,
      catalogLimit: options.catalogLimit ?? { max: 1, windowMs: 1000 },
      uploadTtlMs: options.uploadTtlMs ?? DAY_MS,
    };
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get closed(): boolean {
    return this.aborter.signal.aborted;
  }

  /** Sliding window per key: records a request now and says whether it fits `max` per `windowMs`. */
  admit(times: Map<string, number[]>, apiKey: string, limit: { max: number; windowMs: number }): boolean {
    const now = Date.now();
    const recent = (times.get(apiKey) ?? []).filter((t) => t > now - limit.windowMs);
    const fits = recent.length < limit.max;
    if (fits) recent.push(now);
    times.set(apiKey, recent);
    return fits;
  }

  nextSerial(): number {
    this.counter += 1;
    return this.counter;
  }

  /** A timer that close() cancels. */
  later(fn: () => void, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Resolves after `ms`, or at close() (so no handler hangs the test run). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.later(resolve, ms);
      this.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  shutdown(): void {
    this.aborter.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  paddedVideo(totalBytes: number): Buffer {
    let bytes = this.padded.get(totalBytes);
    if (!bytes) {
      bytes = padMp4(this.video, totalBytes);
      this.padded.set(totalBytes, bytes);
    }
    return bytes;
  }

  /** A `{ code, msg, data }` answer; errors use HTTP status = code unless `errorsInBody`. */
  answer(res: ServerResponse, code: number, msg: string, data: unknown = null, httpStatus?: number): void {
    const status = httpStatus ?? (code === 200 || this.options.errorsInBody ? 200 : code);
    sendJson(res, status, { code, msg, data });
  }
}
