import { z } from 'zod';

/**
 * The `input` checks of the models kie-models-2026-09.md added, from its tables and prose. Like
 * Kie's, each is strict (an unknown field is refused with its name) and checks the rules that
 * tie fields together (modes that exclude each other, a last frame that needs a first).
 */

export const httpUrl = () => z.url({ protocol: /^https?$/ });

type Input = Record<string, unknown>;
type Issues = z.core.$RefinementCtx<Input>;

/** A rule broken: Kie answers 422 with the field's name first. */
function refuse(ctx: Issues, field: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [field], message });
}

const present = (input: Input, fields: readonly string[]) => fields.filter((f) => input[f] !== undefined);

/** A duration in whole seconds from `min` to `max`, or -1 (auto) where the model has it. */
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);
const stringSeconds = (min: number, max: number) =>
  z.enum(Array.from({ length: max - min + 1 }, (_, i) => String(min + i)) as [string, ...string[]]);

// §3.1: references may be Kie assets (`asset://{assetId}`).
const reference = z.union([httpUrl(), z.string().regex(/^asset:\/\/\S+$/)]);
const SEEDANCE_2_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '21:9', 'adaptive'] as const;
const SEEDANCE_2_REFERENCES = ['reference_image_urls', 'reference_video_urls', 'reference_audio_urls'];

/**
 * §3.1, Seedance 2 / 2 Fast / 2 Mini: first frame, first + last, or references, never two of
 * them; no last frame alone. Fast and Mini take `web_search` for text-to-video only, and Mini
 * has no `return_last_frame`. Fast's schema spells `'reference_video_urls '` with a trailing
 * space: both spellings pass there.
 */
function seedance2(variant: {
  resolutions: [string, ...string[]];
  returnLastFrame: boolean;
  webSearchWithInputs: boolean;
  trailingSpaceKey?: boolean;
}) {
  const references = z.array(reference);
  return z
    .strictObject({
      prompt: z.string().min(3).max(20_000),
      first_frame_url: httpUrl().optional(),
      last_frame_url: httpUrl().optional(),
      reference_image_urls: references.max(9).optional(),
      reference_video_urls: references.max(3).optional(),
      ...(variant.trailingSpaceKey ? { 'reference_video_urls ': references.max(3).optional() } : {}),
      reference_audio_urls: references.max(3).optional(),
      ...(variant.returnLastFrame ? { return_last_frame: z.boolean().optional() } : {}),
      generate_audio: z.boolean().optional(),
      resolution: z.enum(variant.resolutions).optional(),
      aspect_ratio: z.enum(SEEDANCE_2_RATIOS).optional(),
      duration: z.union([z.literal(-1), seconds(4, 15)]).optional(),
      web_search: z.boolean().optional(),
      nsfw_checker: z.boolean().optional(),
    })
    .superRefine((input, ctx) => {
      const frames = present(input, ['first_frame_url', 'last_frame_url']);
      const references = present(input, [...SEEDANCE_2_REFERENCES, 'reference_video_urls ']);
      if (input.last_frame_url !== undefined && input.first_frame_url === undefined) {
        refuse(ctx, 'last_frame_url', 'needs first_frame_url');
      }
      if (frames.length > 0 && references[0] !== undefined) {
        refuse(ctx, references[0], 'frames and references exclude each other');
      }
      if (
        !variant.webSearchWithInputs &&
        input.web_search !== undefined &&
        frames.length + references.length
      ) {
        refuse(ctx, 'web_search', 'is for text-to-video only');
      }
    });
}

const KLING_ELEMENT = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  element_input_urls: z.array(httpUrl()).optional(),
  element_input_video_urls: z.array(httpUrl()).optional(),
  element_input_audio_urls: z.array(httpUrl()).optional(),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
});

/**
 * §3.3 `kling-3.0/video`: `duration` a string "3"–"15"; `sound`, `multi_shots`, `multi_prompt`
 * and `kling_elements` required even for one shot; `aspect_ratio` optional with an image; a
 * multi-shot video takes the first frame only.
 */
const kling3Video = z
  .strictObject({
    prompt: z.string().min(1),
    image_urls: z.array(httpUrl()).min(1).max(2).optional(),
    sound: z.boolean(),
    duration: stringSeconds(3, 15),
    aspect_ratio: z.enum(['16:9', '9:16', '1:1']).optional(),
    mode: z.enum(['std', 'pro', '4K']).optional(),
    multi_shots: z.boolean(),
    multi_prompt: z
      .array(z.strictObject({ prompt: z.string().min(1).max(500), duration: seconds(1, 12) }))
      .max(5),
    kling_elements: z.array(KLING_ELEMENT).max(3),
  })
  .superRefine((input, ctx) => {
    if (input.image_urls === undefined && input.aspect_ratio === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['aspect_ratio'] });
    }
    if (input.multi_shots && (input.image_urls?.length ?? 0) > 1) {
      refuse(ctx, 'image_urls', 'a multi-shot video takes the first frame only');
    }
    if (input.multi_shots && input.multi_prompt.length === 0) refuse(ctx, 'multi_prompt', 'needs a shot');
  });

const WAN_3_MODES: readonly (readonly string[])[] = [
  ['first_frame_url', 'last_frame_url'],
  ['reference_image_urls', 'reference_video_urls', 'reference_audio_urls'],
  ['reference_file_urls'],
  ['reference_link_urls'],
];

/**
 * §3.5 `wan/3-0-video` (and `-prime`): four modes that exclude each other; a last frame needs a
 * first; frames as strings (the examples'); the prompt is required for text-to-video only.
 */
