import type { Logger } from 'pino';
import { isKieError, type KieClient } from '../kie/index.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';
import type { JobRecord } from './job-record.js';

/** Kie's download-url links work for 20 minutes (kie-models-2026-09.md §6.4). */
export const DOWNLOAD_LINK_TTL_MS = 20 * 60_000;
/** A link is handed out again while it has this long left: a burst of presses costs one Kie call. */
const REUSE_WHILE_LEFT_MS = 15 * 60_000;
const CACHE_MAX = 500;

export type VideoLink =
  /** From Kie just now (or a few minutes ago): works until `expiresAt`. */
  | { fresh: true; url: string; expiresAt: number }
  /** Kie gave none: the job's stored result URL, which may have expired (about a day after the job). */
  | { fresh: false; url: string };

export interface VideoLinksDeps {
  kie: KieClient;
  settings: SettingsStore;
  logger: Logger;
  now?: () => number;
}

/**
 * Links to a job's video that work whenever they are asked for: Kie's result URL dies after
 * about a day, but Kie hands out a fresh 20-minute link to the same file on request (free).
 */
export class VideoLinks {
  readonly #deps: VideoLinksDeps;
  readonly #now: () => number;
  readonly #recent = new Map<string, { url: string; expiresAt: number }>();

  constructor(deps: VideoLinksDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** A link to the job's video; a UserFacingError when the job made none. */
  async linkTo(job: JobRecord): Promise<VideoLink> {
    const resultUrl = job.resultUrl;
    if (resultUrl === null) throw new UserFacingError('video.none');
    const cached = this.#recent.get(job.id);
    if (cached && cached.expiresAt - this.#now() >= REUSE_WHILE_LEFT_MS) return { fresh: true, ...cached };
    const asked = this.#now();
    try {
      const url = await this.#downloadUrl(job, resultUrl);
      const link = { url, expiresAt: asked + DOWNLOAD_LINK_TTL_MS };
      this.#remember(job.id, link);
      return { fresh: true, ...link };
    } catch (error) {
      this.#deps.logger.warn(
        { err: error, guildId: job.guildId, jobId: job.id },
        'Kie gave no fresh video link; answering with the stored one',
      );
      return { fresh: false, url: resultUrl };
    }
  }

  /**
   * With the key the job was made with (the file is that account's); a key revoked since, while
   * the server has stored another, gets the new one tried once, as polling does.
   */
  async #downloadUrl(job: JobRecord, resultUrl: string): Promise<string> {
    const { kie, settings } = this.#deps;
    const apiKey = settings.openSealedKieKey(job.guildId, job.kieKeySealed);
    try {
      return await kie.getDownloadUrl(apiKey, resultUrl);
    } catch (error) {
      if (!isKieError(error) || error.kind !== 'invalid-key') throw error;
      const current = await settings.openKieKey(job.guildId).catch(() => undefined);
      if (!current || current === apiKey) throw error;
      return kie.getDownloadUrl(current, resultUrl);
    }
  }

  #remember(jobId: string, link: { url: string; expiresAt: number }): void {
    this.#recent.delete(jobId);
    this.#recent.set(jobId, link);
    // Oldest first in a Map's order: the bound keeps memory flat whatever is pressed.
    for (const key of this.#recent.keys()) {
      if (this.#recent.size <= CACHE_MAX) break;
      this.#recent.delete(key);
    }
  }
}
