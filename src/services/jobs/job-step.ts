import type { Logger } from 'pino';
import type { SealedBox } from '../crypto/sealed-box.js';
import type { ReplyEditor } from '../discord/reply-editor.js';
import { isKieError, type KieClient, type KieTask } from '../kie/index.js';
import type { EtaBook } from '../quota/eta-book.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { JobNotices, ProgressState } from './job-notices.js';
import type { Failure, JobOf, JobRecord } from './job-record.js';
import { replyTargetOf } from './job-requests.js';
import type { JobStore } from './job-store.js';
import { pollDelayMs, pollRetryDelayMs } from './poll-schedule.js';
import type { TakeGroups } from './take-groups.js';

export interface JobStepDeps {
  jobs: JobStore;
  kie: KieClient;
  settings: SettingsStore;
  box: SealedBox;
  replies: ReplyEditor;
  messages: JobNotices;
  logger: Logger;
  deadlineMinutes: number;
  /** The replies takes share: a take's progress or failure shows every take of its group. */
  takes?: TakeGroups;
  /** How long a job may stay `pending` while createTask is under way (attempts and backoff included). */
  createTaskWindowMs: number;
  now?: () => number;
  /** This server's history of Kie's times: the progress shows an expected end, and delivery adds to it. */
  eta?: EtaBook;
}

/**
 * What one step of tracking decided. The step polls Kie and records what it learnt; delivering
 * the video and ending a job are the runner's (job-runner.ts), which acts on this.
 */
export type StepOutcome =
  | { next: 'poll'; inMs: number }
  | { next: 'deliver'; job: JobOf<'delivering'>; apiKey: string }
  /** `creditsAfter`: the balance once Kie ended the task, when the step read it. */
  | {
      next: 'fail';
      job: JobRecord;
      failure: Failure;
      as?: 'expired';
      creditsAfter?: number | null;
      /** What Kie charged for a task that ended in `fail`, when it says. */
      creditsConsumed?: number | null;
    }
  | { next: 'done' };

/**
 * Progress edits: one per state change (queued, generating, downloading, uploading), never two
 * within this gap, and none in between: Discord counts the elapsed time from a <t:…:R> stamp.
 * The final answer is never held back.
 */
export const PROGRESS_EDIT_GAP_MS = 5_000;
const CONTENT_POLICY = /policy|sensitive|violat|nsfw|safety|moderat|real (human|person)|face/i;
const ACTIVE = ['submitted', 'running'] as const;

/** One step of tracking a job. */
export interface JobStepFn {
  (job: JobRecord): Promise<StepOutcome>;
  /** Jobs whose failed polls the step remembers now (for the backoff): none once they left polling. */
  pollFailuresHeld(): number;
}

