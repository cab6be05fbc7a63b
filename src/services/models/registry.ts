import { grokImagineImageToVideo } from './grok-imagine.js';
import { hailuo23Standard } from './hailuo.js';
import { kling3Video, kling26ImageToVideo } from './kling.js';
import { minimaxH3 } from './minimax.js';
import type { ModelEntry } from './model.js';
import { runway } from './runway.js';
import { seedance2Fast, seedance2Mini, seedance2Standard, seedance15Pro } from './seedance.js';
import { sora2ImageToVideo, sora2ProImageToVideo } from './sora-2.js';
import { veo31 } from './veo.js';
import { wan3Video, wan26ImageToVideo } from './wan.js';

/**
 * The bot-wide default models, in the order to try them (issue 12): Sora 2 first, as the
 * original spec asks, although Kie withdrew it on 2026-09-24; then live models, each from
 * another provider, so one provider's outage does not end the list (kie-models-2026-09.md, 720p
 * prices per 10 s clip):
 * - Seedance 2 Mini: ByteDance's current family at its cheapest tier, 82 credits with sound
 *   (38 at 480p); 4–15 s covers Sora's 10 and 15 s; portrait, landscape or `adaptive`; takes a
 *   last frame. The doc's own default candidate.
 * - Grok Imagine (xAI): 24 credits at its default 480p, 45 at 720p; 6–30 s; native extend.
 * - Hailuo 2.3 (MiniMax): 50 credits at 768P (30 for 6 s); price unchanged since June; 6 or 10 s.
 * Left out: Seedance 1.5 Pro (cheaper, but ByteDance again and an older model), Runway (cheapest,
 * but its generation is never stated), and Kling 3.0, Wan 3.0 and Veo 3.1 (140 credits or more).
 */
export const DEFAULT_MODEL_IDS: readonly string[] = [
  sora2ImageToVideo.id,
  seedance2Mini.id,
  grokImagineImageToVideo.id,
  hailuo23Standard.id,
];

/** The spec's default: the first of `DEFAULT_MODEL_IDS`. */
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

/**
 * Sora 2 first (the spec's default; withdrawn, kept for the servers that saved it), then Kie's
 * image-to-video models of kie-models-2026-09.md. Every id ever shipped stays: servers have them
 * saved.
 */
export function createModelRegistry(): ModelRegistry {
  return new ModelRegistry([
    sora2ImageToVideo,
    sora2ProImageToVideo,
    seedance2Mini,
    seedance2Fast,
    seedance2Standard,
    kling3Video,
    wan3Video,
    veo31,
    runway,
    minimaxH3,
    wan26ImageToVideo,
    kling26ImageToVideo,
    seedance15Pro,
    hailuo23Standard,
    grokImagineImageToVideo,
  ]);
}
