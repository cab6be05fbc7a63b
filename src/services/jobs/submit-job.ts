import pLimit, { type LimitFunction } from 'p-limit';
import type { ImageKeeper } from '../media/image-keeper.js';
import type { MediaFetcher } from '../media/safe-fetch.js';
import type { ModelEntry } from '../models/model.js';
import { type ModerationAudit, refuseIfBlocked } from '../moderation/moderation.js';
import type { GuildSettings } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';
import { extensionLaunch } from './extend-source.js';
import { JobImages } from './job-images.js';
import { type ExtendRequest, MAX_TAKES } from './job-record.js';
import type { AnimateRequest, RepeatRequest, SubmitOutcome } from './job-requests.js';
import { askedEndFrame, carriedOf, endImageSource } from './last-frame.js';
import type { Launch, StartTaskDeps } from './launch.js';
import {
  type Candidate,
  candidatesFor,
  chooseModels,
  type ModelChoice,
  optionsResolver,
} from './model-choice.js';
import { askedBy } from './model-options.js';
import { alternativeTo, offeredCandidate, planModels } from './model-plan.js';
import {
  acceptsImage,
  checkAttachmentClaims,
  checkPrompt,
  fetchImage,
  openGuildKey,
  requireImageFor,
} from './request-checks.js';
import { TaskStarter } from './start-task.js';

export {
  type AnimateRequest,
  INTERACTION_TOKEN_TTL_MS,
  type JobSource,
  openInteractionToken,
  type RepeatRequest,
  type ReplyContext,
  replyLinkOf,
  type SubmitOutcome,
} from './job-requests.js';

export interface SubmitJobDeps extends StartTaskDeps {
  /** Fetches the member's image under the media policy (https, public addresses, configured origins). */
  media: MediaFetcher;
  /** Image downloads under way at once in this process. Default 8. */
  maxImageDownloads?: number;
  /** Where each job's image is kept, for repeats after Kie deleted its copy. */
  images: ImageKeeper;
  /** Told of prompts the blocklist refused (the audit log channel). */
  moderationAudit?: ModerationAudit;
}

/**
 * Checks a request, hands the image to Kie and starts the task. Every check that can fail runs
 * before the first call that costs credits; what stops a request is an outcome, not an exception.
 */
export class JobSubmitter {
  readonly #deps: SubmitJobDeps;
  readonly #downloads: LimitFunction;
  readonly #starter: TaskStarter;
  readonly #images: JobImages;

  constructor(deps: SubmitJobDeps) {
    this.#deps = deps;
    this.#downloads = pLimit(deps.maxImageDownloads ?? 8);
    this.#starter = new TaskStarter(deps);
    this.#images = new JobImages(deps);
  }

