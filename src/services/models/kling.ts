import { type ModelEntry, TEN_MEGABYTES } from './model.js';
import { readExtra, type TypedExtraOption, tryReadExtra } from './options.js';

const sound: TypedExtraOption<boolean> = {
  name: 'sound',
  labelKey: 'models.option.sound',
  choices: [false, true],
  default: false,
};

// kie-models.md §2a, from Kie's 2026-06-30 price dump (silent / with sound).
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
