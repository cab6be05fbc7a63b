import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { KieClient } from '../kie/index.js';
import { contentTypeOfKey, type ImageKeeper, type KeptImage } from '../media/image-keeper.js';
import type { ModelEntry } from '../models/model.js';
import { UserFacingError, userFacingKieError } from '../user-facing-error.js';
import type { JobImage, JobSource, ReplyContext } from './job-requests.js';

/**
 * Kie deletes uploads after about a day (kie-models-2026-09.md §6.4: 24 h, on some pages 3 days):
 * a copy older than this is not trusted to be there when Kie fetches it for a new task.
 */
export const KIE_UPLOAD_TRUSTED_MS = 20 * 60 * 60_000;

export interface JobImagesDeps {
  kie: KieClient;
  images: ImageKeeper;
  logger: Logger;
  now?: () => number;
}

/**
 * The image a job is made from: put on Kie's file host (Discord's attachment links are
 * short-lived, and Kie may fetch the image minutes later), kept on disk for later repeats, and
 * put on Kie again when a repeat comes after Kie may have deleted its copy.
 */
export class JobImages {
  readonly #deps: JobImagesDeps;
  readonly #now: () => number;

  constructor(deps: JobImagesDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** A member's new image: uploaded to Kie, and kept (a copy that cannot be kept is logged, not fatal). */
  async upload(
    apiKey: string,
    context: ReplyContext,
    image: KeptImage,
    model: ModelEntry,
  ): Promise<JobImage> {
    const uploadedAt = this.#now();
    const [url, key] = await Promise.all([
      this.#rehost(apiKey, context, image, model),
      this.#deps.images.keep(image.bytes, image.contentType).catch((error: unknown) => {
        this.#deps.logger.warn(
          { err: error, guildId: context.guildId },
          'could not keep the image; repeats after a day will ask for it',
        );
        return null;
      }),
    ]);
    return { url, uploadedAt, key };
  }

  /**
   * The image for a new job made from `source`. Decided before anything is spent: Kie's copy
   * while it is surely there, else the kept copy (uploaded when the returned function runs).
   * Neither left: `image.expired`, and the member is asked for the image again.
   */
  async forRepeat(
    source: JobSource,
    apiKey: string,
    context: ReplyContext,
    model: ModelEntry,
  ): Promise<() => Promise<JobImage>> {
    const key = source.imageKey ?? null;
    if (!this.#mayBeGone(source)) {
      return async () => {
        // The new job counts as a use: the kept copy lives on from now.
        if (key) await this.#deps.images.touch(key).catch(() => undefined);
        return { url: source.imageUrl, uploadedAt: source.imageUploadedAt ?? null, key };
      };
    }
    if (!key || !(await this.#deps.images.has(key))) throw this.#expired();
    return async () => {
      const kept = await this.#deps.images.read(key);
      if (!kept) throw this.#expired();
      const uploadedAt = this.#now();
      const url = await this.#rehost(apiKey, context, kept, model);
      this.#deps.logger.info(
        { guildId: context.guildId, parentJobId: source.id },
        'image uploaded to Kie again: its copy there may be gone',
      );
      return { url, uploadedAt, key };
    };
  }

  /**
   * Refuses, by name, an image of a type `model` does not take, when the source's kept copy says
   * its type (another model than the one the image was checked for): nothing is spent on it.
   */
  requireTypeFor(source: JobSource, model: ModelEntry): void {
    const type = source.imageKey ? contentTypeOfKey(source.imageKey) : undefined;
    if (type && !model.image.contentTypes.includes(type)) {
      throw new UserFacingError('error.imageType', {
        type,
        allowed: model.image.contentTypes
          .map((allowed) => allowed.replace('image/', '').toUpperCase())
          .join(', '),
      });
    }
  }

  #mayBeGone(source: JobSource): boolean {
    if (source.imageUnreachable) return true;
    const uploadedAt = source.imageUploadedAt;
    return typeof uploadedAt === 'number' && this.#now() - uploadedAt >= KIE_UPLOAD_TRUSTED_MS;
  }

  #expired(): UserFacingError {
    return new UserFacingError('image.expired', { days: this.#deps.images.retentionDays });
  }

  async #rehost(apiKey: string, context: ReplyContext, image: KeptImage, model: ModelEntry): Promise<string> {
    const subtype = image.contentType.split('/')[1] ?? 'bin';
    const extension = subtype === 'jpeg' ? 'jpg' : subtype;
    try {
      const { downloadUrl } = await this.#deps.kie.uploadStream(apiKey, {
        data: image.bytes,
        fileName: `${context.interactionId}-${randomBytes(4).toString('hex')}.${extension}`,
        contentType: image.contentType,
        uploadPath: `animate-bot/${context.guildId}`,
      });
      return downloadUrl;
    } catch (error) {
      throw userFacingKieError(error, model.id) ?? error;
    }
  }
}
