import {
  JPEG_PNG_WEBP,
  type ModelEntry,
  RATIO_BY_SHAPE,
  TEN_MEGABYTES,
  UNSTATED_MAX_EXTENSIONS,
  UNSTATED_PROMPT_MAX,
} from './model.js';
import { aspectInput, readExtra, resolutionOption, tryReadExtra } from './options.js';

type VeoResolution = '720p' | '1080p' | '4k';

const resolution = resolutionOption<VeoResolution>(['720p', '1080p', '4k'], '720p');

/**
 * kie-models-2026-09.md §3.7, per clip whatever the duration. No field picks the tier (Lite
 * 30 / 35 / 150, Fast 60 / 65 / 180, Quality 250 / 255 / 370), so the estimate is the dearest,
 * Quality's: an estimate below the real charge would let a job past a server's confirm threshold.
 * `creditsConsumed` shows the tier that ran.
 */
const VEO_CREDITS: Record<VeoResolution, number> = { '720p': 250, '1080p': 255, '4k': 370 };
const VEO_EXTEND_CREDITS = 250;

/**
 * `veo-3-1` (kie-models-2026-09.md §3.7), now on the jobs API. No plain image-to-video type
 * exists: one image with `FIRST_AND_LAST_FRAMES_2_VIDEO` anchors the clip (M). A shape left to
 * the image is sent as `Auto`. No `watermark` (it writes a text over the video); the deprecated
 * `enable_fallback` is not sent.
 */
export const veo31: ModelEntry = {
  id: 'veo-3-1',
  label: 'Veo 3.1',
  family: 'veo',
  image: { field: 'image_urls', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: UNSTATED_PROMPT_MAX },
  durationsSeconds: [4, 6, 8],
  defaultDurationSeconds: 8,
  aspect: 'choice',
  aspectRatios: RATIO_BY_SHAPE,
  aspectFollowingImage: 'Auto',
  supportsRemoveWatermark: false,
  extraOptions: [resolution],
  endFrame: {
    via: 'second-image',
    field: 'image_urls',
    alsoSend: { generation_type: 'FIRST_AND_LAST_FRAMES_2_VIDEO' },
    priced: true,
    confidence: 'H',
  },
  extend: {
    model: 'veo/extend',
    sourceField: 'task_id',
    fields: {
      prompt: { type: 'string', required: true },
      seeds: { type: 'integer', required: false, min: 10_000, max: 99_999 },
      watermark: { type: 'string', required: false },
    },
    notFrom: { option: 'resolution', values: ['1080p'] },
    // Per extension, at the dearest tier as above; the length added is not stated (L).
    estimateCredits: () => VEO_EXTEND_CREDITS,
    maxExtensions: UNSTATED_MAX_EXTENSIONS,
    confidence: 'L',
  },
  estimateCredits: (options) => {
    const chosen = tryReadExtra(resolution, options.extra);
    return chosen && VEO_CREDITS[chosen];
  },
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    generation_type: 'FIRST_AND_LAST_FRAMES_2_VIDEO',
    aspect_ratio: aspectInput(veo31, options),
    duration: options.durationSeconds,
    resolution: readExtra(resolution, options.extra),
    // Kie translates a prompt that is not in English (the doc's example turns it on).
    enable_translation: true,
  }),
};
