import { randomBytes } from 'node:crypto';
import pRetry from 'p-retry';
import { newCallbackToken } from '../http/index.js';
import type { UserFacingError } from '../user-facing-error.js';
import { type JobOf, takeJobId } from './job-record.js';
import { INTERACTION_TOKEN_TTL_MS, tokenContext } from './job-requests.js';
import type { JobImages, Launch, StartTaskDeps } from './launch.js';
import type { Candidate } from './model-choice.js';

/**
 * The records a launch writes: the job `pending` before createTask, moved to the next model,
 * `submitted` once Kie took it (never dropped, whatever the store does), or `failed`.
 */
export class LaunchRecords {
  readonly #deps: StartTaskDeps;
  readonly #now: () => number;

  constructor(deps: StartTaskDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async pending(
    launch: Launch,
    { model, options }: Candidate,
    { image, endImage }: JobImages,
    fallbackFrom: Candidate['fallbackFrom'],
  ): Promise<JobOf<'pending'>> {
    const { jobs, kie, box, settings, config, callbacks } = this.#deps;
    const { context, apiKey } = launch;
    // For the member's and admins' view of what a job costs; never a reason to stop.
    const creditsBefore = await kie.getCredits(apiKey).catch(() => null);
    // Taken after the balance: the pending window counts from the record, not from before it.
    const now = this.#now();
    const id = launch.take
      ? takeJobId(launch.take.group, launch.take.index)
      : (launch.jobId ?? randomBytes(8).toString('hex'));
    const callbackToken = callbacks ? newCallbackToken() : null;
    const pending = await jobs.create({
      status: 'pending',
      id,
      guildId: context.guildId,
      channelId: context.channelId,
      userId: context.userId,
      locale: context.locale,
      applicationId: context.applicationId,
      interactionId: context.interactionId,
      interactionTokenSealed: box.seal(context.interactionToken, tokenContext(id)),
      tokenExpiresAt: context.interactionCreatedAt + INTERACTION_TOKEN_TTL_MS,
      replyMessageId: context.replyMessageId,
      kieKeySealed: settings.sealKieKey(context.guildId, apiKey),
      model: model.id,
      options,
      imageUrl: image.url,
      imageUploadedAt: image.uploadedAt,
      imageKey: image.key,
      endImage,
      attachmentSizeLimit: context.attachmentSizeLimit,
      createdAt: now,
      updatedAt: now,
      deadlineAt: now + config.JOB_DEADLINE_MINUTES * 60_000,
      lastKieState: null,
      shownState: null,
      lastEditAt: null,
      parentJobId: launch.parentJobId,
      callbackToken,
      resultUrl: null,
      fallbackFrom,
      creditsBefore,
      creditsAfter: null,
      creditsConsumed: null,
      extend: launch.extend ?? null,
      take: launch.take ?? null,
      parentReply: launch.parentReply ?? null,
    });
    if (callbacks && callbackToken) {
      const ttl = config.JOB_DEADLINE_MINUTES * 60_000 + 60 * 60_000;
      await callbacks.registry.register(callbackToken, { guildId: context.guildId, jobId: id }, ttl);
    }
    return pending;
  }

  /** The same job, now for the next model (Kie refused the previous one as unavailable). */
  async retarget(
    pending: JobOf<'pending'>,
    { model, options }: Candidate,
    fallbackFrom: Candidate['fallbackFrom'],
  ): Promise<JobOf<'pending'>> {
    const moved = await this.#deps.jobs.transition(pending, 'pending', (job) => ({
      ...job,
      model: model.id,
      options,
      fallbackFrom,
    }));
    if (!moved.ok) throw new Error(`pending job ${pending.id} changed while it was being submitted`);
    return moved.job;
  }

  /**
   * Kie took the task and will charge for it: the record must say so. The write is retried; if
   * the store still fails, the job is handed over in memory (`onUnsaved`) to be written later,
   * and the member's place stays spent.
   */
  async submitted(pending: JobOf<'pending'>, taskId: string): Promise<JobOf<'submitted'>> {
    const { jobs, config, logger } = this.#deps;
    const submittedAt = this.#now();
    const submit = (job: JobOf<'pending'>): JobOf<'submitted'> => ({
      ...job,
      status: 'submitted',
      taskId,
      submittedAt,
      // The command shows the queued status right after this returns.
      shownState: 'queued',
      lastEditAt: submittedAt,
      deadlineAt: submittedAt + config.JOB_DEADLINE_MINUTES * 60_000,
    });
    try {
      const written = await pRetry(() => jobs.transition(pending, 'pending', submit), {
        retries: 4,
        minTimeout: 250,
        maxTimeout: 4_000,
      });
      if (written.ok) return written.job;
      logger.error(
        { guildId: pending.guildId, jobId: pending.id, taskId, status: written.current?.status },
        'a job Kie accepted was changed by someone else while it was submitted',
      );
    } catch (error) {
      logger.error(
        { err: error, guildId: pending.guildId, jobId: pending.id, taskId },
        'Kie accepted the task but its record could not be written; tracking it from memory',
      );
    }
    const job = { ...submit(pending), updatedAt: this.#now() };
    this.#deps.onUnsaved?.(job);
    return job;
  }

  /** Best effort: the member is told either way, and a pending job left behind ends as lost. */
  async fail(pending: JobOf<'pending'>, error: UserFacingError): Promise<void> {
    await this.#deps.jobs
      .transition(pending, 'pending', (job) => ({
        ...job,
        status: 'failed',
        taskId: null,
        failure: { key: error.key, params: error.params },
        endedAt: this.#now(),
      }))
      .catch((writeError: unknown) =>
        this.#deps.logger.warn(
          { err: writeError, jobId: pending.id },
          'could not record a job that never started',
        ),
      );
  }
}
