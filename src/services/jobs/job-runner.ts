import type { Logger } from 'pino';
import { type DeliverDeps, type DeliveryResult, deliverJob, type Sent } from './deliver-job.js';
import { FairSlots } from './fair-slots.js';
import type { ProgressState } from './job-notices.js';
import type { Failure, JobOf, JobRecord, JobStatus } from './job-record.js';
import { replyTargetOf } from './job-requests.js';
import { createJobStep, createProgress, type JobStepDeps, type StepOutcome, tell } from './job-step.js';
import type { JobRef } from './job-store.js';
import type { JobStep } from './job-tracker.js';
import { deliveryRetryDelayMs } from './poll-schedule.js';

/** What the runner counts (the app's Metrics has it). */
export interface DeliveryMetrics {
  countFailed(reason: string): void;
  countDelivered(): void;
  observeDelivery(ms: number): void;
}

export interface JobRunnerDeps extends JobStepDeps, Omit<DeliverDeps, 'progress' | 'logger'> {
  logger: Logger;
  metrics?: DeliveryMetrics;
  /** Deliveries under way at once in this process, shared fairly between servers. Default 4. */
  maxConcurrentDeliveries?: number;
  /** How long a finished video's delivery is retried (with backoff) before the job fails. Default 2 h. */
  deliveryWindowMs?: number;
}

/** What the tracker runs for each job, and where jobs whose record could not be written are kept. */
export interface JobRunner {
  step: JobStep;
  /**
   * Takes a job Kie accepted whose `submitted` record could not be written: its next steps
   * write it (the store says `pending` until then) before tracking it as usual.
   */
  adopt(job: JobOf<'submitted'>): void;
}

const UNFINISHED: readonly JobStatus[] = ['pending', 'submitted', 'running', 'delivering'];
const DEFAULT_DELIVERY_WINDOW_MS = 2 * 60 * 60_000;
const UNSAVED_RETRY_MS = 5_000;

