import { randomBytes } from 'node:crypto';
import pRetry from 'p-retry';
import type { Config } from '../config.js';
import type { SealedBox } from '../crypto/sealed-box.js';
import { callbackUrl, newCallbackToken } from '../http/index.js';
import { isKieError, type KieClient } from '../kie/index.js';
import type { Logger } from '../logger.js';
import type { ModelAvailability } from '../models/availability.js';
import { buildTaskInput } from '../models/end-frame.js';
import type { ModelEntry } from '../models/model.js';
import type { ModelRegistry } from '../models/registry.js';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import type { Guardrails, ReleaseOptions } from '../setup/guardrails.js';
import { UserFacingError, userFacingKieError } from '../user-facing-error.js';
import type { CallbackRegistry } from './callback-registry.js';
import type { DraftStore } from './draft-store.js';
import type { JobOf } from './job-record.js';
import {
  INTERACTION_TOKEN_TTL_MS,
  type JobImage,
  type ReplyContext,
  type SubmitOutcome,
  tokenContext,
} from './job-requests.js';
import type { JobStore } from './job-store.js';
import type { Candidate } from './model-choice.js';
import { unavailableError } from './model-options.js';

export interface StartTaskDeps {
  config: Config;
  jobs: JobStore;
  settings: SettingsStore;
  kie: KieClient;
  models: ModelRegistry;
  box: SealedBox;
  guardrails: Guardrails;
  availability: ModelAvailability;
  drafts: DraftStore;
  /** Set when PUBLIC_URL is: each job gets a callback URL of its own. */
  callbacks?: { publicUrl: string; registry: CallbackRegistry };
  /**
   * Told of a job Kie accepted whose record could not be written (the store failed even after
   * retries). The task id must not be dropped: whoever tracks jobs keeps it and writes it later.
   */
  onUnsaved?: (job: JobOf<'submitted'>) => void;
  logger: Logger;
  now?: () => number;
}

/** Everything a job needs once its request passed the checks that cost nothing. */
export interface Launch {
  context: ReplyContext;
  settings: GuildSettings;
  apiKey: string;
  /** Models to try, in order, with their options; the first that Kie accepts makes the video. */
  candidates: Candidate[];
  /** When Kie says a model cannot run, go on with the next candidate (nobody chose the model). */
  mayFallBack: boolean;
  /** What the double-click guard fingerprints: the image's bytes, or its Kie URL for a repeat. */
  imageBytes: Uint8Array;
  parentJobId: string | null;
  /** The member already agreed to spend up to this: no question for a model that costs no more. */
  confirmedUpTo: number | null;
  /** The model someone chose cannot run now (and why): the member is asked before the first candidate is used. */
  offerFor?: { model: ModelEntry; reason: string };
  /** Puts the image on Kie (or finds it there): runs once the member's place is held. */
  image(): Promise<JobImage>;
  /** The same for the last frame the member gave, when the job ends on one. */
  endImage?: (() => Promise<JobImage>) | undefined;
}

/** What a launch came to, and whether anything may have been spent (for the member's limits). */
export type LaunchResult =
  | SubmitOutcome
  /** Kie says the chosen model cannot run: the caller may offer another (the image is uploaded). */
  | {
      kind: 'model-unavailable';
      error: UserFacingError;
      reason: string;
      image: JobImage;
      endImage: JobImage | null;
    };

type Spent = 'yes' | 'rejected' | 'nothing';
/** A job's first image and the last frame the member gave, if any, both on Kie. */
type JobImages = { image: JobImage; endImage: JobImage | null };
type Attempt =
  | { kind: 'accepted'; job: JobOf<'submitted'> }
  | { kind: 'unavailable'; error: UserFacingError; reason: string }
  | { kind: 'refused'; error: UserFacingError; spent: Spent };

/**
 * How long a job may stay `pending` while its createTask is under way: every attempt with its
 * timeout and backoff, and a wait in the per-key limiter during a burst; at least 10 minutes.
 * Only after this is a pending job taken for one a crash left behind.
 */
