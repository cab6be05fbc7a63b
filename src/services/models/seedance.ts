import { JPEG_PNG_WEBP, type ModelEntry, RATIO_BY_SHAPE, TEN_MEGABYTES } from './model.js';
import {
  aspectInput,
  creditsPerSecond,
  creditsPerSecondWithSound,
  onOffOption,
  readExtra,
  resolutionOption,
  wholeSeconds,
} from './options.js';

type Resolution = '480p' | '720p' | '1080p';

const resolution = resolutionOption<Resolution>(['480p', '720p', '1080p'], '720p');
const generateAudio = onOffOption('generate_audio', 'models.option.generateAudio', false, 'sound');
const fixedLens = onOffOption('fixed_lens', 'models.option.fixedLens', false, 'camera');

// kie-models.md §3a, unchanged in kie-models-2026-09.md §3.2: credits per second, silent / with audio.
const SEEDANCE_1_5_PRO_CREDITS_PER_SECOND: Record<Resolution, { silent: number; sound: number }> = {
  '480p': { silent: 1.75, sound: 3.5 },
  '720p': { silent: 3.5, sound: 7 },
  '1080p': { silent: 7.5, sound: 15 },
};

/**
 * `bytedance/seedance-1.5-pro` (kie-models.md §3a), one id for text- and image-to-video: the
 * image goes in `input_urls` (1 = first frame). `duration` is a number, not a string; the schema
 * allows 4–12 s, and 4/6/8/10/12 are the values Henji's adapter offers.
 */
export const seedance15Pro: ModelEntry = {
  id: 'bytedance/seedance-1.5-pro',
  label: 'Seedance 1.5 Pro',
  family: 'seedance',
  image: { field: 'input_urls', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { minLength: 3, maxLength: 20_000 },
  durationsSeconds: [4, 6, 8, 10, 12],
  defaultDurationSeconds: 8,
  aspect: 'choice',
  aspectRatios: RATIO_BY_SHAPE,
  supportsRemoveWatermark: false,
  extraOptions: [resolution, generateAudio, fixedLens],
  // §5: the second item of `input_urls` (implied by the schema: M).
  endFrame: { via: 'second-image', field: 'input_urls', priced: true, confidence: 'M' },
  estimateCredits: (options) =>
    creditsPerSecondWithSound(resolution, generateAudio, SEEDANCE_1_5_PRO_CREDITS_PER_SECOND, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    input_urls: [imageUrl],
    aspect_ratio: RATIO_BY_SHAPE[options.aspectRatio],
    resolution: readExtra(resolution, options.extra),
    duration: options.durationSeconds,
    fixed_lens: readExtra(fixedLens, options.extra),
    generate_audio: readExtra(generateAudio, options.extra),
    // Keeps Kie's own content filter on, as its Playground does (false turns it off).
    nsfw_checker: true,
  }),
};

type Seedance2Resolution = '480p' | '720p' | '1080p' | '4k';

interface Seedance2Variant {
  id: string;
  label: string;
  resolutions: readonly Seedance2Resolution[];
  /** kie-models-2026-09.md §3.1, no video input: credits per second by resolution. */
  creditsPerSecond: Readonly<Partial<Record<Seedance2Resolution, number>>>;
  /** Only `-2` and `-2-fast` have `return_last_frame`. */
  returnLastFrame: boolean;
  /** `-2-fast` and `-2-mini` take `web_search` for text-to-video only. */
  webSearchWithImage: boolean;
}

// Audio does not change Seedance 2's price (§3.1), so Kie's default (on) stays ours.
const seedance2Audio = onOffOption('generate_audio', 'models.option.generateAudio', true, 'sound');

/**
 * The Seedance 2 family (kie-models-2026-09.md §3.1) in first-frame mode: the image is a plain
 * string in `first_frame_url`, and the reference fields (another mode) are never sent. A shape
 * left to the image is sent as `adaptive`. `duration` is an integer (4–15; `-1` = auto is not
 * offered, since its price cannot be estimated).
 */
function seedance2(variant: Seedance2Variant): ModelEntry {
  const resolution = resolutionOption<Seedance2Resolution>(variant.resolutions, '720p');
  const entry: ModelEntry = {
    id: variant.id,
    label: variant.label,
    family: 'seedance-2',
    image: { field: 'first_frame_url', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
    prompt: { minLength: 3, maxLength: 20_000 },
    durationsSeconds: wholeSeconds(4, 15),
    defaultDurationSeconds: 5,
    aspect: 'choice',
    aspectRatios: RATIO_BY_SHAPE,
    aspectFollowingImage: 'adaptive',
    supportsRemoveWatermark: false,
    extraOptions: [resolution, seedance2Audio],
    endFrame: { via: 'field', field: 'last_frame_url', priced: true, confidence: 'H' },
    estimateCredits: (options) => creditsPerSecond(resolution, variant.creditsPerSecond, options),
    buildInput: ({ imageUrl, options }) => ({
      prompt: options.prompt,
      first_frame_url: imageUrl,
      ...(variant.returnLastFrame ? { return_last_frame: false } : {}),
      generate_audio: readExtra(seedance2Audio, options.extra),
      resolution: readExtra(resolution, options.extra),
      aspect_ratio: aspectInput(entry, options),
      duration: options.durationSeconds,
      ...(variant.webSearchWithImage ? { web_search: false } : {}),
      // Keeps Kie's own content filter on (false turns it off).
      nsfw_checker: true,
    }),
  };
  return entry;
}

/** `bytedance/seedance-2-mini`: the cheapest Seedance 2, 480p or 720p. */
export const seedance2Mini = seedance2({
  id: 'bytedance/seedance-2-mini',
  label: 'Seedance 2 Mini',
  resolutions: ['480p', '720p'],
  creditsPerSecond: { '480p': 3.8, '720p': 8.2 },
  returnLastFrame: false,
  webSearchWithImage: false,
});

/** `bytedance/seedance-2-fast`. */
export const seedance2Fast = seedance2({
  id: 'bytedance/seedance-2-fast',
  label: 'Seedance 2 Fast',
  resolutions: ['480p', '720p'],
  creditsPerSecond: { '480p': 11.7, '720p': 24.8 },
  returnLastFrame: true,
  webSearchWithImage: false,
});

/** `bytedance/seedance-2`, up to 4K. */
export const seedance2Standard = seedance2({
  id: 'bytedance/seedance-2',
  label: 'Seedance 2',
  resolutions: ['480p', '720p', '1080p', '4k'],
  creditsPerSecond: { '480p': 19, '720p': 41, '1080p': 102, '4k': 208 },
  returnLastFrame: true,
  webSearchWithImage: true,
});
