import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { SealedBox } from '../crypto/sealed-box.js';
import { callbackUrl, newCallbackToken } from '../http/index.js';
import { isKieError, type KieClient } from '../kie/index.js';
import type { Logger } from '../logger.js';
import type { MediaFetcher } from '../media/safe-fetch.js';
import type { ModelAvailability } from '../models/availability.js';
import type { ModelEntry } from '../models/model.js';
import type { ModelRegistry } from '../models/registry.js';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import type { Guardrails } from '../setup/guardrails.js';
import { UserFacingError, userFacingKieError } from '../user-facing-error.js';
import type { CallbackRegistry } from './callback-registry.js';
import type { DraftStore } from './draft-store.js';
import type { JobOf, JobOptions } from './job-record.js';
import {
  type AnimateRequest,
  ConfirmationNeeded,
  INTERACTION_TOKEN_TTL_MS,
  type RepeatRequest,
  type ReplyContext,
  tokenContext,
} from './job-requests.js';
import type { JobStore } from './job-store.js';
import { requireAvailable, resolveModelOptions, unavailableError } from './model-options.js';
import { checkAttachmentClaims, checkPrompt, fetchImage, openGuildKey } from './request-checks.js';

export {
  type AnimateRequest,
  ConfirmationNeeded,
  INTERACTION_TOKEN_TTL_MS,
  type JobSource,
  openInteractionToken,
  type RepeatRequest,
  type ReplyContext,
} from './job-requests.js';

export interface SubmitJobDeps {
  config: Config;
  jobs: JobStore;
  settings: SettingsStore;
  kie: KieClient;
  models: ModelRegistry;
  box: SealedBox;
  guardrails: Guardrails;
  availability: ModelAvailability;
  drafts: DraftStore;
  /** Fetches the member's image under the media policy. */
  media: MediaFetcher;
  /** Set when PUBLIC_URL is: each job gets a callback URL of its own. */
  callbacks?: { publicUrl: string; registry: CallbackRegistry };
  logger: Logger;
  now?: () => number;
}

interface Launch {
  context: ReplyContext;
  guildSettings: GuildSettings;
  /** What the double-click guard fingerprints: the image's bytes, or its Kie URL for a repeat. */
  imageBytes: Uint8Array;
  apiKey: string;
  model: ModelEntry;
  options: JobOptions;
  parentJobId: string | null;
  confirmed: boolean;
  imageUrlOf(): Promise<string>;
}

/**
 * Checks a request, hands the image to Kie and creates the task. Every check that can fail
 * runs before the first call that costs credits, and each failure is a UserFacingError.
 */
export class JobSubmitter {
  readonly #deps: SubmitJobDeps;
  readonly #now: () => number;

  constructor(deps: SubmitJobDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async submit(request: AnimateRequest): Promise<JobOf<'submitted'>> {
    const { settings, models, config } = this.#deps;
    const guildSettings = await settings.get(request.guildId);
    const modelId = request.model ?? guildSettings.model ?? config.DEFAULT_MODEL;
    const model = models.get(modelId);
    if (!model) throw new UserFacingError('error.unknownModel', { model: modelId });
    this.#deps.guardrails.checkRole(guildSettings, request.memberRoleIds);
    checkAttachmentClaims(request.attachment, model);
    const prompt = checkPrompt(request.prompt, model);
    // Options are checked against the claimed shape first, and again against the real one below.
    const claimedShape = { width: request.attachment.width ?? 1, height: request.attachment.height ?? 1 };
    resolveModelOptions(model, request, guildSettings.defaults, claimedShape);
    const apiKey = openGuildKey(settings, request.guildId, guildSettings);
    await requireAvailable(this.#deps.availability, model);

    const image = await fetchImage(request.attachment, model, config.KIE_TIMEOUT_MS, this.#deps.media);
    const options: JobOptions = {
      prompt,
      ...resolveModelOptions(model, request, guildSettings.defaults, image),
    };
    return this.#launch({
      context: request,
      guildSettings,
      imageBytes: image.bytes,
      apiKey,
      model,
      options,
      parentJobId: null,
      confirmed: false,
      imageUrlOf: () => this.#rehostImage(apiKey, request, image, model),
    });
  }

  /** A new job from a finished one's image (already on Kie) and options; the presser's limits apply. */
  async repeat(request: RepeatRequest): Promise<JobOf<'submitted'>> {
    const { settings, models } = this.#deps;
    const { source } = request;
    const guildSettings = await settings.get(request.guildId);
    const model = models.get(source.model);
    if (!model) throw new UserFacingError('error.unknownModel', { model: source.model });
    this.#deps.guardrails.checkRole(guildSettings, request.memberRoleIds);
    const prompt = checkPrompt(request.prompt ?? source.options.prompt, model);
    const apiKey = openGuildKey(settings, request.guildId, guildSettings);
    await requireAvailable(this.#deps.availability, model);
    const options = { ...source.options, prompt };
    return this.#launch({
      context: request,
      guildSettings,
      imageBytes: Buffer.from(source.imageUrl),
      apiKey,
      model,
      options,
      parentJobId: source.id,
      confirmed: request.confirmed ?? false,
      imageUrlOf: async () => source.imageUrl,
    });
  }

