import { JPEG_PNG_WEBP, type ModelEntry, RATIO_BY_SHAPE, TEN_MEGABYTES } from './model.js';
import {
  aspectInput,
  creditsPerClip,
  creditsPerSecond,
  onOffOption,
  readExtra,
  resolutionOption,
  wholeSeconds,
} from './options.js';

const resolution = resolutionOption<'720p' | '1080p'>(['720p', '1080p'], '1080p');

// kie-models.md §4a, unchanged in kie-models-2026-09.md §3.6: 5 / 10 / 15 s per resolution.
const WAN_2_6_CREDITS: Record<'720p' | '1080p', Record<number, number>> = {
  '720p': { 5: 70, 10: 140, 15: 210 },
  '1080p': { 5: 104.5, 10: 209.5, 15: 315 },
};

/**
 * `wan/2-6-image-to-video` (kie-models-2026-09.md §3.6). No aspect field: the video follows the
 * image. `multi_shots: false` as in the doc's example (one shot). `nsfw_checker: true` keeps
 * Kie's own content filter on, as its Playground does (false turns it off).
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
  estimateCredits: (options) => creditsPerClip(resolution, WAN_2_6_CREDITS, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    duration: String(options.durationSeconds),
    resolution: readExtra(resolution, options.extra),
    multi_shots: false,
    nsfw_checker: true,
  }),
};

type Wan3Resolution = '480P' | '720P' | '1080P';

// Capital P, as Kie spells it for Wan 3.0.
const wan3Resolution = resolutionOption<Wan3Resolution>(['480P', '720P', '1080P'], '1080P');
// Audio does not change Wan 3.0's price (§3.5), so Kie's default (on) stays ours.
const wan3Audio = onOffOption('audio', 'models.option.sound', true, 'sound');

/**
 * `wan/3-0-video` (kie-models-2026-09.md §3.5) in first-frame mode: the image is a plain string
 * in `first_frame_url` (the schema types frames as objects, its examples send strings: M). A
 * shape left to the image is sent as `adaptive`. No `seed`: Kie picks one, so two runs differ.
 */
export const wan3Video: ModelEntry = {
  id: 'wan/3-0-video',
  label: 'Wan 3.0',
  family: 'wan',
  image: { field: 'first_frame_url', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: 20_000 },
  durationsSeconds: wholeSeconds(2, 30),
  defaultDurationSeconds: 5,
  aspect: 'choice',
  aspectRatios: RATIO_BY_SHAPE,
  aspectFollowingImage: 'adaptive',
  supportsRemoveWatermark: false,
  extraOptions: [wan3Resolution, wan3Audio],
  endFrame: { via: 'field', field: 'last_frame_url', priced: true, confidence: 'H' },
  estimateCredits: (options) =>
    creditsPerSecond(wan3Resolution, { '480P': 8, '720P': 16, '1080P': 32 }, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    first_frame_url: imageUrl,
    resolution: readExtra(wan3Resolution, options.extra),
    aspect_ratio: aspectInput(wan3Video, options),
    duration: options.durationSeconds,
    audio: readExtra(wan3Audio, options.extra),
  }),
};
