import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isCallbackToken } from './callback-token.js';
import { readCappedBody } from './read-body.js';
import { sendText } from './respond.js';
import { DEFAULT_WAKE_INTERVAL_MS, WakeThrottle } from './wake-throttle.js';
import { MAX_TIMESTAMP_SKEW_MS, verifyWebhookSignature } from './webhook-signature.js';

/** Kie posts a recordInfo-shaped body; only a few fields are read, and only for logs and signing. */
const callbackBodySchema = z.object({
  data: z
    .object({
      taskId: z.string().min(1).max(200).optional().catch(undefined),
      state: z.string().max(40).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** The job a callback token stands for. */
/** What became of a request to the Kie callback route ('throttled': accepted, but its job was woken moments ago). */
export type CallbackOutcome =
  | 'accepted'
  | 'throttled'
  | 'unknown_token'
  | 'bad_signature'
  | 'too_large'
  | 'error';

export interface CallbackJob {
  guildId: string;
  jobId: string;
  /** The job's Kie task id, once known; the signature is checked against it rather than the body's. */
  taskId?: string | null;
  /** The guild's Kie webhook HMAC key, unsealed; when set, unsigned or badly signed callbacks are refused. */
  hmacKey?: string;
}

/** Implemented by the job store: maps a callback token to its job. */
export interface CallbackJobs {
  /** The job for this token, or undefined when no job has it (unknown, or the job is gone). */
  resolve(token: string): Promise<CallbackJob | undefined>;
}

export interface CallbackHandlerOptions {
  jobs: CallbackJobs;
  /**
   * Called after a valid callback has been answered. Wire it to `tracker.track(job, 0)`: the job
   * re-reads the task with recordInfo at once. Errors are logged, never thrown. At most once per
   * job per `wakeIntervalMs` (further callbacks in the interval ask for one wake at its end).
   */
  onCallback(job: { guildId: string; jobId: string }): void | Promise<void>;
  /** Shortest time between two wakes of one job. Default 10 s. */
  wakeIntervalMs?: number;
  logger: Logger;
  metrics?: { countCallback(outcome: CallbackOutcome): void };
  /** Default 64 KB; larger bodies get 413 and nothing else happens. */
  maxBodyBytes?: number;
  /** Default 5 minutes. */
  maxSkewMs?: number;
  /** Longest wait for the token lookup before answering 503 (Kie tries again). Default 5000 ms. */
  resolveTimeoutMs?: number;
  now?: () => number;
}

export interface CallbackHandler {
  /** Answers one request to `/kie/callback/<token>`; never rejects. */
  handle(req: IncomingMessage, res: ServerResponse, token: string): Promise<void>;
}

export const DEFAULT_CALLBACK_BODY_BYTES = 64 * 1024;

/** What a callback did: its HTTP answer and, for logs, why. */
type Verdict = {
  status: number;
  outcome: CallbackOutcome;
  job?: CallbackJob;
  why?: string;
  /** What the body says, logged as a claim only. */
  claimed?: { taskId?: string | undefined; state?: string | undefined };
};

/**
 * The Kie callback route. A valid callback is answered 200 before anything else happens, then only
 * wakes its job: the body is never trusted, the job re-reads its task from Kie.
 */
export function createCallbackHandler(options: CallbackHandlerOptions): CallbackHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_CALLBACK_BODY_BYTES;
  const now = options.now ?? Date.now;
  const log = options.logger.child({ route: 'kie-callback' });
  const throttle = new WakeThrottle(({ guildId, jobId }) => {
    setImmediate(() => {
      Promise.resolve()
        .then(() => options.onCallback({ guildId, jobId }))
        .catch((error: unknown) =>
          log.error({ err: error, guildId, jobId }, 'kie callback: waking job failed'),
        );
    });
  }, options.wakeIntervalMs ?? DEFAULT_WAKE_INTERVAL_MS);

  async function judge(req: IncomingMessage, token: string): Promise<Verdict> {
    if (!isCallbackToken(token)) return { status: 404, outcome: 'unknown_token', why: 'malformed token' };
    const read = await readCappedBody(req, maxBodyBytes);
    if (!read.ok && read.problem === 'aborted') return { status: 400, outcome: 'error', why: 'body aborted' };
    if (!read.ok) return { status: 413, outcome: 'too_large' };
    const job = await resolveWithin(options.jobs, token, options.resolveTimeoutMs ?? 5000);
    if (job === undefined) return { status: 404, outcome: 'unknown_token' };
    const claimed = parseBody(read.body).data ?? {};
    if (job.hmacKey === undefined || job.hmacKey === '')
      return { status: 200, outcome: 'accepted', job, claimed };
    const taskId = job.taskId ?? claimed.taskId;
    if (taskId === undefined) {
      return { status: 401, outcome: 'bad_signature', job, claimed, why: 'no task id to check' };
    }
    const check = verifyWebhookSignature({
      hmacKey: job.hmacKey,
      taskId,
      timestamp: header(req, 'x-webhook-timestamp'),
      signature: header(req, 'x-webhook-signature'),
      nowMs: now(),
      maxSkewMs: options.maxSkewMs ?? MAX_TIMESTAMP_SKEW_MS,
    });
    if (!check.ok) return { status: 401, outcome: 'bad_signature', job, claimed, why: check.problem };
    return { status: 200, outcome: 'accepted', job, claimed };
  }

  return {
    async handle(req, res, token) {
      const startedAt = now();
      let verdict: Verdict;
      try {
        verdict = req.method === 'POST' ? await judge(req, token) : { status: 405, outcome: 'error' };
      } catch (error) {
        log.error({ err: error }, 'kie callback: token lookup failed');
        verdict = { status: 503, outcome: 'error', why: 'lookup failed' };
      }
      if (res.destroyed) return;
      // A flood for one token is still answered 200 (Kie must not retry) but wakes the job once.
      if (verdict.status === 200 && verdict.job && throttle.offer(verdict.job) === 'deferred') {
        verdict = { ...verdict, outcome: 'throttled' };
      }
      const headers: Record<string, string> = {};
      if (verdict.status === 405) headers.allow = 'POST';
      // The rest of an oversized body is not worth reading: end the connection after answering.
      if (verdict.status === 413) headers.connection = 'close';
      sendText(res, verdict.status, verdict.status === 200 ? 'ok' : statusText(verdict.status), headers);
      options.metrics?.countCallback(verdict.outcome);

      const context = {
        status: verdict.status,
        outcome: verdict.outcome,
        guildId: verdict.job?.guildId,
        jobId: verdict.job?.jobId,
        ms: now() - startedAt,
        ...(verdict.why ? { why: verdict.why } : {}),
        ...(verdict.claimed
          ? { claimedTaskId: verdict.claimed.taskId, claimedState: verdict.claimed.state }
          : {}),
      };
      if (verdict.status !== 200 || verdict.job === undefined) log.warn(context, 'kie callback refused');
      // Debug only: a flood must not flood the log too (the metric counts it).
      else if (verdict.outcome === 'throttled') log.debug(context, 'kie callback accepted; wake deferred');
      else log.info(context, 'kie callback accepted');
    },
  };
}

function parseBody(raw: Buffer): z.infer<typeof callbackBodySchema> {
  try {
    const parsed = callbackBodySchema.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function resolveWithin(
  jobs: CallbackJobs,
  token: string,
  ms: number,
): Promise<CallbackJob | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`callback token lookup took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([jobs.resolve(token), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Payload Too Large',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Error';
}