/**
 * The one place a job moves forward: the step polls and decides, the delivery does the I/O,
 * and the runner records each outcome (a compare-and-set transition, so a Cancel that lands
 * meanwhile wins) and tells the member.
 */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const now = deps.now ?? Date.now;
  const step = createJobStep(deps);
  const progress = createProgress(deps, now);
  const slots = new FairSlots(deps.maxConcurrentDeliveries ?? 4);
  const windowMs = deps.deliveryWindowMs ?? DEFAULT_DELIVERY_WINDOW_MS;
  const unsaved = new Map<string, JobOf<'submitted'>>();
  const keyOf = (job: JobRef) => `${job.guildId}:${job.id}`;

  async function fail(outcome: Extract<StepOutcome, { next: 'fail' }>): Promise<void> {
    const { job, failure } = outcome;
    const endedAt = now();
    const creditsAfter = (current: JobRecord) => outcome.creditsAfter ?? current.creditsAfter;
    const moved =
      outcome.as === 'expired'
        ? await deps.jobs.transition(job, ['submitted', 'running'], (current) => ({
            ...current,
            status: 'expired',
            endedAt,
            creditsAfter: creditsAfter(current),
          }))
        : await deps.jobs.transition(job, UNFINISHED, (current) => ({
            ...current,
            status: 'failed',
            taskId: 'taskId' in current ? current.taskId : null,
            failure,
            endedAt,
            creditsAfter: creditsAfter(current),
            creditsConsumed: outcome.creditsConsumed ?? current.creditsConsumed,
          }));
    // Cancelled or ended meanwhile: whoever ended it has told the member.
    if (!moved.ok) return;
    deps.logger.info({ guildId: job.guildId, jobId: job.id, reason: failure.key }, 'job failed');
    deps.metrics?.countFailed(failure.key);
    await tell(deps, moved.job, deps.messages.failed(moved.job, failure));
  }

  async function deliver(
    job: JobOf<'delivering'>,
    apiKey: string,
  ): Promise<{ next: 'poll'; inMs: number } | { next: 'done' }> {
    let current = job;
    const show = async (state: ProgressState) => {
      if (!progress.due(current, state)) return;
      const moved = await deps.jobs.transition(current, 'delivering', (latest) => ({
        ...latest,
        shownState: state,
        lastEditAt: now(),
      }));
      if (!moved.ok) return;
      current = moved.job;
      await progress.show(current, state);
    };
    // Recorded before the next edit of a reply shared by takes, whose edit keeps this attachment.
    const record = async (sent: Sent) => {
      await deps.jobs.transition(job, 'delivering', (latest) => ({
        ...latest,
        status: 'delivered',
        deliveredAs: sent.deliveredAs,
        deliveredVia: sent.deliveredVia,
        deliveredAt: now(),
        attachmentId: sent.attachmentId,
      }));
    };
    const result: DeliveryResult = await slots.run(job.guildId, () =>
      deliverJob(job, replyTargetOf(job, deps.box), apiKey, { ...deps, progress: show }, record),
    );
    if (result.kind === 'sent') {
      const since = job.deliveryStartedAt ?? job.updatedAt;
      deps.logger.info(
        {
          guildId: job.guildId,
          jobId: job.id,
          deliveredAs: result.deliveredAs,
          deliveredVia: result.deliveredVia,
          latencyMs: now() - since,
        },
        'job delivered',
      );
      // How long Kie took, for this server's estimates (/animate-quota, the progress embed).
      await deps.eta
        ?.record(job)
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, jobId: job.id }, 'could not note Kie’s time'),
        );
      deps.metrics?.countDelivered();
      deps.metrics?.observeDelivery(now() - (job.completedAt ?? since));
      return { next: 'done' };
    }
    const attempts = job.deliveryAttempts + 1;
    // A URL the media policy refused is refused again: fail now, not after two hours.
    if (result.cause === 'refused' || now() - (job.deliveryStartedAt ?? job.updatedAt) >= windowMs) {
      const failure: Failure =
        result.cause === 'refused'
          ? // An address the bot will not fetch is not worth linking either.
            { key: 'job.failed.unsafeUrl', params: { reason: result.reason } }
          : result.cause === 'discord'
            ? { key: 'job.failed.discord', params: { reason: result.reason, url: job.resultUrl } }
            : { key: 'job.failed.download', params: { reason: result.reason, url: job.resultUrl } };
      await fail({ next: 'fail', job, failure });
      return { next: 'done' };
    }
    const moved = await deps.jobs.transition(job, 'delivering', (latest) => ({
      ...latest,
      deliveryAttempts: attempts,
    }));
    return moved.ok ? { next: 'poll', inMs: deliveryRetryDelayMs(attempts) } : { next: 'done' };
  }

  /** The job as it should be stored: a submission whose record this process still owes is written first. */
  async function settled(job: JobRecord): Promise<JobRecord> {
    const owed = unsaved.get(keyOf(job));
    if (!owed) return job;
    const written = await deps.jobs.transition(job, 'pending', () => owed);
    unsaved.delete(keyOf(job));
    if (written.ok) {
      deps.logger.info(
        { guildId: job.guildId, jobId: job.id, taskId: owed.taskId },
        'submitted job recorded at last',
      );
      return written.job;
    }
    return written.current ?? job;
  }

  return {
    adopt(job) {
      unsaved.set(keyOf(job), job);
    },
    async step(stored) {
      let job: JobRecord;
      try {
        job = await settled(stored);
      } catch (error) {
        deps.logger.warn({ err: error, jobId: stored.id }, 'the submitted job still cannot be recorded');
        return { next: 'poll', inMs: UNSAVED_RETRY_MS };
      }
      const outcome = await step(job);
      if (outcome.next === 'poll' || outcome.next === 'done') return outcome;
      if (outcome.next === 'fail') {
        await fail(outcome);
        return { next: 'done' };
      }
      return deliver(outcome.job, outcome.apiKey);
    },
  };
}
