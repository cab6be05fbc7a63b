import {
  JPEG_PNG_WEBP,
  type ModelEntry,
  RATIO_BY_SHAPE,
  TEN_MEGABYTES,
  UNSTATED_MAX_EXTENSIONS,
} from './model.js';
import { creditsPerClip, readExtra, resolutionOption } from './options.js';

// §3.8: "No 1080p at 10 s".
const quality = resolutionOption<'720p' | '1080p'>(['720p', '1080p'], '720p', {
  name: 'quality',
  durationsByChoice: { '1080p': [5] },
});

// kie-models-2026-09.md §3.8, per clip; 10 s at 1080p does not exist.
const RUNWAY_CREDITS: Record<'720p' | '1080p', Record<number, number>> = {
  '720p': { 5: 12, 10: 30 },
  '1080p': { 5: 30 },
};

/**
 * `runway` (kie-models-2026-09.md §3.8), now on the jobs API. The image is one string in
 * `image_url`; `aspect_ratio` is ignored with an image, so the video follows it and the image's
 * own shape is sent. `duration` as the doc's example sends it, a string (its schema says
 * number: M). No `watermark`: it writes a text over the video.
 */
export const runway: ModelEntry = {
  id: 'runway',
  label: 'Runway',
  family: 'runway',
  image: { field: 'image_url', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: 1_800 },
  durationsSeconds: [5, 10],
  defaultDurationSeconds: 5,
  aspect: 'image',
  aspectRatios: RATIO_BY_SHAPE,
  supportsRemoveWatermark: false,
  extraOptions: [quality],
  extend: {
    model: 'runway/extend-ai-video',
    sourceField: 'task_id',
    fields: {
      prompt: { type: 'string', required: true },
      quality: { type: 'string', required: true, values: ['720p', '1080p'] },
      watermark: { type: 'string', required: false },
    },
    // Not in Kie's price list, and the length added is not stated (§4: L).
    estimateCredits: () => undefined,
    maxExtensions: UNSTATED_MAX_EXTENSIONS,
    confidence: 'L',
  },
  estimateCredits: (options) => creditsPerClip(quality, RUNWAY_CREDITS, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_url: imageUrl,
    duration: String(options.durationSeconds),
    quality: readExtra(quality, options.extra),
    aspect_ratio: RATIO_BY_SHAPE[options.aspectRatio],
  }),
};
