import { grokImagineImageToVideo } from './grok-imagine.js';
import { hailuo23Standard } from './hailuo.js';
import { kling26ImageToVideo } from './kling.js';
import type { ModelEntry } from './model.js';
import { seedance15Pro } from './seedance.js';
import { sora2ImageToVideo, sora2ProImageToVideo } from './sora-2.js';
import { wan26ImageToVideo } from './wan.js';

export const DEFAULT_MODEL_ID = sora2ImageToVideo.id;

/** The models the bot can drive, by Kie model id; the first is the spec's default. */
export class ModelRegistry {
  readonly #entries: ReadonlyMap<string, ModelEntry>;

  constructor(entries: readonly ModelEntry[]) {
    this.#entries = new Map(entries.map((entry) => [entry.id, entry]));
  }

  get(id: string): ModelEntry | undefined {
    return this.#entries.get(id);
  }

  list(): ModelEntry[] {
    return [...this.#entries.values()];
  }
}

/** Sora 2 first (the spec's default), then Kie's live image-to-video models (kie-models.md). */
export function createModelRegistry(): ModelRegistry {
  return new ModelRegistry([
    sora2ImageToVideo,
    sora2ProImageToVideo,
    wan26ImageToVideo,
    kling26ImageToVideo,
    seedance15Pro,
    hailuo23Standard,
    grokImagineImageToVideo,
  ]);
}
