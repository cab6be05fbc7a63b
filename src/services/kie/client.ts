import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { Agent } from 'undici';
import packageJson from '../../../package.json' with { type: 'json' };
import type { FailureContext } from './error-mapping.js';
import { KieError, type KieRoute } from './errors.js';
import { type KieLimiter, KieLimiters, type KieLimits, type KieRouteClass } from './limiter.js';
import {
  type KieModelCatalog,
  type KieTask,
  parseCreateTaskData,
  parseCreditData,
  parseDownloadUrlData,
  parseModelCatalogData,
  parseRecordInfoData,
  parseUploadData,
} from './schemas.js';
import { keyId } from './secrets.js';
import { type KieHttpRequest, sendKieRequest } from './transport.js';

export const DEFAULT_USER_AGENT = `animate-bot/${packageJson.version} (+self-hosted Discord bot)`;

export interface KieRetryOptions {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

export const defaultKieRetry: Readonly<KieRetryOptions> = Object.freeze({
  retries: 4,
  minTimeoutMs: 500,
  maxTimeoutMs: 8000,
});

export interface KieClientOptions {
  /** KIE_API_URL, e.g. https://api.kie.ai */
  apiUrl: string;
  /** KIE_UPLOAD_URL, e.g. https://kieai.redpandaai.co */
  uploadUrl: string;
  /** Per attempt, body read included. */
  timeoutMs: number;
  logger: Logger;
  /** Default `animate-bot/<version> (+self-hosted Discord bot)`; a User-Agent is always sent. */
  userAgent?: string;
  /** Default {retries: 4, minTimeoutMs: 500, maxTimeoutMs: 8000}; exponential, jittered ×1–2. */
  retry?: KieRetryOptions;
  /** Default 20 createTask per 10_000 ms and 10 recordInfo per s, per key. Ignored with `limiter`. */
  limits?: KieLimits;
  /**
   * The limiter every attempt goes through; the composition root gives one shared over the
   * store's Redis when there is one. The client closes it in `close()`. Default: an in-process
   * `KieLimiters` on `limits`.
   */
  limiter?: KieLimiter;
  /** Told of every attempt's outcome: Kie's code, or the error kind when no code came back. */
  onAttempt?: (route: KieRoute, outcome: string, ok: boolean) => void;
}

export interface CreateTaskRequest {
  model: string;
  input: Record<string, unknown>;
  callBackUrl?: string;
}

interface CallSpec<T> {
  route: KieRoute;
  routeClass: KieRouteClass;
  method: 'GET' | 'POST';
  host: 'api' | 'upload';
  path: string;
  body?: KieHttpRequest['body'];
  model?: string;
  /** See KieHttpRequest.acceptBare. */
  acceptBare?: boolean;
  parse: (data: unknown, ctx: FailureContext, code: number) => T;
}

// Anything else in a header makes fetch throw with the header value (the key) in the message.
const SENDABLE_KEY = /^[\x21-\x7e]+$/;

/**
 * Typed client for Kie's jobs and upload APIs. Every call is rate limited per key, retried
 * (bounded, only for retryable errors; createTask only when Kie surely did not take the
 * request) and throws a KieError subclass on failure.
 */
export class KieClient {
  private readonly apiUrl: string;
  private readonly uploadUrl: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly retry: KieRetryOptions;
  private readonly logger: Logger;
  private readonly limiters: KieLimiter;
  /**
   * Kie's connections, in a pool of the client's own. undici's global pool is whichever undici
   * first set it: once anything touches a fetch global (FormData, Blob…), Node's bundled copy,
   * which cost 3.5× the CPU per request in socket writes at 10,000 jobs (docs/benchmarks.md).
   */
  private readonly agent = new Agent();
  private readonly onAttempt: KieClientOptions['onAttempt'];
  private closed = false;

  constructor(options: KieClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.uploadUrl = options.uploadUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.userAgent = options.userAgent?.trim() || DEFAULT_USER_AGENT;
    this.retry = options.retry ?? defaultKieRetry;
    this.logger = options.logger.child({ component: 'kie-client' });
    this.onAttempt = options.onAttempt;
    this.limiters = options.limiter ?? new KieLimiters({ limits: options.limits });
  }

  /** Submits a task. A 200 means created, not finished. Never repeated once Kie may have seen it. */
  createTask(apiKey: string, req: CreateTaskRequest): Promise<{ taskId: string }> {
    const json = {
      model: req.model,
      input: req.input,
      ...(req.callBackUrl ? { callBackUrl: req.callBackUrl } : {}),
    };
    return this.call(apiKey, {
      route: 'createTask',
      routeClass: 'create',
      method: 'POST',
      host: 'api',
      path: '/api/v1/jobs/createTask',
      body: { json },
      model: req.model,
      parse: parseCreateTaskData,
    });
  }

  /** recordInfo: the task's state, and its result URLs once `success`. */
  getTask(apiKey: string, taskId: string): Promise<KieTask> {
    return this.call(apiKey, {
      route: 'recordInfo',
      routeClass: 'poll',
      method: 'GET',
      host: 'api',
      path: `/api/v1/jobs/recordInfo?${new URLSearchParams({ taskId })}`,
      parse: parseRecordInfoData,
    });
  }

