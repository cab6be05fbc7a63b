import type { JobOptions } from '../../../src/services/jobs/job-record.js';
import { type DocLiteral, docLiteral } from './doc-literals.js';

/** Stands for the image URL of the test (ours, in place of the example's). */
export const OUR_IMAGE = Symbol('our image url');
/** Stands for the last frame's URL of the test (the member's second image, or the first for a loop). */
export const OUR_END_IMAGE = Symbol('our last frame url');
export const OUR_PROMPT = 'the cat waves at the camera';

interface Delta {
  value: unknown;
  why: string;
}

/**
 * A registry entry against a literal of kie-models-2026-09.md. Our prompt replaces the
 * example's, and our image the example's first image (same shape: a string, or a one-item
 * array). Every other difference is listed with its reason, and must be a difference: a
 * removed or changed field must be in the literal, an added one must not.
 */
export interface DocCase {
  name: string;
  model: string;
  options: Partial<JobOptions>;
  literal: DocLiteral;
  /** The `input` field that carries the image in this literal. */
  imageField: string;
  /**
   * The field that carries the last frame (kie-models-2026-09.md §5): its own field, which the
   * literal must have, or `imageField` itself (the second item of that array).
   */
  endImageField?: string;
  /** Fields of the example we do not send: another mode's, or what we do not want. */
  removed?: Record<string, string>;
  /** Fields we send with another value: the member's choice, or our rule. */
  changed?: Record<string, Delta>;
  /** Documented fields the example leaves out, sent since every field is explicit. */
  added?: Record<string, Delta>;
}

/** The `input` a case's entry must send: the literal with the case's differences applied. */
export function expectedInput(c: DocCase, imageUrl: string, endImageUrl = imageUrl): Record<string, unknown> {
  const literal = docLiteral(c.literal);
  const input: Record<string, unknown> = { ...literal };
  const fail = (why: string) => new Error(`${c.name}: ${why}`);
  if (!('prompt' in literal) || !(c.imageField in literal)) throw fail('the literal lacks prompt or image');
  input.prompt = OUR_PROMPT;
  input[c.imageField] = Array.isArray(literal[c.imageField]) ? [OUR_IMAGE] : OUR_IMAGE;
  if (c.endImageField === c.imageField) {
    if (!Array.isArray(literal[c.imageField])) throw fail(`${c.imageField} is not an array in the literal`);
    input[c.imageField] = [OUR_IMAGE, OUR_END_IMAGE];
  } else if (c.endImageField !== undefined) {
    if (!(c.endImageField in literal)) throw fail(`the literal has no ${c.endImageField}`);
    input[c.endImageField] = OUR_END_IMAGE;
  }
  for (const field of Object.keys(c.removed ?? {})) {
    if (!(field in literal)) throw fail(`removes ${field}, which the literal does not have`);
    delete input[field];
  }
  for (const [field, { value }] of Object.entries(c.changed ?? {})) {
    if (!(field in literal)) throw fail(`changes ${field}, which the literal does not have`);
    if (JSON.stringify(literal[field]) === JSON.stringify(value)) throw fail(`${field} is not a change`);
    input[field] = value;
  }
  for (const [field, { value }] of Object.entries(c.added ?? {})) {
    if (field in literal) throw fail(`adds ${field}, which the literal has`);
    input[field] = value;
  }
  const ours = (value: unknown) =>
    value === OUR_IMAGE ? imageUrl : value === OUR_END_IMAGE ? endImageUrl : value;
  return Object.fromEntries(
    Object.entries(input).map(([field, value]) => [
      field,
      Array.isArray(value) ? value.map(ours) : ours(value),
    ]),
  );
}

export const FILTER_ON: Delta = {
  value: true,
  why: 'keeps Kie’s own content filter on, as its Playground does (false turns it off)',
};
export const NO_WATERMARK = 'writes a text over the video';

const GROK_OTHER_INPUTS = {
  task_id: 'the other way to give the image; never with image_urls (kie-models.md §5a)',
  aspect_ratio: 'for multi-image input only',
};
export const SEEDANCE_2_OTHER_MODES = {
  last_frame_url: 'first + last mode: no last frame is asked for',
  reference_image_urls: 'reference mode, which excludes frames',
  reference_video_urls: 'reference mode, which excludes frames',
  reference_audio_urls: 'reference mode, which excludes frames',
};
const SEEDANCE_2_MINI_REMOVED = {
  ...SEEDANCE_2_OTHER_MODES,
  return_last_frame: 'Mini has no such field',
  web_search: 'text-to-video only on Mini',
};
export const SEEDANCE_2_AS_LITERAL: Partial<JobOptions> = {
  durationSeconds: 15,
  aspectRatio: 'landscape',
  extra: { resolution: '720p', generate_audio: false },
};

