import type { ModelEntry } from './model.js';
import { sora2ImageToVideo } from './sora-2.js';

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

export function createModelRegistry(): ModelRegistry {
  return new ModelRegistry([sora2ImageToVideo]);
}
