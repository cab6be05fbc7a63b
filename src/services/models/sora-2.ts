import type { ModelEntry } from './model.js';

const TEN_MEGABYTES = 10 * 1024 * 1024;

/**
 * `sora-2-image-to-video`, the spec's model and the default. OpenAI shut the Sora API down on
 * 2026-09-24, so Kie may answer that it is unavailable; see the registry for alternatives.
 * `n_frames` is the duration in seconds, sent as a string.
 */
export const sora2ImageToVideo: ModelEntry = {
  id: 'sora-2-image-to-video',
  label: 'Sora 2',
  image: {
    field: 'image_urls',
    contentTypes: ['image/jpeg', 'image/png', 'image/webp'],
    maxBytes: TEN_MEGABYTES,
  },
  prompt: { maxLength: 10_000 },
  durationsSeconds: [10, 15],
  defaultDurationSeconds: 10,
  aspect: 'choice',
  supportsRemoveWatermark: true,
  // Third-party figures from 2025 (Kie never published one that held): 30 credits per 10 s.
  estimateCredits: (options) => (options.durationSeconds === 15 ? 45 : 30),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    aspect_ratio: options.aspectRatio,
    n_frames: String(options.durationSeconds),
    remove_watermark: options.removeWatermark,
  }),
};