export const DOC_CASES: DocCase[] = [
  {
    name: 'Seedance 2 Mini, as the example (15 s, 16:9, 720p, silent)',
    model: 'bytedance/seedance-2-mini',
    options: SEEDANCE_2_AS_LITERAL,
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    removed: SEEDANCE_2_MINI_REMOVED,
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 2 Mini with its defaults and the shape left to the image',
    model: 'bytedance/seedance-2-mini',
    options: { durationSeconds: 5, aspectFromImage: true },
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    removed: SEEDANCE_2_MINI_REMOVED,
    changed: {
      aspect_ratio: { value: 'adaptive', why: 'nobody chose a shape: the model follows the image' },
      generate_audio: { value: true, why: 'Kie’s default, which costs nothing more' },
      duration: { value: 5, why: 'the model’s default' },
    },
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 2 Fast, as the example',
    model: 'bytedance/seedance-2-fast',
    options: SEEDANCE_2_AS_LITERAL,
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    removed: { ...SEEDANCE_2_OTHER_MODES, web_search: 'text-to-video only on Fast' },
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 2, as the example',
    model: 'bytedance/seedance-2',
    options: SEEDANCE_2_AS_LITERAL,
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    removed: SEEDANCE_2_OTHER_MODES,
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 2, portrait at 4K',
    model: 'bytedance/seedance-2',
    options: { ...SEEDANCE_2_AS_LITERAL, aspectRatio: 'portrait', extra: { resolution: '4k' } },
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    removed: SEEDANCE_2_OTHER_MODES,
    changed: {
      aspect_ratio: { value: '9:16', why: 'portrait' },
      resolution: { value: '4k', why: 'the member’s choice' },
      generate_audio: { value: true, why: 'Kie’s default, which costs nothing more' },
    },
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Kling 3.0, as the example (5 s, sound, 1080p), one shot',
    model: 'kling-3.0/video',
    options: { durationSeconds: 5, aspectRatio: 'landscape', aspectFromImage: true, extra: { sound: true } },
    literal: 'KLING_3',
    imageField: 'image_urls',
    changed: {
      multi_prompt: {
        value: [],
        why: 'required even for one shot: its smallest value (the example’s are shots)',
      },
      kling_elements: {
        value: [],
        why: 'required: its smallest value (the example’s prompt names its elements)',
      },
    },
  },
  {
    name: 'Wan 3.0, as the example (8 s, adaptive, 1080P, audio)',
    model: 'wan/3-0-video',
    options: { durationSeconds: 8, aspectFromImage: true },
    literal: 'WAN_3',
    imageField: 'first_frame_url',
    removed: {
      last_frame_url: 'no last frame is asked for',
      seed: 'Kie picks one, so two runs of one prompt differ',
    },
  },
  {
    name: 'Veo 3.1, landscape, 8 s at 720p',
    model: 'veo-3-1',
    options: { durationSeconds: 8, aspectRatio: 'landscape' },
    literal: 'VEO_3_1',
    imageField: 'image_urls',
    removed: { watermark: NO_WATERMARK, enable_fallback: 'deprecated' },
    changed: {
      generation_type: {
        value: 'FIRST_AND_LAST_FRAMES_2_VIDEO',
        why: 'the example is reference mode; one image anchors the clip with the frames type (§3.7, M)',
      },
    },
    added: {
      duration: { value: 8, why: 'documented, default 8' },
      resolution: { value: '720p', why: 'documented, default 720p' },
    },
  },
  {
    name: 'Runway, as the example (5 s, 720p, a portrait image)',
    model: 'runway',
    options: { durationSeconds: 5, aspectRatio: 'portrait', aspectFromImage: true },
    literal: 'RUNWAY',
    imageField: 'image_url',
    removed: { watermark: NO_WATERMARK },
  },
  {
    name: 'MiniMax H3, as the example (6 s)',
    model: 'minimax-h3/image-to-video',
    options: { durationSeconds: 6 },
    literal: 'MINIMAX_H3',
    imageField: 'first_frame_url',
    removed: { last_frame_url: 'no last frame is asked for' },
    added: { resolution: { value: '2K', why: 'documented; its default, the dearer, said out loud' } },
  },
  {
    name: 'Grok Imagine, as the example (6 s, 480p, normal)',
    model: 'grok-imagine/image-to-video',
    options: { durationSeconds: 6 },
    literal: 'GROK',
    imageField: 'image_urls',
    removed: GROK_OTHER_INPUTS,
    added: { nsfw_checker: { ...FILTER_ON, why: `${FILTER_ON.why}; kie-models.md §5a` } },
  },
  {
    name: 'Grok Imagine, 30 s at 1080p, fun',
    model: 'grok-imagine/image-to-video',
    options: { durationSeconds: 30, extra: { resolution: '1080p', mode: 'fun' } },
    literal: 'GROK',
    imageField: 'image_urls',
    removed: GROK_OTHER_INPUTS,
    changed: {
      duration: { value: '30', why: 'the member’s choice, a string as in the example' },
      resolution: { value: '1080p', why: 'the member’s choice (new in September)' },
      mode: { value: 'fun', why: 'the member’s choice' },
    },
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Wan 2.6, as the example (5 s, 1080p, one shot)',
    model: 'wan/2-6-image-to-video',
    options: { durationSeconds: 5 },
    literal: 'WAN_2_6',
    imageField: 'image_urls',
    changed: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Kling 2.6, as the example (5 s, silent)',
    model: 'kling-2.6/image-to-video',
    options: { durationSeconds: 5 },
    literal: 'KLING_2_6',
    imageField: 'image_urls',
  },
  {
    name: 'Seedance 1.5 Pro, as the example but landscape (8 s, 720p)',
    model: 'bytedance/seedance-1.5-pro',
    options: { durationSeconds: 8, aspectRatio: 'landscape' },
    literal: 'SEEDANCE_1_5_PRO',
    imageField: 'input_urls',
    changed: {
      aspect_ratio: { value: '16:9', why: 'members pick portrait or landscape; 1:1 is not offered' },
      nsfw_checker: FILTER_ON,
    },
  },
  {
    name: 'Hailuo 2.3 Standard, as the example (6 s, 768P)',
    model: 'hailuo/2-3-image-to-video-standard',
    options: { durationSeconds: 6 },
    literal: 'HAILUO_2_3',
    imageField: 'image_url',
    added: { nsfw_checker: { ...FILTER_ON, why: `${FILTER_ON.why}; kie-models.md §6a` } },
  },
];
