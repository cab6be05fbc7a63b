import type { Logger } from 'pino';
import type { ModelAvailability } from '../models/availability.js';
import { isWithdrawn, type ModelEntry } from '../models/model.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { JobRecord } from './job-record.js';
import { askedBy, mapOptionsTo } from './model-options.js';

/** A model a finished video may be made again with, and what that would cost. */
export interface ModelOffer {
  model: ModelEntry;
  /** The job's options mapped to the model, priced; undefined where no price is published. */
  estimate: number | undefined;
}

export interface OtherModelsDeps {
  availability: ModelAvailability;
  settings: SettingsStore;
  logger: Logger;
}

/**
 * The models a "Try another model" menu lists under a finished video: those Kie can run for
 * the server's key now (its refusals and its catalog say), other than the video's own and those
 * Kie withdrew, each priced for the video's options as they would be mapped to it.
 */
export class OtherModels {
  readonly #deps: OtherModelsDeps;

  constructor(deps: OtherModelsDeps) {
    this.#deps = deps;
  }

  /** Best effort: a menu that cannot be worked out is left out, never a reason to fail a delivery. */
  async for(job: JobRecord): Promise<ModelOffer[]> {
    // An extension's prompt and options continue a video; they are not a new video's.
    if (job.extend) return [];
    try {
      const apiKey =
        (await this.#deps.settings.openKieKey(job.guildId)) ??
        this.#deps.settings.openSealedKieKey(job.guildId, job.kieKeySealed);
      const { asked, shape } = askedBy(job.options);
      return (await this.#deps.availability.availabilityOf(apiKey))
        .filter(({ entry, mark }) => mark === undefined && entry.id !== job.model && !isWithdrawn(entry))
        .map(({ entry }) => ({ model: entry, estimate: estimateFor(entry, asked, shape) }));
    } catch (error) {
      this.#deps.logger.warn({ err: error, jobId: job.id }, 'could not list other models for the menu');
      return [];
    }
  }
}

function estimateFor(
  model: ModelEntry,
  asked: ReturnType<typeof askedBy>['asked'],
  shape: ReturnType<typeof askedBy>['shape'],
): number | undefined {
  try {
    return model.estimateCredits({ prompt: '-', ...mapOptionsTo(model, asked, shape) });
  } catch {
    return undefined;
  }
}
