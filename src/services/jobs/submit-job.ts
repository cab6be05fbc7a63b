import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { SealedBox } from '../crypto/sealed-box.js';
import { formatBytes } from '../i18n/index.js';
import { isKieError, type KieClient } from '../kie/index.js';
import type { Logger } from '../logger.js';
import { DownloadError, downloadBounded } from '../media/download.js';
import { readImageInfo } from '../media/image-info.js';
import type { ModelEntry } from '../models/model.js';
import type { ModelRegistry } from '../models/registry.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { Guardrails } from '../setup/guardrails.js';
import { UserFacingError, userFacingKieError } from '../user-facing-error.js';
import type { JobOf, JobOptions, JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';

/** Discord's interaction tokens live 15 minutes from the interaction's creation. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;

export interface AnimateRequest {
  guildId: string;
  channelId: string;
  userId: string;
  locale: string;
  applicationId: string;
  interactionId: string;
  interactionToken: string;
  /** From the interaction's snowflake: the token's 15 minutes count from here. */
  interactionCreatedAt: number;
  replyMessageId: string | null;
  /** The member's role ids, for the server's "who may use it" limit. */
  memberRoleIds: readonly string[];
  attachmentSizeLimit: number;
  attachment: {
    url: string;
    contentType: string | null;
    size: number;
    width: number | null;
    height: number | null;
  };
  prompt: string;
  aspectRatio: 'portrait' | 'landscape' | null;
  durationSeconds: number | null;
  removeWatermark: boolean | null;
  model: string | null;
}

export interface SubmitJobDeps {
  config: Config;
  jobs: JobStore;
  settings: SettingsStore;
  kie: KieClient;
  models: ModelRegistry;
  box: SealedBox;
  guardrails: Guardrails;
  logger: Logger;
  now?: () => number;
}

const tokenContext = (jobId: string) => `interaction-token:${jobId}`;

