import { randomBytes } from 'node:crypto';
import { LaunchHold } from '../budget/launch-hold.js';
import { callbackUrl } from '../http/index.js';
import { isKieError } from '../kie/index.js';
import type { ReleaseOptions, Reservation } from '../limits/guardrails.js';
import { estimateJob, kieTaskOf } from '../models/extend.js';
import type { ModelEntry } from '../models/model.js';
import { roundCredits } from '../models/options.js';
import { UserFacingError, userFacingKieError } from '../user-facing-error.js';
import { type JobOf, type Take, takeJobId } from './job-record.js';
import type { SubmitOutcome } from './job-requests.js';
import type { JobImages, Launch, LaunchResult, StartTaskDeps } from './launch.js';
import { LaunchRecords } from './launch-records.js';
import type { Candidate } from './model-choice.js';
import { unavailableError } from './model-options.js';

type Spent = 'yes' | 'rejected' | 'nothing';
type Attempt =
  | { kind: 'accepted'; job: JobOf<'submitted'> }
  | { kind: 'unavailable'; error: UserFacingError; reason: string }
  | { kind: 'refused'; error: UserFacingError; spent: Spent };

/**
 * Holds a place under the server's limits, puts the image on Kie and starts the task: the
 * only place that calls createTask. The job is recorded `pending` before createTask, and a task
 * id Kie returned is never dropped, whatever the store does afterwards.
 */
export class TaskStarter {
  readonly #deps: StartTaskDeps;
  readonly #records: LaunchRecords;

  constructor(deps: StartTaskDeps) {
    this.#deps = deps;
    this.#records = new LaunchRecords(deps);
  }

