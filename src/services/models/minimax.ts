import { JPEG_PNG_WEBP, type ModelEntry } from './model.js';
import { creditsPerSecond, readExtra, resolutionOption, roundCredits, wholeSeconds } from './options.js';

const resolution = resolutionOption<'768P' | '2K'>(['768P', '2K'], '2K');

/** kie-models-2026-09.md §3.10: credits per image sent, on top of the per-second price. */
const CREDITS_PER_IMAGE = 4;

/**
 * `minimax-h3/image-to-video` (kie-models-2026-09.md §3.10). The image is a string in
 * `first_frame_url` (once `first_frame_image`). No aspect field: the video follows the image.
 * `resolution` is absent from the doc's example but sent, since its default (2K) is the dearer.
 * The doc also allows HEIC/HEIF, which Kie's fetch in our stand-in and our checks do not read.
 */
export const minimaxH3: ModelEntry = {
  id: 'minimax-h3/image-to-video',
  label: 'MiniMax H3',
  family: 'minimax-h3',
  image: {
    field: 'first_frame_url',
    contentTypes: JPEG_PNG_WEBP,
    maxBytes: 30 * 1024 * 1024,
    minSidePixels: 256,
    maxSidePixels: 5_760,
    aspectRange: [0.4, 2.5],
  },
  prompt: { minLength: 1, maxLength: 7_000 },
  durationsSeconds: wholeSeconds(4, 15),
  defaultDurationSeconds: 6,
  aspect: 'image',
  supportsRemoveWatermark: false,
  extraOptions: [resolution],
  endFrame: {
    via: 'field',
    field: 'last_frame_url',
    creditsPerImage: CREDITS_PER_IMAGE,
    priced: true,
    confidence: 'H',
  },
  estimateCredits: (options) => {
    const video = creditsPerSecond(resolution, { '768P': 8, '2K': 13 }, options);
    // A last frame (a loop's too: the first image sent again) is a second image.
    const images = options.endFrame ? 2 : 1;
    return video === undefined ? undefined : roundCredits(video + CREDITS_PER_IMAGE * images);
  },
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    first_frame_url: imageUrl,
    duration: options.durationSeconds,
    resolution: readExtra(resolution, options.extra),
  }),
};
