import { JPEG_PNG_WEBP, type ModelEntry, TEN_MEGABYTES } from './model.js';
import { readExtra, type TypedExtraOption, tryReadExtra } from './options.js';

const resolution: TypedExtraOption<'720p' | '1080p'> = {
  name: 'resolution',
  labelKey: 'models.option.resolution',
  choices: ['720p', '1080p'],
  default: '1080p',
};

// kie-models.md §4a, from Kie's 2026-06-30 price dump: 5 / 10 / 15 s per resolution.
const WAN_2_6_CREDITS: Record<'720p' | '1080p', Record<number, number>> = {
  '720p': { 5: 70, 10: 140, 15: 210 },
  '1080p': { 5: 104.5, 10: 209.5, 15: 315 },
};

/**
 * `wan/2-6-image-to-video` (kie-models.md §4a). No aspect field: the video follows the image.
 * `nsfw_checker: true` keeps Kie's own content filter on, as its Playground does (false turns it off).
 */
export const wan26ImageToVideo: ModelEntry = {
  id: 'wan/2-6-image-to-video',
  label: 'Wan 2.6',
  family: 'wan',
  image: { field: 'image_urls', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES, minSidePixels: 256 },
  prompt: { minLength: 2, maxLength: 5_000 },
  durationsSeconds: [5, 10, 15],
  defaultDurationSeconds: 5,
  aspect: 'image',
  supportsRemoveWatermark: false,
  extraOptions: [resolution],
  estimateCredits: (options) => {
    const chosen = tryReadExtra(resolution, options.extra);
    return chosen && WAN_2_6_CREDITS[chosen][options.durationSeconds];
  },
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    duration: String(options.durationSeconds),
    resolution: readExtra(resolution, options.extra),
    nsfw_checker: true,
  }),
};