  async launch(launch: Launch): Promise<LaunchResult> {
    const { context } = launch;
    const takes = launch.takes ?? 1;
    const reservations = await this.#deps.guardrails.reserveTakes(
      launch.settings,
      {
        guildId: context.guildId,
        userId: context.userId,
        memberRoleIds: context.memberRoleIds,
        prompt: launch.candidates[0]?.options.prompt ?? '',
        imageBytes: launch.imageBytes,
      },
      takes,
    );
    const spent: Spent[] = reservations.map(() => 'nothing');
    // Chosen now: the budget holds credits per job, before anything is uploaded.
    const group = randomBytes(8).toString('hex');
    const jobIds = takes === 1 ? [group] : spent.map((_, index) => takeJobId(group, index + 1));
    let hold: LaunchHold | undefined;
    try {
      const lead = launch.candidates[0];
      hold = await LaunchHold.take(
        this.#deps.ledger,
        context.guildId,
        launch.settings.budget,
        jobIds,
        lead ? creditsOf(lead, launch) : 0,
        this.#deps.logger,
      );
      const images: JobImages = await Promise.all([launch.image(), launch.endImage?.() ?? null]).then(
        ([image, endImage]) => ({ image, endImage }),
      );
      if (takes === 1) {
        const result = await this.#start({ ...launch, jobId: group }, images, hold);
        spent[0] = result.spent;
        return result.outcome;
      }
      return await this.#startTakes(launch, images, spent, group, hold);
    } finally {
      await Promise.all(reservations.map((reservation, index) => settle(reservation, spent[index])));
      await hold?.release(jobIds.filter((_, index) => spent[index] !== 'yes'));
    }
  }

  /**
   * Several takes: the first goes as a single job would (questions, fallback), then the others
   * in parallel on the model Kie took for it. A take Kie refuses is recorded failed and shown
   * with the others; its place is given back.
   */
  async #startTakes(
    launch: Launch,
    images: JobImages,
    spent: Spent[],
    group: string,
    hold: LaunchHold,
  ): Promise<LaunchResult> {
    const count = launch.takes ?? 1;
    const take = (index: number): Take => ({ group, index, count });
    const first = await this.#start({ ...launch, take: take(1) }, images, hold);
    spent[0] = first.spent;
    if (first.outcome.kind !== 'submitted') return first.outcome;
    const job = first.outcome.job;
    const model = this.#deps.models.get(job.model);
    if (!model) return first.outcome;
    const same = { model, options: job.options, fallbackFrom: job.fallbackFrom };
    const others = await Promise.all(
      Array.from({ length: count - 1 }, async (_, offset) => {
        const index = offset + 2;
        try {
          const result = await this.#start(
            {
              ...launch,
              candidates: [same],
              mayFallBack: false,
              offerFor: undefined,
              // The member agreed to every take at once.
              confirmedUpTo: Number.POSITIVE_INFINITY,
              take: take(index),
            },
            images,
            hold,
          );
          spent[index - 1] = result.spent;
          return result.outcome.kind === 'submitted' ? result.outcome.job : undefined;
        } catch (error) {
          // A fault of ours on one take must not lose the takes Kie accepted.
          // It throws only before Kie took the task (see #createTask): nothing was spent on it.
          this.#deps.logger.error({ err: error, jobId: takeJobId(group, index) }, 'a take could not start');
          return undefined;
        }
      }),
    );
    const takes = [job, ...others.filter((other) => other !== undefined)];
    return { kind: 'submitted', job, takes };
  }

  async #start(
    launch: Launch,
    images: JobImages,
    hold: LaunchHold,
  ): Promise<{ outcome: LaunchResult; spent: Spent }> {
    const jobId = launch.take ? takeJobId(launch.take.group, launch.take.index) : launch.jobId;
    let pending: JobOf<'pending'> | undefined;
    let fallbackFrom = launch.candidates[0]?.fallbackFrom ?? null;
    let last: Attempt | undefined;
    for (const [index, candidate] of launch.candidates.entries()) {
      const rest = launch.mayFallBack ? launch.candidates.slice(index + 1) : [];
      const question = await this.#question(launch, candidate, images, fallbackFrom, rest);
      if (question) {
        if (pending && last?.kind === 'unavailable') await this.#records.fail(pending, last.error);
        return { outcome: question, spent: 'nothing' };
      }
      // The budget counts the model really used: a fallback holds its own estimate.
      const overBudget = jobId ? await hold.fit(jobId, creditsOf(candidate, launch)) : undefined;
      if (overBudget) {
        if (pending) await this.#records.fail(pending, overBudget);
        return { outcome: { kind: 'refused', error: overBudget }, spent: 'nothing' };
      }
      pending = pending
        ? await this.#records.retarget(pending, candidate, fallbackFrom)
        : await this.#records.pending(launch, candidate, images, fallbackFrom);
      last = await this.#createTask(launch, pending, candidate.model);
      if (last.kind === 'accepted') return { outcome: { kind: 'submitted', job: last.job }, spent: 'yes' };
      if (last.kind === 'refused')
        return { outcome: { kind: 'refused', error: last.error }, spent: last.spent };
      if (!launch.mayFallBack) break;
      fallbackFrom = { model: candidate.model.id, reason: last.reason };
    }
    if (pending && last?.kind === 'unavailable') await this.#records.fail(pending, last.error);
    const error =
      last?.kind === 'unavailable' ? last.error : new UserFacingError('error.unknownModel', { model: '—' });
    const reason = last?.kind === 'unavailable' ? last.reason : 'unavailable';
    return launch.mayFallBack
      ? { outcome: { kind: 'refused', error }, spent: 'nothing' }
      : {
          outcome: {
            kind: 'model-unavailable',
            error,
            reason,
            image: images.image,
            endImage: images.endImage,
          },
          spent: 'nothing',
        };
  }

  /** A draft and the question to ask, when the member must agree before this candidate is used. */
  async #question(
    launch: Launch,
    { model, options }: Candidate,
    { image, endImage }: JobImages,
    fallbackFrom: Candidate['fallbackFrom'],
    rest: readonly Candidate[],
  ): Promise<SubmitOutcome | undefined> {
    const each = estimateJob(model, options, launch.extend);
    const takes = launch.takes ?? 1;
    // Several takes are one question: what they cost together.
    const estimate = each === undefined ? undefined : roundCredits(each * takes);
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
      extend: launch.extend ?? null,
      takes,
      parentReply: launch.parentReply ?? null,
    };
    const draftId = await this.#deps.drafts.save(launch.context, source, estimate);
    const why = launch.offerFor
      ? ({
          kind: 'model-unavailable',
          model: launch.offerFor.model.id,
          reason: launch.offerFor.reason,
        } as const)
      : ({ kind: 'cost', threshold: threshold ?? 0 } as const);
    return { kind: 'needs-confirmation', draftId, model: model.id, estimate, why, takes };
  }

  async #createTask(launch: Launch, pending: JobOf<'pending'>, model: ModelEntry): Promise<Attempt> {
    const { kie, availability, callbacks, logger } = this.#deps;
    const log = logger.child({ guildId: pending.guildId, jobId: pending.id, model: model.id });
    const callBackUrl =
      callbacks && pending.callbackToken
        ? callbackUrl(callbacks.publicUrl, pending.callbackToken)
        : undefined;
    // A new video, or an extension: the extend call's own model id (Kie's refusals name it).
    const task = kieTaskOf(model, pending);
    let taskId: string;
    try {
      ({ taskId } = await kie.createTask(launch.apiKey, {
        ...task,
        ...(callBackUrl ? { callBackUrl } : {}),
      }));
    } catch (error) {
      log.warn({ err: error }, 'createTask failed');
      if (await availability.noteFailure(error, task.model, launch.apiKey, pending.guildId)) {
        const reason = isKieError(error) ? (error.detail ?? error.kind) : 'unavailable';
        return {
          kind: 'unavailable',
          error: await unavailableError(availability, model, launch.apiKey),
          reason,
        };
      }
      const userFacing = userFacingKieError(error, model.id);
      await this.#records.fail(
        pending,
        userFacing ?? new UserFacingError('error.kie.upstream', { detail: 'unexpected' }),
      );
      if (!userFacing) throw error;
      return { kind: 'refused', error: userFacing, spent: spentBy(error) };
    }
    log.info({ taskId }, 'job submitted');
    // Kie took it: a mark from other servers' keys does not hold for this one.
    await availability
      .noteSuccess(task.model, launch.apiKey)
      .catch((error: unknown) => log.warn({ err: error }, 'could not note the model as available'));
    return { kind: 'accepted', job: await this.#records.submitted(pending, taskId) };
  }
}

/** What the budget holds for one job on this candidate: its estimate (0 when unknown). */
function creditsOf({ model, options }: Candidate, launch: Launch): number {
  return roundCredits(estimateJob(model, options, launch.extend) ?? 0);
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

/** A place is kept once Kie may charge for its take, else given back. */
async function settle(reservation: Reservation, spent: Spent | undefined): Promise<void> {
  if (spent === 'yes') await reservation.commit();
  else await reservation.release(releaseFor(spent ?? 'nothing'));
}

export type { ReleaseOptions };