  submit(request: AnimateRequest): Promise<SubmitOutcome> {
    return refusalsAsOutcomes(() => this.#submit(request));
  }

  /**
   * A new job from a finished one (or a draft), the presser's limits applying. Its image is on
   * Kie already, or is uploaded again from the kept copy when Kie's may be gone.
   */
  repeat(request: RepeatRequest): Promise<SubmitOutcome> {
    return refusalsAsOutcomes(() => this.#repeat(request));
  }

  async #submit(request: AnimateRequest): Promise<SubmitOutcome> {
    const { settings: store, models, config, guardrails } = this.#deps;
    const takes = takesOf(request.takes);
    const settings = await store.get(request.guildId);
    guardrails.checkRole(settings, request.memberRoleIds);
    this.#screen(settings, request, request.prompt);
    const apiKey = openGuildKey(store, request.guildId, settings);
    const choice = chooseModels(models, config.DEFAULT_MODELS, request.model, settings);
    const promptFor = (model: ModelEntry) => checkPrompt(request.prompt, model);
    const { endAttachment } = request;
    const endFrame = askedEndFrame(request);
    const wanted = { ...request, endFrame };
    // First against the shape Discord claims, so nothing is downloaded for a request that
    // cannot go anywhere; again against the real image once it is here.
    const claimed = { width: request.attachment.width ?? 1, height: request.attachment.height ?? 1 };
    const plan = await planModels(
      this.#deps,
      choice,
      apiKey,
      optionsResolver(wanted, promptFor, settings.defaults, claimed, models.list()),
      endFrame,
    );
    const lead = plan.kind === 'offer' ? plan.alternative : (plan.candidates[0] as Candidate).model;
    checkAttachmentClaims(request.attachment, lead);
    if (endAttachment) checkAttachmentClaims(endAttachment, lead);
    await guardrails.check(settings, request, takes);

    const fetch = (attachment: typeof request.attachment) =>
      this.#downloads(() => fetchImage(attachment, lead, config.KIE_TIMEOUT_MS, this.#deps.media));
    const image = await fetch(request.attachment);
    const endImage = endAttachment ? await fetch(endAttachment) : null;
    // What the member asked for, else the server's defaults: what an offered model is mapped from.
    const asked = {
      aspectRatio: request.aspectRatio ?? settings.defaults.aspectRatio,
      durationSeconds: request.durationSeconds ?? settings.defaults.durationSeconds,
      removeWatermark: request.removeWatermark ?? settings.defaults.removeWatermark,
    };
    const offered = (model: ModelEntry) =>
      offeredCandidate(this.#deps.models, model, request.prompt, asked, image, wanted);
    const candidates =
      plan.kind === 'offer'
        ? [offered(plan.alternative)]
        : (
            await candidatesFor(
              choice,
              this.#deps.availability,
              apiKey,
              optionsResolver(wanted, promptFor, settings.defaults, image, models.list()),
            )
          ).filter(
            (candidate) =>
              acceptsImage(candidate.model, image) && (!endImage || acceptsImage(candidate.model, endImage)),
          );
    if (candidates.length === 0) {
      requireImageFor(lead, image);
      if (endImage) requireImageFor(lead, endImage);
    }
    return this.#launch(
      {
        context: request,
        settings,
        apiKey,
        candidates,
        mayFallBack: choice.chosenBy === 'default',
        // Another last frame is another request, not a double click.
        imageBytes: endImage ? Buffer.concat([image.bytes, endImage.bytes]) : image.bytes,
        parentJobId: null,
        confirmedUpTo: null,
        takes,
        ...(plan.kind === 'offer' ? { offerFor: plan.unavailable } : {}),
        image: () => this.#images.upload(apiKey, request, image, lead),
        endImage: endImage ? () => this.#images.upload(apiKey, request, endImage, lead) : undefined,
      },
      offered,
    );
  }

  async #repeat(request: RepeatRequest): Promise<SubmitOutcome> {
    const { settings: store, models, guardrails } = this.#deps;
    const { source } = request;
    if (source.extend) return this.#extend(request, source.extend);
    const takes = takesOf(source.takes);
    const settings = await store.get(request.guildId);
    guardrails.checkRole(settings, request.memberRoleIds);
    // "Try another model": the source's image, prompt and options on the model the member picked.
    const modelId = request.model ?? source.model;
    const model = models.get(modelId);
    if (!model) throw new UserFacingError('error.unknownModel', { model: modelId });
    const prompt = checkPrompt(request.prompt ?? source.options.prompt, model);
    this.#screen(settings, request, prompt);
    const apiKey = openGuildKey(store, request.guildId, settings);
    if (model.id !== source.model) this.#images.requireTypeFor(source, model);
    const imageOf = await this.#images.forRepeat(source, apiKey, request, model);
    const endImageOf = source.endImage
      ? await this.#images.forRepeat(endImageSource(source, source.endImage), apiKey, request, model)
      : undefined;
    const { asked, shape } = askedBy(source.options);
    // Sound, camera and a last frame the source asked for, carried to whichever model makes it.
    const carried = carriedOf(models.get(source.model) ?? model, source.options);
    const mapped = (entry: ModelEntry) =>
      offeredCandidate(this.#deps.models, entry, prompt, asked, shape, carried);
    // A draft from the bot's default list keeps the rest of the list; anything else repeats the
    // video's own model, never switched silently.
    const chain = (source.fallbackModels ?? []).flatMap((id) => models.get(id) ?? []);
    const choice: ModelChoice =
      chain.length > 0
        ? { chosenBy: 'default', models: [model, ...chain] }
        : { chosenBy: 'member', models: [model] };
    const plan = await planModels(
      this.#deps,
      choice,
      apiKey,
      (entry) => (entry.id === source.model ? { ...source.options, prompt } : mapped(entry).options),
      carried.endFrame,
    );
    await guardrails.check(settings, request, takes);
    const candidates =
      plan.kind === 'offer'
        ? [mapped(plan.alternative)]
        : plan.candidates.map((candidate) =>
            candidate.model.id === source.model
              ? { ...candidate, fallbackFrom: source.fallbackFrom ?? null }
              : candidate,
          );
    return this.#launch(
      {
        context: request,
        settings,
        apiKey,
        candidates,
        mayFallBack: choice.chosenBy === 'default',
        // Two models tried on one video within a minute are two videos, not a double click.
        imageBytes: Buffer.from(
          model.id === source.model ? source.imageUrl : `${source.imageUrl}\0${model.id}`,
        ),
        parentJobId: source.id,
        confirmedUpTo: request.confirmedUpTo ?? null,
        takes,
        parentReply: source.parentReply ?? null,
        ...(plan.kind === 'offer' ? { offerFor: plan.unavailable } : {}),
        image: imageOf,
        endImage: endImageOf,
      },
      mapped,
    );
  }