export function createTaskWindowMs(config: Pick<Config, 'KIE_TIMEOUT_MS'>): number {
  return Math.max(10 * 60_000, 5 * config.KIE_TIMEOUT_MS + 60_000);
}

/**
 * Holds a place under the server's limits, puts the image on Kie and starts the task: the
 * only place that calls createTask. The job is recorded `pending` before createTask, and a task
 * id Kie returned is never dropped, whatever the store does afterwards.
 */
export class TaskStarter {
  readonly #deps: StartTaskDeps;
  readonly #now: () => number;

  constructor(deps: StartTaskDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async launch(launch: Launch): Promise<LaunchResult> {
    const { context } = launch;
    const reservation = await this.#deps.guardrails.reserve(launch.settings, {
      guildId: context.guildId,
      userId: context.userId,
      memberRoleIds: context.memberRoleIds,
      prompt: launch.candidates[0]?.options.prompt ?? '',
      imageBytes: launch.imageBytes,
    });
    let spent: Spent = 'nothing';
    try {
      const [image, endImage] = await Promise.all([launch.image(), launch.endImage?.() ?? null]);
      const result = await this.#start(launch, image, endImage);
      spent = result.spent;
      return result.outcome;
    } finally {
      if (spent === 'yes') await reservation.commit();
      else await reservation.release(releaseFor(spent));
    }
  }

  async #start(
    launch: Launch,
    image: JobImage,
    endImage: JobImage | null,
  ): Promise<{ outcome: LaunchResult; spent: Spent }> {
    let pending: JobOf<'pending'> | undefined;
    let fallbackFrom = launch.candidates[0]?.fallbackFrom ?? null;
    let last: Attempt | undefined;
    for (const [index, candidate] of launch.candidates.entries()) {
      const rest = launch.mayFallBack ? launch.candidates.slice(index + 1) : [];
      const question = await this.#question(launch, candidate, { image, endImage }, fallbackFrom, rest);
      if (question) {
        if (pending && last?.kind === 'unavailable') await this.#fail(pending, last.error);
        return { outcome: question, spent: 'nothing' };
      }
      pending = pending
        ? await this.#retarget(pending, candidate, fallbackFrom)
        : await this.#recordPending(launch, candidate, { image, endImage }, fallbackFrom);
      last = await this.#createTask(launch, pending, candidate.model);
      if (last.kind === 'accepted') return { outcome: { kind: 'submitted', job: last.job }, spent: 'yes' };
      if (last.kind === 'refused')
        return { outcome: { kind: 'refused', error: last.error }, spent: last.spent };
      if (!launch.mayFallBack) break;
      fallbackFrom = { model: candidate.model.id, reason: last.reason };
    }
    if (pending && last?.kind === 'unavailable') await this.#fail(pending, last.error);
    const error =
      last?.kind === 'unavailable' ? last.error : new UserFacingError('error.unknownModel', { model: '—' });
    const reason = last?.kind === 'unavailable' ? last.reason : 'unavailable';
    return launch.mayFallBack
      ? { outcome: { kind: 'refused', error }, spent: 'nothing' }
      : { outcome: { kind: 'model-unavailable', error, reason, image, endImage }, spent: 'nothing' };
  }

  /** A draft and the question to ask, when the member must agree before this candidate is used. */
  async #question(
    launch: Launch,
    { model, options }: Candidate,
    { image, endImage }: JobImages,
    fallbackFrom: Candidate['fallbackFrom'],
    rest: readonly Candidate[],
  ): Promise<SubmitOutcome | undefined> {
    const estimate = model.estimateCredits(options);
    const threshold = launch.settings.limits.confirmAboveCredits;
    const agreed = launch.confirmedUpTo !== null && (estimate ?? 0) <= launch.confirmedUpTo;
    const tooDear = threshold !== null && estimate !== undefined && estimate > threshold && !agreed;
    if (launch.offerFor ? launch.confirmedUpTo !== null : !tooDear) return undefined;
    const source = {
      id: launch.parentJobId,
      model: model.id,
      options,
      imageUrl: image.url,
      imageUploadedAt: image.uploadedAt,
      imageKey: image.key,
      endImage,
      fallbackFrom,
      fallbackModels: rest.map((candidate) => candidate.model.id),
    };
    const draftId = await this.#deps.drafts.save(launch.context, source, estimate);
    const why = launch.offerFor
      ? ({
          kind: 'model-unavailable',
          model: launch.offerFor.model.id,
          reason: launch.offerFor.reason,
        } as const)
      : ({ kind: 'cost', threshold: threshold ?? 0 } as const);
    return { kind: 'needs-confirmation', draftId, model: model.id, estimate, why };
  }

  async #recordPending(
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
    const id = randomBytes(8).toString('hex');
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
    });
    if (callbacks && callbackToken) {
      const ttl = config.JOB_DEADLINE_MINUTES * 60_000 + 60 * 60_000;
      await callbacks.registry.register(callbackToken, { guildId: context.guildId, jobId: id }, ttl);
    }
    return pending;
  }

  /** The same job, now for the next model (Kie refused the previous one as unavailable). */
  async #retarget(
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

  async #createTask(launch: Launch, pending: JobOf<'pending'>, model: ModelEntry): Promise<Attempt> {
    const { kie, availability, callbacks, logger } = this.#deps;
    const log = logger.child({ guildId: pending.guildId, jobId: pending.id, model: model.id });
    const callBackUrl =
      callbacks && pending.callbackToken
        ? callbackUrl(callbacks.publicUrl, pending.callbackToken)
        : undefined;
    let taskId: string;
    try {
      ({ taskId } = await kie.createTask(launch.apiKey, {
        model: model.id,
        input: buildTaskInput(model, pending),
        ...(callBackUrl ? { callBackUrl } : {}),
      }));
    } catch (error) {
      log.warn({ err: error }, 'createTask failed');
      if (await availability.noteFailure(error, model.id, launch.apiKey, pending.guildId)) {
        const reason = isKieError(error) ? (error.detail ?? error.kind) : 'unavailable';
        return {
          kind: 'unavailable',
          error: await unavailableError(availability, model, launch.apiKey),
          reason,
        };
      }
      const userFacing = userFacingKieError(error, model.id);
      await this.#fail(
        pending,
        userFacing ?? new UserFacingError('error.kie.upstream', { detail: 'unexpected' }),
      );
      if (!userFacing) throw error;
      return { kind: 'refused', error: userFacing, spent: spentBy(error) };
    }
    log.info({ taskId }, 'job submitted');
    // Kie took it: a mark from other servers' keys does not hold for this one.
    await availability
      .noteSuccess(model.id, launch.apiKey)
      .catch((error: unknown) => log.warn({ err: error }, 'could not note the model as available'));
    return { kind: 'accepted', job: await this.#recordSubmitted(pending, taskId) };
  }

  /**
   * Kie took the task and will charge for it: the record must say so. The write is retried; if
   * the store still fails, the job is handed over in memory (`onUnsaved`) to be written later,
   * and the member's place stays spent.
   */
  async #recordSubmitted(pending: JobOf<'pending'>, taskId: string): Promise<JobOf<'submitted'>> {
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
  async #fail(pending: JobOf<'pending'>, error: UserFacingError): Promise<void> {
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

/**
 * What a refused createTask cost the member's limits: one that may have reached Kie may be paid
 * for; one Kie looked at and refused spends the cooldown; anything else gives the place back.
 */
function spentBy(error: unknown): Spent {
  if (isKieError(error) && error.ambiguous) return 'yes';
  return isKieError(error) && error.kind === 'validation' ? 'rejected' : 'nothing';
}

function releaseFor(spent: Spent): ReleaseOptions {
  return spent === 'rejected' ? { keepCooldown: true } : {};
}

export type { ReleaseOptions };
