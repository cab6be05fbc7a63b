import { JPEG_PNG_WEBP, type ModelEntry, TEN_MEGABYTES } from './model.js';
import { creditsPerClip, readExtra, resolutionOption } from './options.js';

// kie-models.md §6a: "10 s not allowed at 1080P".
const resolution = resolutionOption<'768P' | '1080P'>(['768P', '1080P'], '768P', {
  durationsByChoice: { '1080P': [6] },
});

// kie-models.md §6a, unchanged in kie-models-2026-09.md §3.9 (Standard); 10 s at 1080P does not exist.
const HAILUO_2_3_STANDARD_CREDITS: Record<'768P' | '1080P', Record<number, number>> = {
  '768P': { 6: 30, 10: 50 },
  '1080P': { 6: 50 },
};

/**
 * `hailuo/2-3-image-to-video-standard` (kie-models.md §6a). The image is a single string in
 * `image_url`; no aspect field, so the video follows the image. Resolutions use a capital P.
 */
export const hailuo23Standard: ModelEntry = {
  id: 'hailuo/2-3-image-to-video-standard',
  label: 'Hailuo 2.3',
  family: 'hailuo',
  image: { field: 'image_url', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: 5_000 },
  durationsSeconds: [6, 10],
  defaultDurationSeconds: 6,
  aspect: 'image',
  supportsRemoveWatermark: false,
  extraOptions: [resolution],
  estimateCredits: (options) => creditsPerClip(resolution, HAILUO_2_3_STANDARD_CREDITS, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_url: imageUrl,
    duration: String(options.durationSeconds),
    resolution: readExtra(resolution, options.extra),
    // Keeps Kie's own content filter on, as its Playground does (false turns it off).
    nsfw_checker: true,
  }),
};