const wan3Video = z
  .strictObject({
    prompt: z.string().max(20_000).optional(),
    first_frame_url: httpUrl().optional(),
    last_frame_url: httpUrl().optional(),
    reference_image_urls: z.array(httpUrl()).max(10).optional(),
    reference_video_urls: z.array(httpUrl()).max(5).optional(),
    reference_audio_urls: z.array(httpUrl()).max(5).optional(),
    reference_file_urls: z.array(httpUrl()).max(1).optional(),
    reference_link_urls: z.array(httpUrl()).max(1).optional(),
    resolution: z.enum(['480P', '720P', '1080P']).optional(),
    aspect_ratio: z.enum(['adaptive', '16:9', '4:3', '1:1', '3:4', '9:16']).optional(),
    duration: z.union([z.literal(-1), seconds(2, 30)]).optional(),
    audio: z.boolean().optional(),
    seed: z.number().int().optional(),
  })
  .superRefine((input, ctx) => {
    const used = WAN_3_MODES.map((fields) => present(input, fields)).filter((fields) => fields.length > 0);
    const second = used[1]?.[0];
    if (second !== undefined) refuse(ctx, second, 'input modes exclude each other');
    if (input.last_frame_url !== undefined && input.first_frame_url === undefined) {
      refuse(ctx, 'last_frame_url', 'needs first_frame_url');
    }
    if (used.length === 0 && input.prompt === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['prompt'] });
    }
  });

/**
 * §3.7 `veo-3-1`: 1–2 images with the frames type, 1–3 with the reference type (8 s only), none
 * for text; `duration` an integer 4 / 6 / 8; `Auto` with a capital A.
 */
const veo31 = z
  .strictObject({
    prompt: z.string().min(1),
    image_urls: z.array(httpUrl()).min(1).max(3).optional(),
    generation_type: z
      .enum(['TEXT_2_VIDEO', 'FIRST_AND_LAST_FRAMES_2_VIDEO', 'REFERENCE_2_VIDEO'])
      .optional(),
    duration: z.union([z.literal(4), z.literal(6), z.literal(8)]).optional(),
    aspect_ratio: z.enum(['16:9', '9:16', 'Auto']).optional(),
    resolution: z.enum(['720p', '1080p', '4k']).optional(),
    enable_translation: z.boolean().optional(),
    watermark: z.string().optional(),
    enable_fallback: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    const images = input.image_urls?.length ?? 0;
    if (input.generation_type === 'FIRST_AND_LAST_FRAMES_2_VIDEO' && images > 2) {
      refuse(ctx, 'image_urls', 'first and last frames take 1 or 2 images');
    }
    if (input.generation_type === 'TEXT_2_VIDEO' && images > 0) {
      refuse(ctx, 'image_urls', 'text-to-video takes no image');
    }
    if (
      input.generation_type === 'REFERENCE_2_VIDEO' &&
      input.duration !== undefined &&
      input.duration !== 8
    ) {
      refuse(ctx, 'duration', 'reference-to-video is 8 s only');
    }
  });

/**
 * §3.8 `runway`: `duration` 5 or 10, a number in the schema and a string in the example (both
 * pass); no 10 s at 1080p.
 */
const runway = z
  .strictObject({
    prompt: z.string().min(1).max(1_800),
    image_url: httpUrl().optional(),
    duration: z.union([z.enum(['5', '10']), z.literal(5), z.literal(10)]),
    quality: z.enum(['720p', '1080p']),
    aspect_ratio: z.enum(['16:9', '4:3', '1:1', '3:4', '9:16']).optional(),
    watermark: z.string().optional(),
  })
  .superRefine((input, ctx) => {
    if (Number(input.duration) === 10 && input.quality === '1080p') {
      refuse(ctx, 'duration', '10 s is not available at 1080p');
    }
  });

/** §3.10 `minimax-h3/image-to-video`: one frame or both (a last frame alone is allowed). */
const minimaxH3 = z
  .strictObject({
    prompt: z.string().min(1).max(7_000),
    first_frame_url: httpUrl().optional(),
    last_frame_url: httpUrl().optional(),
    duration: seconds(4, 15),
    resolution: z.enum(['768P', '2K']).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.first_frame_url === undefined && input.last_frame_url === undefined) {
      refuse(ctx, 'first_frame_url', 'give first_frame_url, last_frame_url or both');
    }
  });

/** Input schemas of the models kie-models-2026-09.md added, by model id. */
export const modelSchemas2026: ReadonlyArray<[string, z.ZodType]> = [
  [
    'bytedance/seedance-2-mini',
    seedance2({ resolutions: ['480p', '720p'], returnLastFrame: false, webSearchWithInputs: false }),
  ],
  [
    'bytedance/seedance-2-fast',
    seedance2({
      resolutions: ['480p', '720p'],
      returnLastFrame: true,
      webSearchWithInputs: false,
      trailingSpaceKey: true,
    }),
  ],
  [
    'bytedance/seedance-2',
    seedance2({
      resolutions: ['480p', '720p', '1080p', '4k'],
      returnLastFrame: true,
      webSearchWithInputs: true,
    }),
  ],
  ['kling-3.0/video', kling3Video],
  ['wan/3-0-video', wan3Video],
  ['wan/3-0-video-prime', wan3Video],
  ['veo-3-1', veo31],
  ['runway', runway],
  ['minimax-h3/image-to-video', minimaxH3],
];

/** §3.11: Grok's `duration`, a string "6"–"30" as the schema and examples send it, or a number. */
export const grokDuration = z.union([stringSeconds(6, 30), z.number().min(6).max(30)]);