/** Opens a job's sealed interaction token (bound to the job's id). */
export function openInteractionToken(
  box: SealedBox,
  job: Pick<JobRecord, 'id' | 'interactionTokenSealed'>,
): string {
  return box.open(job.interactionTokenSealed, tokenContext(job.id));
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
    const prompt = normalisePrompt(request.prompt);
    if (prompt.length === 0) throw new UserFacingError('error.promptEmpty');
    if (prompt.length > model.prompt.maxLength) {
      throw new UserFacingError('error.promptTooLong', {
        length: prompt.length,
        limit: model.prompt.maxLength,
        model: model.label,
      });
    }
    const durationSeconds =
      request.durationSeconds ?? guildSettings.defaults.durationSeconds ?? model.defaultDurationSeconds;
    if (!model.durationsSeconds.includes(durationSeconds)) {
      throw new UserFacingError('error.durationUnsupported', {
        model: model.label,
        allowed: model.durationsSeconds.join(' / '),
        asked: durationSeconds,
      });
    }
    if (!guildSettings.kieKey) throw new UserFacingError('error.noKey');
    let apiKey: string;
    try {
      apiKey = settings.openSealedKieKey(request.guildId, guildSettings.kieKey.sealed);
    } catch {
      throw new UserFacingError('error.keyUnreadable');
    }

    const image = await this.#fetchImage(request.attachment, model);
    const reservation = await this.#deps.guardrails.reserve(guildSettings, {
      guildId: request.guildId,
      userId: request.userId,
      memberRoleIds: request.memberRoleIds,
      prompt,
      imageBytes: image.bytes,
    });
    const chosenAspect = request.aspectRatio ?? guildSettings.defaults.aspectRatio;
    const options: JobOptions = {
      prompt,
      aspectRatio: chosenAspect ?? (image.height > image.width ? 'portrait' : 'landscape'),
      aspectFromImage: chosenAspect === null,
      durationSeconds,
      removeWatermark: request.removeWatermark ?? guildSettings.defaults.removeWatermark ?? true,
      extra: {},
    };
    try {
      const imageUrl = await this.#rehostImage(apiKey, request, image, model);
      const job = await this.#createTask(apiKey, request, model, options, imageUrl);
      await reservation.commit();
      return job;
    } catch (error) {
      // A createTask that may have reached Kie counts against the limits: it may be paid for.
      if (isKieError(error) && error.ambiguous) await reservation.commit();
      else await reservation.release();
      throw error;
    }
  }

  async #fetchImage(attachment: AnimateRequest['attachment'], model: ModelEntry) {
    let result: Awaited<ReturnType<typeof downloadBounded>>;
    try {
      result = await downloadBounded(attachment.url, model.image.maxBytes, this.#deps.config.KIE_TIMEOUT_MS);
    } catch (error) {
      const reason = error instanceof DownloadError ? error.message : 'network error';
      throw new UserFacingError('error.imageUnreachable', { reason });
    }
    if (result.kind === 'too-large') {
      throw new UserFacingError('error.imageTooLarge', {
        size: formatBytes(result.size ?? model.image.maxBytes + 1),
        limit: formatBytes(model.image.maxBytes),
      });
    }
    if (result.bytes.length === 0) throw new UserFacingError('error.imageEmpty');
    const info = readImageInfo(result.bytes);
    if (!info || !model.image.contentTypes.includes(info.contentType)) {
      throw new UserFacingError('error.imageTypeLies', {
        claimed: attachment.contentType ?? 'unknown',
        allowed: describeTypes(model.image.contentTypes),
      });
    }
    return { bytes: result.bytes, ...info };
  }

  /**
   * Discord's slash-command attachments are short-lived, and Kie may fetch the image minutes
   * later (or again, for Remix); Kie's own upload keeps it for a day at least, for free.
   */
  async #rehostImage(
    apiKey: string,
    request: AnimateRequest,
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
    request: AnimateRequest,
    model: ModelEntry,
    options: JobOptions,
    imageUrl: string,
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
      polls: 0,
      lastKieState: null,
    };
    // Recorded first: a crash between createTask and the next write leaves a job that says so.
    await jobs.put(pending);
    const log = logger.child({ guildId: request.guildId, jobId: id, model: model.id });
    try {
      const { taskId } = await kie.createTask(apiKey, {
        model: model.id,
        input: model.buildInput({ imageUrl, options }),
      });
      const submittedAt = this.#now();
      log.info({ taskId }, 'job submitted');
      return (await jobs.put({
        ...pending,
        status: 'submitted',
        taskId,
        submittedAt,
        updatedAt: submittedAt,
        deadlineAt: submittedAt + config.JOB_DEADLINE_MINUTES * 60_000,
      })) as JobOf<'submitted'>;
    } catch (error) {
      const userFacing = userFacingKieError(error, model.id);
      log.warn({ err: error }, 'createTask failed');
      const failure = userFacing
        ? { key: userFacing.key, params: userFacing.params }
        : { key: 'error.kie.upstream', params: { detail: 'unexpected' } };
      await jobs.put({ ...pending, status: 'failed', taskId: null, failure, endedAt: this.#now() });
      throw userFacing ?? error;
    }
  }
}

/** Checks what Discord says of the file before downloading it; the bytes are checked again after. */
function checkAttachmentClaims(attachment: AnimateRequest['attachment'], model: ModelEntry): void {
  const type = attachment.contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
  if (!type || !model.image.contentTypes.includes(type)) {
    throw new UserFacingError('error.imageType', {
      type: type ?? 'unknown',
      allowed: describeTypes(model.image.contentTypes),
    });
  }
  if (attachment.size === 0) throw new UserFacingError('error.imageEmpty');
  if (attachment.size > model.image.maxBytes) {
    throw new UserFacingError('error.imageTooLarge', {
      size: formatBytes(attachment.size),
      limit: formatBytes(model.image.maxBytes),
    });
  }
}

/** Strips control characters, C0 and C1 (keeping tabs and line breaks), and surrounding blanks. */
export function normalisePrompt(prompt: string): string {
  return prompt.replace(/(?![\t\n\r])\p{Cc}/gu, '').trim();
}

function describeTypes(contentTypes: readonly string[]): string {
  return contentTypes.map((type) => type.replace('image/', '').toUpperCase()).join(', ');
}
