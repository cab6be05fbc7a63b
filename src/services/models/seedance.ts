import { JPEG_PNG_WEBP, type ModelEntry, TEN_MEGABYTES } from './model.js';
import { readExtra, roundCredits, type TypedExtraOption, tryReadExtra } from './options.js';

type Resolution = '480p' | '720p' | '1080p';

const resolution: TypedExtraOption<Resolution> = {
  name: 'resolution',
  labelKey: 'models.option.resolution',
  choices: ['480p', '720p', '1080p'],
  default: '720p',
};
const generateAudio: TypedExtraOption<boolean> = {
  name: 'generate_audio',
  labelKey: 'models.option.generateAudio',
  choices: [false, true],
  default: false,
};
const fixedLens: TypedExtraOption<boolean> = {
  name: 'fixed_lens',
  labelKey: 'models.option.fixedLens',
  choices: [false, true],
  default: false,
};

const ASPECT_RATIOS = { portrait: '9:16', landscape: '16:9' } as const;

// kie-models.md §3a, from Kie's 2026-06-30 price dump: credits per second, silent / with audio.
const SEEDANCE_1_5_PRO_CREDITS_PER_SECOND: Record<Resolution, { silent: number; audio: number }> = {
  '480p': { silent: 1.75, audio: 3.5 },
  '720p': { silent: 3.5, audio: 7 },
  '1080p': { silent: 7.5, audio: 15 },
};

/**
 * `bytedance/seedance-1.5-pro` (kie-models.md §3a), one id for text- and image-to-video: the
 * image goes in `input_urls` (1 = first frame). `duration` is a number, not a string; the schema
 * allows 4–12 s, and 4/6/8/10/12 are the values Henji's adapter offers.
 */
export const seedance15Pro: ModelEntry = {
  id: 'bytedance/seedance-1.5-pro',
  label: 'Seedance 1.5 Pro',
  family: 'seedance',
  image: { field: 'input_urls', contentTypes: JPEG_PNG_WEBP, maxBytes: TEN_MEGABYTES },
  prompt: { minLength: 3, maxLength: 20_000 },
  durationsSeconds: [4, 6, 8, 10, 12],
  defaultDurationSeconds: 8,
  aspect: 'choice',
  aspectRatios: ASPECT_RATIOS,
  supportsRemoveWatermark: false,
  extraOptions: [resolution, generateAudio, fixedLens],
  estimateCredits: (options) => {
    const chosen = tryReadExtra(resolution, options.extra);
    const audio = tryReadExtra(generateAudio, options.extra);
    if (chosen === undefined || audio === undefined) return undefined;
    const perSecond = SEEDANCE_1_5_PRO_CREDITS_PER_SECOND[chosen];
    return roundCredits((audio ? perSecond.audio : perSecond.silent) * options.durationSeconds);
  },
  buildInput: ({ imageUrl, options }) => ({
    prompt: options.prompt,
    input_urls: [imageUrl],
    aspect_ratio: ASPECT_RATIOS[options.aspectRatio],
    resolution: readExtra(resolution, options.extra),
    duration: options.durationSeconds,
    fixed_lens: readExtra(fixedLens, options.extra),
    generate_audio: readExtra(generateAudio, options.extra),
    // Keeps Kie's own content filter on, as its Playground does (false turns it off).
    nsfw_checker: true,
  }),
};