/** Builds the step: poll Kie for a job and decide what comes next; every change persisted first. */
export function createJobStep(deps: JobStepDeps): JobStepFn {
  const now = deps.now ?? Date.now;
  /** Consecutive failed polls per job, for the backoff; forgotten when the job leaves this step. */
  const pollFailures = new Map<string, number>();
  const progress = createProgress(deps, now);

  async function poll(job: JobOf<'submitted'> | JobOf<'running'>, apiKey: string): Promise<StepOutcome> {
    if (now() >= job.deadlineAt) {
      return {
        next: 'fail',
        job,
        failure: { key: 'job.expired', params: { minutes: deps.deadlineMinutes } },
        as: 'expired',
      };
    }
    let task: KieTask;
    try {
      task = await getTask(job, apiKey);
    } catch (error) {
      if (isKieError(error) && error.kind === 'unknown-task')
        return { next: 'fail', job, failure: { key: 'job.failed.unknownTask', params: {} } };
      if (isKieError(error) && error.kind === 'invalid-key')
        return { next: 'fail', job, failure: { key: 'job.failed.keyRevoked', params: {} } };
      const failures = (pollFailures.get(job.id) ?? 0) + 1;
      pollFailures.set(job.id, failures);
      deps.logger.warn({ err: error, jobId: job.id, failures }, 'recordInfo failed; polling again later');
      return { next: 'poll', inMs: pollRetryDelayMs(failures) };
    }
    pollFailures.delete(job.id);
    const ended = task.state === 'success' || task.state === 'fail';
    const creditsAfter = ended ? await deps.kie.getCredits(apiKey).catch(() => null) : job.creditsAfter;
    if (ended) await noteCredits(job, creditsAfter, task.creditsConsumed);
    if (task.state === 'success') {
      const resultUrl = task.resultUrls[0];
      if (!resultUrl)
        return {
          next: 'fail',
          job,
          failure: { key: 'job.failed.generation', params: { reason: 'no video in the result' } },
        };
      const moved = await deps.jobs.transition(job, ACTIVE, (current) => ({
        ...current,
        status: 'delivering',
        lastKieState: task.state,
        creditsAfter,
        creditsConsumed: task.creditsConsumed,
        resultUrl,
        completedAt: task.completeTime,
        deliveryStartedAt: now(),
        deliveryAttempts: 0,
      }));
      // Cancelled (or ended) while Kie answered: the job stays as it is.
      return moved.ok ? { next: 'deliver', job: moved.job, apiKey } : { next: 'done' };
    }
    if (task.state === 'fail') {
      const reason = task.failMsg ?? task.failCode ?? 'unknown';
      const key = CONTENT_POLICY.test(reason) ? 'job.failed.contentPolicy' : 'job.failed.generation';
      return {
        next: 'fail',
        job,
        failure: { key, params: { reason } },
        creditsAfter,
        creditsConsumed: task.creditsConsumed,
      };
    }
    const state: ProgressState = task.state === 'generating' ? 'generating' : 'queued';
    const next = {
      next: 'poll',
      inMs: pollDelayMs(now() - job.submittedAt, job.callbackToken !== null),
    } as const;
    // Most polls change nothing: with thousands of jobs in flight, not writing them is most of the store's work.
    const shows = progress.due(job, state);
    if (job.status === 'running' && job.lastKieState === task.state && !shows) return next;
    const moved = await deps.jobs.transition(job, ACTIVE, (current) => ({
      ...current,
      status: 'running',
      lastKieState: task.state,
      ...(shows ? { shownState: state, lastEditAt: now() } : {}),
    }));
    if (!moved.ok) return { next: 'done' };
    if (shows) await progress.show(moved.job, state);
    return next;
  }

  /** Remembers what the server's latest finished job cost, for /animate-setup status. */
  async function noteCredits(
    job: JobRecord,
    creditsAfter: number | null,
    consumed: number | null,
  ): Promise<void> {
    if (job.creditsBefore === null || creditsAfter === null) return;
    const lastJobCredits = {
      jobId: job.id,
      before: job.creditsBefore,
      after: creditsAfter,
      consumed,
      at: now(),
    };
    await deps.settings
      .update(job.guildId, (current) => ({ ...current, lastJobCredits }))
      .catch((error: unknown) =>
        deps.logger.warn({ err: error, jobId: job.id }, 'could not note the credits'),
      );
  }

  /**
   * recordInfo with the job's own key. Kie refusing that key (revoked) while the server has
   * stored another since: the task may belong to the same account, so the new key is tried once.
   */
  async function getTask(job: JobOf<'submitted'> | JobOf<'running'>, apiKey: string): Promise<KieTask> {
    try {
      return await deps.kie.getTask(apiKey, job.taskId);
    } catch (error) {
      if (!isKieError(error) || error.kind !== 'invalid-key') throw error;
      const current = await deps.settings.openKieKey(job.guildId).catch(() => undefined);
      if (!current || current === apiKey) throw error;
      const task = await deps.kie.getTask(current, job.taskId);
      await deps.jobs.transition(job, ACTIVE, (latest) => ({
        ...latest,
        kieKeySealed: deps.settings.sealKieKey(job.guildId, current),
      }));
      deps.logger.info({ guildId: job.guildId, jobId: job.id }, 'job moved to the server’s new Kie key');
      return task;
    }
  }

  const step = async (job: JobRecord): Promise<StepOutcome> => {
    if (job.status === 'pending') {
      // Its command is still waiting for createTask (a callback can come that early): not lost
      // until createTask has surely given up; a job left pending by a crash ends then.
      const left = job.createdAt + deps.createTaskWindowMs - now();
      if (left > 0) return { next: 'poll', inMs: left };
      return { next: 'fail', job, failure: { key: 'job.failed.lostTask', params: {} } };
    }
    if (job.status !== 'submitted' && job.status !== 'running' && job.status !== 'delivering') {
      pollFailures.delete(job.id);
      return { next: 'done' };
    }
    let apiKey: string;
    try {
      apiKey = deps.settings.openSealedKieKey(job.guildId, job.kieKeySealed);
    } catch {
      return { next: 'fail', job, failure: { key: 'error.keyUnreadable', params: {} } };
    }
    if (job.status === 'delivering') return { next: 'deliver', job, apiKey };
    const outcome = await poll(job, apiKey);
    if (outcome.next !== 'poll') pollFailures.delete(job.id);
    return outcome;
  };
  return Object.assign(step, { pollFailuresHeld: () => pollFailures.size });
}

/** The progress shown in the reply, rationed (see PROGRESS_EDIT_GAP_MS). */
export function createProgress(
  deps: Pick<JobStepDeps, 'replies' | 'messages' | 'box' | 'logger' | 'eta' | 'takes'>,
  now: () => number,
) {
  return {
    /** Whether `state` is new to the reply and the ration allows an edit now. */
    due(job: JobRecord, state: ProgressState): boolean {
      if (job.shownState === state) return false;
      return job.lastEditAt === null || now() - job.lastEditAt >= PROGRESS_EDIT_GAP_MS;
    },
    /** Best effort: a reply that cannot be edited any more must not stop the job. */
    async show(job: JobRecord, state: ProgressState): Promise<void> {
      // Once Kie is done (downloading, uploading) the expected end says nothing more.
      const waiting = state === 'queued' || state === 'generating';
      const eta = waiting ? await deps.eta?.estimate(job).catch(() => undefined) : undefined;
      await tell(deps, job, deps.messages.progress(job, state, eta));
    },
  };
}

/** Edits the job's reply; a reply that cannot be edited is logged, never a reason to stop. */
export async function tell(
  deps: Pick<JobStepDeps, 'replies' | 'box' | 'logger' | 'takes'>,
  job: JobRecord,
  body: Record<string, unknown>,
): Promise<void> {
  // A take's reply shows every take: it is made again from the store, not from this one's body.
  if (job.take && deps.takes) return deps.takes.refresh(job);
  try {
    await deps.replies.edit(replyTargetOf(job, deps.box), body);
  } catch (error) {
    deps.logger.warn({ err: error, guildId: job.guildId, jobId: job.id }, 'could not update the reply');
  }
}
