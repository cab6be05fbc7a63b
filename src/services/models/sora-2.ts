import { JPEG_PNG_WEBP, type ModelEntry, TEN_MEGABYTES, type WithdrawnStatus } from './model.js';
import { creditsPerClip, readExtra, type TypedExtraOption } from './options.js';

/**
 * kie-models-2026-09.md §1: OpenAI shut the Sora API down on 2026-09-24, and Kie's docs and price
 * feed dropped every Sora id by then (its playground still lists them). The entries stay, since
 * servers have these ids saved and Kie may still answer for a while.
 */
const WITHDRAWN: WithdrawnStatus = { state: 'withdrawn', since: '2026-09-24' };

/**
 * `sora-2-image-to-video`, the spec's model and the first of the bot's default list; withdrawn
 * from Kie, so Kie may answer that it is unavailable (see `DEFAULT_MODEL_IDS` for what follows).
 * `n_frames` is the duration in seconds, sent as a string.
 */
export const sora2ImageToVideo: ModelEntry = {
  id: 'sora-2-image-to-video',
  label: 'Sora 2',
  family: 'sora-2',
  status: WITHDRAWN,
  image: {
    field: 'image_urls',
    contentTypes: JPEG_PNG_WEBP,
    maxBytes: TEN_MEGABYTES,
  },
  prompt: { maxLength: 10_000 },
  durationsSeconds: [10, 15],
  defaultDurationSeconds: 10,
  aspect: 'choice',
  aspectRatios: { portrait: 'portrait', landscape: 'landscape' },
  supportsRemoveWatermark: true,
  extraOptions: [],
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

const size: TypedExtraOption<'standard' | 'high'> = {
  name: 'size',
  labelKey: 'models.option.size',
  choices: ['standard', 'high'],
  default: 'standard',
  choiceLabelKeys: { standard: 'models.value.size.standard', high: 'models.value.size.high' },
};

// kie-models.md §1b (Low: a third-party 2025 config; Kie's price dump has no Sora model).
const SORA_2_PRO_CREDITS: Record<'standard' | 'high', Record<number, number>> = {
  standard: { 10: 90, 15: 135 },
  high: { 10: 200, 15: 400 },
};

/**
 * `sora-2-pro-image-to-video` (kie-models.md §1b): Sora 2's input plus `size`. The newer export
 * marks `upload_method` required, so the default `s3` is sent explicitly.
 */
export const sora2ProImageToVideo: ModelEntry = {
  ...sora2ImageToVideo,
  id: 'sora-2-pro-image-to-video',
  label: 'Sora 2 Pro',
  extraOptions: [size],
  estimateCredits: (options) => creditsPerClip(size, SORA_2_PRO_CREDITS, options),
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    image_urls: [imageUrl],
    aspect_ratio: options.aspectRatio,
    n_frames: String(options.durationSeconds),
    remove_watermark: options.removeWatermark,
    size: readExtra(size, options.extra),
    upload_method: 's3',
  }),
};
