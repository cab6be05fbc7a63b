import { JPEG_PNG_WEBP, type ModelEntry, TEN_MEGABYTES } from './model.js';
import { readExtra, roundCredits, type TypedExtraOption, tryReadExtra } from './options.js';

const resolution: TypedExtraOption<'480p' | '720p'> = {
  name: 'resolution',
  labelKey: 'models.option.resolution',
  choices: ['480p', '720p'],
  default: '480p',
};
// `spicy` is refused with an external image, and the bot always sends one.
const mode: TypedExtraOption<'normal' | 'fun'> = {
  name: 'mode',
  labelKey: 'models.option.mode',
  choices: ['normal', 'fun'],
  default: 'normal',
};

// kie-models.md §5a, from Kie's 2026-06-30 price dump: credits per second.
const GROK_IMAGINE_CREDITS_PER_SECOND: Record<'480p' | '720p', number> = { '480p': 1.6, '720p': 3 };

/**
 * `grok-imagine/image-to-video` (kie-models.md §5a). Its `duration` changed type between Kie's
 * docs (string `"6"`|`"10"`, then number 6–30 whose own example still sends `"6"`): the strings
 * fit both readings. No `aspect_ratio`: with a single image the image sets the shape, and the
 * older schema has no such field.
 */
export const grokImagineImageToVideo: ModelEntry = {
  id: 'grok-imagine/image-to-video',
  label: 'Grok Imagine',
  family: 'grok-imagine',
  image: { field: 'image_urls', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { maxLength: 5_000 },
  durationsSeconds: [6, 10],
  defaultDurationSeconds: 6,
  aspect: 'image',
  supportsRemoveWatermark: false,
  extraOptions: [resolution, mode],
  estimateCredits: (options) => {
    const chosen = tryReadExtra(resolution, options.extra);
    return chosen && roundCredits(GROK_IMAGINE_CREDITS_PER_SECOND[chosen] * options.durationSeconds);
  },
  buildInput: ({ imageUrl, options }) => ({
    image_urls: [imageUrl],
    prompt: options.prompt,
    mode: readExtra(mode, options.extra),
    duration: String(options.durationSeconds),
    resolution: readExtra(resolution, options.extra),
    // Keeps Kie's own content filter on, as its Playground does (false turns it off).
    nsfw_checker: true,
  }),
};