  /** Remaining credits; also the cheapest way to validate a key. */
  getCredits(apiKey: string): Promise<number> {
    return this.call(apiKey, {
      route: 'credit',
      routeClass: 'other',
      method: 'GET',
      host: 'api',
      path: '/api/v1/chat/credit',
      parse: parseCreditData,
    });
  }

  /** Kie fetches `fileUrl` itself and re-hosts it. Give a unique `fileName`: same name overwrites. */
  uploadFromUrl(
    apiKey: string,
    args: { fileUrl: string; fileName?: string; uploadPath?: string },
  ): Promise<{ downloadUrl: string }> {
    return this.call(apiKey, {
      route: 'fileUrlUpload',
      routeClass: 'other',
      method: 'POST',
      host: 'upload',
      path: '/api/file-url-upload',
      body: { json: args },
      parse: parseUploadData,
    });
  }

  /** Multipart upload of bytes already held in memory. */
  uploadStream(
    apiKey: string,
    args: { data: Buffer | Blob; fileName: string; contentType: string; uploadPath?: string },
  ): Promise<{ downloadUrl: string }> {
    const blob =
      args.data instanceof Blob
        ? args.data
        : new Blob([new Uint8Array(args.data)], { type: args.contentType });
    const form = () => {
      const fd = new FormData();
      fd.append('file', blob, args.fileName);
      fd.append('fileName', args.fileName);
      if (args.uploadPath) fd.append('uploadPath', args.uploadPath);
      return fd;
    };
    return this.call(apiKey, {
      route: 'fileStreamUpload',
      routeClass: 'other',
      method: 'POST',
      host: 'upload',
      path: '/api/file-stream-upload',
      body: { form },
      parse: parseUploadData,
    });
  }

  /** A fresh (~20 min) download link for a Kie-generated URL. */
  getDownloadUrl(apiKey: string, url: string): Promise<string> {
    return this.call(apiKey, {
      route: 'downloadUrl',
      routeClass: 'other',
      method: 'POST',
      host: 'api',
      path: '/api/v1/common/download-url',
      body: { json: { url } },
      parse: parseDownloadUrlData,
    });
  }

  /**
   * Kie's model catalog for this key (`GET /api/v1/models`, not paginated). Catalog calls share
   * one budget per key: 1 per second, 1.25 s apart. Kie's `code` 404 or any error throws.
   */
  listModels(apiKey: string): Promise<KieModelCatalog> {
    return this.call(apiKey, {
      route: 'models',
      routeClass: 'catalog',
      method: 'GET',
      host: 'api',
      path: '/api/v1/models',
      acceptBare: true,
      parse: parseModelCatalogData,
    });
  }

  /** Stops the limiters: queued calls reject, running ones finish. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.limiters.close();
    // Idle connections close now; a request still under way (bounded by its timeout) is not waited for.
    void this.agent.close().catch(() => undefined);
  }

  private async call<T>(rawKey: string, spec: CallSpec<T>): Promise<T> {
    if (this.closed) throw new Error('KieClient is closed');
    const apiKey = rawKey.trim();
    if (!SENDABLE_KEY.test(apiKey)) {
      throw new KieError(
        'invalid-key',
        `Kie ${spec.route}: the API key is empty or has characters a key cannot have`,
        {
          route: spec.route,
        },
      );
    }
    const { retries, minTimeoutMs, maxTimeoutMs } = this.retry;
    return pRetry(
      (attempt) => this.limiters.schedule(spec.routeClass, apiKey, () => this.attempt(apiKey, spec, attempt)),
      {
        retries,
        minTimeout: minTimeoutMs,
        maxTimeout: maxTimeoutMs,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof KieError && error.retryable,
      },
    );
  }

  private async attempt<T>(apiKey: string, spec: CallSpec<T>, attempt: number): Promise<T> {
    const ctx: FailureContext = {
      route: spec.route,
      apiKey,
      model: spec.model,
      idempotent: spec.route !== 'createTask',
    };
    const base = spec.host === 'api' ? this.apiUrl : this.uploadUrl;
    const started = performance.now();
    const fields = { route: spec.route, keyId: keyId(apiKey).slice(0, 8), attempt };
    try {
      const answer = await sendKieRequest(
        {
          method: spec.method,
          url: `${base}${spec.path}`,
          apiKey,
          userAgent: this.userAgent,
          timeoutMs: this.timeoutMs,
          dispatcher: this.agent,
          ...(spec.body ? { body: spec.body } : {}),
          ...(spec.acceptBare ? { acceptBare: true } : {}),
        },
        ctx,
      );
      const value = spec.parse(answer.data, ctx, answer.code);
      this.onAttempt?.(spec.route, String(answer.code), true);
      this.logger.debug(
        { ...fields, code: answer.code, latencyMs: Math.round(performance.now() - started) },
        'kie call ok',
      );
      return value;
    } catch (err) {
      const kieErr = err instanceof KieError ? err : undefined;
      this.onAttempt?.(spec.route, String(kieErr?.code ?? kieErr?.kind ?? 'internal'), false);
      this.logger.warn(
        {
          ...fields,
          code: kieErr?.code,
          httpStatus: kieErr?.httpStatus ?? ctx.httpStatus,
          kind: kieErr?.kind ?? 'internal',
          retrying: Boolean(kieErr?.retryable) && attempt <= this.retry.retries,
          latencyMs: Math.round(performance.now() - started),
        },
        'kie call failed',
      );
      throw err;
    }
  }
}
