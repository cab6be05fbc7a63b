import pLimit from 'p-limit';
import type { SealedBox } from '../crypto/sealed-box.js';
import type { ReplyEditor, ReplyTarget } from '../discord/reply-editor.js';
import { isKieError, type KieClient, type KieTask } from '../kie/index.js';
import type { Logger } from '../logger.js';
import type { MediaFetcher } from '../media/safe-fetch.js';
import type { Metrics } from '../metrics.js';
import type { JobMessages, ProgressState } from '../render/job-messages.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { deliverJob } from './deliver-job.js';
import type { Failure, JobOf, JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import type { JobStep, StepOutcome } from './job-tracker.js';
import { pollDelayMs, pollRetryDelayMs } from './poll-schedule.js';
import { openInteractionToken } from './submit-job.js';

export interface JobStepDeps {
  jobs: JobStore;
  kie: KieClient;
  settings: SettingsStore;
  box: SealedBox;
  replies: ReplyEditor;
  messages: JobMessages;
  logger: Logger;
  maxVideoBytes: number;
  downloadTimeoutMs: number;
  media: MediaFetcher;
  deadlineMinutes: number;
  /** Deliveries under way at once in this process; the rest wait their turn (disk and sockets stay bounded). */
  maxConcurrentDeliveries?: number;
  /** Where a video is streamed to between Kie and Discord (default: the system's temporary folder). */
  scratchDir?: string;
  metrics?: Metrics;
  now?: () => number;
}

/**
 * Progress edits: one per state change (queued, generating, downloading, uploading), never two
 * within this gap, and none in between: Discord counts the elapsed time from a <t:…:R> stamp.
 * The final answer is never held back.
 */
export const PROGRESS_EDIT_GAP_MS = 5_000;
/** After this many failed delivery attempts the job fails with the reason, instead of trying forever. */
const MAX_DELIVERY_ATTEMPTS = 6;
const CONTENT_POLICY = /policy|sensitive|violat|nsfw|safety|moderat|real (human|person)|face/i;

/** Builds the tracking step: poll Kie, then deliver or fail; every transition persisted first. */
export function createJobStep(deps: JobStepDeps): JobStep {
  const now = deps.now ?? Date.now;
  const pollFailures = new Map<string, number>();
  const deliverySlots = pLimit(deps.maxConcurrentDeliveries ?? 4);

  const targetOf = (job: JobRecord): ReplyTarget => ({
    applicationId: job.applicationId,
    interactionToken: openInteractionToken(deps.box, job),
    tokenExpiresAt: job.tokenExpiresAt,
    channelId: job.channelId,
    replyMessageId: job.replyMessageId,
  });

  async function fail(job: JobRecord, failure: Failure): Promise<StepOutcome> {
    const taskId = 'taskId' in job ? job.taskId : null;
    await deps.jobs.put({ ...job, status: 'failed', taskId, failure, endedAt: now(), updatedAt: now() });
    deps.logger.info({ guildId: job.guildId, jobId: job.id, reason: failure.key }, 'job failed');
    deps.metrics?.countFailed(failure.key);
    await tell(job, deps.messages.failed(job, failure));
    return { next: 'done' };
  }

  /** Best effort: a reply that cannot be edited any more must not stop the job from ending. */
  async function tell(job: JobRecord, body: Record<string, unknown>): Promise<void> {
    try {
      await deps.replies.edit(targetOf(job), body);
    } catch (error) {
      deps.logger.warn({ err: error, guildId: job.guildId, jobId: job.id }, 'could not update the reply');
    }
  }

  /** Shows a new progress state when the ration allows; returns the fields to persist. */
  async function showProgress(job: JobRecord, state: ProgressState) {
    if (job.shownState === state) return {};
    if (job.lastEditAt !== null && now() - job.lastEditAt < PROGRESS_EDIT_GAP_MS) return {};
    await tell(job, deps.messages.progress(job, state));
    return { shownState: state, lastEditAt: now() };
  }

  /** Remembers what the server's latest job cost, for /animate-setup status. */
  async function noteCredits(job: JobRecord): Promise<void> {
    if (job.creditsBefore === null || job.creditsAfter === null) return;
    const lastJobCredits = { jobId: job.id, before: job.creditsBefore, after: job.creditsAfter, at: now() };
    await deps.settings.update(job.guildId, (current) => ({ ...current, lastJobCredits }));
  }

  async function poll(job: JobOf<'submitted'> | JobOf<'running'>, apiKey: string): Promise<StepOutcome> {
    if (now() >= job.deadlineAt) {
      await deps.jobs.put({ ...job, status: 'expired', endedAt: now(), updatedAt: now() });
      deps.metrics?.countFailed('job.expired');
      await tell(
        job,
        deps.messages.failed(job, { key: 'job.expired', params: { minutes: deps.deadlineMinutes } }),
      );
      return { next: 'done' };
    }
    let task: KieTask;
    try {
      task = await deps.kie.getTask(apiKey, job.taskId);
      pollFailures.delete(job.id);
    } catch (error) {
      if (isKieError(error) && error.kind === 'unknown-task')
        return fail(job, { key: 'job.failed.unknownTask', params: {} });
      if (isKieError(error) && error.kind === 'invalid-key')
        return fail(job, { key: 'job.failed.keyRevoked', params: {} });
      const failures = (pollFailures.get(job.id) ?? 0) + 1;
      pollFailures.set(job.id, failures);
      deps.logger.warn({ err: error, jobId: job.id, failures }, 'recordInfo failed; polling again later');
      return { next: 'poll', inMs: pollRetryDelayMs(failures) };
    }
    const ended = task.state === 'success' || task.state === 'fail';
    const creditsAfter = ended ? await deps.kie.getCredits(apiKey).catch(() => null) : job.creditsAfter;
    const polled = { ...job, lastKieState: task.state, updatedAt: now(), creditsAfter };
    if (ended) await noteCredits(polled);
    if (task.state === 'success') {
      const resultUrl = task.resultUrls[0];
      if (!resultUrl)
        return fail(job, { key: 'job.failed.generation', params: { reason: 'no video in the result' } });
      const delivering = (await deps.jobs.put({
        ...polled,
        status: 'delivering',
        resultUrl,
        fallbackNonce: null,
        deliveryAttempts: 0,
        completedAt: task.completeTime,
      })) as JobOf<'delivering'>;
      return deliver(delivering, apiKey);
    }
    if (task.state === 'fail') {
      const reason = task.failMsg ?? task.failCode ?? 'unknown';
      const key = CONTENT_POLICY.test(reason) ? 'job.failed.contentPolicy' : 'job.failed.generation';
      return fail(polled, { key, params: { reason } });
    }
    const state: ProgressState = task.state === 'generating' ? 'generating' : 'queued';
    const shown = await showProgress(polled, state);
    const next = {
      next: 'poll',
      inMs: pollDelayMs(now() - job.submittedAt, job.callbackToken !== null),
    } as const;
    // Most polls change nothing: with thousands of jobs in flight, not writing them is most of the store's work.
    const unchanged = job.status === 'running' && job.lastKieState === task.state && !('shownState' in shown);
    if (!unchanged) await deps.jobs.put({ ...polled, status: 'running', ...shown });
    return next;
  }

  async function deliver(job: JobOf<'delivering'>, apiKey: string): Promise<StepOutcome> {
    const deliveringSince = job.completedAt ?? job.updatedAt;
    const progress = async (state: ProgressState) => {
      const latest = (await deps.jobs.get(job.guildId, job.id)) ?? job;
      const shown = await showProgress(latest, state);
      if ('shownState' in shown && latest.status === 'delivering')
        await deps.jobs.put({ ...latest, ...shown });
    };
    const outcome = await deliverySlots(() =>
      deliverJob(job, targetOf(job), apiKey, { ...deps, now, progress }),
    );
    if (outcome.kind === 'delivered') {
      deps.metrics?.countDelivered();
      deps.metrics?.observeDelivery(now() - deliveringSince);
      return { next: 'done' };
    }
    const attempts = job.deliveryAttempts + 1;
    // A URL the media policy refused is refused again: fail now, not after every attempt.
    if (attempts >= MAX_DELIVERY_ATTEMPTS || outcome.cause === 'refused') {
      return outcome.cause === 'discord'
        ? fail(job, { key: 'job.failed.discord', params: { reason: outcome.reason, url: job.resultUrl } })
        : fail(job, { key: 'job.failed.download', params: { reason: outcome.reason } });
    }
    const latest = (await deps.jobs.get(job.guildId, job.id)) ?? job;
    if (latest.status === 'delivering')
      await deps.jobs.put({ ...latest, deliveryAttempts: attempts, updatedAt: now() });
    return { next: 'poll', inMs: pollRetryDelayMs(attempts) };
  }

  return async (job) => {
    if (job.status === 'pending') {
      // Only a crash between recording and createTask's answer leaves a job pending.
      return fail(job, { key: 'job.failed.lostTask', params: {} });
    }
    if (job.status !== 'submitted' && job.status !== 'running' && job.status !== 'delivering')
      return { next: 'done' };
    let apiKey: string;
    try {
      apiKey = deps.settings.openSealedKieKey(job.guildId, job.kieKeySealed);
    } catch {
      return fail(job, { key: 'error.keyUnreadable', params: {} });
    }
    return job.status === 'delivering' ? deliver(job, apiKey) : poll(job, apiKey);
  };
}