  /** The server's blocklist, free and first: a matching prompt is refused before any download or upload. */
  #screen(settings: GuildSettings, request: AnimateRequest | RepeatRequest, prompt: string): void {
    const { logger, moderationAudit } = this.#deps;
    refuseIfBlocked(
      { logger, ...(moderationAudit ? { audit: moderationAudit } : {}) },
      settings,
      request,
      prompt,
    );
  }

  /**
   * An extension of a finished video: the model's extend call on the source's Kie task, with no
   * image sent, under the presser's limits and the server's confirm threshold like a new job.
   * The extension belongs to its video's model: nothing else is offered when Kie refuses it.
   */
  async #extend(request: RepeatRequest, extend: ExtendRequest): Promise<SubmitOutcome> {
    const result = await this.#starter.launch(await extensionLaunch(this.#deps, request, extend));
    return result.kind === 'model-unavailable' ? { kind: 'refused', error: result.error } : result;
  }

  /**
   * Starts the launch. When Kie says the model someone chose cannot run (it is marked now), the
   * member is offered the bot's own choice instead, with the image already on Kie.
   */
  async #launch(launch: Launch, offered: (model: ModelEntry) => Candidate): Promise<SubmitOutcome> {
    const result = await this.#starter.launch(launch);
    if (result.kind !== 'model-unavailable') return result;
    const unavailable = launch.candidates[0]?.model;
    const alternative =
      unavailable &&
      (await alternativeTo(this.#deps, unavailable, launch.apiKey, launch.candidates[0]?.options.endFrame));
    if (!unavailable || !alternative) return { kind: 'refused', error: result.error };
    const { endImage } = result;
    const offer = await this.#starter.launch({
      ...launch,
      candidates: [offered(alternative)],
      offerFor: { model: unavailable, reason: result.reason },
      image: async () => result.image,
      endImage: endImage ? async () => endImage : undefined,
    });
    // An offer asks before createTask, so Kie cannot refuse its model here.
    return offer.kind === 'model-unavailable' ? { kind: 'refused', error: offer.error } : offer;
  }
}

/** Takes asked for: 1 unless said; a forged number outside 1–MAX_TAKES is refused. */
function takesOf(asked: number | null | undefined): number {
  if (asked === null || asked === undefined) return 1;
  if (!Number.isInteger(asked) || asked < 1 || asked > MAX_TAKES)
    throw new UserFacingError('error.badOptions');
  return asked;
}

/** Expected refusals (limits, bad input, Kie saying no) become outcomes; faults stay exceptions. */
async function refusalsAsOutcomes(run: () => Promise<SubmitOutcome>): Promise<SubmitOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UserFacingError) return { kind: 'refused', error };
    throw error;
  }
}
