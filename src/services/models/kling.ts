import { type ModelEntry, RATIO_BY_SHAPE, TEN_MEGABYTES, UNSTATED_PROMPT_MAX } from './model.js';
import {
  creditsPerSecondWithSound,
  onOffOption,
  readExtra,
  resolutionOption,
  tryReadExtra,
  wholeSeconds,
} from './options.js';

const sound = onOffOption('sound', 'models.option.sound', false, 'sound');

// kie-models.md §2a, unchanged in kie-models-2026-09.md §3.4 (silent / with sound).
const KLING_2_6_CREDITS: Record<number, { silent: number; sound: number }> = {
  5: { silent: 55, sound: 110 },
  10: { silent: 110, sound: 220 },
};

/**
 * `kling-2.6/image-to-video` (kie-models.md §2a). No aspect field: the video follows the image.
 * Only jpeg and png are accepted. `sound` and `duration` are required; `duration` is a string.
 */
export const kling26ImageToVideo: ModelEntry = {
  id: 'kling-2.6/image-to-video',
  label: 'Kling 2.6',
  family: 'kling',
  image: { field: 'image_urls', contentTypes: ['image/jpeg', 'image/png'], maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: 1_000 },
  durationsSeconds: [5, 10],
  defaultDurationSeconds: 5,
  aspect: 'image',
  supportsRemoveWatermark: false,
  extraOptions: [sound],
  estimateCredits: (options) => {
    const withSound = tryReadExtra(sound, options.extra);
    const price = KLING_2_6_CREDITS[options.durationSeconds];
    if (withSound === undefined || !price) return undefined;
    return withSound ? price.sound : price.silent;
  },
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    sound: readExtra(sound, options.extra),
    duration: String(options.durationSeconds),
  }),
};

type Kling3Mode = 'std' | 'pro' | '4K';

// `mode` is Kling 3.0's resolution: std 720p, pro 1080p, 4K.
const kling3Mode = resolutionOption<Kling3Mode>(['std', 'pro', '4K'], 'pro', {
  name: 'mode',
  choiceLabelKeys: {
    std: 'models.value.kling.std',
    pro: 'models.value.kling.pro',
    '4K': 'models.value.kling.4k',
  },
});

// kie-models-2026-09.md §3.3, credits per second. The doc gives one 4K figure, with or without sound.
const KLING_3_CREDITS_PER_SECOND: Record<Kling3Mode, { silent: number; sound: number }> = {
  std: { silent: 14, sound: 20 },
  pro: { silent: 18, sound: 27 },
  '4K': { silent: 67, sound: 67 },
};

/**
 * `kling-3.0/video` (kie-models-2026-09.md §3.3), one id for text- and image-to-video: one
 * image in `image_urls` is the first frame. `duration` is a string. With an image the video
 * follows its shape (`aspect_ratio` is optional then, and ignored per the older English page):
 * the image's own shape is sent anyway, as the doc's example does.
 */
export const kling3Video: ModelEntry = {
  id: 'kling-3.0/video',
  label: 'Kling 3.0',
  family: 'kling',
  image: { field: 'image_urls', contentTypes: ['image/jpeg', 'image/png'], maxBytes: TEN_MEGABYTES },
  // No maximum is stated for the single prompt (each multi-shot prompt: 500).
  prompt: { maxLength: UNSTATED_PROMPT_MAX },
  durationsSeconds: wholeSeconds(3, 15),
  defaultDurationSeconds: 5,
  aspect: 'image',
  aspectRatios: RATIO_BY_SHAPE,
  supportsRemoveWatermark: false,
  extraOptions: [kling3Mode, sound],
  endFrame: {
    via: 'second-image',
    field: 'image_urls',
    notWith: { multi_shots: true },
    priced: true,
    confidence: 'H',
  },
  estimateCredits: (options) =>
    creditsPerSecondWithSound(kling3Mode, sound, KLING_3_CREDITS_PER_SECOND, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    sound: readExtra(sound, options.extra),
    duration: String(options.durationSeconds),
    aspect_ratio: RATIO_BY_SHAPE[options.aspectRatio],
    mode: readExtra(kling3Mode, options.extra),
    // The schema marks these three required even for a single shot: the smallest valid values.
    multi_shots: false,
    multi_prompt: [],
    kling_elements: [],
  }),
};
