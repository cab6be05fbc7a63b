import { JPEG_PNG_WEBP, type ModelEntry, TEN_MEGABYTES, UNSTATED_MAX_EXTENSIONS } from './model.js';
import {
  creditsPerSecond,
  readExtra,
  resolutionOption,
  roundCredits,
  type TypedExtraOption,
  tryReadExtra,
  wholeSeconds,
} from './options.js';

type GrokResolution = '480p' | '720p' | '1080p';

const resolution = resolutionOption<GrokResolution>(['480p', '720p', '1080p'], '480p');
// `spicy` is refused with an external image, and the bot always sends one.
const mode: TypedExtraOption<'normal' | 'fun'> = {
  name: 'mode',
  labelKey: 'models.option.mode',
  choices: ['normal', 'fun'],
  default: 'normal',
  choiceLabelKeys: { normal: 'models.value.grok.normal', fun: 'models.value.grok.fun' },
};

// kie-models-2026-09.md §3.11 and §7 (up by half since June; 1080p new): credits per second.
const GROK_CREDITS_PER_SECOND: Record<GrokResolution, number> = { '480p': 2.4, '720p': 4.5, '1080p': 8 };
// §4 prices extends at 480p and 720p only.
const GROK_EXTEND_CREDITS_PER_SECOND: Partial<Record<GrokResolution, number>> = { '480p': 2.4, '720p': 4.5 };

/**
 * `grok-imagine/image-to-video` (kie-models-2026-09.md §3.11). 6–30 s; `duration` is sent as a
 * string, as the schema and the examples have it (once `"6"`|`"10"`). No `aspect_ratio`: it
 * applies to multi-image input only, and one image sets the shape. No `task_id`: that is the
 * other way to give the image (a Grok text-to-image task), not to be combined with `image_urls`.
 */
export const grokImagineImageToVideo: ModelEntry = {
  id: 'grok-imagine/image-to-video',
  label: 'Grok Imagine',
  family: 'grok-imagine',
  image: { field: 'image_urls', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: 5_000 },
  durationsSeconds: wholeSeconds(6, 30),
  defaultDurationSeconds: 6,
  aspect: 'image',
  supportsRemoveWatermark: false,
  extraOptions: [resolution, mode],
  extend: {
    model: 'grok-imagine/extend',
    sourceField: 'task_id',
    fields: {
      // Required, but may be empty.
      prompt: { type: 'string', required: true, mayBeEmpty: true },
      // Its unit is not explained (§4: L).
      extend_at: { type: 'number', required: true, min: 2, default: 2 },
      extend_times: { type: 'string', required: true, values: ['6', '10'] },
    },
    addedSecondsField: 'extend_times',
    estimateCredits: (source, addedSeconds) => {
      const chosen = tryReadExtra(resolution, source.extra);
      const rate = chosen && GROK_EXTEND_CREDITS_PER_SECOND[chosen];
      return rate === undefined || addedSeconds === undefined ? undefined : roundCredits(rate * addedSeconds);
    },
    // Four 6 s extensions take a 6 s clip to 30 s, Grok's longest (§3.11).
    maxExtensions: UNSTATED_MAX_EXTENSIONS,
    confidence: 'M',
  },
  estimateCredits: (options) => creditsPerSecond(resolution, GROK_CREDITS_PER_SECOND, options),
  buildInput: ({ imageUrl, options }) => ({
    image_urls: [imageUrl],
    prompt: options.prompt,
    mode: readExtra(mode, options.extra),
    duration: String(options.durationSeconds),
    resolution: readExtra(resolution, options.extra),
    // Keeps Kie's own content filter on, as its Playground does (false turns it off; kie-models.md §5a).
    nsfw_checker: true,
  }),
};
