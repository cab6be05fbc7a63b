import { z } from 'zod';
import { extendSchemas } from './extend-schemas.js';
import { grokDuration, httpUrl, modelSchemas2026 } from './model-schemas.js';

const sora2ImageToVideo = z.strictObject({
  prompt: z.string().max(10_000),
  image_urls: z.array(httpUrl()).length(1),
  aspect_ratio: z.enum(['portrait', 'landscape']).optional(),
  n_frames: z.enum(['10', '15']).optional(),
  remove_watermark: z.boolean().optional(),
  character_id_list: z.array(z.string()).max(5).optional(),
  upload_method: z.enum(['s3', 'oss']).optional(),
});

/** kie-models.md §2a: no aspect field; `sound` and `duration` are required. */
const kling26ImageToVideo = z.strictObject({
  prompt: z.string().max(1_000),
  image_urls: z.array(httpUrl()).length(1),
  sound: z.boolean(),
  duration: z.enum(['5', '10']),
});

/** kie-models.md §3a: the image goes in `input_urls`; `duration` is a number. */
const seedance15Pro = z.strictObject({
  prompt: z.string().min(3).max(20_000),
  input_urls: z.array(httpUrl()).max(2).optional(),
  aspect_ratio: z.enum(['1:1', '4:3', '3:4', '16:9', '9:16', '21:9']),
  resolution: z.enum(['480p', '720p', '1080p']).optional(),
  duration: z.number().min(4).max(12),
  fixed_lens: z.boolean().optional(),
  generate_audio: z.boolean().optional(),
  nsfw_checker: z.boolean().optional(),
});

/** kie-models.md §4a, kie-models-2026-09.md §3.6: no aspect field. */
const wan26ImageToVideo = z.strictObject({
  prompt: z.string().min(2).max(5_000),
  image_urls: z.array(httpUrl()).length(1),
  duration: z.enum(['5', '10', '15']).optional(),
  resolution: z.enum(['720p', '1080p']).optional(),
  multi_shots: z.boolean().optional(),
  nsfw_checker: z.boolean().optional(),
});

/**
 * kie-models.md §5a, kie-models-2026-09.md §3.11: up to 7 images, 6–30 s (a string, or a number
 * as one schema had it), 1080p since September. `image_urls` or `task_id`, not both; `spicy` is
 * refused with external images.
 */
const grokImagineImageToVideo = z
  .strictObject({
    image_urls: z.array(httpUrl()).min(1).max(7).optional(),
    task_id: z.string().min(1).optional(),
    index: z.number().int().min(0).max(5).optional(),
    prompt: z.string().max(5_000).optional(),
    mode: z.enum(['fun', 'normal', 'spicy']).optional(),
    duration: grokDuration.optional(),
    resolution: z.enum(['480p', '720p', '1080p']).optional(),
    aspect_ratio: z.enum(['2:3', '3:2', '1:1', '16:9', '9:16']).optional(),
    nsfw_checker: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.image_urls === undefined && input.task_id === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'array', input: undefined, path: ['image_urls'] });
    }
    if (input.image_urls !== undefined && input.task_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['task_id'], message: 'do not combine task_id with image_urls' });
    }
    if (input.image_urls !== undefined && input.mode === 'spicy') {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'spicy is not available with external images',
      });
    }
  });

/** kie-models.md §6a (Standard and Pro share it): one image as a string; no 10 s at 1080P. */
const hailuo23ImageToVideo = z
  .strictObject({
    prompt: z.string().max(5_000),
    image_url: httpUrl(),
    duration: z.enum(['6', '10']).optional(),
    resolution: z.enum(['768P', '1080P']).optional(),
    nsfw_checker: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.duration === '10' && input.resolution === '1080P') {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: '10 s is not available at 1080P' });
    }
  });

/** Input schemas by model id (kie-models.md, kie-models-2026-09.md). Strict: unknown fields are rejected. */
const modelSchemas = new Map<string, z.ZodType>([
  ['sora-2-image-to-video', sora2ImageToVideo],
  ['sora-2-pro-image-to-video', sora2ImageToVideo.extend({ size: z.enum(['standard', 'high']).optional() })],
  [
    'sora-2-image-to-video-stable',
    sora2ImageToVideo.omit({ remove_watermark: true, character_id_list: true }),
  ],
  ['kling-2.6/image-to-video', kling26ImageToVideo],
  ['bytedance/seedance-1.5-pro', seedance15Pro],
  ['wan/2-6-image-to-video', wan26ImageToVideo],
  ['grok-imagine/image-to-video', grokImagineImageToVideo],
  ['hailuo/2-3-image-to-video-standard', hailuo23ImageToVideo],
  ['hailuo/2-3-image-to-video-pro', hailuo23ImageToVideo],
  ...modelSchemas2026,
  ...extendSchemas,
]);

/** Teach every stand-in (in this process) a model's `input` schema. */
export function registerModelSchema(model: string, schema: z.ZodType): void {
  modelSchemas.set(model, schema);
}

export function knownModels(): string[] {
  return [...modelSchemas.keys()];
}

const createTaskBody = z.strictObject({
  model: z.string().min(1),
  callBackUrl: httpUrl().optional(),
  progressCallBackUrl: httpUrl().optional(),
  input: z.record(z.string(), z.unknown()),
});

export type CreateTaskBody = z.infer<typeof createTaskBody>;

export type Rejection = { code: number; msg: string };

/**
 * Validates a createTask body. A missing required field answers code 500 "This field is required"
 * (kie-api.md: seen from Kie); any other problem answers 422 with a message naming the field.
 */
export function validateCreateTask(
  body: unknown,
): { ok: true; body: CreateTaskBody } | ({ ok: false } & Rejection) {
  const top = createTaskBody.safeParse(body);
  if (!top.success) return { ok: false, ...describeIssues(top.error.issues, body) };
  const schema = modelSchemas.get(top.data.model);
  if (!schema) return { ok: false, code: 422, msg: `model ${top.data.model} is not supported` };
  const input = schema.safeParse(top.data.input);
  if (!input.success) return { ok: false, ...describeIssues(input.error.issues, top.data.input) };
  return { ok: true, body: top.data };
}

/** Required-field check in Kie's words, for the small routes that take one field. */
export function requireString(body: unknown, field: string): Rejection | undefined {
  const value = isRecord(body) ? body[field] : undefined;
  if (value === undefined || value === null || value === '') {
    return { code: 500, msg: `${field}: This field is required` };
  }
  if (typeof value !== 'string') return { code: 422, msg: `${field}: expected a string` };
  return undefined;
}

const MISSING_CODES = new Set(['invalid_type', 'invalid_value', 'invalid_union']);

function describeIssues(issues: z.core.$ZodIssue[], input: unknown): Rejection {
  // An absent enum reads as invalid_value in zod 4, an absent union member as invalid_union.
  const missing = issues.find((i) => MISSING_CODES.has(i.code) && valueAt(input, i.path) === undefined);
  if (missing) return { code: 500, msg: `${fieldName(missing)}: This field is required` };
  const first = issues[0];
  if (!first) return { code: 422, msg: 'Validation failed' };
  const message = first.code === 'unrecognized_keys' ? 'Unrecognized field' : first.message;
  return { code: 422, msg: `${fieldName(first)}: ${message}` };
}

function fieldName(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.join(', ');
  return issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