  /** Holds a place under the server's limits, puts the image on Kie, creates the task. */
  async #launch(launch: Launch): Promise<JobOf<'submitted'>> {
    const { context, guildSettings, imageBytes, apiKey, model, options, parentJobId } = launch;
    const reservation = await this.#deps.guardrails.reserve(guildSettings, {
      guildId: context.guildId,
      userId: context.userId,
      memberRoleIds: context.memberRoleIds,
      prompt: options.prompt,
      imageBytes,
    });
    try {
      const imageUrl = await launch.imageUrlOf();
      const estimate = model.estimateCredits(options);
      const threshold = guildSettings.limits.confirmAboveCredits;
      if (!launch.confirmed && threshold !== null && estimate !== undefined && estimate > threshold) {
        const draftId = await this.#deps.drafts.save(context, {
          id: null,
          model: model.id,
          options,
          imageUrl,
        });
        throw new ConfirmationNeeded(draftId, estimate, threshold);
      }
      const job = await this.#createTask(apiKey, context, model, options, imageUrl, parentJobId);
      await reservation.commit();
      return job;
    } catch (error) {
      // A createTask that may have reached Kie counts against the limits: it may be paid for.
      if (isKieError(error) && error.ambiguous) await reservation.commit();
      else await reservation.release();
      throw error;
    }
  }

  /**
   * Discord's slash-command attachments are short-lived, and Kie may fetch the image minutes
   * later (or again, for Remix); Kie's own upload keeps it for a day at least, for free.
   */
  async #rehostImage(
    apiKey: string,
    request: ReplyContext,
    image: { bytes: Buffer; contentType: string },
    model: ModelEntry,
  ): Promise<string> {
    const extension = image.contentType.split('/')[1] === 'jpeg' ? 'jpg' : image.contentType.split('/')[1];
    try {
      const { downloadUrl } = await this.#deps.kie.uploadStream(apiKey, {
        data: image.bytes,
        fileName: `${request.interactionId}-${randomBytes(4).toString('hex')}.${extension}`,
        contentType: image.contentType,
        uploadPath: `animate-bot/${request.guildId}`,
      });
      return downloadUrl;
    } catch (error) {
      throw userFacingKieError(error, model.id) ?? error;
    }
  }

  async #createTask(
    apiKey: string,
    request: ReplyContext,
    model: ModelEntry,
    options: JobOptions,
    imageUrl: string,
    parentJobId: string | null,
  ): Promise<JobOf<'submitted'>> {
    const { jobs, kie, box, settings, config, logger } = this.#deps;
    const now = this.#now();
    const id = randomBytes(8).toString('hex');
    const pending: JobOf<'pending'> = {
      status: 'pending',
      id,
      guildId: request.guildId,
      channelId: request.channelId,
      userId: request.userId,
      locale: request.locale,
      applicationId: request.applicationId,
      interactionId: request.interactionId,
      interactionTokenSealed: box.seal(request.interactionToken, tokenContext(id)),
      tokenExpiresAt: request.interactionCreatedAt + INTERACTION_TOKEN_TTL_MS,
      replyMessageId: request.replyMessageId,
      kieKeySealed: settings.sealKieKey(request.guildId, apiKey),
      model: model.id,
      options,
      imageUrl,
      attachmentSizeLimit: request.attachmentSizeLimit,
      createdAt: now,
      updatedAt: now,
      deadlineAt: now + config.JOB_DEADLINE_MINUTES * 60_000,
      lastKieState: null,
      shownState: null,
      lastEditAt: null,
      parentJobId,
      callbackToken: this.#deps.callbacks ? newCallbackToken() : null,
      // For the member's and admins' view of what a job costs; never a reason to stop.
      creditsBefore: await kie.getCredits(apiKey).catch(() => null),
      creditsAfter: null,
    };
    // Recorded first: a crash between createTask and the next write leaves a job that says so.
    await jobs.put(pending);
    const { callbacks } = this.#deps;
    const callBackUrl =
      callbacks && pending.callbackToken
        ? callbackUrl(callbacks.publicUrl, pending.callbackToken)
        : undefined;
    if (callbacks && pending.callbackToken) {
      const ttl = config.JOB_DEADLINE_MINUTES * 60_000 + 60 * 60_000;
      await callbacks.registry.register(pending.callbackToken, { guildId: pending.guildId, jobId: id }, ttl);
    }
    const log = logger.child({ guildId: request.guildId, jobId: id, model: model.id });
    try {
      const { taskId } = await kie.createTask(apiKey, {
        model: model.id,
        input: model.buildInput({ imageUrl, options }),
        ...(callBackUrl ? { callBackUrl } : {}),
      });
      const submittedAt = this.#now();
      log.info({ taskId }, 'job submitted');
      return (await jobs.put({
        ...pending,
        status: 'submitted',
        taskId,
        submittedAt,
        // The command shows the queued status right after this returns.
        shownState: 'queued',
        lastEditAt: submittedAt,
        updatedAt: submittedAt,
        deadlineAt: submittedAt + config.JOB_DEADLINE_MINUTES * 60_000,
      })) as JobOf<'submitted'>;
    } catch (error) {
      const withdrawn = await this.#deps.availability.noteFailure(error, model.id);
      const userFacing = withdrawn
        ? await unavailableError(this.#deps.availability, model)
        : userFacingKieError(error, model.id);
      log.warn({ err: error }, 'createTask failed');
      const failure = userFacing
        ? { key: userFacing.key, params: userFacing.params }
        : { key: 'error.kie.upstream', params: { detail: 'unexpected' } };
      await jobs.put({ ...pending, status: 'failed', taskId: null, failure, endedAt: this.#now() });
      throw userFacing ?? error;
    }
  }
}
